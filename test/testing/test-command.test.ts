import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../../runner/cli/main.ts'
import { captureIO } from './helpers/io.ts'
import { tempDir } from './helpers/temp.ts'

const SUITE = 'test/fixtures/testing/suite'

/** The first line is the progress row, whose order follows completion: compare it sorted. */
function splitProgress (text: string): { row: string, rest: string } {
  const [row, ...rest] = text.split('\n')
  return { row: [...row.split(' ')[0]].sort().join('') + ' ' + row.split(' ')[1], rest: rest.join('\n') }
}

describe('code-action test', () => {
  it('runs every fixture with an action and an expect block and prints a diff per failed expectation', async () => {
    const { io, stdout, stderr } = captureIO()
    const code = await main(['test', SUITE], io)
    expect(code).toBe(1)
    expect(stderr()).toBe('')
    const { row, rest } = splitProgress(stdout())
    expect(row).toBe('..FF 4/4')
    expect(rest).toBe(`
✖ test/fixtures/testing/suite/b-wrong-jump.yaml — greets Ada but the fixture expects another jump
  nextDialogState
    expected: "ds-home"
    actual:   "ds-menu"
  messages[0].config.textMessages[0].text
    expected: "Hi Ada!"
    actual:   "Hello Ada!"
  session.greeting.name
    expected: "Bob"
    actual:   "Ada"

✖ test/fixtures/testing/suite/c-throws.yaml — the action throws
  error
    expected: null
    actual:   "ERR_ACTION_THREW"
    (Error: asked to fail)
  session.counter
    expected: {"count":1}
    actual:   (absent)

2 passed, 2 failed
`)
  })

  it('ends with the summary line alone on the last line', async () => {
    const { io, stdout } = captureIO()
    await main(['test', `${SUITE}/a-greets.yaml`, `${SUITE}/d-scenario.yaml`], io)
    const lines = stdout().trimEnd().split('\n')
    expect(lines.at(-1)).toBe('2 passed, 0 failed')
    expect(lines.at(-2)).toBe('')
  })

  it('exits 0 when every fixture passes, including a multi-step scenario', async () => {
    const { io, stdout } = captureIO()
    const code = await main(['test', `${SUITE}/a-greets.yaml`, `${SUITE}/d-scenario.yaml`], io)
    expect(code).toBe(0)
    expect(stdout()).toBe('.. 2/2\n\n2 passed, 0 failed\n')
  })

  it('prints one JSON object with each fixture and a summary under --json', async () => {
    const { io, stdout } = captureIO()
    const code = await main(['test', SUITE, '--json'], io)
    expect(code).toBe(1)
    const report = JSON.parse(stdout())
    expect(report.summary).toMatchObject({ passed: 2, failed: 2, invalid: 0, skipped: 2, notRun: 0 })
    expect(report.fixtures.map((f: any) => [f.file, f.status])).toEqual([
      ['test/fixtures/testing/suite/a-greets.yaml', 'passed'],
      ['test/fixtures/testing/suite/b-wrong-jump.yaml', 'failed'],
      ['test/fixtures/testing/suite/c-throws.yaml', 'failed'],
      ['test/fixtures/testing/suite/d-scenario.yaml', 'passed'],
    ])
    expect(report.fixtures[1].failures[0]).toEqual({ path: 'nextDialogState', expected: 'ds-home', actual: 'ds-menu' })
    expect(report.fixtures[2].error).toEqual({ code: 'ERR_ACTION_THREW', message: 'Error: asked to fail' })
    expect(report.fixtures[3].steps).toEqual([
      { index: 0, action: '../actions/menu.js', status: 'passed', failures: [] },
      { index: 1, action: '../actions/confirm.js', status: 'passed', failures: [] },
    ])
  })

  it('stops at the first failure under --bail', async () => {
    const { io, stdout } = captureIO()
    const code = await main(['test', 'test/fixtures/testing/bail', '--bail'], io)
    expect(code).toBe(1)
    const text = stdout()
    expect(text).toContain('✖ test/fixtures/testing/bail/a-fails.yaml')
    const notRun = Number(/stopped at the first failure \(--bail\): (\d+) fixtures? not run/.exec(text)?.[1])
    expect(notRun).toBeGreaterThan(0)
    const [, passed, failed] = /\n(\d+) passed, (\d+) failed\n$/.exec(text)!.map(Number)
    expect(failed).toBe(1)
    expect(passed + failed + notRun).toBe(8)
  })

  it('exits 2 for invalid fixtures and names each with file and line', async () => {
    const { io, stdout } = captureIO()
    const code = await main(['test', 'test/fixtures/testing/invalid'], io)
    expect(code).toBe(2)
    const { row, rest } = splitProgress(stdout())
    expect(row).toBe('.EE 3/3')
    expect(rest).toBe(`
2 fixtures could not run:
✖ test/fixtures/testing/invalid/bad-key.yaml
  ERR_FIXTURE: test/fixtures/testing/invalid/bad-key.yaml:4:1: "expct" is not a known key
  Did you mean "expect"? Known keys here: description, action, session, args, http, options, expect, steps.
✖ test/fixtures/testing/invalid/missing-action.yaml
  ERR_ACTION_NOT_FOUND: test/fixtures/testing/invalid/missing-action.yaml:1:1: "action": action file not found: test/fixtures/testing/actions/nope.js
  Check the path; it is relative to the current folder (or, in a fixture, to the fixture file).

1 passed, 2 failed
`)
  })

  it('reports an invalid fixture in --json with status "invalid"', async () => {
    const { io, stdout } = captureIO()
    expect(await main(['test', 'test/fixtures/testing/invalid/bad-key.yaml', '--json'], io)).toBe(2)
    const report = JSON.parse(stdout())
    expect(report.fixtures).toEqual([{
      file: 'test/fixtures/testing/invalid/bad-key.yaml',
      description: null,
      action: null,
      status: 'invalid',
      durationMs: 0,
      failures: [],
      error: {
        code: 'ERR_FIXTURE',
        message: 'test/fixtures/testing/invalid/bad-key.yaml:4:1: "expct" is not a known key\nDid you mean "expect"? Known keys here: description, action, session, args, http, options, expect, steps.',
      },
    }])
  })

  it('shows a counter that rewrites its line on a terminal', async () => {
    const { io, stdout } = captureIO({ color: true })
    await main(['test', `${SUITE}/a-greets.yaml`, `${SUITE}/b-wrong-jump.yaml`], io)
    const lines = stdout().split('\n')
    expect(lines[0]).toMatch(/^\x1b\[2mrunning\x1b\[22m 1\/2/)
    expect(lines[1]).toMatch(/^\x1b\[1A\x1b\[2K\x1b\[2mrunning\x1b\[22m 2\/2\x1b\[31m · 1 failed\x1b\[39m$/)
    expect(stdout()).toContain('\n\n1 passed, 1 failed\n')
  })

  it('prints rows of dots with a count when the output is not a terminal', async () => {
    const { io, stdout } = captureIO()
    await main(['test', 'test/fixtures/testing/bail'], io)
    expect(splitProgress(stdout()).row).toBe('.......F 8/8')
  })

  it('exits 2 for a path that does not exist', async () => {
    const { io, stderr } = captureIO()
    expect(await main(['test', 'test/fixtures/testing/nope'], io)).toBe(2)
    expect(stderr()).toBe('ERR_USAGE: code-action test: no such file or folder: test/fixtures/testing/nope\nName fixture files or folders that hold them (default: fixtures/).\n')
  })

  describe('without a path', () => {
    const cwd = process.cwd()
    let remove: (() => void) | undefined
    afterEach(() => { process.chdir(cwd); remove?.() })

    it('runs the fixtures/ folder of the current directory', async () => {
      const temp = tempDir()
      remove = temp.remove
      mkdirSync(join(temp.dir, 'fixtures', 'greet'), { recursive: true })
      writeFileSync(join(temp.dir, 'fixtures', 'greet', 'action.js'), "ChatlayerResponseBuilder().addMessage('hi').send()\n")
      writeFileSync(join(temp.dir, 'fixtures', 'greet', 'hi.yaml'), 'action: action.js\nexpect:\n  messages: [{ type: text, config: { textMessages: [{ text: hi }] } }]\n')
      process.chdir(temp.dir)
      const { io, stdout } = captureIO()
      expect(await main(['test'], io)).toBe(0)
      expect(stdout()).toBe('. 1/1\n\n1 passed, 0 failed\n')
    })

    it('says so when no fixture can run, and exits 0', async () => {
      const temp = tempDir()
      remove = temp.remove
      process.chdir(temp.dir)
      const { io, stdout } = captureIO()
      expect(await main(['test'], io)).toBe(0)
      expect(stdout()).toBe('no fixture with an action and an expect block under fixtures/\n\n0 passed, 0 failed\n')
    })
  })

  it('documents itself under --help and in the command list', async () => {
    const { io, stdout } = captureIO()
    expect(await main(['test', '--help'], io)).toBe(0)
    expect(stdout()).toContain('Usage: code-action test [path...] [--json] [--bail]')
    const help = captureIO()
    await main(['--help'], help.io)
    expect(help.stdout()).toContain('  test [path...]   run every fixture with an expect block and check it (--json, --bail)')
  })
})

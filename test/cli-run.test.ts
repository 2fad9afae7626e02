import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main } from '../runner/cli/main.ts'

/** A path under test/fixtures/sandbox/, as the CLI shows it (relative to the working folder). */
const sandbox = (name: string): string => relative(process.cwd(), fileURLToPath(new URL(`./fixtures/sandbox/${name}`, import.meta.url)))

interface Cli { code: number, stdout: string, stderr: string }

async function cli (...args: string[]): Promise<Cli> {
  const stdout: string[] = []
  const stderr: string[] = []
  const code = await main(args, { stdout: text => stdout.push(text), stderr: text => stderr.push(text), color: false })
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') }
}

/** Replaces timings, the only part of a report that changes from run to run. */
const steady = (text: string): string => text.replace(/\d+(?:\.\d+)? ms/g, 'N ms')

const RESULT_KEYS = ['ok', 'action', 'fixture', 'response', 'sends', 'nextDialogState', 'messages', 'session', 'sessionChanges', 'requests', 'logs', 'warnings', 'error', 'durationMs']

describe('code-action run: the human report', () => {
  it('shows messages with buttons, quick replies, a carousel and media, the jump, session changes, HTTP, logs and warnings', async () => {
    const { code, stdout, stderr } = await cli('run', sandbox('cli/report.yaml'))
    expect(code).toBe(0)
    expect(stderr).toBe('')
    const js = sandbox('cli/report.js')
    expect(steady(stdout)).toBe([
      `✔ ran ${js} with ${sandbox('cli/report.yaml')} (N ms)`,
      '',
      'Messages',
      '  💬 We have 1 rooms',
      '  💬 What next?',
      '     (button) [Book] → ds-book with room="A"',
      '     (button) [Website] → https://hotel.example.com',
      '     (button) [Call us] ☎ +3212345678',
      '  💬 Or pick',
      '     (quick reply) [Later] → ds-later',
      '  🎠 carousel of 1 card(s)',
      '     1. Room A — 2 beds [image https://img.example.com/a.png]',
      '        (button) [Open] → https://hotel.example.com/a',
      '  🖼  image: https://img.example.com/map.png',
      '  💬 And one more thing',
      '',
      'Next dialog state',
      '  → ds-rooms',
      '',
      'Session changes',
      '  search.count: null → 1',
      '',
      'HTTP',
      '  GET https://api.example.com/rooms?city=Gent 200 N ms',
      '',
      'Console',
      `  log found 1 rooms in Gent  (${js}:4:9)`,
      '',
      'Warnings',
      '  ⚠ HTTP exchange #2 (* https://api.example.com/unused) was never used: remove it or check the request the action makes',
      '  ⚠ send() was called 2 times: all were applied in order (option multipleSends)',
    ].join('\n'))
  })

  it('shows the error code, message and the stack in the action file', async () => {
    const { code, stdout } = await cli('run', sandbox('cli/fail.js'), '--fixture', sandbox('cli/fail.yaml'))
    expect(code).toBe(1)
    const js = sandbox('cli/fail.js')
    expect(steady(stdout)).toBe([
      `✖ ERR_ACTION_THREW ${js} with ${sandbox('cli/fail.yaml')} (N ms)`,
      '',
      'Console',
      `  warn about to look up 35436  (${js}:1:9)`,
      '',
      'Error',
      '  ERR_ACTION_THREW: Error: no ticket 35436',
      `  at lookUp (${js}:3:9)`,
      `  at ${js}:5:1`,
    ].join('\n'))
  })

  it('says the dialog\'s own Go To applies when a send has no jump', async () => {
    const { code, stdout } = await cli('run', sandbox('cli/ok.js'))
    expect(code).toBe(0)
    expect(steady(stdout)).toBe([
      `✔ ran ${sandbox('cli/ok.js')} (N ms)`,
      '',
      'Messages',
      '  💬 ok',
      '',
      'Next dialog state',
      "  none: the dialog's own Go To applies",
    ].join('\n'))
  })
})

describe('code-action run --json', () => {
  it('prints exactly the keys of contract §3, in order, with the run\'s values', async () => {
    const { code, stdout } = await cli('run', sandbox('cli/report.yaml'), '--json')
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    expect(Object.keys(result)).toEqual(RESULT_KEYS)
    expect(result).toMatchObject({
      ok: true,
      action: sandbox('cli/report.js'),
      fixture: sandbox('cli/report.yaml'),
      nextDialogState: 'ds-rooms',
      session: { search: { city: 'Gent', count: 1 } },
      sessionChanges: [{ path: 'search.count', before: null, after: 1 }],
      requests: [{ method: 'GET', url: 'https://api.example.com/rooms?city=Gent', status: 200, exchange: 0 }],
      logs: [{ level: 'log', text: 'found 1 rooms in Gent', source: `${sandbox('cli/report.js')}:4:9` }],
      error: null,
    })
    expect(result.sends).toHaveLength(2)
    expect(result.messages).toHaveLength(6)
    expect(result.response).toEqual({ action: { nextDialogstate: 'ds-rooms' }, messages: result.messages, session: [{ namespace: 'search', data: { count: 1 } }] })
    expect(result.warnings).toHaveLength(2)
    expect(typeof result.durationMs).toBe('number')
  })

  it('prints fixture null and the error object for a failed run without a fixture', async () => {
    const { code, stdout } = await cli('run', sandbox('syntax-error.js'), '--json')
    expect(code).toBe(1)
    const result = JSON.parse(stdout)
    expect(Object.keys(result)).toEqual(RESULT_KEYS)
    expect(result.ok).toBe(false)
    expect(result.fixture).toBeNull()
    expect(result.response).toBeNull()
    expect(result.error).toEqual({
      code: 'ERR_SYNTAX',
      message: "Unexpected identifier 'total' (line 3, column 21)",
      stack: `SyntaxError: Unexpected identifier 'total'\n    at ${sandbox('syntax-error.js')}:3:21`,
      location: { file: sandbox('syntax-error.js'), line: 3, column: 21 },
    })
  })
})

describe('code-action run: exit codes', () => {
  it('exits 0 when the action ran without error, warnings allowed', async () => {
    const { code, stdout } = await cli('run', sandbox('cli/nosend.js'))
    expect(code).toBe(0)
    expect(stdout).toContain('⚠ send() was never called: the user sees nothing')
  })

  it('exits 1 when the action throws', async () => {
    expect((await cli('run', sandbox('cli/fail.js'))).code).toBe(1)
  })

  it('exits 1 for ERR_SYNTAX', async () => {
    const { code, stdout } = await cli('run', sandbox('syntax-error.js'))
    expect(code).toBe(1)
    expect(stdout).toContain("ERR_SYNTAX: Unexpected identifier 'total' (line 3, column 21)")
  })

  it('exits 1 for ERR_TIMEOUT, with --timeout setting the limit', async () => {
    const { code, stdout } = await cli('run', sandbox('cli/loop.js'), '--timeout', '300', '--json')
    expect(code).toBe(1)
    expect(JSON.parse(stdout).error).toEqual({ code: 'ERR_TIMEOUT', message: 'the action ran longer than 300 ms (option timeoutMs): it was stopped' })
  })

  it('--globals switches on absent globals', async () => {
    const { code, stdout } = await cli('run', sandbox('cli/globals.js'), '--globals', 'setTimeout,URL', '--json')
    expect(code).toBe(0)
    expect(JSON.parse(stdout).logs.map((l: { text: string }) => l.text)).toEqual(['function function'])
  })

  it('runs the action a fixture names when given the fixture alone', async () => {
    const { code, stdout } = await cli('run', sandbox('cli/report.yaml'), '--json')
    expect(code).toBe(0)
    expect(JSON.parse(stdout).action).toBe(sandbox('cli/report.js'))
  })
})

describe('code-action run: bad usage exits 2 with a message', () => {
  it('no action', async () => {
    const { code, stdout, stderr } = await cli('run')
    expect(code).toBe(2)
    expect(stdout).toBe('')
    const [first, second, ...rest] = stderr.split('\n')
    expect(first).toBe('ERR_USAGE: run needs an action')
    expect(second).toMatch(/^Usage: code-action run <action> \[--fixture F\] \[--json\]/)
    expect(rest).toEqual([])
  })

  it('an unknown flag', async () => {
    const { code, stdout, stderr } = await cli('run', sandbox('cli/ok.js'), '--bogus')
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^ERR_USAGE: code-action run: Unknown option '--bogus'/)
    expect(stderr.endsWith('\nSee `code-action run --help`.')).toBe(true)
  })

  it('two actions', async () => {
    expect(await cli('run', 'a.js', 'b.js')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ERR_USAGE: run takes one action, got 2: a.js b.js\nRun one action at a time, or use `code-action test` for many fixtures.',
    })
  })

  it('--live with --record', async () => {
    expect(await cli('run', sandbox('cli/ok.js'), '--live', '--record')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ERR_USAGE: --live and --record cannot be used together\n--record already sends requests to the network.',
    })
  })

  it('--timeout that is not a whole number', async () => {
    expect(await cli('run', sandbox('cli/ok.js'), '--timeout', 'soon')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ERR_USAGE: --timeout takes a whole number, got "soon"\nExample: --timeout 5000',
    })
  })

  it('--memory out of range', async () => {
    expect(await cli('run', sandbox('cli/ok.js'), '--memory', '2')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ERR_USAGE: option "memoryMb" must be a whole number from 8 to 4096, got 2\nFix the option, or see the README section "Runtime profile".',
    })
  })

  it('an unknown command', async () => {
    const { code, stdout, stderr } = await cli('bogus')
    expect(code).toBe(2)
    expect(stdout).toBe('')
    const [first, second, ...rest] = stderr.split('\n')
    expect(first).toBe('code-action: unknown command "bogus"')
    expect(second).toMatch(/^Commands: run(, [a-z]+)*\. See `code-action --help`\.$/)
    expect(rest).toEqual([])
  })

  it('no command prints the help and exits 2', async () => {
    const { code, stdout } = await cli()
    expect(code).toBe(2)
    expect(stdout).toMatch(/^code-action: /)
    expect(stdout).toContain('Usage: code-action <command> [options]')
  })

  it('a fixture that does not exist is ERR_FIXTURE', async () => {
    const missing = sandbox('cli/missing.yaml')
    expect(await cli('run', sandbox('cli/ok.js'), '--fixture', missing)).toEqual({
      code: 2,
      stdout: '',
      stderr: `ERR_FIXTURE: ${missing}: cannot read the fixture (no such file)\nCheck the path, or create the file (see the README section "Fixtures").`,
    })
  })

  it('an action file that does not exist is ERR_ACTION_NOT_FOUND', async () => {
    const missing = sandbox('cli/missing.js')
    expect(await cli('run', missing)).toEqual({
      code: 2,
      stdout: '',
      stderr: `ERR_ACTION_NOT_FOUND: action file not found: ${missing}\nCheck the path; it is relative to the current folder (or, in a fixture, to the fixture file).`,
    })
  })

  it('--help prints the run usage and exits 0', async () => {
    const { code, stdout } = await cli('run', '--help')
    expect(code).toBe(0)
    expect(stdout.split('\n')[0]).toMatch(/^Usage: code-action run <action> \[--fixture F\] \[--json\] \[--live \| --record\] \[--timeout MS\] \[--memory MB\] \[--globals a,b\]/)
  })
})

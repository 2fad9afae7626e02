import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cli, corpus, RAW_STACK, shown, tempDir, type CliRun } from './cli.ts'

const dir = tempDir()
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const GREET = corpus('greet.js')

function expectToolError (run: CliRun, message: string): void {
  expect(run.stderr.trimEnd()).toBe(message)
  expect(run.code).toBe(2)
  expect(run.stdout).toBe('')
  expect(run.all).not.toMatch(RAW_STACK)
}

/**
 * A path the current user cannot read. chmod 000 blocks reads for a normal user; root reads
 * through it, so there the test falls back to a dangling symlink, which no user can read.
 */
function unreadablePath (): { file: string, reason: string } {
  const locked = join(dir, 'locked.yaml')
  writeFileSync(locked, readFileSync(corpus('valid.yaml')))
  chmodSync(locked, 0o000)
  try {
    readFileSync(locked)
  } catch {
    return { file: locked, reason: 'permission denied' }
  }
  const dangling = join(dir, 'locked-dangling.yaml')
  symlinkSync(join(dir, 'no-such-target.yaml'), dangling)
  return { file: dangling, reason: 'no such file' }
}

describe('bad input: unreadable, binary and oversized fixture paths', () => {
  it('binary garbage (with NUL bytes) is refused as a binary file, naming it', async () => {
    const file = join(dir, 'garbage.yaml')
    writeFileSync(file, Buffer.concat([Buffer.from([0x00, 0xff, 0x13]), randomBytes(4096)]))
    expectToolError(await cli('run', GREET, '--fixture', file),
      `ERR_FIXTURE: ${shown(file)}: this is a binary file, not a YAML or JSON fixture\nPoint at a text file in YAML or JSON.`)
  })

  it('a fixture that is not UTF-8 (Latin-1 bytes) names the line and the byte', async () => {
    const file = join(dir, 'latin1.yaml')
    writeFileSync(file, Buffer.concat([Buffer.from('description: greets\naction: greet.js\nargs:\n  name: { text: Ren'), Buffer.from([0xe9]), Buffer.from(' }\n')]))
    expectToolError(await cli('run', GREET, '--fixture', file),
      `ERR_FIXTURE: ${shown(file)}:4: the file is not valid UTF-8 (byte 62)\nSave the fixture as UTF-8.`)
  })

  it('a fixture over 5 MB is refused with its size and the limit, before it is parsed', async () => {
    const file = join(dir, 'huge.yaml')
    writeFileSync(file, `description: huge\nsession:\n  blob: ${'x'.repeat(6 * 1024 * 1024)}\n`)
    expectToolError(await cli('run', GREET, '--fixture', file),
      `ERR_FIXTURE: ${shown(file)}: the file is 6.0 MB, over the 5 MB limit for a fixture\nA fixture holds one scenario; move large bodies out or trim them.`)
  })

  it('an unreadable fixture path (chmod 000, or a dangling symlink when running as root) names the path and the reason', async () => {
    const { file, reason } = unreadablePath()
    expectToolError(await cli('run', GREET, '--fixture', file),
      `ERR_FIXTURE: ${shown(file)}: cannot read the fixture (${reason})\nCheck the path, or create the file (see the README section "Fixtures").`)
  })

  it('a folder given as the fixture is refused as a folder', async () => {
    const folder = join(dir, 'scenarios.yaml')
    mkdirSync(folder)
    expectToolError(await cli('run', GREET, '--fixture', folder),
      `ERR_FIXTURE: ${shown(folder)}: is a folder, not a fixture file\nName a .yaml, .yml or .json file, or use \`code-action test\` for a folder.`)
  })

  it('a dangling symlink given as the fixture is "no such file"', async () => {
    const link = join(dir, 'dangling.yaml')
    symlinkSync(join(dir, 'gone.yaml'), link)
    expectToolError(await cli('run', GREET, '--fixture', link),
      `ERR_FIXTURE: ${shown(link)}: cannot read the fixture (no such file)\nCheck the path, or create the file (see the README section "Fixtures").`)
  })

  it('a misspelled --fixture path is "no such file", naming the path', async () => {
    const file = corpus('vallid.yaml')
    expectToolError(await cli('run', GREET, '--fixture', file),
      `ERR_FIXTURE: ${shown(file)}: cannot read the fixture (no such file)\nCheck the path, or create the file (see the README section "Fixtures").`)
  })

  it('a misspelled fixture path given as the only argument is a missing fixture (exit 2), never run as code', async () => {
    const file = shown(corpus('vallid.yaml'))
    const run = await cli('run', file)
    expect(run.code).toBe(2)
    expect(run.all).not.toMatch(RAW_STACK)
    expect(run.stderr).toContain(file)
    expect(run.stderr).toContain('no such file')
    expect(run.stdout).not.toContain('ReferenceError')
  })

  it('an unknown snippet id names the id and says how to list the snippets', async () => {
    const run = await cli('run', 'airtable/list-recrods')
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.all).not.toMatch(RAW_STACK)
    expect(run.stderr).toMatch(/^ERR_ACTION_NOT_FOUND: unknown action "airtable\/list-recrods"/)
    expect(run.stderr).toContain('code-action list')
  })

  it('a missing action file names the path and how it is resolved', async () => {
    const file = corpus('greet-missing.js')
    expectToolError(await cli('run', file),
      `ERR_ACTION_NOT_FOUND: action file not found: ${shown(file)}\nCheck the path; it is relative to the current folder (or, in a fixture, to the fixture file).`)
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cli, corpus, RAW_STACK, shown, type CliRun } from './cli.ts'

const KNOWN_ROOT_KEYS = 'description, action, session, args, http, options, expect, steps'

/** Every broken fixture: exit 2, nothing on stdout, no stack frames, the exact two-part message. */
function expectToolError (run: CliRun, message: string): void {
  expect(run.stderr.trimEnd()).toBe(message)
  expect(run.code).toBe(2)
  expect(run.stdout).toBe('')
  expect(run.all).not.toMatch(RAW_STACK)
}

describe('bad input: fixture files', () => {
  it('the valid baseline fixture of the corpus runs (exit 0)', async () => {
    const run = await cli('run', corpus('valid.yaml'))
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('💬 Hello Ada!')
    expect(run.stdout).toContain('→ ds-menu')
  })

  it('a YAML syntax error (an unquoted ": " in a value) names the file, the line, the key and the fix', async () => {
    const file = corpus('yaml-colon-in-value.yaml')
    const run = await cli('run', file)
    expect(run.code).toBe(2)
    expect(run.all).not.toMatch(RAW_STACK)
    expect(run.stderr).toMatch(new RegExp(`^ERR_FIXTURE: ${escape(shown(file))}:1:\\d+: invalid YAML: `))
    expect(run.stderr).toContain('"description"')
    expect(run.stderr).toContain('Fix the YAML syntax at that line (check indentation and quoting).')
  })

  it('a key indented with a tab names the file and the line, and says what to fix', async () => {
    const file = corpus('yaml-tab-indentation.yaml')
    expectToolError(await cli('run', file),
      `ERR_FIXTURE: ${shown(file)}:4:1: invalid YAML: Tabs are not allowed as indentation\nFix the YAML syntax at that line (check indentation and quoting).`)
  })

  it('a session written as a list names the file, the line and "session"', async () => {
    const file = corpus('wrong-type-session.yaml')
    expectToolError(await cli('run', file),
      `ERR_FIXTURE: ${shown(file)}:4:3: "session" must be a mapping of session namespaces, got a list\nWrite a mapping of session namespaces here (see the README section "Fixtures").`)
  })

  it('a response status written as text names the exchange, the line and the key', async () => {
    const file = corpus('wrong-type-status.yaml')
    expectToolError(await cli('run', file),
      `ERR_FIXTURE: ${shown(file)}:7:15: "http[0].response.status" must be a whole number from 100 to 599, got the string "200 OK"\nWrite a plain number.`)
  })

  it('an option with a unit ("5s") names the option, the line and the known options', async () => {
    const file = corpus('wrong-type-option.yaml')
    expectToolError(await cli('run', file),
      `ERR_FIXTURE: ${shown(file)}:4:14: "options.timeoutMs" must be a whole number from 1 to 600000, got "5s"\nRuntime options: timeoutMs, memoryMb, multipleSends, unhandledRejection, sessionWrite, applyOnError, globals, isolate, maxRequests, maxLogBytes, maxSendBytes (see the README section "Runtime profile").`)
  })

  it('a misspelled top-level key ("agrs") is named with its line and the likely key', async () => {
    const file = corpus('unknown-key-typo.yaml')
    expectToolError(await cli('run', file),
      `ERR_FIXTURE: ${shown(file)}:5:1: "agrs" is not a known key\nDid you mean "args"? Known keys here: ${KNOWN_ROOT_KEYS}.`)
  })

  it('a misspelled key inside an exchange ("respnse") is named with its path and line', async () => {
    const file = corpus('unknown-nested-key.yaml')
    expectToolError(await cli('run', file),
      `ERR_FIXTURE: ${shown(file)}:6:5: "http[0].respnse" is not a known key\nDid you mean "response"? Known keys here: request, response, error, times, repeat.`)
  })

  it('a duplicate key names the file, the line of the second one and the key itself', async () => {
    const file = corpus('duplicate-key.yaml')
    const run = await cli('run', file)
    expect(run.code).toBe(2)
    expect(run.all).not.toMatch(RAW_STACK)
    expect(run.stderr).toMatch(new RegExp(`^ERR_FIXTURE: ${escape(shown(file))}:7:1: `))
    expect(run.stderr).toContain('"args"')
    expect(run.stderr).toContain('Each key may appear once in a mapping; remove or rename the duplicate.')
  })

  it('an args row with two types names the row, its line and the types to choose from', async () => {
    const file = corpus('row-two-types.yaml')
    expectToolError(await cli('run', file),
      `ERR_FIXTURE: ${shown(file)}:6:9: "args.name" has "variable" and "text": an editor row has exactly one type\nKeep one of variable, dialogstate, text.`)
  })

  it('JSON with a trailing comma names the file and the line, and suggests YAML', async () => {
    const file = corpus('trailing-comma.json')
    const run = await cli('run', file)
    expect(run.code).toBe(2)
    expect(run.all).not.toMatch(RAW_STACK)
    expect(run.stderr).toMatch(new RegExp(`^ERR_FIXTURE: ${escape(shown(file))}:6:\\d+: invalid JSON: `))
    expect(run.stderr).toContain('Fix the JSON syntax (or write the fixture in YAML).')
  })

  it('a JSON fixture with a wrong type names the JSON line and the key path', async () => {
    const file = corpus('wrong-type-variable.json')
    expectToolError(await cli('run', file),
      `ERR_FIXTURE: ${shown(file)}:5:27: "args.name.variable" must be a non-empty string, got number 5\nQuote the value if it looks like a number or a boolean.`)
  })

  it('a fixture that names an unknown snippet id points at its "action" line', async () => {
    const file = corpus('unknown-action-id.yaml')
    const run = await cli('run', file)
    expect(run.code).toBe(2)
    expect(run.all).not.toMatch(RAW_STACK)
    expect(run.stderr).toMatch(/^ERR_ACTION_NOT_FOUND: /)
    expect(run.stderr).toContain('"airtable/list-recrods"')
    expect(run.stderr).toContain(`${shown(file)}:2`)
    expect(run.stderr).toContain('action')
    expect(run.stderr).toContain('code-action list')
  })

  it('a BOM and CRLF line ends do not shift the line of an unknown key', async () => {
    const file = corpus('bom-crlf-unknown-key.yaml')
    const bytes = readFileSync(file)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.includes('\r\n')).toBe(true)
    expectToolError(await cli('run', file),
      `ERR_FIXTURE: ${shown(file)}:3:1: "sesion" is not a known key\nDid you mean "session"? Known keys here: ${KNOWN_ROOT_KEYS}.`)
  })

  it('a valid fixture saved with a BOM and CRLF line ends runs like the plain one', async () => {
    const file = corpus('bom-crlf-valid.yaml')
    const bytes = readFileSync(file)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.includes('\r\n')).toBe(true)
    const run = await cli('run', file, '--json')
    expect(run.code).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.error).toBeNull()
    expect(result.nextDialogState).toBe('ds-menu')
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'Hello Ada!' }] } }])
  })

  it('CRLF line ends do not shift the line of a wrong type', async () => {
    const file = corpus('crlf-wrong-type.yaml')
    expect(readFileSync(file).includes('\r\n')).toBe(true)
    expectToolError(await cli('run', file),
      `ERR_FIXTURE: ${shown(file)}:5:7: "args" must be a mapping of argument names to editor rows, got number 42\nWrite a mapping of argument names to editor rows here (see the README section "Fixtures").`)
  })

  it('an alias bomb (billion laughs) is a fixture error, not a crash of the tool', async () => {
    const file = corpus('alias-bomb.yaml')
    const run = await cli('run', file).catch((error: Error) => ({ code: -1, stdout: '', stderr: String(error.stack), all: String(error.stack) }))
    expect(run.all).not.toMatch(RAW_STACK)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(new RegExp(`^ERR_FIXTURE: ${escape(shown(file))}`))
  })

  it('an empty fixture file is a fixture error that says what the file must hold', async () => {
    const file = corpus('empty.yaml')
    const run = await cli('run', file)
    expect(run.code).toBe(2)
    expect(run.all).not.toMatch(RAW_STACK)
    expect(run.stderr).toMatch(new RegExp(`^ERR_FIXTURE: ${escape(shown(file))}`))
    expect(run.stderr).toContain('must be a mapping (description, action, session, args, http, options, expect)')
    expect(run.stderr).not.toContain('undefined')
  })

  it('a fixture whose top level is a list names line 1 and what the file must hold', async () => {
    const file = corpus('top-level-list.yaml')
    expectToolError(await cli('run', file),
      `ERR_FIXTURE: ${shown(file)}:1:1: must be a mapping (description, action, session, args, http, options, expect), got a list\nWrite a mapping (description, action, session, args, http, options, expect) here (see the README section "Fixtures").`)
  })
})

function escape (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

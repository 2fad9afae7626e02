import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cli, RAW_STACK, shown, tempDir } from './cli.ts'

const dir = tempDir()
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** Writes an action file byte for byte (BOMs and CRLFs included) and returns its path. */
function action (name: string, content: string | Buffer): string {
  const file = join(dir, name)
  writeFileSync(file, content)
  return file
}

describe('bad input: action files', () => {
  it('a syntax error is ERR_SYNTAX (exit 1) at the line and column of the action\'s own text', async () => {
    const file = action('syntax.js', "const a = 1\nconst b = 2\nconst c = ;\nChatlayerResponseBuilder().send()\n")
    const run = await cli('run', file, '--json')
    expect(run.code).toBe(1)
    const { error } = JSON.parse(run.stdout)
    expect(error.code).toBe('ERR_SYNTAX')
    expect(error.message).toBe("Unexpected token ';' (line 3, column 11)")
    expect(error.location).toEqual({ file: shown(file), line: 3, column: 11 })
  })

  it('the human report of a syntax error shows the position and no raw stack frames', async () => {
    const file = action('syntax-report.js', "ChatlayerResponseBuilder()\n  .addMessage('hi')\n  .send()\nconst = 1\n")
    const run = await cli('run', file)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('✖ ERR_SYNTAX')
    expect(run.stdout).toContain("ERR_SYNTAX: Unexpected token '=' (line 4, column 7)")
    expect(run.all).not.toMatch(RAW_STACK)
  })

  it('text that tries to close the wrapper function is ERR_SYNTAX at line 1, column 1', async () => {
    const file = action('wrapper-escape.js', '})\n(async function () {\nChatlayerResponseBuilder().addMessage(typeof process).send()\n')
    const run = await cli('run', file, '--json')
    expect(run.code).toBe(1)
    const { error, sends } = JSON.parse(run.stdout)
    expect(sends).toEqual([])
    expect(error.code).toBe('ERR_SYNTAX')
    expect(error.location).toEqual({ file: shown(file), line: 1, column: 1 })
  })

  it('a syntax error after a BOM and CRLF line ends keeps the line and column of the text as pasted', async () => {
    const file = action('syntax-bom-crlf.js', '\uFEFFconst a = 1\r\nconst b = ;\r\n')
    const run = await cli('run', file, '--json')
    expect(run.code).toBe(1)
    const { error } = JSON.parse(run.stdout)
    expect(error.code).toBe('ERR_SYNTAX')
    expect(error.location).toEqual({ file: shown(file), line: 2, column: 11 })
  })

  it('an action saved with a BOM and CRLF line ends runs as the pasted text would', async () => {
    const file = action('bom-crlf.js', '\uFEFF// pasted from Windows\r\nconst text = `line one\r\nline two`\r\nconsole.log(JSON.stringify(text))\r\nChatlayerResponseBuilder().addMessage(text).setNextDialogState(\'ds-next\').send()\r\n')
    const run = await cli('run', file, '--json')
    expect(run.code).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.error).toBeNull()
    // A template literal normalises CRLF to LF, as the pasted text would be.
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'line one\nline two' }] } }])
    expect(result.nextDialogState).toBe('ds-next')
    expect(result.logs).toEqual([{ level: 'log', text: '"line one\\nline two"', source: `${shown(file)}:4:9` }])
  })

  it('an error thrown in a CRLF action points at its own line', async () => {
    const file = action('throw-crlf.js', '// first\r\n// second\r\nthrow new Error(\'line three\')\r\n')
    const run = await cli('run', file, '--json')
    expect(run.code).toBe(1)
    const { error } = JSON.parse(run.stdout)
    expect(error.code).toBe('ERR_ACTION_THREW')
    expect(error.message).toBe('Error: line three')
    expect(error.stack).toBe(`Error: line three\n    at ${shown(file)}:3:7`)
  })

  it('an action file that is not valid UTF-8 is exit 2 naming the file and saying to save it as UTF-8', async () => {
    const file = action('latin1.js', Buffer.concat([Buffer.from("const city = 'Li"), Buffer.from([0xe8]), Buffer.from("ge'\nChatlayerResponseBuilder().addMessage(city).send()\n")]))
    const run = await cli('run', file)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.all).not.toMatch(RAW_STACK)
    expect(run.stderr).toContain(shown(file))
    expect(run.stderr).toContain('UTF-8')
  })
})

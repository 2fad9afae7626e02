import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runAction, SandboxPool, type FixtureInput, type RunResult } from '../runner/index.ts'

const SYNTAX_ERROR_FILE = fileURLToPath(new URL('./fixtures/sandbox/syntax-error.js', import.meta.url))

function run (source: string, fixture: FixtureInput = {}): Promise<RunResult> {
  return runAction({ source }, fixture)
}

const texts = (result: RunResult): string[] => result.logs.map(l => l.text)

describe('execution model: the body of an async function in a sloppy-mode script', () => {
  it('runs in sloppy mode: with statements, legacy octal literals and a global `this` in plain functions work', async () => {
    const result = await run(`
      with ({ a: 1 }) { console.log(a) }
      console.log(010, (function () { return this })() === globalThis)`)
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['1', '8 true'])
  })

  it('assigning an undeclared variable creates a global', async () => {
    const result = await run(`
      counter = 3
      function bump () { counter++ }
      bump()
      console.log(globalThis.counter, typeof counter, Object.prototype.hasOwnProperty.call(globalThis, 'counter'))`)
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['4 number true'])
  })

  it('top-level await works', async () => {
    const result = await run(`
      const value = await new Promise(resolve => _.delay(() => resolve(42), 20))
      const again = await Promise.resolve(value + 1)
      ChatlayerResponseBuilder().addMessage(String(again)).send()`)
    expect(result.error).toBeNull()
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: '43' }] } }])
  })

  it('a top-level return ends the action early', async () => {
    const result = await run(`
      const found = await Promise.resolve(true)
      if (found) {
        ChatlayerResponseBuilder().addMessage('early').send()
        return
      }
      console.log('not reached')
      ChatlayerResponseBuilder().addMessage('late').send()`)
    expect(result.error).toBeNull()
    expect(result.sends).toHaveLength(1)
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'early' }] } }])
    expect(result.logs).toEqual([])
  })

  it('`this` at the top level is the global object', async () => {
    const result = await run('console.log(this === globalThis, this.args === args, typeof this.ChatlayerResponseBuilder)', { args: { a: 1 } })
    expect(texts(result)).toEqual(['true true function'])
  })

  it('accepts the action as plain source text', async () => {
    const result = await runAction("ChatlayerResponseBuilder().addMessage('from text').send()", {})
    expect(result.action).toBe('inline')
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'from text' }] } }])
  })

  it('an uncaught exception is ERR_ACTION_THREW with the action\'s frames in the stack', async () => {
    const result = await run("function check (n) {\n  if (n > 1) throw new RangeError('too big: ' + n)\n}\ncheck(2)\n")
    expect(result.ok).toBe(false)
    expect(result.error).toEqual({
      code: 'ERR_ACTION_THREW',
      message: 'RangeError: too big: 2',
      stack: 'RangeError: too big: 2\n    at check (action.js:2:20)\n    at action.js:4:1',
    })
  })

  it('the same action run again in the same sandbox process keeps its positions (code cache with the action\'s origin)', async () => {
    // From the second run of a text in a process, the action is compiled from a V8 code cache,
    // which carries the origin it was produced with; produced without the action's file name and
    // line offset, every frame lost its place and logs their source line.
    const pool = new SandboxPool(1)
    try {
      const code = "console.log('before')\nthrow new Error('boom')"
      const outcomes: unknown[] = []
      for (const isolate of ['fresh', 'fresh', 'fresh', 'pooled', 'pooled'] as const) {
        const result = await runAction({ source: code }, {}, { isolate }, { pool })
        outcomes.push([result.logs.map(l => l.source), result.error?.stack])
      }
      expect(outcomes).toEqual(Array(5).fill([['action.js:1:9'], 'Error: boom\n    at action.js:2:7']))
    } finally {
      pool.close()
    }
  })

  it('a thrown non-Error value is ERR_ACTION_THREW naming the value', async () => {
    const result = await run("throw 'plain string'")
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('a non-Error value was thrown: plain string')
  })
})

describe('execution model: what does not parse', () => {
  it('text that closes the wrapper, })\\n(async function(){, is ERR_SYNTAX and none of it runs', async () => {
    const result = await run("})\nconsole.log('escaped'); ChatlayerResponseBuilder().addMessage('escaped').send();\n(async function(){\nconsole.log('inside')")
    expect(result.ok).toBe(false)
    expect(result.error?.code).toBe('ERR_SYNTAX')
    expect(result.error?.message).toMatch(/^Single function literal required: the code does not parse as a function body on its own/)
    expect(result.logs).toEqual([])
    expect(result.sends).toEqual([])
  })

  it('the one-line wrapper escape }); ...; (async function(){ is ERR_SYNTAX and none of it runs', async () => {
    const result = await run("}); globalThis.escaped = true; console.log('escaped'); (async function(){")
    expect(result.error?.code).toBe('ERR_SYNTAX')
    expect(result.logs).toEqual([])
  })

  it('the wrapper escape carries the line and column of the stray } in the action\'s text', async () => {
    const result = await run("})\n(async function(){\nconsole.log('inside')")
    expect(result.error?.code).toBe('ERR_SYNTAX')
    expect(result.error?.location).toEqual({ file: 'action.js', line: 1, column: 1 })
  })

  it('a syntax error carries the line and column in the action\'s own text', async () => {
    const result = await run('const a = 1\nconst b = ;\nconsole.log(a, b)')
    expect(result.error).toEqual({
      code: 'ERR_SYNTAX',
      message: "Unexpected token ';' (line 2, column 11)",
      stack: "SyntaxError: Unexpected token ';'\n    at action.js:2:11",
      location: { file: 'action.js', line: 2, column: 11 },
    })
    expect(result.logs).toEqual([])
  })

  it('a syntax error on the first line is at line 1 of the action, not of the wrapper', async () => {
    const result = await run('let = = 1')
    expect(result.error?.code).toBe('ERR_SYNTAX')
    expect(result.error?.location).toEqual({ file: 'action.js', line: 1, column: 7 })
  })

  it('a syntax error in a .js action file names the file, line and column', async () => {
    const result = await runAction(SYNTAX_ERROR_FILE, {})
    const shown = relative(process.cwd(), SYNTAX_ERROR_FILE)
    expect(result.action).toBe(shown)
    expect(result.error?.code).toBe('ERR_SYNTAX')
    expect(result.error?.message).toBe("Unexpected identifier 'total' (line 3, column 21)")
    expect(result.error?.location).toEqual({ file: shown, line: 3, column: 21 })
  })

  it('an unterminated block is "Unexpected end of input" at the end of the action\'s text', async () => {
    const result = await run('if (true) {\n  console.log(1)')
    expect(result.error?.code).toBe('ERR_SYNTAX')
    expect(result.error?.message).toBe('Unexpected end of input (line 2, column 17)')
    expect(result.error?.location).toEqual({ file: 'action.js', line: 2, column: 17 })
  })

  it('export is ERR_SYNTAX: the action is a script, not a module', async () => {
    const result = await run('export const a = 1')
    expect(result.error?.code).toBe('ERR_SYNTAX')
    expect(result.error?.message).toBe("Unexpected token 'export' (line 1, column 1)")
  })

  it('import is ERR_SYNTAX: the action is a script, not a module', async () => {
    const result = await run("import fs from 'fs'\n")
    expect(result.error?.code).toBe('ERR_SYNTAX')
    expect(result.error?.message).toBe('Cannot use import statement outside a module (line 1, column 1)')
  })

  it('require does not exist', async () => {
    const result = await run("const fs = require('fs')")
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('ReferenceError: require is not defined')
  })
})

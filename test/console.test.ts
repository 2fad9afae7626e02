import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runAction, type RunResult } from '../runner/index.ts'

const CONSOLE_FILE = fileURLToPath(new URL('./fixtures/sandbox/console.js', import.meta.url))

function run (source: string): Promise<RunResult> {
  return runAction({ source }, {})
}

/** Logs each argument list with console.log, one call per line, and returns the texts. */
async function formatted (...argLists: string[]): Promise<string[]> {
  const result = await run(argLists.map(args => `console.log(${args})`).join('\n'))
  expect(result.error).toBeNull()
  return result.logs.map(l => l.text)
}

describe('console: levels and capture', () => {
  it('captures log, info, warn, error and debug with their level, in order', async () => {
    const result = await run("console.log('l')\nconsole.info('i')\nconsole.warn('w')\nconsole.error('e')\nconsole.debug('d')\nChatlayerResponseBuilder().send()")
    expect(result.logs.map(({ level, text }) => ({ level, text }))).toEqual([
      { level: 'log', text: 'l' },
      { level: 'info', text: 'i' },
      { level: 'warn', text: 'w' },
      { level: 'error', text: 'e' },
      { level: 'debug', text: 'd' },
    ])
  })

  it('never reaches the chat user', async () => {
    const result = await run("console.log('secret debug output')\nconsole.error('oops')\nChatlayerResponseBuilder().addMessage('visible').send()")
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'visible' }] } }])
    expect(JSON.stringify(result.sends)).not.toContain('secret debug output')
  })

  it('records the source as action.js:line:column of the console call', async () => {
    const result = await run("const x = 1\n  console.log('second line')\nfunction f () {\n  return console.warn('inside f')\n}\nawait 1\nf()")
    expect(result.logs.map(l => l.source)).toEqual(['action.js:2:11', 'action.js:4:18'])
  })

  it('records the source as file:line:column for an action file, from functions and after awaits too', async () => {
    const result = await runAction(CONSOLE_FILE, {})
    const shown = relative(process.cwd(), CONSOLE_FILE)
    expect(result.logs).toEqual([
      { level: 'log', text: 'top', source: `${shown}:2:9` },
      { level: 'info', text: 'in report: { n: 1 }', source: `${shown}:4:13` },
    ])
  })
})

describe('console: util.format-like formatting', () => {
  it('formats %s, %d, %i, %f, %j, %% and %c', async () => {
    expect(await formatted("'%s is %d years', 'Ann', 42", "'%i|%f|%j|%%|%c.', 42.9, '1.5', { a: 1 }, 'color: red'", "'%d', '42abc'")).toEqual([
      'Ann is 42 years',
      '42|1.5|{"a":1}|%|.',
      'NaN',
    ])
  })

  it('leaves a placeholder without an argument as written and appends extra arguments with spaces', async () => {
    expect(await formatted("'only %s'", "'%s and %s', 'one'", "'%s', 'a', 'b', 3", "'100%'")).toEqual(['only %s', 'one and %s', 'a b 3', '100%'])
  })

  it('joins several arguments with spaces, strings bare and other values inspected', async () => {
    expect(await formatted("'a', 'b', 3", 'undefined, null, true', "'x', { a: 'q' }", "'x', ['y']", '')).toEqual([
      'a b 3',
      'undefined null true',
      "x { a: 'q' }",
      "x [ 'y' ]",
      '',
    ])
  })

  it('inspects objects, arrays and nested values to depth 2 like util.inspect', async () => {
    expect(await formatted("{ a: 1, b: 'x' }", '[1, 2, 3]', '{ a: { b: { c: { d: 1 } } } }', '{}', '[]', "'%o', { a: [1] }", "'%O', { a: 1 }", "'%s', { a: 1 }")).toEqual([
      "{ a: 1, b: 'x' }",
      '[ 1, 2, 3 ]',
      '{ a: { b: { c: [Object] } } }',
      '{}',
      '[]',
      '{ a: [ 1 ] }',
      '{ a: 1 }',
      '{ a: 1 }',
    ])
  })

  it('inspects other values like util.inspect', async () => {
    expect(await formatted('-0', '1n', "Symbol('s')", 'function foo () {}', "new Map([[1, 'a']])", 'new Set([1])', 'new Date(0)', '/re/g')).toEqual([
      '-0',
      '1n',
      'Symbol(s)',
      '[Function: foo]',
      "Map(1) { 1 => 'a' }",
      'Set(1) { 1 }',
      '1970-01-01T00:00:00.000Z',
      '/re/g',
    ])
  })

  it('logs an Error as its stack, with the action\'s frames only', async () => {
    const [text] = await formatted("new Error('bad thing')")
    expect(text).toBe('Error: bad thing\n    at action.js:1:13')
  })

  it('does not crash on cyclic objects', async () => {
    const result = await run(`
      const node = { name: 'a' }
      node.self = node
      const list = [1]
      list.push(list)
      console.log(node)
      console.log('%j', node)
      console.log('%o', node)
      console.log(list)
      ChatlayerResponseBuilder().send()`)
    expect(result.error).toBeNull()
    expect(result.logs.map(l => l.text)).toEqual([
      "{ name: 'a', self: [Circular] }",
      '[Circular]',
      "{ name: 'a', self: [Circular] }",
      '[ 1, [Circular] ]',
    ])
  })

  it('does not crash on an object whose getter throws or a proxy that throws', async () => {
    const result = await run(`
      const nasty = { get boom () { throw new Error('getter') } }
      const trap = new Proxy({}, { ownKeys () { throw new Error('trap') } })
      console.log(nasty)
      console.log(trap)
      ChatlayerResponseBuilder().send()`)
    expect(result.error).toBeNull()
    expect(result.logs).toHaveLength(2)
  })
})

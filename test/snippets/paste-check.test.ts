import { describe, expect, it } from 'vitest'
import { checkPasteReady, type CheckName } from '../../runner/paste-check.ts'

const HEADER = '// Arguments to configure: name (variable), next (dialogstate)\n'
const check = (code: string, budgetBytes?: number) => checkPasteReady(code, { name: 'inline', budgetBytes })
const failed = (code: string): Record<string, string> => Object.fromEntries(check(code).checks.filter(c => !c.ok).map(c => [c.check, c.message]))
const result = (code: string, name: CheckName) => check(code).checks.find(c => c.check === name)!

describe('checkPasteReady', () => {
  it('passes a body with top-level await, an early return and only platform globals', () => {
    const report = check(`${HEADER}const name = args.name || 'there'
if (!args.next) return
await new Promise(r => _.delay(r, 10))
const r = await fetch('https://x.example', { timeout: 1000 }).catch(e => null)
console.log(JSON.stringify(r), Math.max(1, 2), new Intl.DateTimeFormat('en', { timeZone: 'UTC' }))
ChatlayerResponseBuilder().addMessage('Hi ' + name).setNextDialogState(args.next).send()`)
    expect(report.checks.filter(c => !c.ok)).toEqual([])
    expect(report.globals).toEqual(['ChatlayerResponseBuilder', 'Intl', 'JSON', 'Math', 'Promise', '_', 'args', 'console', 'fetch'])
  })

  it('resolves declarations: hoisted var and functions, block scopes, params, catch, classes, destructuring', () => {
    const code = `${HEADER}go()
function go () { x = 1; var x; return helper(x) }
function helper ({ a = Buffer0 } = {}, ...rest) { try { return rest } catch ({ message }) { return message } }
var Buffer0 = 1
class Thing { static make () { return new Thing() } }
for (const [k, v] of Object.entries({})) { const inner = k + v; label: for (let i = 0; i < 1; i++) break label }
const { deep: { value: renamed = 2 } = {} } = {}
const obj = { renamed, method () { return arguments.length }, [renamed]: typeof somethingMissing }
void Thing, obj
ChatlayerResponseBuilder().send()`
    expect(failed(code)).toEqual({})
  })

  it('names the absent globals a body uses, with their lines', () => {
    expect(failed(`${HEADER}setTimeout(() => {}, 1)\nconst b = Buffer.from('x')\nconst u = new URL('https://x')\nprocess.env.X\nChatlayerResponseBuilder().send()`).globals)
      .toBe('uses globals the platform does not have: setTimeout (line 2), Buffer (line 3), URL (line 4), process (line 5)')
  })

  it('holds built-ins to ES2019: globalThis and BigInt are later', () => {
    expect(failed(`${HEADER}globalThis.x = BigInt(1)\nChatlayerResponseBuilder().send()`).globals)
      .toBe('uses globals the platform does not have: globalThis (line 2), BigInt (line 2)')
  })

  it('reports an assignment to an undeclared variable, which creates a global in sloppy mode', () => {
    expect(failed(`${HEADER}counter = 1\nChatlayerResponseBuilder().send()`).globals)
      .toBe('assigns undeclared variables, creating globals: counter (line 2)')
  })

  it('accepts typeof guards on absent globals', () => {
    expect(result(`${HEADER}const t = typeof setTimeout === 'function'\nChatlayerResponseBuilder().send()`, 'globals').ok).toBe(true)
  })

  it('rejects require, import and export', () => {
    expect(failed(`${HEADER}const l = require('lodash')\nChatlayerResponseBuilder().send()`).modules).toBe('the platform has no modules: require at 2:11')
    const esm = failed(`${HEADER}import x from 'x'\nexport const y = 1\nChatlayerResponseBuilder().send()`)
    expect(esm.modules).toBe('the platform has no modules: import at 2:1, export at 3:1')
    expect(esm.syntax).toBe("import/export only parse in a module, never in a function body at 2:1")
  })

  it('rejects syntax newer than ES2019, naming it', () => {
    expect(failed(`${HEADER}const a = args.name?.trim() ?? ''\nChatlayerResponseBuilder().send()`).syntax)
      .toMatch(/^syntax newer than ES2019, the target level: Unexpected token at 2:\d+$/)
  })

  it('rejects code that does not parse at all', () => {
    expect(failed(`${HEADER}const = 1`).syntax).toBe('does not parse as an async function body: Unexpected token at 2:7')
  })

  it('requires a send() call', () => {
    expect(failed(`${HEADER}ChatlayerResponseBuilder().addMessage(args.name)`).send).toBe('never calls send(): the user would see nothing')
  })

  it('enforces the size budget in UTF-8 bytes', () => {
    const code = `${HEADER}ChatlayerResponseBuilder().addMessage('${'é'.repeat(60)}').send()`
    expect(result(code, 'size').ok).toBe(true)
    expect(check(code, 100).checks.find(c => c.check === 'size')!.message).toBe(`${Buffer.byteLength(code)} bytes over the 100-byte budget`)
  })

  it('requires a header comment listing the arguments the body reads', () => {
    expect(failed("ChatlayerResponseBuilder().addMessage(args.name).send()").header).toBe('no header comment listing the arguments to configure (name)')
    expect(failed("// Arguments: none\nconst { name, next } = args\nChatlayerResponseBuilder().addMessage(name).setNextDialogState(next).send()").header)
      .toBe('the header comment does not list name, next')
    expect(result("ChatlayerResponseBuilder().addMessage('static').send()", 'header').message).toBe('reads no arguments')
  })

  it('checks a library header against the snippet metadata', () => {
    const meta = { id: 'x/y', title: 'T', description: 'D', details: '', jumps: [], writes: [], args: [{ key: 'apiKey', type: 'text' as const, required: true, description: 'k' }, { key: 'month', type: 'variable' as const, required: false, description: 'm' }] }
    const body = 'const input = args\nChatlayerResponseBuilder().addMessage(input.apiKey).send()'
    expect(checkPasteReady(`//   apiKey  text  k\n//   [month]  variable  m\n${body}`, { name: 'x/y', meta }).checks.find(c => c.check === 'header')!.message).toBe('the header lists the 2 arguments')
    expect(checkPasteReady(`//   apiKey  text  k\n${body}`, { name: 'x/y', meta }).checks.find(c => c.check === 'header')!.message).toBe('the header comment does not list month')
  })
})

import { describe, expect, it } from 'vitest'
import { ANY_URL, BLOCKED, logTexts, reported, runPayload } from './harness.ts'

/**
 * In-isolate audit of V8 CallSite frames: the runtime's own frames must expose neither `this`
 * nor the function (it is strict code), no frame may name a host path, and whatever `this` or
 * function a frame does expose (the action's own, lodash's) must lead only to the isolate.
 */
const AUDIT = `
const audit = frames => {
  const runtime = frames.filter(f => f.getFileName() !== 'action.js' && f.getFileName() !== 'lodash.js' && !f.isEval())
  const exposed = runtime.filter(f => f.getThis() !== undefined || f.getFunction() !== undefined).map(f => f.getFunctionName())
  const hostPaths = frames.map(f => String(f.getFileName() || '') + ' ' + String(f.getEvalOrigin() || '')).filter(n => /[\\\\/]|node:|file:/.test(n))
  const reached = new Set()
  for (const f of frames) {
    const self = f.getThis()
    if (self !== undefined && self !== null) reached.add(attempt(self.constructor.constructor))
    const fn = f.getFunction()
    // An async or generator function's constructor is itself built by Function: climb once more.
    if (fn !== undefined) reached.add(attempt(fn.constructor.name === 'Function' ? fn.constructor : fn.constructor.constructor))
  }
  return 'runtime frames: ' + (runtime.length > 0 ? 'present' : 'none') + '; exposed: [' + exposed.join(',') + ']; host paths: [' + hostPaths.join(',') + ']; reached: [' + [...reached].join(',') + ']'
}
`

describe('escapes: Error.prepareStackTrace and captureStackTrace', () => {
  it('frames of an error thrown inside a builder method expose no runtime this or function', async () => {
    const { result } = await runPayload(`${AUDIT}
      Error.prepareStackTrace = (error, frames) => frames
      try { ChatlayerResponseBuilder().addHtml('<b>x</b>') } catch (e) { report('audit', audit(e.stack)) }`)
    expect(reported(result, 'audit')).toBe('runtime frames: present; exposed: []; host paths: []; reached: []')
  })

  it('frames seen from a getter that fetch reads expose only the action\'s own objects', async () => {
    const { result } = await runPayload(`${AUDIT}
      Error.prepareStackTrace = (error, frames) => frames
      let frames
      await fetch('https://api.example.com/a', { get method () { frames = new Error().stack; return 'GET' } })
      report('audit', audit(frames))`, ANY_URL)
    expect(reported(result, 'audit')).toBe(`runtime frames: present; exposed: []; host paths: []; reached: [${BLOCKED}]`)
  })

  it('frames of a FetchError created when the host settles a request expose nothing of the host', async () => {
    const { result } = await runPayload(`${AUDIT}
      Error.prepareStackTrace = (error, frames) => frames
      try { await fetch('https://down.example.com/') } catch (e) { report('audit', audit(e.stack)) }`,
    { http: [{ request: { url: 'https://down.example.com/' }, error: { code: 'ETIMEDOUT' } }] })
    expect(reported(result, 'audit')).toBe('runtime frames: present; exposed: []; host paths: []; reached: []')
  })

  it('Error.captureStackTrace inside a Headers.forEach callback sees no runtime this or function', async () => {
    const { result } = await runPayload(`${AUDIT}
      Error.prepareStackTrace = (error, frames) => frames
      const { headers } = await fetch('https://api.example.com/a')
      const holder = {}
      headers.forEach(function () { Error.captureStackTrace(holder) })
      report('audit', audit(holder.stack))`, ANY_URL)
    expect(reported(result, 'audit')).toBe(`runtime frames: present; exposed: []; host paths: []; reached: [${BLOCKED}]`)
  })

  it('getEvalOrigin of code compiled by _.template names lodash, not a host file', async () => {
    const { result } = await runPayload(`${AUDIT}
      Error.prepareStackTrace = (error, frames) => frames
      const compiled = _.template('<% throw new Error("inside the template") %>')
      try { compiled() } catch (e) {
        report('origin', e.stack.filter(f => f.isEval()).map(f => f.getEvalOrigin()).join(','))
        report('audit', audit(e.stack))
      }`)
    expect(reported(result, 'origin')).toBe('lodash.templateSources[0]')
    expect(reported(result, 'audit')).toBe(`runtime frames: present; exposed: []; host paths: []; reached: [${BLOCKED}]`)
  })

  it('Error().stack taken while send() serialises the payload names no host file', async () => {
    const { result } = await runPayload(`
      let stack
      ChatlayerResponseBuilder().addMessage({ toJSON () { stack = new Error('probe').stack; return 'serialised' } }).send()
      report('hostPaths', /[\\\\/]|node:|file:/.test(stack))
      report('frames', stack.split('\\n').length > 2)`)
    expect(reported(result, 'hostPaths')).toBe('false')
    expect(reported(result, 'frames')).toBe('true')
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'serialised' }] } }])
  })

  it('a prepareStackTrace that throws does not break console positions or send()', async () => {
    const { result } = await runPayload(`
      Error.stackTraceLimit = Infinity
      Error.prepareStackTrace = () => { throw new Error('prepareStackTrace hijacked') }
      console.log('still logged')
      ChatlayerResponseBuilder().addMessage('still sent').send()`)
    const line = result.logs.find(log => log.text === 'still logged')
    expect(line?.source).toMatch(/^action\.js:\d+:\d+$/)
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'still sent' }] } }])
    expect(result.error).toBeNull()
  })

  it('a stack forged by prepareStackTrace reaches the host only as a string built inside the isolate', async () => {
    const { result } = await runPayload(`
      Error.prepareStackTrace = () => ({ toString () { report('trap', typeof process + ' ' + attempt(this.constructor.constructor)); return 'forged stack' } })
      throw new Error('real message')`)
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('Error: real message')
    expect(reported(result, 'trap')).toBe(`undefined ${BLOCKED}`)
    expect(logTexts(result)).toHaveLength(2)
  })
})

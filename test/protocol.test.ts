import { describe, expect, it } from 'vitest'
import { decodeJob, encodeJob, type Job } from '../runner/sandbox/protocol.ts'
import { resolveProfile } from '../runner/profile.ts'

const job = (args: Record<string, unknown>): Job => ({ code: 'return 1', args, profile: resolveProfile(undefined, {}), http: [], live: false })

/** What the IPC channel does to a message: JSON text and back. */
const overJson = <T>(value: T): T => JSON.parse(JSON.stringify(value))

describe('sandbox protocol: jobs cross the IPC channel as JSON', () => {
  it('keeps argument keys whose value is undefined, in their order', () => {
    const decoded = decodeJob(overJson(encodeJob(job({ first: 'a', missing: undefined, last: { n: 1 } }))))
    expect(Object.keys(decoded.args)).toEqual(['first', 'missing', 'last'])
    expect('missing' in decoded.args).toBe(true)
    expect(decoded.args.missing).toBeUndefined()
    expect(decoded.args.last).toEqual({ n: 1 })
  })

  it('keeps an argument named __proto__ as an own key, never as the prototype', () => {
    const args = JSON.parse('{"__proto__": {"polluted": true}, "name": "ada"}')
    const decoded = decodeJob(overJson(encodeJob(job(args))))
    expect(Object.getPrototypeOf(decoded.args)).toBe(Object.prototype)
    expect((decoded.args as any).polluted).toBeUndefined()
    expect(Object.getOwnPropertyDescriptor(decoded.args, '__proto__')?.value).toEqual({ polluted: true })
    expect(Object.keys(decoded.args)).toEqual(['__proto__', 'name'])
  })

  it('leaves the rest of the job as it was', () => {
    const original = job({ a: 1 })
    const { args, ...rest } = decodeJob(overJson(encodeJob(original)))
    expect(args).toEqual({ a: 1 })
    expect(rest).toEqual({ code: original.code, profile: original.profile, http: original.http, live: original.live })
  })
})

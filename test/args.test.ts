import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runAction, type FixtureInput, type RunResult } from '../runner/index.ts'

const ARGS_FIXTURE = fileURLToPath(new URL('./fixtures/sandbox/args.yaml', import.meta.url))

function run (source: string, fixture: FixtureInput = ARGS_FIXTURE): Promise<RunResult> {
  return runAction({ source }, fixture)
}

/** Runs `console.log(JSON.stringify(<expression>))` and returns the parsed value. */
async function valueOf (expression: string, fixture: FixtureInput = ARGS_FIXTURE): Promise<unknown> {
  const result = await run(`console.log(JSON.stringify(${expression}))`, fixture)
  expect(result.error).toBeNull()
  return JSON.parse(result.logs[0].text)
}

describe('args: variable rows', () => {
  it('reads a session path in dot notation, keeping the JSON type', async () => {
    expect(await valueOf('[args.intent, args.count, args.vip, typeof args.count, typeof args.vip]')).toEqual(['meetups', 3, false, 'number', 'boolean'])
  })

  it('reads an object at a path as an object', async () => {
    expect(await valueOf('args.nlp')).toEqual({ expression: 'any meetups in march?', intent: { name: 'meetups', score: 0.91 }, entities: [] })
  })

  it('reads array notation: users[0].firstname and users[0].tags[1]', async () => {
    expect(await valueOf('[args.first, args.secondTag, Array.isArray(args.users), args.users.length]')).toEqual(['Ada', 'beta', true, 2])
  })

  it('a path that does not exist gives the key with value undefined', async () => {
    const result = await run(`
      console.log('missing' in args, args.missing === undefined, Object.prototype.hasOwnProperty.call(args, 'missing'))
      console.log('missingIndex' in args, args.missingIndex === undefined)`)
    expect(result.logs.map(l => l.text)).toEqual(['true true true', 'true true'])
  })

  it('copies values with JSON semantics: a Date becomes its ISO string, NaN becomes null, undefined members disappear', async () => {
    const fixture: FixtureInput = {
      session: { event: { when: new Date(Date.UTC(2024, 2, 14, 9, 30)), score: NaN, gone: undefined, kept: 1 } },
      args: { event: { variable: 'event' }, when: { variable: 'event.when' } },
    }
    const result = await run(`
      console.log(typeof args.when, args.when)
      console.log(JSON.stringify(Object.keys(args.event)), args.event.score === null, 'gone' in args.event)`, fixture)
    expect(result.logs.map(l => l.text)).toEqual([
      'string 2024-03-14T09:30:00.000Z',
      '["when","score","kept"] true false',
    ])
  })

  it('changing args inside the action does not change the session', async () => {
    const result = await run("args.users[0].firstname = 'Changed'; args.nlp.intent = null; ChatlayerResponseBuilder().send()")
    expect(result.error).toBeNull()
    expect(result.session.users).toEqual([{ firstname: 'Ada', tags: ['admin', 'beta'] }, { firstname: 'Alan', tags: [] }])
    expect((result.session.internal as any).nlp.intent).toEqual({ name: 'meetups', score: 0.91 })
    expect(result.sessionChanges).toEqual([])
  })
})

describe('args: text and dialogstate rows', () => {
  it('a dialogstate row gives its id as a string, a number converted', async () => {
    expect(await valueOf('[args.next, args.numericState, typeof args.numericState]')).toEqual(['ds-found', '12', 'string'])
  })

  it('a text row gives a string, numbers and booleans converted', async () => {
    expect(await valueOf('[args.apiKey, args.limit, args.flag, typeof args.limit, typeof args.flag]')).toEqual(['patTEST.123', '5', 'true', 'string', 'string'])
  })
})

describe('args: other values and the set of keys', () => {
  it('passes any other value through unchanged', async () => {
    expect(await valueOf('[args.plainNumber, args.plainString, args.plainList, args.twoKeys, args.otherKey, args.nothing]')).toEqual([
      7, 'hello', [1, { text: 'x' }], { variable: 'month', note: 'not an editor row' }, { value: 1 }, null,
    ])
  })

  it('holds exactly the configured keys, in order', async () => {
    expect(await valueOf('Object.keys(args)')).toEqual([
      'intent', 'nlp', 'first', 'secondTag', 'users', 'count', 'vip', 'missing', 'missingIndex', 'next', 'numericState',
      'apiKey', 'limit', 'flag', 'plainNumber', 'plainString', 'plainList', 'twoKeys', 'otherKey', 'nothing',
    ])
  })

  it('does not expose the session in any other way', async () => {
    expect(await valueOf("[typeof session, typeof args.internal, typeof args.month, typeof globalThis.internal, typeof sessionId]")).toEqual([
      'undefined', 'undefined', 'undefined', 'undefined', 'undefined',
    ])
  })

  it('is an empty plain object when no rows are configured', async () => {
    expect(await valueOf('[Object.keys(args), Object.getPrototypeOf(args) === Object.prototype]', { session: { month: 'march' } })).toEqual([[], true])
  })

  it('is a plain JSON object', async () => {
    expect(await valueOf('[Object.getPrototypeOf(args) === Object.prototype, Array.isArray(args.users), Object.getPrototypeOf(args.nlp) === Object.prototype]')).toEqual([true, true, true])
  })
})

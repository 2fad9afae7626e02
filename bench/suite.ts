import { build } from 'esbuild'
import { listSnippetIds, SNIPPETS_DIR } from '../runner/action.ts'
import { bundleOptions } from '../runner/compile.ts'
import type { FixtureInput } from '../runner/types.ts'

/**
 * A realistic mix: HTTP replay + JSON, lodash, several messages and session writes. Each case
 * carries an `expect` block, checked as `code-action test` checks it, and for the suite's floor
 * (bench/suite-floor.js) the `args` its action sees and the body its request gets.
 */
export function suiteCases (): Array<{ action: string, fixture: FixtureInput, floor: { args: object, response?: unknown } }> {
  const airtable = `
const res = await fetch('https://api.airtable.com/v0/appX/Meetups?maxRecords=5', { headers: { Authorization: 'Bearer ' + args.apiKey }, timeout: 5000 })
const body = await res.json()
const names = _.map(body.records, r => r.fields.Name)
const b = ChatlayerResponseBuilder()
for (const n of names) b.addMessage('Meetup: ' + n)
b.addSessionVariable('meetups.names', names).setNextDialogState(args.found).send()`
  const routing = `
const score = _.get(args.nlp, 'intent.score', 0)
const state = score >= 0.7 ? args.matched : args.fallback
ChatlayerResponseBuilder().addQuickReplies({ title: 'Pick one', quickReplies: _.range(3).map(i => ({ title: 'Option ' + i, payload: { nextDialogstateId: 'ds-' + i, params: [] } })) })
  .addSessionVariable('routing.last', { intent: _.get(args.nlp, 'intent.name'), score }).setNextDialogState(state).send()`
  const records = Array.from({ length: 5 }, (_, i) => ({ id: `rec${i}`, createdTime: '2021-12-29T00:38:54.000Z', fields: { Name: `Meetup ${i}` } }))
  return [
    {
      action: airtable,
      fixture: {
        args: { apiKey: { text: 'patTEST.123' }, found: { dialogstate: 'ds-found' } },
        http: [{ request: { method: 'GET', url: 'https://api.airtable.com/v0/appX/Meetups?maxRecords=5' }, response: { json: { records } } }],
        expect: { error: null, nextDialogState: 'ds-found', session: { meetups: { names: records.map(r => r.fields.Name) } } },
      },
      floor: { args: { apiKey: 'patTEST.123', found: 'ds-found' }, response: { records } },
    },
    {
      action: routing,
      fixture: {
        session: { internal: { nlp: { intent: { name: 'meetups', score: 0.91 } } } },
        args: { nlp: { variable: 'internal.nlp' }, matched: { dialogstate: 'ds-meetups' }, fallback: { dialogstate: 'ds-fallback' } },
        expect: { error: null, nextDialogState: 'ds-meetups', session: { routing: { last: { intent: 'meetups', score: 0.91 } } } },
      },
      floor: { args: { nlp: { intent: { name: 'meetups', score: 0.91 } }, matched: 'ds-meetups', fallback: 'ds-fallback' } },
    },
  ]
}

/** The suite's cases with each action inside its fixture, as a fixture file names it. */
export function suiteFixtures (): Array<{ action: string, fixture: FixtureInput }> {
  return suiteCases().map(c => ({ action: c.action, fixture: { ...(c.fixture as object), action: c.action } as FixtureInput }))
}

/**
 * Makes runs 0..n-1 over `lanes` parallel lanes, each taking the next run when its last one is
 * done; resolves to the wall time in ms.
 */
export async function inLanes<L> (n: number, lanes: L[], run: (i: number, lane: L) => Promise<unknown>): Promise<number> {
  const started = performance.now()
  let next = 0
  await Promise.all(lanes.map(async lane => { while (next < n) await run(next++, lane) }))
  return performance.now() - started
}

/** The median (the bench reports medians only: the machine is noisy). */
export function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Bundles every library snippet from scratch (no cache), as `build` does. */
export async function buildAllForBench (): Promise<{ snippets: number, wallMs: number }> {
  const ids = listSnippetIds(SNIPPETS_DIR)
  const started = performance.now()
  await Promise.all(ids.map(id => build(bundleOptions(`${SNIPPETS_DIR}${id}.ts`, `${id}.js`))))
  return { snippets: ids.length, wallMs: performance.now() - started }
}

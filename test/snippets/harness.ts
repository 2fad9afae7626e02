// Shared by the per-family snippet tests: build each snippet, snapshot the bundle, and run the
// exact paste-ready text against every fixture of the snippet.
import { readdirSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildSnippet, type BuiltSnippet } from '../../runner/build.ts'
import { checkExpectations, formatFailures } from '../../runner/expect.ts'
import { listSnippetIds, loadFixture, runAction, SandboxPool } from '../../runner/index.ts'
import type { Fixture, RunResult } from '../../runner/types.ts'

/** The failure modes every snippet that calls an API has a fixture for (issue 3). */
export const API_FAILURE_SCENARIOS: Array<[string, RegExp]> = [
  ['a 4xx error body', /-4\d\d(?:-|$)/],
  ['429 with Retry-After, retried once successfully', /^rate-limited-retry-succeeds$/],
  ['429 again after the retry', /^rate-limited-retry-refused$/],
  ['a 5xx', /-5\d\d(?:-|$)/],
  ['an HTML body', /html/],
  ['an empty body', /^empty-body$/],
  ['an unexpected JSON shape', /^(?:unexpected-shape|pick-missing)$/],
  ['a network error', /^network-error$/],
  ['a slow API (fetch timeout)', /^slow-api$/],
]

const SECRET_KEY = /key|token|secret|password|auth/i

export function fixtureFiles (id: string): string[] {
  const dir = resolve('fixtures', id)
  try {
    return readdirSync(dir).filter(f => /\.ya?ml$/.test(f)).sort().map(f => join(dir, f))
  } catch {
    return []
  }
}

/** Text values of secret-looking `text` argument rows: they must never reach logs, warnings or the session. */
function secretsOf (fixture: Fixture): string[] {
  const out: string[] = []
  for (const [key, row] of Object.entries(fixture.args)) {
    if (!SECRET_KEY.test(key) || typeof row !== 'object' || row === null || !('text' in row)) continue
    const value = String((row as { text: unknown }).text)
    out.push(value, value.replace(/^(?:Bearer|Basic)\s+/, ''))
  }
  return out
}

/**
 * Fixture runs get a pool wider than the cores: much of their time is spent waiting (Retry-After,
 * a slow API's 5 s fetch timeout), not computing. One pool per test worker, kept from one family's
 * file to the next, since each sandbox process costs about 0.25 s of CPU to start.
 */
const FIXTURE_CONCURRENCY = 4
let familyPool: SandboxPool | undefined

/** Declares the tests of every snippet in a family (`airtable`, `routing`, ...). */
export function describeSnippetFamily (family: string): void {
  const ids = listSnippetIds().filter(id => id.startsWith(`${family}/`))
  const pool = (familyPool ??= new SandboxPool(FIXTURE_CONCURRENCY))
  const built = new Map<string, BuiltSnippet>()
  const results = new Map<string, Promise<RunResult>>()
  // Every fixture of the family starts at once (the pool queues them); each test awaits its own.
  beforeAll(async () => {
    for (const id of ids) built.set(id, await buildSnippet(id))
    for (const id of ids) {
      for (const file of fixtureFiles(id)) results.set(file, runAction({ source: built.get(id)!.code, name: id }, file, {}, { pool }))
    }
  })

  it(`${family}: has snippets`, () => {
    expect(ids.length).toBeGreaterThan(0)
  })

  for (const id of ids) {
    describe(id, () => {
      const files = fixtureFiles(id)
      const fixtures = files.map(file => ({ file, name: basename(file).replace(/\.ya?ml$/, ''), fixture: loadFixture(file) }))
      const callsApi = fixtures.some(f => f.fixture.http.length > 0)

      it('builds a bundle that passes every paste check', () => {
        const bundle = built.get(id)!
        expect(bundle.report.checks.filter(c => !c.ok)).toEqual([])
        expect(bundle.code.startsWith(`// ${bundle.meta.title} (${id})\n`)).toBe(true)
        expect(bundle.code).not.toMatch(/^\s*(?:import|export)\s/m)
        expect(bundle.code).toMatch(/^await runSafely\(main, failureRoute\);$/m)
      })

      it('keeps the paste-ready bundle unchanged unless the snapshot is updated', async () => {
        await expect(built.get(id)!.code).toMatchFileSnapshot(`../__snapshots__/bundles/${id}.js`)
      })

      it('has fixtures for the happy path and every distinct failure path', () => {
        expect(fixtures.length).toBeGreaterThanOrEqual(callsApi ? 4 : 3)
        for (const { name, fixture } of fixtures) {
          expect(fixture.action, name).toBe(id)
          expect(fixture.expect, name).toBeDefined()
          expect(fixture.description, name).toBeTruthy()
        }
        if (!callsApi) return
        const missing = API_FAILURE_SCENARIOS.filter(([, pattern]) => !fixtures.some(f => pattern.test(f.name))).map(([what]) => what)
        expect(missing, `${id} lacks fixtures for`).toEqual([])
        expect(fixtures.some(f => /^(?:missing-arguments|invalid-arguments|unfilled-placeholder|fields-not-an-object)$/.test(f.name)), 'a configuration error fixture').toBe(true)
      })

      describe('runs the built bundle against its fixtures', () => {
        for (const { file, name, fixture } of fixtures) {
          it(`${name}: ${fixture.description}`, async () => {
            const result = await results.get(file)!
            const failures = checkExpectations(result, fixture.expect)
            expect(failures, `${name}\n${formatFailures(failures)}`).toEqual([])
            // Never an uncaught error, never a missing send(), never a conversation left hanging.
            expect(result.error, 'uncaught error').toBeNull()
            expect(result.sends, 'send() calls').toHaveLength(1)
            expect(result.nextDialogState !== null || result.messages.length > 0, 'a jump or a message').toBe(true)
            expect(result.warnings.filter(w => !/never used/.test(w)), 'warnings').toEqual([])
            expect(result.durationMs, 'well inside the 10 s platform limit').toBeLessThan(9000)
            if (name === 'rate-limited-retry-succeeds') expect(result.durationMs, 'waited Retry-After before the retry').toBeGreaterThan(950)
            if (name === 'slow-api') expect(result.durationMs, 'gave up at the 5 s fetch timeout').toBeGreaterThan(4900)
            const shown = JSON.stringify([result.logs, result.warnings, result.session, result.messages])
            for (const secret of secretsOf(fixture)) expect(shown.includes(secret), `secret "${secret}" leaked`).toBe(false)
          })
        }
      })
    })
  }
}

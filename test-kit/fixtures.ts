import { existsSync, statSync } from 'node:fs'
import { basename, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { it } from 'vitest'
import { walkFixtureFiles } from '../runner/cli/test.ts'
import { formatFailures } from '../runner/expect.ts'
import { displayPath, loadFixture } from '../runner/fixtures/index.ts'
import type { FixtureCheck, ScenarioOptions } from '../runner/scenario.ts'
import type { Fixture } from '../runner/types.ts'
import { describeRun } from './describe.ts'
import { checkFixture } from './run.ts'

/** Extra time a test gets beyond its actions' own limits: starting a sandbox process. */
const STARTUP_MS = 15_000

/** The message of a fixture that did not pass: the diff of each failed expectation, then what the action did. */
export function formatFixtureFailure (check: FixtureCheck): string {
  const where = check.fixture.file ? displayPath(check.fixture.file) : 'the fixture'
  const n = check.failures.length
  const lines = [`${where}: ${n} expectation${n === 1 ? '' : 's'} failed`, formatFailures(check.failures)]
  if (check.result) lines.push('', `${check.scenario ? `Last step (${check.scenario.steps.length} of ${check.scenario.totalSteps}): ` : ''}${describeRun(check.result)}`)
  return lines.join('\n')
}

function testTimeout (fixture: Fixture, options: ScenarioOptions): number {
  const perRun = options.timeoutMs ?? fixture.options.timeoutMs ?? 10_000
  return perRun * Math.max(1, fixture.steps?.length ?? 1) + STARTUP_MS
}

/**
 * Turns every fixture under a folder (or one file) into one vitest `it`, which runs it and checks
 * its `expect` blocks like `code-action test` (a fixture without `expect` must run without error).
 * `options.action` runs fixtures that name no action against that one. Call it inside a `describe`
 * or at the top of a test file; a relative folder is relative to the vitest root.
 */
export function fixtureTests (folder: string | URL, options: ScenarioOptions = {}): void {
  const root = folder instanceof URL ? fileURLToPath(folder) : resolve(folder)
  if (!existsSync(root)) throw new Error(`fixtureTests: no such folder or file: ${displayPath(root)}`)
  const files = statSync(root).isDirectory() ? walkFixtureFiles(root) : [root]
  let count = 0
  for (const file of files) {
    const name = relative(root, file).split('\\').join('/') || basename(file)
    let fixture: Fixture
    try {
      fixture = loadFixture(file)
    } catch (error) {
      count++
      it(name, () => { throw error })
      continue
    }
    if (fixture.action === undefined && !fixture.steps?.length && options.action === undefined) continue
    count++
    it(fixture.description ? `${name} — ${fixture.description}` : name, async () => {
      const check = await checkFixture(fixture, options)
      if (!check.passed) throw new Error(formatFixtureFailure(check))
    }, testTimeout(fixture, options))
  }
  if (count === 0) {
    it(displayPath(root), () => {
      throw new Error(`fixtureTests: no fixture under ${displayPath(root)} names an action (give one with fixtureTests(folder, { action }))`)
    })
  }
}

import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { listSnippetIds } from '../action.ts'
import { isToolError } from '../errors.ts'
import { displayPath, loadFixture } from '../fixtures/index.ts'
import { ansiStyle } from '../report.ts'
import { SandboxPool } from '../sandbox/pool.ts'
import { checkFixture, type FixtureCheck } from '../scenario.ts'
import { buildSnippets } from './build.ts'
import type { CliIO } from './io.ts'
import { walkFixtureFiles } from './test.ts'

/** Sandbox processes for `start`: fixtures mostly wait (Retry-After, slow APIs), so more than the cores. */
const START_CONCURRENCY = Math.max(6, availableParallelism())

function describeOutcome (check: FixtureCheck): string {
  const result = check.result
  if (!result) return 'no step ran'
  const steps = check.scenario ? `${check.scenario.steps.length} steps, ` : ''
  if (!result.ok) return `${steps}${result.error!.code}`
  return `${steps}→ ${result.nextDialogState ?? '(no jump)'}, ${result.messages.length} message(s), ${result.requests.length} request(s)`
}

/**
 * `npm start`: builds every snippet (printing the build table), then runs every fixture that names
 * an action (or has steps), all at once through one pool, one line each in file order.
 * A library snippet's fixtures run against the built text, exactly what a user pastes.
 */
export async function startCommand (io: CliIO): Promise<number> {
  const s = ansiStyle(io.color)
  const build = await buildSnippets(listSnippetIds(), 'dist', io)
  io.stdout('')
  const builtCode = new Map(build.built.map(b => [b.id, b.code]))
  const files = walkFixtureFiles(resolve('fixtures'))
  const lines: Array<string | null | undefined> = new Array(files.length)
  let printed = 0
  const flush = (): void => {
    while (printed < lines.length && lines[printed] !== undefined) {
      const line = lines[printed++]
      if (line) io.stdout(line)
    }
  }
  let passed = 0
  let failed = 0
  const pool = new SandboxPool(START_CONCURRENCY)
  try {
    await Promise.all(files.map(async (file, index) => {
      let line: string | null
      try {
        const fixture = loadFixture(file)
        if (!fixture.action && !fixture.steps) {
          line = null
        } else {
          const code = fixture.action ? builtCode.get(fixture.action) : undefined
          const check = await checkFixture(file, { isolate: 'pooled', ...(code ? { action: { source: code, name: fixture.action! } } : {}) }, { pool })
          if (check.passed) passed++; else failed++
          const note = check.passed ? '' : s.red(`  (${check.failures.length} expectation(s) failed)`)
          line = `${check.passed ? s.green('✔') : s.red('✖')} ${displayPath(file)}  ${s.dim(describeOutcome(check))}${note}`
        }
      } catch (error) {
        if (!isToolError(error)) throw error
        failed++
        line = `${s.red('✖')} ${displayPath(file)}  ${s.red(error.message.split('\n')[0])}`
      }
      lines[index] = line
      flush()
    }))
  } finally {
    pool.close()
  }
  io.stdout(`\n${passed} passed, ${failed} failed`)
  return failed || build.exitCode ? 1 : 0
}

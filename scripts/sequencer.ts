import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/** Committed file durations (ms), written by `npm run test:durations` from vitest's results cache. */
const HINTS_FILE = 'test/durations.json'

/**
 * Longest files first, so the slow ones start at once rather than last. Vitest orders by the
 * durations in its results cache, which a fresh clone (CI) does not have: it then falls back to
 * file size, and a short file with a long test (the user-project install) could start last and
 * add ten seconds of wall time. Without a cached result, the committed durations decide.
 */
export default class DurationSequencer extends BaseSequencer {
  override async sort (files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root
    const hintsPath = join(root, HINTS_FILE)
    const hints: Record<string, number> = existsSync(hintsPath) ? JSON.parse(readFileSync(hintsPath, 'utf8')) : {}
    const weigh = (spec: TestSpecification): { failed: boolean, ms: number } => {
      const file = relative(root, spec.moduleId).split('\\').join('/')
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`)
      // A file known to neither runs first, as in vitest's own order.
      return { failed: cached?.failed ?? false, ms: cached?.duration ?? hints[file] ?? Number.POSITIVE_INFINITY }
    }
    const weights = new Map(files.map(spec => [spec, weigh(spec)]))
    return [...files].sort((a, b) => {
      const wa = weights.get(a)!
      const wb = weights.get(b)!
      if (wa.failed !== wb.failed) return wa.failed ? -1 : 1
      // Two unknown files: Infinity - Infinity is NaN, which sort treats as equal.
      return (wb.ms - wa.ms) || 0
    })
  }
}

import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest'

/** Prints the plain closing line `N passed, N failed` after vitest's own summary. */
export default class SummaryReporter implements Reporter {
  onFinished (files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    let passed = 0
    let failed = 0
    const walk = (tasks: RunnerTask[]): void => {
      for (const task of tasks) {
        if (task.type === 'test') {
          if (task.result?.state === 'pass') passed++
          else if (task.result?.state === 'fail') failed++
        } else if ('tasks' in task) walk(task.tasks)
      }
    }
    for (const file of files) {
      walk(file.tasks)
      if (file.result?.state === 'fail' && file.tasks.length === 0) failed++
    }
    failed += errors.length
    process.stdout.write(`\n${passed} passed, ${failed} failed\n`)
  }
}

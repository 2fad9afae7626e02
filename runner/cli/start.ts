import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { checkExpectations } from '../expect.ts'
import { displayPath, loadFixture } from '../fixtures/index.ts'
import { ansiStyle } from '../report.ts'
import { runAction } from '../run.ts'
import { isToolError } from '../errors.ts'
import type { CliIO } from './io.ts'
import { listSnippetIds } from '../action.ts'
import { buildSnippets } from './build.ts'

/** Every fixture file below a folder, sorted. */
export function findFixtureFiles (root: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/\.(ya?ml|json)$/i.test(entry.name)) out.push(full)
    }
  }
  if (existsSync(root)) walk(root)
  return out.sort()
}

/** `npm start`: builds every snippet (printing the build table), then runs every fixture that names an action, one line each. */
export async function startCommand (io: CliIO): Promise<number> {
  const s = ansiStyle(io.color)
  const build = await buildSnippets(listSnippetIds(), 'dist', io)
  io.stdout('')
  // A library snippet's fixtures run against the built text, exactly what a user pastes.
  const builtCode = new Map(build.built.map(b => [b.id, b.code]))
  const files = findFixtureFiles(resolve('fixtures'))
  let failed = 0
  let ran = 0
  for (const file of files) {
    let line: string
    try {
      const fixture = loadFixture(file)
      if (!fixture.action && !fixture.steps) continue
      if (fixture.steps) continue
      const code = fixture.action ? builtCode.get(fixture.action) : undefined
      const result = await runAction(code ? { source: code, name: fixture.action! } : undefined, file)
      ran++
      const failures = checkExpectations(result, fixture.expect)
      const what = result.ok ? `→ ${result.nextDialogState ?? '(no jump)'}, ${result.messages.length} message(s), ${result.requests.length} request(s)` : `${result.error!.code}`
      if (failures.length) failed++
      line = `${failures.length ? s.red('✖') : s.green('✔')} ${displayPath(file)}  ${s.dim(what)}${failures.length ? s.red(`  (${failures.length} expectation(s) failed)`) : ''}`
    } catch (error) {
      if (!isToolError(error)) throw error
      failed++
      line = `${s.red('✖')} ${displayPath(file)}  ${s.red(error.message.split('\n')[0])}`
    }
    io.stdout(line)
  }
  io.stdout(`\n${ran - failed} passed, ${failed} failed`)
  return failed || build.exitCode ? 1 : 0
}

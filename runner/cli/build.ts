import { watch } from 'node:fs'
import { resolve } from 'node:path'
import { listSnippetIds, SNIPPETS_DIR } from '../action.ts'
import { buildSnippet, checkSnippetIds, formatBuildRow, formatFailedChecks, writeBuiltSnippet, type BuiltSnippet } from '../build.ts'
import { isToolError } from '../errors.ts'
import { displayPath } from '../fixtures/load.ts'
import { ansiStyle } from '../report.ts'
import type { CliIO } from './io.ts'
import { parseFlags, type FlagSpec } from './flags.ts'

export const BUILD_HELP = `Usage: code-action build [id...] [--out dist] [--watch]

Bundles library snippets into paste-ready files <out>/<id>.js (+ .map), each with a header comment
listing the arguments to configure, the dialog states and the session variables. Files are replaced
atomically: a failed build leaves the previous file in place. Every build runs the paste checks of
\`code-action check\`. Without ids, every snippet is built.

  --out DIR   output folder (default dist)
  --watch     rebuild a snippet whenever one of its source files changes (Ctrl+C to stop)

Exit codes: 0 built and every check passed, 1 a paste check failed, 2 a snippet does not compile or is unknown.`

const FLAGS: FlagSpec = { out: 'string', watch: 'boolean', help: 'boolean' }

export interface BuildSummary {
  /** 0 all built and checked, 1 a check failed, 2 a snippet did not compile. */
  exitCode: number
  built: BuiltSnippet[]
}

/** Builds and writes snippets, printing one row each (id, bytes, arguments) and any failed check. */
export async function buildSnippets (ids: string[], outDir: string, io: CliIO, snippetsDir = SNIPPETS_DIR): Promise<BuildSummary> {
  const s = ansiStyle(io.color)
  const width = Math.max(7, ...ids.map(id => id.length))
  io.stdout(s.dim(`${'snippet'.padEnd(width)}  ${'bytes'.padStart(7)}  arguments`))
  const built: BuiltSnippet[] = []
  let compileErrors = 0
  let checkFailures = 0
  for (const id of ids) {
    try {
      const result = await buildSnippet(id, { outDir, snippetsDir })
      writeBuiltSnippet(result, outDir)
      built.push(result)
      if (!result.report.ok) checkFailures++
      io.stdout(`${result.report.ok ? formatBuildRow(result, width) : s.red(formatBuildRow(result, width))}`)
      for (const line of formatFailedChecks(result.report)) io.stdout(s.red(line))
    } catch (error) {
      if (!isToolError(error)) throw error
      compileErrors++
      io.stdout(s.red(`${id.padEnd(width)}  ${'–'.padStart(7)}  ${error.code}`))
      io.stderr(`${error.code}: ${error.message}`)
    }
  }
  const where = displayPath(resolve(outDir)) || outDir
  const summary = compileErrors
    ? s.red(`✖ ${compileErrors} of ${ids.length} snippet(s) did not compile; the previous files in ${where}/ are unchanged`)
    : checkFailures
      ? s.red(`✖ ${checkFailures} of ${ids.length} snippet(s) built into ${where}/ fail a paste check`)
      : s.green(`✔ ${ids.length} snippet(s) built into ${where}/, every paste check passed`)
  io.stdout(summary)
  return { exitCode: compileErrors ? 2 : checkFailures ? 1 : 0, built }
}

/**
 * Rebuilds snippets when their sources change, until `signal` aborts. A change to a shared
 * `_lib` file rebuilds every snippet that bundles it; a new snippet file is built when watching all.
 */
export async function watchSnippets (ids: string[] | null, outDir: string, io: CliIO, signal: AbortSignal, snippetsDir = SNIPPETS_DIR): Promise<void> {
  const inputsOf = new Map<string, string[]>()
  const targets = (): string[] => ids ?? listSnippetIds(snippetsDir)
  const initial = await buildSnippets(targets(), outDir, io, snippetsDir)
  for (const b of initial.built) inputsOf.set(b.id, b.inputs)
  io.stdout(`watching ${displayPath(snippetsDir)} for changes (Ctrl+C to stop)`)
  const changed = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let running = Promise.resolve()
  const rebuild = async (): Promise<void> => {
    const files = [...changed]
    changed.clear()
    const affected = targets().filter(id => {
      const inputs = inputsOf.get(id)
      return !inputs || files.some(f => inputs.includes(f) || f === resolve(snippetsDir, `${id}.ts`))
    })
    if (affected.length === 0) return
    io.stdout(`\n${files.map(f => displayPath(f)).join(', ')} changed`)
    const result = await buildSnippets(affected, outDir, io, snippetsDir)
    for (const b of result.built) inputsOf.set(b.id, b.inputs)
  }
  const watcher = watch(snippetsDir, { recursive: true }, (_event, name) => {
    if (!name || !/\.ts$/.test(String(name))) return
    changed.add(resolve(snippetsDir, String(name)))
    clearTimeout(timer)
    timer = setTimeout(() => { running = running.then(rebuild).catch(error => io.stderr(String(error))) }, 100)
  })
  await new Promise<void>(done => {
    if (signal.aborted) { done(); return }
    signal.addEventListener('abort', () => done(), { once: true })
  })
  clearTimeout(timer)
  watcher.close()
  await running
}

/** `code-action build`. */
export async function buildCommand (argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseFlags(argv, FLAGS, 'build')
  if (flags.help) { io.stdout(BUILD_HELP); return 0 }
  const outDir = (flags.out as string | undefined) ?? 'dist'
  const ids = positionals.map(id => id.replace(/\\/g, '/').replace(/^snippets\//, '').replace(/\.ts$/, ''))
  checkSnippetIds(ids)
  if (flags.watch) {
    const controller = new AbortController()
    const stop = (): void => controller.abort()
    process.once('SIGINT', stop)
    try { await watchSnippets(ids.length ? ids : null, outDir, io, controller.signal) } finally { process.off('SIGINT', stop) }
    return 0
  }
  const { exitCode } = await buildSnippets(ids.length ? ids : listSnippetIds(), outDir, io)
  return exitCode
}

import { randomBytes } from 'node:crypto'
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { listSnippetIds, SNIPPETS_DIR } from './action.ts'
import { bundleAction } from './compile.ts'
import { ToolError } from './errors.ts'
import { displayPath } from './fixtures/load.ts'
import { formatBanner, readSnippetMetadata, type SnippetMeta } from './metadata.ts'
import { checkPasteReady, type PasteReport } from './paste-check.ts'

/** A snippet built into its paste-ready form. */
export interface BuiltSnippet {
  id: string
  meta: SnippetMeta
  /** The paste-ready body, header comment included. */
  code: string
  /** Its source map (JSON text). */
  map: string
  /** Every source file it was built from. */
  inputs: string[]
  report: PasteReport
}

/** Bundles one library snippet with its generated header and runs the paste checks; nothing is written. */
export async function buildSnippet (id: string, options: { outDir?: string, snippetsDir?: string } = {}): Promise<BuiltSnippet> {
  const snippetsDir = options.snippetsDir ?? SNIPPETS_DIR
  const meta = readSnippetMetadata(id, snippetsDir)
  const outFile = resolve(options.outDir ?? 'dist', `${id}.js`)
  const bundle = await bundleAction(join(snippetsDir, `${id}.ts`), outFile, formatBanner(meta))
  return { id, meta, code: bundle.code, map: bundle.map, inputs: bundle.inputs, report: checkPasteReady(bundle.code, { name: id, meta }) }
}

/** Checks that every id names a snippet; unknown ones are an ERR_ACTION_NOT_FOUND listing them all. */
export function checkSnippetIds (ids: string[], snippetsDir = SNIPPETS_DIR): void {
  const known = new Set(listSnippetIds(snippetsDir))
  const unknown = ids.filter(id => !known.has(id.replace(/\.ts$/, '')))
  if (unknown.length) {
    throw new ToolError('ERR_ACTION_NOT_FOUND', `unknown snippet${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, '`code-action list` shows every snippet id.')
  }
}

/**
 * Writes a file so that a reader never sees it half-written: the text goes to a temporary file
 * in the same folder, which is then renamed over the target (an atomic replace on one filesystem).
 */
export function writeFileAtomic (file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    writeFileSync(temp, text)
    renameSync(temp, file)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

/** Writes `<outDir>/<id>.js` and its `.map`, each atomically. Returns the path of the .js file. */
export function writeBuiltSnippet (built: BuiltSnippet, outDir = 'dist'): string {
  const file = resolve(outDir, `${built.id}.js`)
  writeFileAtomic(`${file}.map`, built.map)
  writeFileAtomic(file, built.code)
  return file
}

/** One row of the build table: id, bytes, arguments (optional ones in brackets). */
export function formatBuildRow (built: BuiltSnippet, idWidth: number): string {
  const args = built.meta.args.map(a => (a.required ? a.key : `[${a.key}]`)).join(', ')
  return `${built.id.padEnd(idWidth)}  ${built.report.bytes.toLocaleString('en-US').padStart(7)}  ${args}`
}

/** The failed paste checks of a build, indented under its row. */
export function formatFailedChecks (report: PasteReport): string[] {
  return report.checks.filter(c => !c.ok).map(c => `    ✖ ${c.check}: ${c.message}`)
}

/** Where a built snippet lands, for messages. */
export function distPath (id: string, outDir = 'dist'): string {
  return displayPath(resolve(outDir, `${id}.js`))
}

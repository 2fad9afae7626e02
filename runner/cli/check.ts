import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { listSnippetIds } from '../action.ts'
import { buildSnippet, checkSnippetIds } from '../build.ts'
import { bundleAction } from '../compile.ts'
import { ToolError } from '../errors.ts'
import { displayPath } from '../fixtures/load.ts'
import { formatBanner, parseSnippetMetadata, type SnippetMeta } from '../metadata.ts'
import { checkPasteReady, SIZE_BUDGET_BYTES, type PasteReport } from '../paste-check.ts'
import { ansiStyle } from '../report.ts'
import type { CliIO } from './io.ts'
import { parseFlags, type FlagSpec } from './flags.ts'

export const CHECK_HELP = `Usage: code-action check [id... | file...] [--json] [--budget BYTES]

Reports whether actions are ready to paste into the Chatlayer code editor (contract §5):
  syntax    parses as the body of an async function in sloppy mode, at the ES2019 level
  modules   no import, export or require
  globals   free globals only args, _, fetch, console, ChatlayerResponseBuilder and ES2019 built-ins
  send      calls send()
  size      under the size budget (default ${SIZE_BUDGET_BYTES} bytes)
  header    a header comment lists the arguments to configure
A snippet id is built first (as \`code-action build\` would); a .ts file is bundled; a .js file is
checked exactly as it is. Without arguments every library snippet is checked.

  --json           print the reports as JSON
  --budget BYTES   size budget (default ${SIZE_BUDGET_BYTES})

Exit codes: 0 every check passed, 1 a check failed, 2 an action is unknown or does not compile.`

const FLAGS: FlagSpec = { json: 'boolean', budget: 'string', help: 'boolean' }

/** The paste report of a .js file (as is) or a .ts file (bundled, with its header when it has one). */
async function checkFile (file: string, budgetBytes: number): Promise<PasteReport> {
  const shown = displayPath(file)
  if (!existsSync(file) || !statSync(file).isFile()) throw new ToolError('ERR_ACTION_NOT_FOUND', `action file not found: ${shown}`, 'Check the path; it is relative to the current folder.')
  if (!/\.m?ts$/i.test(file)) return checkPasteReady(readFileSync(file, 'utf8'), { name: shown, budgetBytes })
  const source = readFileSync(file, 'utf8')
  let meta: SnippetMeta | undefined
  if (/^\s*\/\*\*[\s\S]*?@title/.test(source)) meta = parseSnippetMetadata(source, file, shown.replace(/\.m?ts$/i, ''))
  const bundle = await bundleAction(file, `${basename(file).replace(/\.m?ts$/i, '')}.js`, meta ? formatBanner(meta) : '')
  return checkPasteReady(bundle.code, { name: shown, meta, budgetBytes })
}

/** `code-action check`. */
export async function checkCommand (argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseFlags(argv, FLAGS, 'check')
  if (flags.help) { io.stdout(CHECK_HELP); return 0 }
  let budgetBytes = SIZE_BUDGET_BYTES
  if (flags.budget !== undefined) {
    if (!/^\d+$/.test(String(flags.budget))) throw new ToolError('ERR_USAGE', `--budget takes a number of bytes, got "${flags.budget}"`, 'Example: --budget 20480')
    budgetBytes = Number(flags.budget)
  }
  const targets = positionals.length ? positionals : listSnippetIds()
  const isFile = (t: string): boolean => /\.(?:m?js|cjs|m?ts)$/i.test(t) && (existsSync(t) || t.includes('/') || t.includes('\\'))
  checkSnippetIds(targets.filter(t => !isFile(t)))
  const reports: PasteReport[] = []
  for (const target of targets) {
    if (isFile(target)) { reports.push(await checkFile(resolve(target), budgetBytes)); continue }
    const built = await buildSnippet(target)
    reports.push(budgetBytes === SIZE_BUDGET_BYTES ? built.report : checkPasteReady(built.code, { name: target, meta: built.meta, budgetBytes }))
  }
  const failed = reports.filter(r => !r.ok).length
  if (flags.json) {
    io.stdout(JSON.stringify(reports, null, 2))
    return failed ? 1 : 0
  }
  const s = ansiStyle(io.color)
  const detailed = reports.length <= 3
  for (const report of reports) {
    io.stdout(`${report.ok ? s.green('✔') : s.red('✖')} ${report.name}  ${s.dim(`${report.bytes.toLocaleString('en-US')} bytes`)}`)
    if (!detailed && report.ok) continue
    for (const c of report.checks) io.stdout(`    ${c.ok ? s.green('✔') : s.red('✖')} ${c.check.padEnd(8)} ${c.ok ? c.message : s.red(c.message)}`)
  }
  io.stdout(failed ? s.red(`\n${failed} of ${reports.length} action(s) not ready to paste`) : s.green(`\n${reports.length} action(s) ready to paste`))
  return failed ? 1 : 0
}

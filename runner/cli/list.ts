import { listSnippetIds } from '../action.ts'
import { readSnippetMetadata } from '../metadata.ts'
import { ansiStyle } from '../report.ts'
import type { CliIO } from './io.ts'
import { parseFlags, type FlagSpec } from './flags.ts'

export const LIST_HELP = `Usage: code-action list [--json]

Lists the library snippets: id, one-line description and arguments ([key] = optional), read from
each snippet's JSDoc header. With --json, prints contract §4's metadata: id, title, description,
args (key, type, required, description), plus details, jumps and writes.`

const FLAGS: FlagSpec = { json: 'boolean', help: 'boolean' }

/** `code-action list`. */
export async function listCommand (argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseFlags(argv, FLAGS, 'list')
  if (flags.help) { io.stdout(LIST_HELP); return 0 }
  if (positionals.length) io.stderr(`code-action list takes no arguments (ignored: ${positionals.join(' ')})`)
  const metas = listSnippetIds().map(id => readSnippetMetadata(id))
  if (flags.json) {
    io.stdout(JSON.stringify(metas, null, 2))
    return 0
  }
  const s = ansiStyle(io.color)
  const width = Math.max(...metas.map(m => m.id.length))
  for (const meta of metas) {
    io.stdout(`${s.bold(meta.id.padEnd(width))}  ${meta.description}`)
    io.stdout(s.dim(`${' '.repeat(width)}  args: ${meta.args.map(a => (a.required ? a.key : `[${a.key}]`)).join(', ')}`))
  }
  io.stdout(s.dim(`\n${metas.length} snippet(s); \`code-action build <id>\` writes the paste-ready dist/<id>.js`))
  return 0
}

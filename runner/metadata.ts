import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SNIPPETS_DIR } from './action.ts'
import { ToolError } from './errors.ts'
import { displayPath } from './fixtures/load.ts'

/** The editor row type a bot builder picks for an argument (platform.md §2.1). */
export type ArgType = 'variable' | 'dialogstate' | 'text'

export interface SnippetArg {
  key: string
  type: ArgType
  required: boolean
  description: string
}

/** What `list --json` prints for a snippet (contract.md §4), parsed from the snippet's JSDoc header. */
export interface SnippetMeta {
  id: string
  title: string
  /** The one-line `@summary`. */
  description: string
  /** The free text between the summary and the tags. */
  details: string
  args: SnippetArg[]
  /** Argument rows whose dialog state the action may jump to. */
  jumps: Array<{ arg: string, description: string }>
  /** Session paths the action writes. */
  writes: Array<{ path: string, description: string }>
}

const ARG_TYPES: ArgType[] = ['variable', 'dialogstate', 'text']
const TAGS = ['title', 'summary', 'arg', 'jumps', 'writes']
const KEY = /^[A-Za-z_$<][\w$:<>.-]*$/
const HEADER_EXAMPLE = `/**
 * @title List Airtable records
 * @summary One line shown by \`code-action list\`.
 *
 * @arg {text} apiKey - Airtable personal access token
 * @jumps foundDialogState - records were found
 * @writes airtable.records - the records found
 */`

/**
 * Parses the JSDoc header that opens a snippet. A missing or malformed header is an ERR_COMPILE
 * naming the file and line: the header is the snippet's documented interface.
 */
export function parseSnippetMetadata (source: string, file: string, id: string): SnippetMeta {
  const shown = displayPath(file)
  const fail = (line: number, problem: string, hint: string): never => {
    throw new ToolError('ERR_COMPILE', `${shown}:${line}: ${problem}`, hint)
  }
  const text = source.replace(/^\uFEFF/, '')
  const lead = /^\s*/.exec(text)![0]
  const firstLine = lead.split('\n').length
  if (!text.startsWith('/**', lead.length)) {
    fail(firstLine, 'the snippet does not start with its JSDoc header', `Start the file with a header such as:\n${HEADER_EXAMPLE}`)
  }
  const end = text.indexOf('*/', lead.length + 3)
  if (end === -1) fail(firstLine, 'the JSDoc header is never closed with */', 'Close the header comment.')
  const lines = text.slice(lead.length + 3, end).split('\n').map(line => line.replace(/^\s*\*(?: |$)?/, '').trimEnd())

  const meta: SnippetMeta = { id, title: '', description: '', details: '', args: [], jumps: [], writes: [] }
  const detailLines: string[] = []
  let titleLine = 0
  let open: { append: (more: string) => void } | null = null
  let seenTags = false
  const jumpLines: number[] = []
  lines.forEach((content, index) => {
    const line = firstLine + index
    const trimmed = content.trim()
    if (trimmed === '') { open = null; if (!seenTags && detailLines.length) detailLines.push(''); return }
    const tag = /^@(\w+)\s*(.*)$/.exec(trimmed)
    if (!tag) {
      if (open) { open.append(trimmed); return }
      if (seenTags) fail(line, `text after the tags: "${truncate(trimmed)}"`, 'Put free text between the @summary line and the first @arg line, or continue a tag on the line right below it.')
      if (!meta.description) fail(line, `text before @summary: "${truncate(trimmed)}"`, 'The header starts with @title and @summary lines.')
      detailLines.push(trimmed)
      return
    }
    const [, name, rest] = tag
    if (!TAGS.includes(name)) fail(line, `unknown tag @${name}`, `Known tags: ${TAGS.map(t => `@${t}`).join(', ')}.`)
    if (rest === '') fail(line, `@${name} has no text`, `Write @${name} followed by its text on the same line.`)
    if (name === 'title' || name === 'summary') {
      if (seenTags) fail(line, `@${name} after @arg/@jumps/@writes`, 'Put @title and @summary first.')
      const key = name === 'title' ? 'title' : 'description'
      if (meta[key]) fail(line, `a second @${name}`, `A header has one @${name}.`)
      meta[key] = rest
      if (name === 'title') titleLine = line
      open = { append: more => { meta[key] += ` ${more}` } }
      return
    }
    seenTags = true
    if (name === 'arg') {
      const match = /^\{([^}]*)\}\s+(\[?)([^\s\]]+)(\]?)\s+-\s+(.+)$/.exec(rest)
      if (!match) fail(line, `malformed @arg: "${truncate(rest)}"`, 'Write @arg {type} key - description, with [key] for an optional argument.')
      const [, type, opening, key, closing, description] = match!
      if (!ARG_TYPES.includes(type as ArgType)) fail(line, `@arg ${key} has the type {${type}}`, `The type is the editor row type: ${ARG_TYPES.map(t => `{${t}}`).join(', ')}.`)
      if (opening !== closing.replace(']', '[')) fail(line, `@arg ${opening}${key}${closing} has unbalanced brackets`, 'Write [key] for an optional argument, key for a required one.')
      if (!KEY.test(key)) fail(line, `@arg key "${key}" is not a valid argument name`, 'Argument keys are names such as apiKey or intent:<name>.')
      if (meta.args.some(a => a.key === key)) fail(line, `@arg ${key} is listed twice`, 'List each argument once.')
      const arg: SnippetArg = { key, type: type as ArgType, required: opening === '', description }
      meta.args.push(arg)
      open = { append: more => { arg.description += ` ${more}` } }
    } else if (name === 'jumps') {
      const match = /^([^\s]+)\s+-\s+(.+)$/.exec(rest)
      if (!match) fail(line, `malformed @jumps: "${truncate(rest)}"`, 'Write @jumps argKey - when the action jumps there.')
      const jump = { arg: match![1], description: match![2] }
      meta.jumps.push(jump)
      jumpLines.push(line)
      open = { append: more => { jump.description += ` ${more}` } }
    } else {
      const match = /^([\w$<>[\].-]+)\s+-\s+(.+)$/.exec(rest)
      if (!match) fail(line, `malformed @writes: "${truncate(rest)}"`, 'Write @writes session.path - what it holds.')
      const write = { path: match![1], description: match![2] }
      meta.writes.push(write)
      open = { append: more => { write.description += ` ${more}` } }
    }
  })
  if (!meta.title) fail(firstLine, 'the header has no @title', 'Add a line: @title What the snippet does')
  if (!meta.description) fail(titleLine || firstLine, 'the header has no @summary', 'Add a line under @title: @summary One line shown by `code-action list`.')
  meta.jumps.forEach((jump, i) => {
    if (!meta.args.some(a => a.key === jump.arg)) fail(jumpLines[i], `@jumps ${jump.arg} names no @arg`, 'A jump target is an argument row (usually a {dialogstate}); declare it with @arg.')
  })
  meta.details = detailLines.join('\n').trim().replace(/\n{3,}/g, '\n\n')
  return meta
}

/** Reads the metadata of a library snippet by id. */
export function readSnippetMetadata (id: string, snippetsDir = SNIPPETS_DIR): SnippetMeta {
  const file = join(snippetsDir, `${id}.ts`)
  let source: string
  try { source = readFileSync(file, 'utf8') } catch (error: any) {
    throw new ToolError('ERR_ACTION_NOT_FOUND', `cannot read the snippet ${displayPath(file)} (${error.code ?? error.message})`, '`code-action list` shows every snippet id.')
  }
  return parseSnippetMetadata(source, file, id)
}

/**
 * The comment that opens a built snippet: what to configure in the code editor, where it may jump,
 * what it writes. `check` verifies that it names every argument.
 */
export function formatBanner (meta: SnippetMeta): string {
  const out: string[] = [`// ${meta.title} (${meta.id})`, ...wrap(meta.description, 96).map(l => `// ${l}`), '//']
  out.push('// Arguments to configure in the code editor ([key] = optional):')
  const shown = meta.args.map(a => (a.required ? a.key : `[${a.key}]`))
  const width = Math.max(...shown.map(s => s.length), 0) + 2
  meta.args.forEach((arg, i) => out.push(`//   ${shown[i].padEnd(width)}${arg.type.padEnd(13)}${arg.description}`))
  if (meta.jumps.length) {
    out.push('// Dialog states it may jump to:')
    const w = Math.max(...meta.jumps.map(j => j.arg.length)) + 2
    for (const jump of meta.jumps) out.push(`//   ${jump.arg.padEnd(w)}${jump.description}`)
  }
  if (meta.writes.length) {
    out.push('// Session variables it writes:')
    const w = Math.max(...meta.writes.map(x => x.path.length)) + 2
    for (const write of meta.writes) out.push(`//   ${write.path.padEnd(w)}${write.description}`)
  }
  out.push('//', `// Built from snippets/${meta.id}.ts by \`code-action build\`: edit the source, not this file.`)
  return out.join('\n')
}

function wrap (text: string, width: number): string[] {
  const lines: string[] = []
  let current = ''
  for (const word of text.split(/\s+/)) {
    if (current && current.length + word.length + 1 > width) { lines.push(current); current = word } else current = current ? `${current} ${word}` : word
  }
  if (current) lines.push(current)
  return lines
}

function truncate (text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleAction } from './compile.ts'
import { ToolError } from './errors.ts'
import { displayPath } from './fixtures/load.ts'
import { plainMapper, sourceMapMapper, type PositionMapper } from './sourcemap.ts'

/** The package's own snippet library. */
export const SNIPPETS_DIR = fileURLToPath(new URL('../snippets/', import.meta.url))

/** An action given to the API: a snippet id, a file path, source text, or `{ source }`. */
export type ActionInput = string | { source: string, name?: string }

export interface ResolvedAction {
  /** How reports name it: the snippet id, the file path, or "inline". */
  name: string
  /** The body that runs, exactly as it would be pasted. */
  code: string
  /** The file it came from (the TypeScript source for snippets). */
  file: string | null
  /** Every file it was built from, for watch mode. */
  inputs: string[]
  mapPosition: PositionMapper
}

const FILE_PATTERN = /\.(?:m?js|cjs|ts|mts)$/i

const ID_PATTERN = /^[a-z0-9][\w-]*(?:\/[\w-]+)*$/i

/** Tells source text from an id or a path: anything that is neither a file name nor an id is code. */
export function looksLikeSource (text: string): boolean {
  const trimmed = text.trim()
  return !FILE_PATTERN.test(trimmed) && !ID_PATTERN.test(trimmed)
}

/** Lists snippet ids under a folder (`_lib` and declaration files excluded). */
export function listSnippetIds (dir = SNIPPETS_DIR): string[] {
  const ids: string[] = []
  const walk = (folder: string): void => {
    if (!existsSync(folder)) return
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue
      const full = join(folder, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts')) {
        ids.push(relative(dir, full).replace(/\\/g, '/').replace(/\.ts$/, ''))
      }
    }
  }
  walk(dir)
  return ids.sort()
}

/** Resolves and, for TypeScript, compiles an action. Exit-code-2 problems throw a ToolError. */
export async function resolveAction (input: ActionInput, snippetsDir = SNIPPETS_DIR): Promise<ResolvedAction> {
  if (typeof input === 'object') {
    const name = input.name ?? 'inline'
    return { name, code: input.source, file: null, inputs: [], mapPosition: plainMapper('action.js') }
  }
  if (looksLikeSource(input)) return { name: 'inline', code: input, file: null, inputs: [], mapPosition: plainMapper('action.js') }
  if (FILE_PATTERN.test(input)) return fromFile(resolve(input))
  return fromSnippet(input, snippetsDir)
}

async function fromFile (file: string): Promise<ResolvedAction> {
  const shown = displayPath(file)
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new ToolError('ERR_ACTION_NOT_FOUND', `action file not found: ${shown}`, 'Check the path; it is relative to the current folder (or, in a fixture, to the fixture file).')
  }
  const bytes = readBytes(file, shown)
  checkUtf8(bytes, shown)
  if (/\.m?ts$/i.test(file)) {
    const bundle = await bundleAction(file, `${basename(file).replace(/\.m?ts$/i, '')}.js`)
    return { name: shown, code: bundle.code, file, inputs: bundle.inputs, mapPosition: sourceMapMapper(bundle.map, shown, bundle.mapDir) }
  }
  return { name: shown, code: bytes.toString('utf8'), file, inputs: [file], mapPosition: plainMapper(shown) }
}

function readBytes (file: string, shown: string): Buffer {
  try { return readFileSync(file) } catch (error: any) {
    throw new ToolError('ERR_ACTION_NOT_FOUND', `cannot read the action file ${shown} (${error.code ?? error.message})`, 'Check the file permissions.')
  }
}

/** The code editor holds text: bytes that are not UTF-8 could never have been pasted. */
function checkUtf8 (bytes: Buffer, shown: string): void {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    const before = bytes.toString('utf8').split('\uFFFD')[0]
    const line = before.split('\n').length
    throw new ToolError('ERR_COMPILE', `${shown}:${line}: the action is not valid UTF-8 text`, 'Save the file as UTF-8 (the Chatlayer code editor holds text only).')
  }
}

async function fromSnippet (id: string, snippetsDir: string): Promise<ResolvedAction> {
  const file = join(snippetsDir, `${id}.ts`)
  if (!ID_PATTERN.test(id) || !existsSync(file)) {
    const ids = listSnippetIds(snippetsDir)
    const near = ids.filter(other => other.includes(id.split('/').pop() ?? id) || id.includes(other.split('/').pop()!)).slice(0, 3)
    throw new ToolError('ERR_ACTION_NOT_FOUND', `unknown action "${id}": no snippet ${displayPath(file)} and not a .js/.ts file`,
      near.length ? `Did you mean ${near.join(', ')}? \`code-action list\` shows every snippet.` : '`code-action list` shows every snippet id; a file path must end in .js or .ts.')
  }
  const bundle = await bundleAction(file, `${id}.js`)
  return { name: id, code: bundle.code, file, inputs: bundle.inputs, mapPosition: sourceMapMapper(bundle.map, `dist/${id}.js`, bundle.mapDir) }
}

import type { BuildOptions, Message } from 'esbuild'
import { statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ToolError } from './errors.ts'
import { esbuild } from './lazy.ts'
import { displayPath } from './fixtures/load.ts'

export interface Bundle {
  /** The paste-ready action body. */
  code: string
  /** Its source map (JSON text). */
  map: string
  /** The folder the map's `sources` are relative to. */
  mapDir: string
  /** Files that went into it, for caching and watch mode. */
  inputs: string[]
}

/** esbuild settings for a paste-ready action; each non-default has its reason. */
export function bundleOptions (entry: string, outName: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile: outName,
    bundle: true,
    write: false,
    // esbuild would otherwise resolve relative paths against the working directory of the moment it
    // was loaded, and the metafile's inputs are resolved against the current one below.
    absWorkingDir: process.cwd(),
    // ESM is the only format in which esbuild keeps top-level `await`; a snippet has no exports,
    // so the output has no import/export statements and reads as a plain script body.
    format: 'esm',
    platform: 'neutral',
    // platform.md §6: ES2019 is the engine level library snippets are held to.
    target: 'es2019',
    supported: { 'top-level-await': true },
    // Readable output: the user pastes and reads it.
    minify: false,
    // UTF-8 text stays literal (messages in other languages stay readable).
    charset: 'utf8',
    sourcemap: 'external',
    sourcesContent: true,
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
  }
}

function formatMessages (messages: Message[]): string {
  return messages.slice(0, 5).map(m => {
    const where = m.location ? `${displayPath(resolve(m.location.file))}:${m.location.line}:${m.location.column + 1}: ` : ''
    return `${where}${m.text}`
  }).join('\n')
}

const cache = new Map<string, { stamp: string, bundle: Bundle }>()

function stampOf (files: string[]): string {
  return files.map(f => { try { return `${f}@${statSync(f).mtimeMs}` } catch { return `${f}@gone` } }).join('|')
}

/** Bundles a TypeScript (or JavaScript) action into one paste-ready body; cached by input mtimes. */
export async function bundleAction (entry: string, outName = 'action.js', banner = ''): Promise<Bundle> {
  // The working directory is part of the key: relative paths, and the map's folder, depend on it.
  const key = `${process.cwd()}\0${entry}\0${outName}\0${banner}`
  const cached = cache.get(key)
  if (cached && cached.stamp === stampOf(cached.bundle.inputs)) return cached.bundle
  const { build } = esbuild()
  let result
  try {
    result = await build({ ...bundleOptions(entry, outName), ...(banner ? { banner: { js: banner } } : {}) })
  } catch (error: any) {
    const messages: Message[] = error.errors ?? []
    throw new ToolError('ERR_COMPILE', `${displayPath(entry)} does not compile:\n${messages.length ? formatMessages(messages) : error.message}`,
      'Fix the errors above; `npm run typecheck` shows every TypeScript error.')
  }
  const js = result.outputFiles!.find(f => f.path.endsWith('.js'))!
  const map = result.outputFiles!.find(f => f.path.endsWith('.map'))!
  const code = js.text.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n')
  const inputs = Object.keys(result.metafile!.inputs).map(f => resolve(f))
  const bundle: Bundle = { code, map: map.text, mapDir: dirname(resolve(outName)), inputs }
  cache.set(key, { stamp: stampOf(bundle.inputs), bundle })
  return bundle
}

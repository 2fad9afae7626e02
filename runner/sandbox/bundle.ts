import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { esbuild } from '../lazy.ts'

const require = createRequire(import.meta.url)
const RUNNER_DIR = fileURLToPath(new URL('..', import.meta.url))
/** Imported by path, not bundled: the native addon, and modules only some runs need (node-fetch for --live, acorn for syntax errors), loaded on first use. */
const EXTERNAL = ['isolated-vm', 'node-fetch', 'acorn']

function sourceFiles (dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sourceFiles(full))
    else if (entry.name.endsWith('.ts')) out.push(full)
  }
  return out.sort()
}

/** The guest runtime, bundled into one strict-mode script whose completion value is `install`. */
export function buildGuestSource (): string {
  const result = esbuild().buildSync({
    entryPoints: [join(RUNNER_DIR, 'guest/index.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__guest',
    platform: 'neutral',
    target: 'es2022',
    // The guest must be strict: sloppy functions expose `.caller` and `.arguments`.
    banner: { js: '"use strict";' },
  })
  return `(function () {\n${result.outputFiles[0].text}\nreturn __guest.install\n})()`
}

/** Externals are required by absolute path (dynamic imports by file URL), so the bundle runs from any folder. */
function importExternalsByPath (code: string): string {
  let out = code
  for (const name of EXTERNAL) {
    const path = require.resolve(name)
    const url = JSON.stringify(pathToFileURL(path).href)
    out = out.split(`require("${name}")`).join(`require(${JSON.stringify(path)})`).split(`import("${name}")`).join(`import(${url})`)
  }
  return out
}

let entry: string | undefined

/** A bundle left by other runner sources is removed once it has not been written for this long. */
const STALE_BUNDLE_MS = 24 * 60 * 60 * 1000

/**
 * Removes sandbox bundles of other runner versions from `dir` (every edit of the runner's sources,
 * and every upgrade, writes a new one) once they are a day old. A runner that still uses one
 * rebuilds it when it next starts a sandbox process: sandboxEntry() checks that its file exists.
 */
export function removeStaleBundles (dir: string, keep: string, now = Date.now()): void {
  let names: string[]
  try { names = readdirSync(dir) } catch { return }
  for (const name of names) {
    const file = join(dir, name)
    if (file === keep || !/^sandbox-[0-9a-f]{16}\.(?:mjs|cjs)$/.test(name)) continue
    try {
      if (now - statSync(file).mtimeMs > STALE_BUNDLE_MS) rmSync(file, { force: true })
    } catch { /* gone already, or not ours to remove */ }
  }
}

/**
 * The sandbox process's entry: runner/sandbox/child.ts and everything it imports, bundled once
 * into a cached JavaScript file keyed by a hash of the runner's sources. A sandbox process then
 * starts with plain `node` (no TypeScript loader, no esbuild) in a few dozen milliseconds.
 */
export function sandboxEntry (): string {
  if (entry && existsSync(entry)) return entry
  const hash = createHash('sha256')
  for (const file of sourceFiles(RUNNER_DIR)) hash.update(file).update(readFileSync(file))
  for (const name of [...EXTERNAL, 'lodash/lodash.js']) hash.update(require.resolve(name))
  hash.update(process.version)
  const dir = join(tmpdir(), 'chatlayer-code-actions')
  const file = join(dir, `sandbox-${hash.digest('hex').slice(0, 16)}.cjs`)
  if (!existsSync(file)) {
    const result = esbuild().buildSync({
      entryPoints: [join(RUNNER_DIR, 'sandbox/child.ts')],
      bundle: true,
      write: false,
      // CommonJS: a process whose entry is CommonJS starts without Node's ES module loader, about
      // 30 ms less CPU per sandbox process (measured: median 260 against 290 ms to the first result).
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: EXTERNAL,
      define: {
        __GUEST_SOURCE__: JSON.stringify(buildGuestSource()),
        __LODASH_PATH__: JSON.stringify(require.resolve('lodash/lodash.js')),
      },
      logLevel: 'silent',
    })
    mkdirSync(dir, { recursive: true })
    // Several processes may build at once: each writes its own temporary file, then renames.
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    try {
      writeFileSync(temp, importExternalsByPath(result.outputFiles[0].text))
      renameSync(temp, file)
    } finally {
      rmSync(temp, { force: true })
    }
    removeStaleBundles(dir, file)
  }
  entry = file
  return file
}

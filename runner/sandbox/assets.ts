import { buildSync } from 'esbuild'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)

let guestSource: string | undefined
let lodashSource: string | undefined

/**
 * The guest runtime as one script whose completion value is its `install` function (nothing is
 * left on the global object); the host calls it with the callbacks and the config.
 */
export function loadGuestSource (): string {
  if (guestSource === undefined) {
    const result = buildSync({
      entryPoints: [fileURLToPath(new URL('../guest/index.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: '__guest',
      platform: 'neutral',
      target: 'es2022',
      // The guest must be strict: sloppy functions expose `.caller` and `.arguments`.
      banner: { js: '"use strict";' },
    })
    guestSource = `(function () {\n${result.outputFiles[0].text}\nreturn __guest.install\n})()`
  }
  return guestSource
}

/** The exact lodash 4.17.21 build evaluated as `_` in every context. */
export function loadLodashSource (): string {
  if (lodashSource === undefined) lodashSource = readFileSync(require.resolve('lodash/lodash.js'), 'utf8')
  return lodashSource
}

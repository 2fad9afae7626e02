import { readFileSync } from 'node:fs'

/** Replaced by the sandbox bundle build (bundle.ts): the guest runtime, and lodash's path. */
declare const __GUEST_SOURCE__: string
declare const __LODASH_PATH__: string

let lodashSource: string | undefined

/**
 * The guest runtime as one script whose completion value is its `install` function (nothing is
 * left on the global object); the host calls it with the callbacks and the config.
 */
export function loadGuestSource (): string {
  return __GUEST_SOURCE__
}

/** The exact lodash 4.17.21 build evaluated as `_` in every context. */
export function loadLodashSource (): string {
  lodashSource ??= readFileSync(__LODASH_PATH__, 'utf8')
  return lodashSource
}

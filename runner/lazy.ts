/**
 * Packages that only some commands need, loaded on first use and resolved from this package (not
 * from the working directory). Each costs 20 to 65 ms to load, in every process and every vitest
 * worker that imports the runner; a run of a JavaScript action against an object fixture needs none.
 */
import { createRequire } from 'node:module'
import type * as Acorn from 'acorn'
import type * as Esbuild from 'esbuild'
import type * as Yaml from 'yaml'

const require = createRequire(import.meta.url)

/** esbuild: bundling TypeScript actions and snippets, and building the sandbox bundle when its cached file is missing. */
export const esbuild = (): typeof Esbuild => require('esbuild') as typeof Esbuild

/** acorn: the paste checks of `build` and `check`. */
export const acorn = (): typeof Acorn => require('acorn') as typeof Acorn

/** yaml: reading fixture files, and writing recordings. */
export const yaml = (): typeof Yaml => require('yaml') as typeof Yaml

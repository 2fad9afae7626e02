#!/usr/bin/env node
// `npm test`: type-check every project (runner, guest, snippets), then run vitest once.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const projects = ['tsconfig.json', 'runner/guest/tsconfig.json', 'snippets/tsconfig.json'].filter(p => existsSync(p))
for (const project of projects) {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' })
  if (tsc.status !== 0) {
    console.error(`type errors in ${project}`)
    process.exit(tsc.status ?? 1)
  }
}
const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(vitest.status ?? 1)

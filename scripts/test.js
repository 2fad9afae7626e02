#!/usr/bin/env node
// `npm test`: type-check every project (runner, guest, snippets) at once, then run vitest.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const projects = ['tsconfig.json', 'runner/guest/tsconfig.json', 'snippets/tsconfig.json'].filter(p => existsSync(p))
// Incremental: a repeated `npm test` re-checks only what changed (about 5 s saved); the state
// lives in node_modules/.cache, so a fresh clone checks everything.
const buildInfo = project => `node_modules/.cache/tsc/${project.replace(/[/\\]/g, '_')}.tsbuildinfo`
const typecheck = project => new Promise(resolve => {
  const tsc = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project, '--incremental', '--tsBuildInfoFile', buildInfo(project)], { stdio: 'inherit' })
  tsc.on('close', code => resolve({ project, code }))
})
const failed = (await Promise.all(projects.map(typecheck))).filter(r => r.code !== 0)
if (failed.length) {
  console.error(`type errors in ${failed.map(r => r.project).join(', ')}`)
  process.exit(1)
}
const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(vitest.status ?? 1)

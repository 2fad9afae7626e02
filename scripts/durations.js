#!/usr/bin/env node
// `npm run test:durations`: copies each test file's duration from vitest's results cache (written
// by the last `npm test`) into test/durations.json, which orders a fresh clone's first run.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const cacheDir = 'node_modules/.vite/vitest'
const caches = existsSync(cacheDir) ? readdirSync(cacheDir).map(d => join(cacheDir, d, 'results.json')).filter(f => existsSync(f)) : []
if (caches.length === 0) {
  console.error(`no vitest results cache under ${cacheDir}: run \`npm test\` first`)
  process.exit(1)
}
const durations = {}
for (const file of caches) {
  for (const [key, result] of JSON.parse(readFileSync(file, 'utf8')).results) {
    const path = key.slice(key.indexOf(':') + 1)
    if (existsSync(path) && typeof result?.duration === 'number') durations[path] = Math.round(result.duration / 100) * 100
  }
}
const sorted = Object.fromEntries(Object.entries(durations).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
const out = 'test/durations.json'
writeFileSync(`${out}.tmp`, `${JSON.stringify(sorted, null, 2)}\n`)
renameSync(`${out}.tmp`, out)
console.log(`wrote ${Object.keys(sorted).length} file durations to ${out}`)

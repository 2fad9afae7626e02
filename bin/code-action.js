#!/usr/bin/env node
// Loads the TypeScript sources through tsx; the sandbox itself runs in child processes.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../runner/cli/main.ts')
const { closeSharedPool } = await import('../runner/sandbox/pool.ts')
try {
  process.exitCode = await main(process.argv.slice(2))
} finally {
  // The command is done: stop its sandbox processes now rather than when they notice the exit.
  closeSharedPool()
}

#!/usr/bin/env node
// Loads the TypeScript sources through tsx; the sandbox itself runs in child processes.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../runner/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))

import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bundleAction } from '../runner/compile.ts'

// Runs in a process of its own (vitest.config.ts, CHDIR): it changes the working directory.
const cwd = process.cwd()
const root = realpathSync(mkdtempSync(join(tmpdir(), 'code-action-cwd-')))
afterAll(() => {
  process.chdir(cwd)
  rmSync(root, { recursive: true, force: true })
})

function project (name: string, greeting: string): string {
  const dir = join(root, name)
  mkdirSync(join(dir, 'lib'), { recursive: true })
  writeFileSync(join(dir, 'lib/greet.ts'), `export const greet = (name: string): string => '${greeting} ' + name\n`)
  writeFileSync(join(dir, 'action.ts'), "import { greet } from './lib/greet'\nChatlayerResponseBuilder().addMessage(greet('Ada')).send()\n")
  return dir
}

describe('bundling after the working directory changed', () => {
  // esbuild resolves relative paths against the working directory it saw when it was loaded,
  // unless told otherwise; a later chdir() made its inputs point into the old directory
  // (or fail to resolve once that directory was gone).
  it('resolves against the current working directory, not the one esbuild was loaded in', async () => {
    const first = project('first', 'Hello')
    process.chdir(first)
    const one = await bundleAction('action.ts')
    expect(one.code).toContain('"Hello " + name')
    expect(one.inputs.sort()).toEqual([join(first, 'action.ts'), join(first, 'lib/greet.ts')])

    const second = project('second', 'Bonjour')
    process.chdir(second)
    rmSync(first, { recursive: true, force: true })
    const two = await bundleAction('action.ts')
    expect(two.code).toContain('"Bonjour " + name')
    expect(two.inputs.sort()).toEqual([join(second, 'action.ts'), join(second, 'lib/greet.ts')])
    expect(two.mapDir).toBe(second)
  })
})

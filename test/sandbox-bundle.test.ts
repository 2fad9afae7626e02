import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { removeStaleBundles, sandboxEntry } from '../runner/sandbox/bundle.ts'

const dir = mkdtempSync(join(tmpdir(), 'code-action-bundles-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the cached sandbox bundle', () => {
  it('is one CommonJS file named by the hash of the runner sources', () => {
    expect(sandboxEntry()).toMatch(/[/\\]sandbox-[0-9a-f]{16}\.cjs$/)
    expect(existsSync(sandboxEntry())).toBe(true)
  })

  it('bundles of other runner versions are removed once a day old; the current one, recent ones and other files stay', () => {
    const now = Date.now()
    const twoDaysAgo = (now - 2 * 24 * 3600_000) / 1000
    const file = (name: string, old: boolean): string => {
      const path = join(dir, name)
      writeFileSync(path, '')
      if (old) utimesSync(path, twoDaysAgo, twoDaysAgo)
      return path
    }
    const current = file('sandbox-00000000000000aa.cjs', true)
    const staleEsm = file('sandbox-00000000000000bb.mjs', true)
    const staleCjs = file('sandbox-00000000000000cc.cjs', true)
    const recent = file('sandbox-00000000000000dd.cjs', false)
    const foreign = file('notes.txt', true)
    removeStaleBundles(dir, current, now)
    expect([current, staleEsm, staleCjs, recent, foreign].map(existsSync)).toEqual([true, false, false, true, true])
  })

  it('a missing folder is not an error', () => {
    expect(() => removeStaleBundles(join(dir, 'missing'), '')).not.toThrow()
  })
})

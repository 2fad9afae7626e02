import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { toFixture } from '../runner/fixtures/index.ts'
import { checkFixture } from '../runner/scenario.ts'

const folder = mkdtempSync(join(tmpdir(), 'code-action-reuse-'))
afterAll(() => {
  rmSync(folder, { recursive: true, force: true })
})

describe('fixtures: validated once', () => {
  it('toFixture hands back a fixture it already validated, unchanged and unvalidated again', () => {
    const file = join(folder, 'a.yaml')
    writeFileSync(file, 'args: { name: { text: Ada } }\n')
    const loaded = toFixture(file)
    expect(toFixture(loaded)).toBe(loaded)
    expect(toFixture({ args: {} })).not.toBe(toFixture({ args: {} }))
  })

  it('checkFixture runs the fixture it loaded, without reading the file a second time', async () => {
    const file = join(folder, 'b.yaml')
    writeFileSync(file, "action: b.js\nexpect: { error: null }\n")
    writeFileSync(join(folder, 'b.js'), "ChatlayerResponseBuilder().addMessage('hi').send()")
    const fixture = toFixture(file)
    // Were the file read again, this broken text would make the run a fixture error.
    writeFileSync(file, 'action: [broken\n')
    const check = await checkFixture(fixture)
    expect(check.passed).toBe(true)
    expect(check.result?.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'hi' }] } }])
  })
})

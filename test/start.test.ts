import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../runner/cli/main.ts'

const folder = mkdtempSync(join(tmpdir(), 'code-action-start-'))
const cwd = process.cwd()
afterAll(() => {
  process.chdir(cwd)
  rmSync(folder, { recursive: true, force: true })
})

function write (path: string, text: string): void {
  mkdirSync(join(folder, path, '..'), { recursive: true })
  writeFileSync(join(folder, path), text)
}

describe('code-action start (npm start)', () => {
  it('builds every snippet, then runs every fixture that names an action, one line each in file order, and ends with the summary', async () => {
    write('fixtures/greet.js', "ChatlayerResponseBuilder().addQuickReplies({ title: 'Hi ' + args.name, quickReplies: [{ title: 'Menu', payload: { nextDialogstateId: 'ds-menu', params: [{ key: 'picked', value: 'menu' }] } }] }).send()")
    write('fixtures/menu.js', "ChatlayerResponseBuilder().addMessage('picked ' + args.picked).setNextDialogState('ds-done').send()")
    write('fixtures/a-passes.yaml', 'action: greet.js\nargs: { name: { text: Ada } }\nexpect: { error: null, sends: 1 }\n')
    write('fixtures/b-fails.yaml', 'action: greet.js\nargs: { name: { text: Ada } }\nexpect: { nextDialogState: ds-elsewhere }\n')
    write('fixtures/c-data-only.yaml', 'session: { a: 1 }\n')
    write('fixtures/d-scenario.yaml', [
      'action: greet.js',
      'args: { name: { text: Ada } }',
      'steps:',
      '  - expect: { sends: 1 }',
      '  - action: menu.js',
      '    click: Menu',
      '    args: { picked: { variable: picked } }',
      '    expect: { nextDialogState: ds-done }',
      '',
    ].join('\n'))
    const out: string[] = []
    process.chdir(folder)
    const code = await main(['start'], { stdout: t => out.push(t), stderr: t => out.push(t), color: false })
    process.chdir(cwd)
    const text = out.join('\n')
    expect(text).toMatch(/^snippet +bytes +arguments$/m)
    expect(text).toContain('airtable/list-records')
    const lines = out.filter(l => l.startsWith('✔ ') || l.startsWith('✖ '))
    expect(lines.filter(l => l.includes('fixtures/'))).toEqual([
      '✔ fixtures/a-passes.yaml  → (no jump), 1 message(s), 0 request(s)',
      '✖ fixtures/b-fails.yaml  → (no jump), 1 message(s), 0 request(s)  (1 expectation(s) failed)',
      '✔ fixtures/d-scenario.yaml  2 steps, → ds-done, 1 message(s), 0 request(s)',
    ])
    expect(out[out.length - 1]).toBe('\n2 passed, 1 failed')
    expect(code).toBe(1)
  }, 60_000)
})

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../../runner/cli/main.ts'
import { watchFiles } from '../../runner/cli/watch.ts'
import { captureIO } from './helpers/io.ts'
import { tempDir } from './helpers/temp.ts'

const count = (text: string, part: string): number => text.split(part).length - 1
let remove: (() => void) | undefined
afterEach(() => remove?.())

function project (files: Record<string, string>): string {
  const temp = tempDir('code-action-watch-')
  remove = temp.remove
  for (const [name, text] of Object.entries(files)) writeFileSync(join(temp.dir, name), text)
  return temp.dir
}

describe('code-action run --watch', () => {
  it('runs again when the action or the fixture changes, and stops when aborted', async () => {
    const dir = project({
      'action.js': "ChatlayerResponseBuilder().addMessage('v1 ' + args.who).send()\n",
      'fixture.yaml': 'action: action.js\nargs: { who: { text: Ada } }\n',
    })
    const controller = new AbortController()
    const { io, stdout, stderr, waitFor } = captureIO({ signal: controller.signal })
    const done = main(['run', join(dir, 'fixture.yaml'), '--watch'], io)
    await waitFor('watching 2 files for changes')
    expect(stdout()).toContain('💬 v1 Ada')

    writeFileSync(join(dir, 'action.js'), "ChatlayerResponseBuilder().addMessage('v2 ' + args.who).send()\n")
    await waitFor(all => count(all, 'watching 2 files') === 2)
    expect(stdout()).toContain(`↻ ${join(dir, 'action.js')} changed: running again`)
    expect(stdout()).toContain('💬 v2 Ada')

    writeFileSync(join(dir, 'fixture.yaml'), 'action: action.js\nargs: { who: { text: Grace } }\n')
    await waitFor(all => count(all, 'watching 2 files') === 3)
    expect(stdout()).toContain('💬 v2 Grace')

    controller.abort()
    expect(await done).toBe(0)
    expect(count(stderr(), 'watching 2 files for changes\n')).toBe(3)
  })

  it('watches the files a TypeScript action is built from, and keeps watching after a broken edit', async () => {
    const dir = project({
      'greet.ts': "import { greeting } from './words.ts'\nChatlayerResponseBuilder().addMessage(greeting).send()\n",
      'words.ts': "export const greeting: string = 'hello'\n",
      'fixture.yaml': 'action: greet.ts\n',
    })
    const controller = new AbortController()
    const { io, stdout, stderr, waitFor } = captureIO({ signal: controller.signal })
    const done = main(['run', join(dir, 'fixture.yaml'), '--watch'], io)
    await waitFor('watching 3 files for changes')
    expect(stdout()).toContain('💬 hello')

    writeFileSync(join(dir, 'words.ts'), "export const greeting: string = 'bonjour'\n")
    await waitFor(all => count(all, 'watching 3 files') === 2)
    expect(stdout()).toContain(`↻ ${join(dir, 'words.ts')} changed: running again`)
    expect(stdout()).toContain('💬 bonjour')

    writeFileSync(join(dir, 'words.ts'), "export const greeting: string = 'oops\n")
    await waitFor('ERR_COMPILE')
    expect(stderr()).toContain('does not compile')
    await waitFor(all => count(all, 'watching') === 3)

    writeFileSync(join(dir, 'words.ts'), "export const greeting: string = 'hallo'\n")
    await waitFor('💬 hallo')
    controller.abort()
    expect(await done).toBe(0)
  })

  it('returns the exit code of the last run', async () => {
    const dir = project({ 'boom.js': "throw new Error('boom')\n" })
    const controller = new AbortController()
    const { io, waitFor } = captureIO({ signal: controller.signal })
    const done = main(['run', join(dir, 'boom.js'), '--watch'], io)
    await waitFor('watching 1 file for changes')
    controller.abort()
    expect(await done).toBe(1)
  })
})

describe('watchFiles', () => {
  it('reports a burst of changes once, after they settle', async () => {
    const dir = project({ 'a.txt': '1', 'b.txt': '1', 'other.txt': '1' })
    const calls: string[][] = []
    const stop = watchFiles([join(dir, 'a.txt'), join(dir, 'b.txt')], list => calls.push(list.sort()), { debounceMs: 150 })
    writeFileSync(join(dir, 'a.txt'), '2')
    writeFileSync(join(dir, 'other.txt'), '2')
    writeFileSync(join(dir, 'b.txt'), '2')
    writeFileSync(join(dir, 'a.txt'), '3')
    await new Promise(resolve => setTimeout(resolve, 500))
    stop()
    expect(calls).toEqual([[join(dir, 'a.txt'), join(dir, 'b.txt')]])
  })

  it('stops on an abort signal', async () => {
    const dir = project({ 'a.txt': '1' })
    const controller = new AbortController()
    let calls = 0
    watchFiles([join(dir, 'a.txt')], () => { calls++ }, { debounceMs: 20, signal: controller.signal })
    controller.abort()
    writeFileSync(join(dir, 'a.txt'), '2')
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(calls).toBe(0)
  })
})

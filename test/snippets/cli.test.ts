import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { listSnippetIds } from '../../runner/action.ts'
import { writeFileAtomic } from '../../runner/build.ts'
import { buildSnippets, watchSnippets } from '../../runner/cli/build.ts'
import type { CliIO } from '../../runner/cli/io.ts'
import { main } from '../../runner/cli/main.ts'

const temp = mkdtempSync(join(tmpdir(), 'code-action-snippets-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

function capture (): CliIO & { out: string[], err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { out, err, color: false, stdout: text => { out.push(text) }, stderr: text => { err.push(text) } }
}

/** Every file below a folder, relative. */
function tree (dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter(e => e.isFile()).map(e => join(e.parentPath ?? (e as any).path, e.name).slice(dir.length + 1)).sort()
}

describe('code-action list', () => {
  it('--json prints contract §4 metadata for every snippet, parsed from its header', async () => {
    const io = capture()
    expect(await main(['list', '--json'], io)).toBe(0)
    const list = JSON.parse(io.out.join('\n'))
    expect(list.map((s: any) => s.id)).toEqual(listSnippetIds())
    expect(list.length).toBeGreaterThanOrEqual(10)
    for (const snippet of list) {
      expect(Object.keys(snippet)).toEqual(['id', 'title', 'description', 'details', 'args', 'jumps', 'writes'])
      for (const arg of snippet.args) {
        expect(Object.keys(arg)).toEqual(['key', 'type', 'required', 'description'])
        expect(['variable', 'dialogstate', 'text']).toContain(arg.type)
        expect(typeof arg.required).toBe('boolean')
      }
    }
    const listRecords = list.find((s: any) => s.id === 'airtable/list-records')
    expect(listRecords.title).toBe('List Airtable records')
    expect(listRecords.args[0]).toEqual({ key: 'apiKey', type: 'text', required: true, description: 'Airtable personal access token (starts with pat), scope data.records:read' })
    expect(listRecords.args.find((a: any) => a.key === 'filterValue')).toMatchObject({ type: 'variable', required: false })
    expect(listRecords.jumps.map((j: any) => j.arg)).toEqual(['foundDialogState', 'noneDialogState', 'errorDialogState'])
  })

  it('prints one entry per snippet with its summary and arguments', async () => {
    const io = capture()
    expect(await main(['list'], io)).toBe(0)
    const text = io.out.join('\n')
    for (const id of listSnippetIds()) expect(text).toContain(id)
    expect(text).toContain('args: apiKey, baseId, table, [filterField]')
  })
})

describe('code-action check', () => {
  it('passes every library snippet', async () => {
    const io = capture()
    expect(await main(['check'], io), io.out.join('\n')).toBe(0)
    expect(io.out.at(-1)).toBe(`\n${listSnippetIds().length} action(s) ready to paste`)
  })

  it('reports each failed check of a pasted file and exits 1', async () => {
    const file = join(temp, 'bad.js')
    writeFileSync(file, "const _l = require('lodash')\nsetTimeout(() => {}, 10)\nChatlayerResponseBuilder().addMessage(args.name)\n")
    const io = capture()
    expect(await main(['check', file], io)).toBe(1)
    expect(io.out.slice(1, 7)).toEqual([
      '    ✔ syntax   parses as the body of an async function (sloppy mode, ES2019)',
      '    ✖ modules  the platform has no modules: require at 1:12',
      '    ✖ globals  uses globals the platform does not have: require (line 1), setTimeout (line 2)',
      '    ✖ send     never calls send(): the user would see nothing',
      expect.stringMatching(/^ {4}✔ size {5}\d+ bytes within the 20,480-byte budget$/),
      '    ✖ header   no header comment listing the arguments to configure (name)',
    ])
  })

  it('--json prints the reports', async () => {
    const io = capture()
    expect(await main(['check', 'routing/route-by-intent', '--json'], io)).toBe(0)
    const [report] = JSON.parse(io.out.join('\n'))
    expect(report).toMatchObject({ name: 'routing/route-by-intent', ok: true })
    expect(report.checks.map((c: any) => c.check)).toEqual(['syntax', 'modules', 'globals', 'send', 'size', 'header'])
  })

  it('exits 2 for an unknown snippet', async () => {
    const io = capture()
    expect(await main(['check', 'airtable/list-recrods'], io)).toBe(2)
    expect(io.err.join('\n')).toBe('ERR_ACTION_NOT_FOUND: unknown snippet: airtable/list-recrods\n`code-action list` shows every snippet id.')
  })
})

describe('code-action build', () => {
  it('writes dist/<id>.js and its map, prints a row per snippet, and leaves no temporary file', async () => {
    const out = join(temp, 'dist-a')
    const io = capture()
    expect(await main(['build', 'routing/route-by-intent', 'airtable/get-record', '--out', out], io)).toBe(0)
    expect(tree(out)).toEqual(['airtable/get-record.js', 'airtable/get-record.js.map', 'routing/route-by-intent.js', 'routing/route-by-intent.js.map'])
    expect(io.out[0]).toMatch(/^snippet +bytes {2}arguments$/)
    expect(io.out[1]).toMatch(/^routing\/route-by-intent {2}\s*[\d,]+ {2}nlp, intent:<name>, \[threshold\], \[margin\], \[saveAs\], notUnderstoodDialogState$/)
    expect(io.out.at(-1)).toMatch(/^✔ 2 snippet\(s\) built into .*dist-a\/, every paste check passed$/)
    const code = readFileSync(join(out, 'routing/route-by-intent.js'), 'utf8')
    expect(code).toMatch(/^\/\/ Route by intent \(routing\/route-by-intent\)\n/)
    expect(code).toContain('//   intent:<name>             dialogstate  one row per intent to route, e.g. intent:book_meetup')
    expect(code).not.toContain('sourceMappingURL')
    const map = JSON.parse(readFileSync(join(out, 'routing/route-by-intent.js.map'), 'utf8'))
    expect(map.sources.filter((s: string) => /snippets\/(?:routing|_lib)\/[\w-]+\.ts$/.test(s)).length).toBe(map.sources.length)
    expect(map.sourcesContent).toHaveLength(map.sources.length)
  })

  it('leaves the previous bundle intact when a snippet stops compiling', async () => {
    const snippets = join(temp, 'snippets')
    const out = join(temp, 'dist-b')
    mkdirSync(join(snippets, 'demo'), { recursive: true })
    const source = join(snippets, 'demo/say-hi.ts')
    writeFileSync(source, "/**\n * @title Say hi\n * @summary Greets.\n *\n * @arg {dialogstate} next - where to go\n * @jumps next - always\n * @writes greeting.done - true\n */\nChatlayerResponseBuilder().addMessage('hi').addSessionVariable('greeting.done', true).setNextDialogState(String(args.next)).send()\nexport {}\n")
    expect((await buildSnippets(['demo/say-hi'], out, capture(), snippets)).exitCode).toBe(0)
    const good = readFileSync(join(out, 'demo/say-hi.js'), 'utf8')
    expect(good).toContain("addMessage(\"hi\")")

    writeFileSync(source, "/**\n * @title Say hi\n * @summary Greets.\n *\n * @arg {dialogstate} next - where to go\n * @jumps next - always\n * @writes greeting.done - true\n */\nChatlayerResponseBuilder().addMessage('hi'\n")
    utimesSync(source, new Date(), new Date(Date.now() + 5000))
    const io = capture()
    expect((await buildSnippets(['demo/say-hi'], out, io, snippets)).exitCode).toBe(2)
    expect(io.err.join('\n')).toMatch(/^ERR_COMPILE: .*say-hi\.ts does not compile:\n.*say-hi\.ts:10:1: Expected "\)" but found end of file/)
    expect(io.out.at(-1)).toMatch(/^✖ 1 of 1 snippet\(s\) did not compile; the previous files in .*dist-b\/ are unchanged$/)
    expect(readFileSync(join(out, 'demo/say-hi.js'), 'utf8')).toBe(good)
    expect(tree(out)).toEqual(['demo/say-hi.js', 'demo/say-hi.js.map'])
  })

  it('exits 1 when a built snippet fails a paste check', async () => {
    const snippets = join(temp, 'snippets-c')
    mkdirSync(join(snippets, 'demo'), { recursive: true })
    writeFileSync(join(snippets, 'demo/no-send.ts'), '/**\n * @title No send\n * @summary Forgets send().\n */\nconsole.log(typeof args)\nexport {}\n')
    const io = capture()
    expect((await buildSnippets(['demo/no-send'], join(temp, 'dist-c'), io, snippets)).exitCode).toBe(1)
    expect(io.out).toContain('    ✖ send: never calls send(): the user would see nothing')
  })

  it('writeFileAtomic: a failed write removes its temporary file and keeps the target', () => {
    const dir = join(temp, 'atomic')
    mkdirSync(join(dir, 'target.js'), { recursive: true })
    expect(() => writeFileAtomic(join(dir, 'target.js'), 'x')).toThrow(/EISDIR|ENOTEMPTY|EEXIST|is a directory/i)
    expect(readdirSync(dir)).toEqual(['target.js'])
    writeFileAtomic(join(dir, 'file.js'), 'one')
    writeFileAtomic(join(dir, 'file.js'), 'two')
    expect(readFileSync(join(dir, 'file.js'), 'utf8')).toBe('two')
    expect(readdirSync(dir).sort()).toEqual(['file.js', 'target.js'])
  })

  it('exits 2 for an unknown snippet without writing anything', async () => {
    const out = join(temp, 'dist-d')
    const io = capture()
    expect(await main(['build', 'nope/missing', '--out', out], io)).toBe(2)
    expect(io.err.join('\n')).toBe('ERR_ACTION_NOT_FOUND: unknown snippet: nope/missing\n`code-action list` shows every snippet id.')
    expect(existsSync(out)).toBe(false)
  })

  it('--watch rebuilds a snippet when its source changes, until stopped', async () => {
    const snippets = join(temp, 'snippets-w')
    const out = join(temp, 'dist-w')
    mkdirSync(join(snippets, 'demo'), { recursive: true })
    const source = join(snippets, 'demo/watch-me.ts')
    const write = (text: string): void => writeFileSync(source, `/**\n * @title Watch me\n * @summary Rebuilt on change.\n */\nChatlayerResponseBuilder().addMessage('${text}').send()\nexport {}\n`)
    write('one')
    const io = capture()
    const controller = new AbortController()
    const watching = watchSnippets(null, out, io, controller.signal, snippets)
    const until = async (test: () => boolean): Promise<void> => {
      for (let i = 0; i < 100 && !test(); i++) await new Promise(resolve => setTimeout(resolve, 50))
    }
    await until(() => io.out.some(line => line.startsWith('watching')))
    expect(readFileSync(join(out, 'demo/watch-me.js'), 'utf8')).toContain('"one"')
    write('two')
    await until(() => readFileSync(join(out, 'demo/watch-me.js'), 'utf8').includes('"two"'))
    controller.abort()
    await watching
    expect(readFileSync(join(out, 'demo/watch-me.js'), 'utf8')).toContain('"two"')
    expect(io.out.filter(line => line.startsWith('✔ 1 snippet(s) built'))).toHaveLength(2)
  })

  it('--help describes the command', async () => {
    for (const command of ['build', 'check', 'list']) {
      const io = capture()
      expect(await main([command, '--help'], io)).toBe(0)
      expect(io.out[0]).toMatch(new RegExp(`^Usage: code-action ${command}`))
    }
  })
})

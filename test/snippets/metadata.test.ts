import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listSnippetIds } from '../../runner/action.ts'
import { formatBanner, parseSnippetMetadata, readSnippetMetadata } from '../../runner/metadata.ts'

const FILE = resolve('snippets/demo/do-thing.ts')
const parse = (source: string) => parseSnippetMetadata(source, FILE, 'demo/do-thing')
const header = (...lines: string[]): string => `/**\n${lines.map(l => ` *${l ? ` ${l}` : ''}`).join('\n')}\n */\nexport {}\n`
const GOOD = [
  '@title Do a thing',
  '@summary Does the thing and stores it.',
  '',
  'Free text a bot builder reads.',
  'It can span lines.',
  '',
  '@arg {text} apiKey - the key',
  '@arg {variable} [month] - optional month,',
  '  continued on the next line',
  '@arg {dialogstate} doneDialogState - where to go',
  '@jumps doneDialogState - the thing was done',
  '@writes thing.result - what it found',
]

/** The error a malformed header throws: ERR_COMPILE with its message and hint. */
function errorOf (source: string): { code: string, message: string } {
  try { parse(source) } catch (error: any) { return { code: error.code, message: error.message } }
  throw new Error('no error thrown')
}

describe('parseSnippetMetadata', () => {
  it('reads title, summary, free text, arguments, jumps and writes', () => {
    expect(parse(header(...GOOD))).toEqual({
      id: 'demo/do-thing',
      title: 'Do a thing',
      description: 'Does the thing and stores it.',
      details: 'Free text a bot builder reads.\nIt can span lines.',
      args: [
        { key: 'apiKey', type: 'text', required: true, description: 'the key' },
        { key: 'month', type: 'variable', required: false, description: 'optional month, continued on the next line' },
        { key: 'doneDialogState', type: 'dialogstate', required: true, description: 'where to go' },
      ],
      jumps: [{ arg: 'doneDialogState', description: 'the thing was done' }],
      writes: [{ path: 'thing.result', description: 'what it found' }],
    })
  })

  it('rejects a file without a leading header, naming file and line', () => {
    expect(errorOf("\n\nimport x from './x.ts'\n")).toEqual({
      code: 'ERR_COMPILE',
      message: expect.stringMatching(/^snippets\/demo\/do-thing\.ts:3: the snippet does not start with its JSDoc header\nStart the file with a header such as:\n\/\*\*\n \* @title/),
    })
  })

  it('rejects an unclosed header', () => {
    expect(errorOf('/**\n * @title x\n').message).toBe('snippets/demo/do-thing.ts:1: the JSDoc header is never closed with */\nClose the header comment.')
  })

  it('rejects an unknown tag at its line', () => {
    expect(errorOf(header('@title T', '@summary S', '@param {text} a - b')).message)
      .toBe('snippets/demo/do-thing.ts:4: unknown tag @param\nKnown tags: @title, @summary, @arg, @jumps, @writes.')
  })

  it('rejects an argument type that is not an editor row type', () => {
    expect(errorOf(header('@title T', '@summary S', '@arg {string} apiKey - the key')).message)
      .toBe('snippets/demo/do-thing.ts:4: @arg apiKey has the type {string}\nThe type is the editor row type: {variable}, {dialogstate}, {text}.')
  })

  it('rejects an @arg without a description', () => {
    expect(errorOf(header('@title T', '@summary S', '@arg {text} apiKey')).message)
      .toBe('snippets/demo/do-thing.ts:4: malformed @arg: "{text} apiKey"\nWrite @arg {type} key - description, with [key] for an optional argument.')
  })

  it('rejects unbalanced optional brackets', () => {
    expect(errorOf(header('@title T', '@summary S', '@arg {text} [apiKey - the key')).message)
      .toBe('snippets/demo/do-thing.ts:4: @arg [apiKey has unbalanced brackets\nWrite [key] for an optional argument, key for a required one.')
  })

  it('rejects an argument listed twice', () => {
    expect(errorOf(header('@title T', '@summary S', '@arg {text} a - one', '@arg {text} a - two')).message)
      .toBe('snippets/demo/do-thing.ts:5: @arg a is listed twice\nList each argument once.')
  })

  it('rejects a jump to an argument that is not declared', () => {
    expect(errorOf(header('@title T', '@summary S', '@arg {dialogstate} a - one', '@jumps b - two')).message)
      .toBe('snippets/demo/do-thing.ts:5: @jumps b names no @arg\nA jump target is an argument row (usually a {dialogstate}); declare it with @arg.')
  })

  it('rejects a header without @title or @summary', () => {
    expect(errorOf(header('@summary S')).message).toBe('snippets/demo/do-thing.ts:1: the header has no @title\nAdd a line: @title What the snippet does')
    expect(errorOf(header('@title T')).message).toBe('snippets/demo/do-thing.ts:2: the header has no @summary\nAdd a line under @title: @summary One line shown by `code-action list`.')
  })

  it('rejects free text after the tags', () => {
    expect(errorOf(header('@title T', '@summary S', '@arg {text} a - one', '', 'stray words')).message)
      .toBe('snippets/demo/do-thing.ts:6: text after the tags: "stray words"\nPut free text between the @summary line and the first @arg line, or continue a tag on the line right below it.')
  })
})

describe('formatBanner', () => {
  it('lists every argument with its row type, the jumps and the writes', () => {
    expect(formatBanner(parse(header(...GOOD)))).toBe([
      '// Do a thing (demo/do-thing)',
      '// Does the thing and stores it.',
      '//',
      '// Arguments to configure in the code editor ([key] = optional):',
      '//   apiKey           text         the key',
      '//   [month]          variable     optional month, continued on the next line',
      '//   doneDialogState  dialogstate  where to go',
      '// Dialog states it may jump to:',
      '//   doneDialogState  the thing was done',
      '// Session variables it writes:',
      '//   thing.result  what it found',
      '//',
      '// Built from snippets/demo/do-thing.ts by `code-action build`: edit the source, not this file.',
    ].join('\n'))
  })
})

describe('library snippet headers', () => {
  for (const id of listSnippetIds()) {
    it(`${id}: the header and the Args interface name the same arguments`, () => {
      const meta = readSnippetMetadata(id)
      const source = readFileSync(resolve('snippets', `${id}.ts`), 'utf8')
      const body = /interface Args \{([\s\S]*?)\n\}/.exec(source)![1]
      const keys = [...body.matchAll(/^ {2}(?:'([^']+)'|(\w+))\??:/gm)].map(m => m[1] ?? m[2])
      const templated = meta.args.filter(a => /[<]/.test(a.key)).length
      expect(keys.sort()).toEqual(meta.args.filter(a => !/[<]/.test(a.key)).map(a => a.key).sort())
      expect(meta.args.length - templated).toBe(keys.length)
      for (const arg of meta.args) expect(arg.description.length, arg.key).toBeGreaterThan(5)
      expect(meta.jumps.length).toBeGreaterThan(0)
      expect(meta.writes.length).toBeGreaterThan(0)
    })
  }
})

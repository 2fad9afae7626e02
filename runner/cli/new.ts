import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { SNIPPETS_DIR } from '../action.ts'
import { ToolError } from '../errors.ts'
import { displayPath } from '../fixtures/index.ts'
import { parseFlags, type FlagSpec } from './flags.ts'
import type { CliIO } from './io.ts'

export const NEW_HELP = `Usage: code-action new <id>

Scaffolds a code action from a template that passes at once:
  snippets/<id>.ts                  the action, with its JSDoc header (arguments, jumps, session writes)
  fixtures/<id>/happy-path.yaml     a fixture with an expect block
  test/snippets/<id>.test.ts        a vitest test using the matchers

<id> is a path of kebab-case names, e.g. zendesk/lookup-ticket. Existing files are never overwritten.`

const FLAGS: FlagSpec = { help: 'boolean' }
const ID_PATTERN = /^[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][a-z0-9-]*)*$/

/** The files `new` writes, relative to the project folder. */
export function scaffoldPaths (id: string): { snippet: string, fixture: string, test: string } {
  return {
    snippet: join('snippets', `${id}.ts`),
    fixture: join('fixtures', id, 'happy-path.yaml'),
    test: join('test', 'snippets', `${id}.test.ts`),
  }
}

const words = (id: string): string[] => id.split('/').pop()!.split('-').filter(Boolean)
const titleOf = (id: string): string => { const w = words(id).join(' '); return w.charAt(0).toUpperCase() + w.slice(1) }
const namespaceOf = (id: string): string => words(id).map((w, i) => i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1)).join('').replace(/^(\d)/, 'a$1')

/** True when the folder is this package itself: snippets are then named by id, tests import the kit by path. */
function isThisPackage (root: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    return pkg.name === 'chatlayer-code-actions' && resolve(root, 'snippets') === resolve(SNIPPETS_DIR)
  } catch {
    return false
  }
}

const posix = (path: string): string => path.split(sep).join('/')

/** The three files of a new action, as text. */
export function scaffoldFiles (id: string, root: string): Record<'snippet' | 'fixture' | 'test', string> {
  const paths = scaffoldPaths(id)
  const inPackage = isThisPackage(root)
  const ns = namespaceOf(id)
  const title = titleOf(id)
  const fixtureAction = inPackage ? id : posix(relative(dirname(join(root, paths.fixture)), join(root, paths.snippet)))
  const testAction = inPackage ? id : posix(paths.snippet)
  const kit = inPackage ? posix(relative(dirname(join(root, paths.test)), join(root, 'test-kit', 'index.ts'))) : 'chatlayer-code-actions/vitest'

  const snippet = `/**
 * @title ${title}
 * @summary Sends a greeting, remembers that it did, and moves on.
 *
 * @arg {text} greeting - what to say
 * @arg {dialogstate} nextDialogState - where to go next
 * @jumps nextDialogState - always
 * @writes ${ns}.sent - true once sent
 */

interface Args {
  greeting: string
  nextDialogState: string
}

const input = args as Partial<Args>

async function main (): Promise<void> {
  const reply = ChatlayerResponseBuilder()
    .addMessage(input.greeting || 'Hello!')
    .addSessionVariable('${ns}.sent', true)
  if (input.nextDialogState) reply.setNextDialogState(input.nextDialogState)
  reply.send()
}

await main()

// Makes this file a module, so its names stay its own (the bundle drops this line).
export {}
`

  const fixture = `# The happy path of ${id}: it greets, remembers it, and jumps on.
description: greets, remembers it and jumps to the next dialog state
action: ${fixtureAction}
session:
  internal:
    channel: web
    locale: en-us
args:
  greeting: { text: Hello there }
  nextDialogState: { dialogstate: ds-next }
expect:
  error: null
  nextDialogState: ds-next
  messages:
    - type: text
      config: { textMessages: [{ text: Hello there }] }
  session: { ${ns}: { sent: true } }
`

  const test = `import { describe, expect, it } from 'vitest'
import { fixtureTests, runFixture } from '${kit}'

describe('${id}', () => {
  // Every fixture in fixtures/${id}/ becomes one test, checked against its expect block.
  fixtureTests('${posix(join('fixtures', id))}')

  it('greets, remembers it and jumps to the next dialog state', async () => {
    const result = await runFixture('${testAction}', '${posix(paths.fixture)}')
    expect(result).toSucceed()
    expect(result).toSendText('Hello there')
    expect(result).toWriteSession({ ${ns}: { sent: true } })
    expect(result).toJumpTo('ds-next')
  })
})
`
  return { snippet, fixture, test }
}

/** `code-action new <id>`: exit 0 when the three files were written, 2 when one exists or the id is bad. */
export async function newCommand (argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseFlags(argv, FLAGS, 'new')
  if (flags.help) { io.stdout(NEW_HELP); return 0 }
  if (positionals.length !== 1) throw new ToolError('ERR_USAGE', `new takes one id, got ${positionals.length}${positionals.length ? `: ${positionals.join(' ')}` : ''}`, NEW_HELP.split('\n')[0])
  const id = positionals[0].replace(/\.ts$/, '')
  if (!ID_PATTERN.test(id)) {
    throw new ToolError('ERR_USAGE', `"${positionals[0]}" is not a valid snippet id`, 'Use lower-case kebab-case names separated by "/", e.g. zendesk/lookup-ticket.')
  }
  const root = process.cwd()
  const paths = scaffoldPaths(id)
  const existing = Object.values(paths).filter(p => existsSync(join(root, p)))
  if (existing.length) {
    throw new ToolError('ERR_USAGE', `code-action new: refusing to overwrite ${existing.map(p => displayPath(join(root, p))).join(', ')}`,
      'Pick another id, or delete the files first.')
  }
  const files = scaffoldFiles(id, root)
  for (const key of ['snippet', 'fixture', 'test'] as const) {
    const file = join(root, paths[key])
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, files[key], { flag: 'wx' })
  }
  io.stdout([
    `created ${posix(paths.snippet)}`,
    `created ${posix(paths.fixture)}`,
    `created ${posix(paths.test)}`,
    '',
    `Next: code-action test ${posix(join('fixtures', id))}   (or npx vitest run ${posix(paths.test)})`,
  ].join('\n'))
  return 0
}

import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../runner/cli/main.ts'
import { scaffoldFiles } from '../../runner/cli/new.ts'
import { parseSnippetMetadata } from '../../runner/metadata.ts'
import { checkFixture } from '../../test-kit/index.ts'
import { captureIO } from './helpers/io.ts'
import { tempDir } from './helpers/temp.ts'

const REPO = process.cwd()
let temp: ReturnType<typeof tempDir>
beforeEach(() => { temp = tempDir('code-action-new-') })
afterEach(() => {
  process.chdir(REPO)
  temp.remove()
})

describe('code-action new', () => {
  it('writes a snippet, a fixture and a test for a user project', async () => {
    process.chdir(temp.dir)
    const { io, stdout } = captureIO()
    expect(await main(['new', 'support/greet-user'], io)).toBe(0)
    expect(stdout()).toBe(`created snippets/support/greet-user.ts
created fixtures/support/greet-user/happy-path.yaml
created test/snippets/support/greet-user.test.ts

Next: code-action test fixtures/support/greet-user   (or npx vitest run test/snippets/support/greet-user.test.ts)
`)
    expect(readFileSync('snippets/support/greet-user.ts', 'utf8')).toBe(`/**
 * @title Greet user
 * @summary Sends a greeting, remembers that it did, and moves on.
 *
 * @arg {text} greeting - what to say
 * @arg {dialogstate} nextDialogState - where to go next
 * @jumps nextDialogState - always
 * @writes greetUser.sent - true once sent
 */

interface Args {
  greeting: string
  nextDialogState: string
}

const input = args as Partial<Args>

async function main (): Promise<void> {
  const reply = ChatlayerResponseBuilder()
    .addMessage(input.greeting || 'Hello!')
    .addSessionVariable('greetUser.sent', true)
  if (input.nextDialogState) reply.setNextDialogState(input.nextDialogState)
  reply.send()
}

await main()

// Makes this file a module, so its names stay its own (the bundle drops this line).
export {}
`)
    expect(readFileSync('fixtures/support/greet-user/happy-path.yaml', 'utf8')).toBe(`# The happy path of support/greet-user: it greets, remembers it, and jumps on.
description: greets, remembers it and jumps to the next dialog state
action: ../../../snippets/support/greet-user.ts
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
  session: { greetUser: { sent: true } }
`)
    expect(readFileSync('test/snippets/support/greet-user.test.ts', 'utf8')).toBe(`import { describe, expect, it } from 'vitest'
import { fixtureTests, runFixture } from 'chatlayer-code-actions/vitest'

describe('support/greet-user', () => {
  // Every fixture in fixtures/support/greet-user/ becomes one test, checked against its expect block.
  fixtureTests('fixtures/support/greet-user')

  it('greets, remembers it and jumps to the next dialog state', async () => {
    const result = await runFixture('snippets/support/greet-user.ts', 'fixtures/support/greet-user/happy-path.yaml')
    expect(result).toSucceed()
    expect(result).toSendText('Hello there')
    expect(result).toWriteSession({ greetUser: { sent: true } })
    expect(result).toJumpTo('ds-next')
  })
})
`)
  })

  it('writes a fixture that passes at once', async () => {
    process.chdir(temp.dir)
    await main(['new', 'greet'], captureIO().io)
    const check = await checkFixture('fixtures/greet/happy-path.yaml')
    expect(check.failures).toEqual([])
    expect(check.passed).toBe(true)
  })

  it('writes a header the snippet metadata parser reads', async () => {
    process.chdir(temp.dir)
    await main(['new', 'routing/say-hello'], captureIO().io)
    const meta = parseSnippetMetadata(readFileSync('snippets/routing/say-hello.ts', 'utf8'), 'snippets/routing/say-hello.ts', 'routing/say-hello')
    expect(meta).toMatchObject({
      id: 'routing/say-hello',
      title: 'Say hello',
      description: 'Sends a greeting, remembers that it did, and moves on.',
      args: [
        { key: 'greeting', type: 'text', required: true, description: 'what to say' },
        { key: 'nextDialogState', type: 'dialogstate', required: true, description: 'where to go next' },
      ],
      jumps: [{ arg: 'nextDialogState', description: 'always' }],
      writes: [{ path: 'sayHello.sent', description: 'true once sent' }],
    })
  })

  it('writes a snippet that type-checks against the platform declarations', () => {
    process.chdir(temp.dir)
    const files = scaffoldFiles('routing/say-hello', temp.dir)
    mkdirSync('snippets', { recursive: true })
    writeFileSync('snippets/say-hello.ts', files.snippet)
    writeFileSync('tsconfig.json', JSON.stringify({
      extends: join(REPO, 'snippets/tsconfig.json'),
      include: [join(REPO, 'snippets/platform.d.ts'), 'snippets/say-hello.ts'],
    }))
    const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { encoding: 'utf8' })
    expect(tsc.stdout + tsc.stderr).toBe('')
    expect(tsc.status).toBe(0)
  })

  it('names snippets by id and imports the kit by path inside this package', async () => {
    const files = scaffoldFiles('zendesk/lookup-ticket', REPO)
    expect(files.fixture).toContain('\naction: zendesk/lookup-ticket\n')
    expect(files.test).toContain("import { fixtureTests, runFixture } from '../../../test-kit/index.ts'\n")
    expect(files.test).toContain("const result = await runFixture('zendesk/lookup-ticket', 'fixtures/zendesk/lookup-ticket/happy-path.yaml')")
    // The fixture passes against the snippet, found by id in a snippets folder.
    mkdirSync(join(temp.dir, 'snippets/zendesk'), { recursive: true })
    writeFileSync(join(temp.dir, 'snippets/zendesk/lookup-ticket.ts'), files.snippet)
    writeFileSync(join(temp.dir, 'happy-path.yaml'), files.fixture)
    const check = await checkFixture(join(temp.dir, 'happy-path.yaml'), { snippetsDir: join(temp.dir, 'snippets') })
    expect(check.failures).toEqual([])
  })

  it('refuses to overwrite existing files and exits 2', async () => {
    process.chdir(temp.dir)
    mkdirSync('fixtures/greet', { recursive: true })
    writeFileSync('fixtures/greet/happy-path.yaml', 'mine\n')
    const { io, stdout, stderr } = captureIO()
    expect(await main(['new', 'greet'], io)).toBe(2)
    expect(stdout()).toBe('')
    expect(stderr()).toBe(`ERR_USAGE: code-action new: refusing to overwrite fixtures/greet/happy-path.yaml\nPick another id, or delete the files first.\n`)
    expect(readFileSync('fixtures/greet/happy-path.yaml', 'utf8')).toBe('mine\n')
    expect(() => readFileSync('snippets/greet.ts')).toThrow()
  })

  it('rejects an id that is not kebab-case', async () => {
    process.chdir(temp.dir)
    const { io, stderr } = captureIO()
    expect(await main(['new', 'Zendesk/LookUp'], io)).toBe(2)
    expect(stderr()).toBe('ERR_USAGE: "Zendesk/LookUp" is not a valid snippet id\nUse lower-case kebab-case names separated by "/", e.g. zendesk/lookup-ticket.\n')
    expect(await main(['new'], captureIO().io)).toBe(2)
  })
})

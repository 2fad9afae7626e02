import { randomBytes } from 'node:crypto'
import { existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { runAction, type FixtureInput, type RunResult } from '../runner/index.ts'

const written: string[] = []
afterAll(() => {
  for (const file of written) rmSync(file, { force: true })
})

function run (source: string, fixture: FixtureInput = {}): Promise<RunResult> {
  return runAction({ source }, fixture)
}

const texts = (result: RunResult): string[] => result.logs.map(l => l.text)

/** Host globals that must never be reachable from inside. */
const HOST_NAMES = ['process', 'require', 'global', 'module', 'exports', 'Buffer', '__dirname', '__filename', 'setImmediate', 'setTimeout', 'queueMicrotask', 'ivm', '_ivm']

/** Each injected global's way to its Function constructor. */
const CHAINS: Record<string, string> = {
  'fetch.constructor': 'fetch.constructor',
  '_.constructor': '_.constructor',
  '_.delay.constructor': '_.delay.constructor',
  'ChatlayerResponseBuilder.constructor': 'ChatlayerResponseBuilder.constructor',
  'ChatlayerResponseBuilder().send.constructor': 'ChatlayerResponseBuilder().send.constructor',
  'ChatlayerResponseBuilder.helpers.makeButtonLink.constructor': 'ChatlayerResponseBuilder.helpers.makeButtonLink.constructor',
  'console.log.constructor': 'console.log.constructor',
  'args.constructor.constructor': 'args.constructor.constructor',
  'this.constructor.constructor': 'this.constructor.constructor',
}

const EXCHANGE = { request: { url: 'https://api.example.com/x' }, response: { json: { a: 1 } } }

/** Source that asks `typeof <name>` through the Function reached by `chain`, for every host name. */
const typeofThrough = (chain: string): string =>
  `console.log(JSON.stringify(${JSON.stringify(HOST_NAMES)}.map(n => (${chain})('return typeof ' + n)())))`

const ALL_UNDEFINED = JSON.stringify(HOST_NAMES.map(() => 'undefined'))

/** A fresh path the action will try to write; registered for clean-up in case it ever succeeds. */
function target (dir: string): string {
  const file = join(dir, `escape-${randomBytes(6).toString('hex')}.txt`)
  written.push(file)
  return file
}

describe('escapes: constructor chains reach nothing of the host', () => {
  it.each(Object.entries(CHAINS))('%s is the sandbox\'s own Function, and through it process, require, global and the rest are undefined', async (_name, chain) => {
    const result = await run(`console.log((${chain}) === Function)\n${typeofThrough(chain)}`, { args: { a: 1 } })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['true', ALL_UNDEFINED])
  })

  it("fetch.constructor('return process')() throws ReferenceError: process is not defined", async () => {
    const result = await run("const p = fetch.constructor('return process')()")
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('ReferenceError: process is not defined')
  })

  it("the Function behind a Response's .json, .headers.get and .clone reaches nothing", async () => {
    const result = await run(`
      const r = await fetch('https://api.example.com/x')
      ${typeofThrough('r.json.constructor')}
      ${typeofThrough('r.headers.get.constructor')}
      ${typeofThrough('r.constructor.constructor')}
      ${typeofThrough('r.json().constructor.constructor')}`, { http: [EXCHANGE] })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual([ALL_UNDEFINED, ALL_UNDEFINED, ALL_UNDEFINED, ALL_UNDEFINED])
  })

  it('errors thrown by fetch lead to nothing: a TypeError, a network FetchError and an unmatched FetchError', async () => {
    const result = await run(`
      const caught = []
      try { await fetch('/relative') } catch (e) { caught.push(e) }
      try { await fetch('https://down.example.com/') } catch (e) { caught.push(e) }
      try { await fetch('https://unmatched.example.com/') } catch (e) { caught.push(e) }
      for (const e of caught) {
        console.log(e.name, e.constructor.constructor === Function, Object.getPrototypeOf(e).constructor.constructor === Function)
        ${typeofThrough('e.constructor.constructor')}
      }`, { http: [EXCHANGE, { request: { url: 'https://down.example.com/' }, error: { code: 'ECONNREFUSED' } }] })
    expect(texts(result)).toEqual([
      'TypeError true true', ALL_UNDEFINED,
      'FetchError true true', ALL_UNDEFINED,
      'FetchError true true', ALL_UNDEFINED,
    ])
  })

  it('the AsyncFunction and GeneratorFunction constructors reach nothing either', async () => {
    const result = await run(`
      const AsyncFunction = (async function () {}).constructor
      console.log(await AsyncFunction('return typeof process + typeof require + typeof global')())
      const GeneratorFunction = (function * () {}).constructor
      console.log(GeneratorFunction('yield typeof process')().next().value)`)
    expect(texts(result)).toEqual(['undefinedundefinedundefined', 'undefined'])
  })

  it('the global reached through Function("return this") has only the platform\'s globals', async () => {
    const result = await run(`
      const g = fetch.constructor('return this')()
      console.log(g === globalThis, ['args', '_', 'fetch', 'console', 'ChatlayerResponseBuilder'].every(n => n in g), 'process' in g, 'require' in g)`)
    expect(texts(result)).toEqual(['true true false false'])
  })
})

describe('escapes: no file is written', () => {
  it('no chain can write a file on the host', async () => {
    const files = [target(tmpdir()), target(fileURLToPath(new URL('./fixtures/sandbox/', import.meta.url)))]
    const result = await run(`
      const attempts = []
      for (const path of [args.tmpFile, args.repoFile]) {
        for (const [name, F] of Object.entries({ fetch: fetch.constructor, lodash: _.constructor, builder: ChatlayerResponseBuilder.constructor, log: console.log.constructor, args: args.constructor.constructor })) {
          try { F('path', "process.mainModule.require('fs').writeFileSync(path, 'escaped')")(path); attempts.push(name + ' wrote') } catch (e) { attempts.push(name + ' ' + e.name) }
          try { F('path', "require('fs').writeFileSync(path, 'escaped')")(path); attempts.push(name + ' wrote') } catch (e) { attempts.push(name + ' ' + e.name) }
          try { F('path', "global.process.binding('fs')")(path); attempts.push(name + ' wrote') } catch (e) { attempts.push(name + ' ' + e.name) }
        }
        try { const fs = await import('fs'); fs.writeFileSync(path, 'escaped'); attempts.push('import wrote') } catch (e) { attempts.push('import failed') }
      }
      console.log(attempts.filter(a => a.endsWith(' wrote')).join(',') || 'none wrote')
      ChatlayerResponseBuilder().send()`, { args: { tmpFile: { text: files[0] }, repoFile: { text: files[1] } } })
    expect(texts(result)).toEqual(['none wrote'])
    for (const file of files) expect(existsSync(file)).toBe(false)
  })
})

import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from './helpers/temp.ts'

const PACKAGE_ROOT = process.cwd()
const VITEST_VERSION = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules/vitest/package.json'), 'utf8')).version as string
const temp = tempDir('code-action-user-project-')
afterAll(() => temp.remove())

function write (file: string, text: string): void {
  mkdirSync(join(temp.dir, file, '..'), { recursive: true })
  writeFileSync(join(temp.dir, file), text)
}

/**
 * Installs this package by local path. npm links a `file:` folder; the cache of this repo's own
 * install has vitest. When npm cannot do it offline, the same layout is made by hand.
 */
function install (): string {
  const npm = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: temp.dir, encoding: 'utf8', timeout: 60_000 })
  if (npm.status === 0 && existsSync(join(temp.dir, 'node_modules/vitest/vitest.mjs'))) return 'npm install'
  rmSync(join(temp.dir, 'node_modules'), { recursive: true, force: true })
  mkdirSync(join(temp.dir, 'node_modules'))
  symlinkSync(PACKAGE_ROOT, join(temp.dir, 'node_modules/chatlayer-code-actions'))
  symlinkSync(join(PACKAGE_ROOT, 'node_modules/vitest'), join(temp.dir, 'node_modules/vitest'))
  return `symlinks (npm said: ${(npm.stderr || npm.error?.message || '').trim().split('\n')[0]})`
}

describe('a user project outside this repo', () => {
  it('installs the package by path, scaffolds an action, and passes vitest with the matchers and the config preset', () => {
    write('package.json', JSON.stringify({
      name: 'my-bot',
      private: true,
      type: 'module',
      scripts: { test: 'vitest run' },
      devDependencies: { 'chatlayer-code-actions': `file:${PACKAGE_ROOT}`, vitest: VITEST_VERSION },
    }, null, 2))
    // The three lines: the config preset (two) and the import in the test (one).
    write('vitest.config.ts', "import { defineCodeActionConfig } from 'chatlayer-code-actions/vitest-config'\nexport default defineCodeActionConfig()\n")
    write('actions/weather.js', `// The user's own code action, as pasted into the Chatlayer editor.
const response = await fetch('https://api.weather.example/v1/now?city=' + encodeURIComponent(args.city))
if (!response.ok) {
  ChatlayerResponseBuilder().addMessage('No weather today, sorry.').setNextDialogState(args.errorState).send()
  return
}
const { temperature } = await response.json()
ChatlayerResponseBuilder()
  .addMessage(\`It is \${temperature} °C in \${args.city}\`)
  .addSessionVariable('weather', { city: args.city, temperature })
  .setNextDialogState(args.nextState)
  .send()
`)
    write('fixtures/weather/ghent.yaml', `description: reports the temperature
action: ../../actions/weather.js
session: { user: { city: Ghent } }
args:
  city: { variable: user.city }
  nextState: { dialogstate: ds-weather }
  errorState: { dialogstate: ds-sorry }
http:
  - request: { method: GET, url: "https://api.weather.example/v1/now?city=Ghent" }
    response: { json: { temperature: 14 } }
expect:
  nextDialogState: ds-weather
  session: { weather: { city: Ghent, temperature: 14 } }
`)
    write('test/weather.test.ts', `import { describe, expect, it } from 'vitest'
import { fixtureTests, runFixture } from 'chatlayer-code-actions/vitest'

describe('weather', () => {
  fixtureTests('fixtures/weather')

  it('reports the temperature', async () => {
    const result = await runFixture('actions/weather.js', 'fixtures/weather/ghent.yaml')
    expect(result).toSucceed()
    expect(result).toSendText('It is 14 °C in Ghent')
    expect(result).toHaveRequested('GET', 'https://api.weather.example/v1/now?city=Ghent')
    expect(result).toWriteSession({ weather: { temperature: 14 } })
    expect(result).toJumpTo('ds-weather')
  })

  it('apologises when the API fails', async () => {
    const result = await runFixture('actions/weather.js', {
      args: { city: { text: 'Ghent' }, errorState: { dialogstate: 'ds-sorry' } },
      http: [{ request: { url: 'https://api.weather.example/v1/now?city=Ghent' }, response: { status: 503 } }],
    })
    expect(result).toSendText(/sorry/)
    expect(result).toJumpTo('ds-sorry')
    expect(result).not.toFailWith('ERR_HTTP_UNMATCHED')
  })
})
`)
    const how = install()

    const scaffold = spawnSync(process.execPath, ['node_modules/chatlayer-code-actions/bin/code-action.js', 'new', 'hello/wave'], { cwd: temp.dir, encoding: 'utf8', timeout: 30_000 })
    expect(scaffold.stderr).toBe('')
    expect(scaffold.status).toBe(0)

    const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run'], {
      cwd: temp.dir, encoding: 'utf8', timeout: 90_000, env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    })
    const output = `${vitest.stdout}\n${vitest.stderr}`
    expect({ how, status: vitest.status, output }).toMatchObject({ status: 0 })
    expect(output).toMatch(/Test Files {2}2 passed \(2\)/)
    expect(output).toMatch(/Tests {2}5 passed \(5\)/)
  }, 120_000)
})

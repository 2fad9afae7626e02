import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkFixture, fixtureTests, formatFixtureFailure, runFixture, runScenario } from '../../test-kit/index.ts'
import { defineCodeActionConfig } from '../../test-kit/config.js'

const KIT = 'test/fixtures/testing/kit'

describe('runFixture', () => {
  it('runs an action file against a fixture object in one call', async () => {
    const result = await runFixture('test/fixtures/testing/actions/greet.js', { args: { name: { text: 'Ada' }, menu: { dialogstate: 'ds-menu' } } })
    expect(result.ok).toBe(true)
    expect(result.action).toBe('test/fixtures/testing/actions/greet.js')
    expect(result.fixture).toBeNull()
    expect(result.nextDialogState).toBe('ds-menu')
  })

  it('runs a fixture file with its own action when the action is undefined', async () => {
    const result = await runFixture(undefined, `${KIT}/greet.yaml`)
    expect(result.fixture).toBe('test/fixtures/testing/kit/greet.yaml')
    expect(result).toWriteSession({ greeting: { name: 'Ada' } })
  })

  it('runs source text, and never rejects for the action\'s own error', async () => {
    const result = await runFixture('throw new Error("nope")', {})
    expect(result).toFailWith('ERR_ACTION_THREW', 'Error: nope')
  })

  it('rejects for an exit-code-2 problem', async () => {
    await expect(runFixture('test/fixtures/testing/actions/none.js', {})).rejects.toMatchObject({ code: 'ERR_ACTION_NOT_FOUND' })
  })

  it('resolves a fixture with steps to its last step, with the scenario attached', async () => {
    const result = await runFixture(undefined, `${KIT}/book.yaml`)
    expect(result).toJumpTo('ds-done')
    expect(result).toSendText('You chose yes on mon (in ds-confirm)')
    expect(result.scenario!.steps).toHaveLength(2)
  })

  it('applies run options such as the timeout', async () => {
    const result = await runFixture('await new Promise(() => {})', {}, { timeoutMs: 200 })
    expect(result).toFailWith('ERR_TIMEOUT')
  })
})

describe('runScenario', () => {
  it('resolves to every step', async () => {
    const scenario = await runScenario(`${KIT}/book.yaml`)
    expect(scenario.passed).toBe(true)
    expect(scenario.steps.map(s => s.result!.nextDialogState)).toEqual([null, 'ds-done'])
  })
})

describe('fixtureTests', () => {
  fixtureTests(KIT)

  it('registered one test per fixture that names an action, named by path and description', ({ task }) => {
    expect(task.suite!.tasks.map(t => t.name)).toEqual([
      'book.yaml — books a slot through a quick reply',
      'greet.yaml — greets Ada',
      'sub/no-expect.yaml',
      'registered one test per fixture that names an action, named by path and description',
    ])
  })
})

describe('fixtureTests with an action for fixtures that name none', () => {
  fixtureTests(`${KIT}/data-only.yaml`, { action: 'test/fixtures/testing/actions/greet.js' })

  it('registered the data-only fixture', ({ task }) => {
    expect(task.suite!.tasks.map(t => t.name)).toEqual(['data-only.yaml', 'registered the data-only fixture'])
  })
})

describe('formatFixtureFailure', () => {
  it('shows each failed expectation, then what the action did', async () => {
    const check = await checkFixture('test/fixtures/testing/kit-failing/wrong-jump.yaml')
    expect(check.passed).toBe(false)
    expect(formatFixtureFailure(check)).toBe(`test/fixtures/testing/kit-failing/wrong-jump.yaml: 1 expectation failed
  nextDialogState
    expected: "ds-home"
    actual:   "ds-menu"

What the action did:
  jump: → ds-menu
  messages:
    💬 Hello Ada!
  session changes:
    greeting: null → {"name":"Ada"}
  requests: none
  error: none`)
  })

  it('says which step a scenario stopped at', async () => {
    const check = await checkFixture('test/fixtures/testing/kit-failing/scenario.yaml')
    expect(formatFixtureFailure(check)).toContain(`test/fixtures/testing/kit-failing/scenario.yaml: 1 expectation failed
  steps[1].click
    expected: "a quick reply or button titled \\"Maybe\\""
    actual:   ["Yes","No","Terms","Talk to a human"]
    (no quick reply or button titled "Maybe"; the previous step offered: "Yes", "No", "Terms", "Talk to a human")

Last step (2 of 2): What the action did:`)
  })
})

describe('fixtureTests failures in vitest', () => {
  it('fail each broken fixture\'s own test with the diff, the tool error or the click problem', () => {
    const run = spawnSync(process.execPath, [
      'node_modules/vitest/vitest.mjs', 'run', '--root', 'test/fixtures/testing/kit-failing', '--reporter=json',
    ], { encoding: 'utf8', timeout: 60_000 })
    rmSync(join(tmpdir(), 'code-action-kit-failing'), { recursive: true, force: true })
    expect(run.status).toBe(1)
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')))
    const tests = report.testResults[0].assertionResults.map((t: any) => ({ title: t.title, status: t.status, message: t.failureMessages[0]?.split('\n    at ')[0] }))
    expect(tests.map((t: any) => [t.title, t.status])).toEqual([
      ['bad.yaml', 'failed'],
      ['scenario.yaml — clicks a button that is not there', 'failed'],
      ['wrong-jump.yaml — expects the wrong jump', 'failed'],
    ])
    expect(tests[0].message).toBe('ToolError: test/fixtures/testing/kit-failing/bad.yaml:3:3: "expect.nextDialogStat" is not a known key\nDid you mean "nextDialogState"? Known keys here: error, nextDialogState, messages, session, sends, requests, warnings.')
    expect(tests[1].message).toContain('Error: test/fixtures/testing/kit-failing/scenario.yaml: 1 expectation failed\n  steps[1].click\n')
    expect(tests[2].message).toContain('Error: test/fixtures/testing/kit-failing/wrong-jump.yaml: 1 expectation failed\n  nextDialogState\n    expected: "ds-home"\n    actual:   "ds-menu"\n\nWhat the action did:\n  jump: → ds-menu\n')
  })
})

describe('defineCodeActionConfig', () => {
  it('runs tests in forks with --no-node-snapshot and generous timeouts', () => {
    expect(defineCodeActionConfig().test).toEqual({
      pool: 'forks',
      poolOptions: { forks: { execArgv: ['--no-node-snapshot'] } },
      testTimeout: 30_000,
      hookTimeout: 30_000,
    })
  })

  it('merges the project\'s own settings over the preset', () => {
    const config = defineCodeActionConfig({ test: { include: ['spec/**/*.spec.ts'], testTimeout: 5_000 } })
    expect(config.test).toMatchObject({ pool: 'forks', include: ['spec/**/*.spec.ts'], testTimeout: 5_000 })
  })
})

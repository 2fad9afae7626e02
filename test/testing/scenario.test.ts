import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../runner/cli/main.ts'
import { SandboxPool } from '../../runner/sandbox/pool.ts'
import { checkFixture, findClick, runScenario } from '../../runner/scenario.ts'
import type { Message } from '../../runner/types.ts'
import { captureIO } from './helpers/io.ts'

const DIR = 'test/fixtures/testing/scenarios'
const pool = new SandboxPool(2)
afterAll(() => pool.close())
const context = { pool }
const options = { isolate: 'pooled' as const }

describe('runScenario', () => {
  it('carries the session, applies a click\'s params and follows its dialog state', async () => {
    const scenario = await runScenario(`${DIR}/book.yaml`, options, context)
    expect(scenario.failures).toEqual([])
    expect(scenario.passed).toBe(true)
    expect(scenario.steps.map(s => [s.action, s.dialogState, s.click?.title ?? null])).toEqual([
      ['../actions/menu.js', 'ds-menu', null],
      ['../actions/confirm.js', 'ds-confirm', 'Yes'],
    ])
    expect(scenario.steps[1].click).toEqual({ title: 'Yes', params: [{ key: 'choice', value: 'yes' }, { key: 'slot', value: { day: 'mon' } }], nextDialogstateId: 'ds-confirm' })
    expect(scenario.steps[1].result!.messages[0].config.textMessages[0].text).toBe('You chose yes on mon (in ds-confirm)')
    expect(scenario.session).toEqual({
      internal: { channel: 'web', currentDialogstate: { id: 'ds-done' }, previousDialogstate: { id: 'ds-confirm' } },
      menu: { shown: true },
      choice: 'yes',
      slot: { day: 'mon' },
      booking: { status: 'booked' },
    })
  })

  it('fails clearly on an unknown click title, listing the titles the previous step offered', async () => {
    const scenario = await runScenario(`${DIR}/unknown-click.yaml`, options, context)
    expect(scenario.passed).toBe(false)
    expect(scenario.steps).toHaveLength(2)
    expect(scenario.steps[1].result).toBeNull()
    expect(scenario.failures).toEqual([{
      path: 'steps[1].click',
      expected: 'a quick reply or button titled "Maybe"',
      actual: ['Yes', 'No', 'Terms', 'Talk to a human'],
      note: 'no quick reply or button titled "Maybe"; the previous step offered: "Yes", "No", "Terms", "Talk to a human"',
    }])
  })

  it('refuses to click a URL button: it never reaches the bot', async () => {
    const scenario = await runScenario(`${DIR}/url-click.yaml`, options, context)
    expect(scenario.failures[0].note).toBe('"Terms" is a URL button (https://example.com/terms): clicking it opens a page and never reaches the bot')
  })

  it('rejects a click in the first step with the file and line (exit-code-2 problem)', async () => {
    await expect(runScenario(`${DIR}/first-click.yaml`, options, context)).rejects.toThrow(
      'test/fixtures/testing/scenarios/first-click.yaml:3:12: "steps[0].click" has no previous step to click in\n' +
      'A click follows a quick reply or button of the step before it; run the step that shows the buttons first.')
  })

  it('rejects a step without an action when the fixture names none', async () => {
    await expect(runScenario(`${DIR}/no-action.yaml`, options, context)).rejects.toMatchObject({
      code: 'ERR_FIXTURE',
      message: 'test/fixtures/testing/scenarios/no-action.yaml:2:5: "steps[0]" has no action and the fixture has no top-level "action"\nGive the step an "action:", or name one at the top of the fixture for every step.',
    })
  })

  it('runs the top-level action in steps that name none, with step args over the top-level ones', async () => {
    const scenario = await runScenario(`${DIR}/inherit.yaml`, options, context)
    expect(scenario.failures).toEqual([])
    expect(scenario.steps.map(s => s.result!.session.counter)).toEqual([{ count: 1 }, { count: 2 }, { count: 11 }])
  })

  it('checks the top-level expect against the last step', async () => {
    const scenario = await runScenario(`${DIR}/inherit.yaml`, options, context)
    expect(scenario.steps.at(-1)!.result!.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'run 11' }] } }])
    const failing = await runScenario({
      action: 'test/fixtures/testing/actions/counter.js',
      steps: [{ args: {} }],
      expect: { nextDialogState: 'ds-x' },
    } as any, options, context)
    expect(failing.failures).toEqual([{ path: 'nextDialogState', expected: 'ds-x', actual: null }])
  })

  it('stops at the first step with a failure; later steps do not run', async () => {
    const scenario = await runScenario(`${DIR}/stops.yaml`, options, context)
    expect(scenario.steps).toHaveLength(2)
    expect(scenario.totalSteps).toBe(3)
    expect(scenario.failures).toEqual([{ path: 'steps[1].session.counter.count', expected: 5, actual: 2 }])
  })

  it('offers the shared http list to every step after the step\'s own exchanges', async () => {
    const scenario = await runScenario(`${DIR}/shared-http.yaml`, options, context)
    expect(scenario.failures).toEqual([])
    expect(scenario.steps.map(s => s.result!.session.health)).toEqual([{ state: 'green' }, { state: 'red' }])
    expect(scenario.steps.flatMap(s => s.result!.warnings)).toEqual([])
    expect(scenario.warnings).toEqual(['HTTP exchange #2 of the shared "http" list (GET https://status.example.com/api/v1/unused) was never used by any step'])
  })

  it('fails a step whose action errors even when the step has no expect block', async () => {
    const scenario = await runScenario({
      action: 'test/fixtures/testing/actions/counter.js',
      steps: [{ args: { fail: true } }, { args: {} }],
    } as any, options, context)
    expect(scenario.steps).toHaveLength(1)
    expect(scenario.failures).toEqual([{ path: 'steps[0].error', expected: null, actual: 'ERR_ACTION_THREW', note: 'Error: asked to fail' }])
  })
})

describe('findClick', () => {
  const carousel: Message = {
    type: 'carousel',
    config: { elements: [{ title: 'Card', buttons: [{ type: 'postback', title: 'Pick', payload: { nextDialogstateId: 'ds-pick', params: [{ key: 'card', value: 1 }] } }] }] },
  }

  it('finds postback buttons inside carousel cards', () => {
    expect(findClick([carousel], 'Pick')).toEqual({ title: 'Pick', params: [{ key: 'card', value: 1 }], nextDialogstateId: 'ds-pick' })
  })

  it('says when the previous step offered no button at all', () => {
    expect(findClick([], 'Yes')).toBe('no quick reply or button titled "Yes": the previous step offered none')
  })

  it('refuses a phone button', () => {
    expect(findClick([{ type: 'buttons', config: { buttons: [{ type: 'phone_number', title: 'Call', payload: '+32 2 123' }] } }], 'Call'))
      .toBe('"Call" is a phone button (+32 2 123): clicking it starts a call and never reaches the bot')
  })
})

describe('checkFixture', () => {
  it('keeps fixtures without steps working as before', async () => {
    const check = await checkFixture('test/fixtures/testing/suite/a-greets.yaml', options, context)
    expect(check.passed).toBe(true)
    expect(check.scenario).toBeUndefined()
    expect(check.result!.nextDialogState).toBe('ds-menu')
  })
})

describe('code-action run with a scenario', () => {
  const normalise = (text: string): string => text.replace(/\(\d+(\.\d+)? ms\)/g, '(… ms)')

  it('prints each step\'s report and exits 0', async () => {
    const { io, stdout } = captureIO()
    expect(await main(['run', `${DIR}/book.yaml`], io)).toBe(0)
    expect(normalise(stdout())).toBe(`── step 1/2: ../actions/menu.js
✔ ran test/fixtures/testing/actions/menu.js with test/fixtures/testing/scenarios/book.yaml (… ms)

Messages
  💬 Shall I book it?
     (quick reply) [Yes] → ds-confirm with choice="yes", slot={"day":"mon"}
     (quick reply) [No] → ds-cancel with choice="no"
  💬 Or read more
     (button) [Terms] → https://example.com/terms
     (button) [Talk to a human] → ds-human

Next dialog state
  none: the dialog's own Go To applies

Session changes
  menu: null → {"shown":true}

── step 2/2: ../actions/confirm.js after clicking "Yes" → ds-confirm
✔ ran test/fixtures/testing/actions/confirm.js with test/fixtures/testing/scenarios/book.yaml (… ms)

Messages
  💬 You chose yes on mon (in ds-confirm)

Next dialog state
  → ds-done

Session changes
  booking: null → {"status":"booked"}
`)
  })

  it('exits 1 and says why when a click fails', async () => {
    const { io, stdout } = captureIO()
    expect(await main(['run', `${DIR}/unknown-click.yaml`], io)).toBe(1)
    expect(normalise(stdout())).toContain(`── step 2/2: ../actions/confirm.js

Failed
  steps[1].click
    expected: "a quick reply or button titled \\"Maybe\\""
    actual:   ["Yes","No","Terms","Talk to a human"]
    (no quick reply or button titled "Maybe"; the previous step offered: "Yes", "No", "Terms", "Talk to a human")`)
  })

  it('prints every step under --json', async () => {
    const { io, stdout } = captureIO()
    expect(await main(['run', `${DIR}/inherit.yaml`, '--json'], io)).toBe(0)
    const report = JSON.parse(stdout())
    expect(report.ok).toBe(true)
    expect(report.steps.map((s: any) => s.result.session.counter.count)).toEqual([1, 2, 11])
    expect(report.steps[0]).toMatchObject({ index: 0, action: '../actions/counter.js', click: null, failures: [] })
  })
})

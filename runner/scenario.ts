import type { ActionInput } from './action.ts'
import { ToolError } from './errors.ts'
import { checkExpectations, prefixFailures, type ExpectationFailure } from './expect.ts'
import { actionRelativeTo, displayPath, readFixtureDoc, toFixture } from './fixtures/index.ts'
import { runAction, type RunContext } from './run.ts'
import type { Fixture, FixtureInput, FixtureStep, HttpExchange, Message, RunOptions, RunResult } from './types.ts'

/** A quick reply or postback button clicked between two steps, as the platform applies it. */
export interface ScenarioClick {
  title: string
  /** The payload's `params`, written to the session as top-level variables. */
  params: Array<{ key: string, value: unknown }>
  /** The dialog state the click leads to, or null when the payload names none. */
  nextDialogstateId: string | null
}

/** One step of a scenario: what ran, in which dialog state, and what it failed. */
export interface StepResult {
  index: number
  /** The action as the fixture names it (the step's own, or the fixture's top-level one). */
  action: string
  /** The dialog state the conversation was in when the step started (null: unknown). */
  dialogState: string | null
  click: ScenarioClick | null
  /** The run, or null when the step could not start (its click failed). */
  result: RunResult | null
  /** Failed expectations and click problems, with paths such as `steps[1].session.ticket.id`. */
  failures: ExpectationFailure[]
}

/** A multi-step scenario: each step's result, the session carried through, and every failure. */
export interface ScenarioResult {
  fixture: string | null
  /** Every step that ran; a step with failures ends the scenario, later steps are not run. */
  steps: StepResult[]
  /** How many steps the fixture has (more than `steps.length` when it stopped early). */
  totalSteps: number
  /** The session after the last step that ran. */
  session: Record<string, unknown>
  /** Every failure: the steps' and those of the top-level `expect` (checked against the last step). */
  failures: ExpectationFailure[]
  /** Scenario-level warnings (a shared exchange no step used). */
  warnings: string[]
  passed: boolean
  durationMs: number
}

/** One fixture run and checked against its expectations: the unit of `code-action test`. */
export interface FixtureCheck {
  fixture: Fixture
  passed: boolean
  failures: ExpectationFailure[]
  /** The run (the last step that ran, for a scenario; null if no step could start). */
  result: RunResult | null
  scenario?: ScenarioResult
  durationMs: number
}

export interface ScenarioOptions extends RunOptions {
  /** The action of steps that name none, instead of the fixture's top-level `action`. */
  action?: ActionInput
}

const isObject = (value: unknown): value is Record<string, any> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Every button a message offers to click: quick replies, button groups, carousel cards. */
export function clickableButtons (messages: Message[]): any[] {
  return messages.flatMap(message => {
    const config: any = message?.config ?? {}
    if (message?.type === 'quickReplies') return Array.isArray(config.quickReplies) ? config.quickReplies : []
    if (message?.type === 'buttons') return Array.isArray(config.buttons) ? config.buttons : []
    if (message?.type === 'carousel') {
      return (Array.isArray(config.elements) ? config.elements : []).flatMap((e: any) => Array.isArray(e?.buttons) ? e.buttons : [])
    }
    return []
  }).filter(isObject)
}

/**
 * Finds the button titled `title` among the messages and reads its payload; the reason string
 * when it cannot be clicked (unknown title, a URL or phone button).
 */
export function findClick (messages: Message[], title: string): ScenarioClick | string {
  const buttons = clickableButtons(messages)
  const titles = buttons.map(b => b.title ?? b.text).filter((t): t is string => typeof t === 'string')
  const button = buttons.find(b => (b.title ?? b.text) === title)
  if (!button) {
    return titles.length
      ? `no quick reply or button titled "${title}"; the previous step offered: ${titles.map(t => `"${t}"`).join(', ')}`
      : `no quick reply or button titled "${title}": the previous step offered none`
  }
  if (button.type === 'web_url') return `"${title}" is a URL button (${button.url}): clicking it opens a page and never reaches the bot`
  if (button.type === 'phone_number') return `"${title}" is a phone button (${button.payload}): clicking it starts a call and never reaches the bot`
  const payload = isObject(button.payload) ? button.payload : {}
  const params = (Array.isArray(payload.params) ? payload.params : [])
    .filter((p: unknown): p is { key: string, value: unknown } => isObject(p) && typeof p.key === 'string' && p.key !== '')
    .map((p: { key: string, value: unknown }) => ({ key: p.key, value: p.value }))
  const next = payload.nextDialogstateId
  return { title, params, nextDialogstateId: typeof next === 'string' && next !== '' ? next : next == null || next === '' ? null : String(next) }
}

/** Moves the session's `internal` dialog-state bookkeeping to `id`, as the platform does on a jump. */
function enterDialogState (session: Record<string, unknown>, id: string): void {
  const internal = isObject(session.internal) ? { ...session.internal } : {}
  if (internal.currentDialogstate !== undefined) internal.previousDialogstate = internal.currentDialogstate
  internal.currentDialogstate = { id }
  session.internal = internal
}

function currentDialogState (session: Record<string, unknown>): string | null {
  const current = isObject(session.internal) ? session.internal.currentDialogstate : undefined
  if (typeof current === 'string') return current
  return isObject(current) && typeof current.id === 'string' ? current.id : null
}

/** `HTTP exchange #N (...) was never used` warnings, for exchanges at or past `from` (0-based). */
function isUnusedWarningFrom (warning: string, from: number): boolean {
  const m = /^HTTP exchange #(\d+) \(/.exec(warning)
  return m !== null && Number(m[1]) - 1 >= from
}

function locate (fixture: Fixture, path: Array<string | number>): string {
  if (!fixture.file) return '<fixture object>'
  try { return readFixtureDoc(fixture.file).where(path) } catch { return displayPath(fixture.file) }
}

function stepActions (fixture: Fixture, fallback: ActionInput | undefined): ActionInput[] {
  const steps = fixture.steps ?? []
  if (steps[0]?.click !== undefined) {
    throw new ToolError('ERR_FIXTURE', `${locate(fixture, ['steps', 0, 'click'])}: "steps[0].click" has no previous step to click in`,
      'A click follows a quick reply or button of the step before it; run the step that shows the buttons first.')
  }
  return steps.map((step, index) => {
    const action = step.action !== undefined ? actionRelativeTo(fixture, step.action) : fallback ?? (fixture.action ? actionRelativeTo(fixture, fixture.action) : undefined)
    if (action === undefined) {
      throw new ToolError('ERR_FIXTURE', `${locate(fixture, ['steps', index])}: "steps[${index}]" has no action and the fixture has no top-level "action"`,
        'Give the step an "action:", or name one at the top of the fixture for every step.')
    }
    return action
  })
}

const actionName = (action: ActionInput): string => typeof action === 'string' ? action : action.name ?? 'inline'

/**
 * Runs a multi-step scenario (fixture `steps:`): the session carries from step to step, a `click:`
 * applies a button of the previous step, each step's `expect` is checked, and the first step with
 * a failure ends it. Throws a ToolError (exit 2) when the fixture cannot run at all.
 */
export async function runScenario (fixtureInput: FixtureInput, options: ScenarioOptions = {}, context: RunContext = {}): Promise<ScenarioResult> {
  const started = performance.now()
  const fixture = toFixture(fixtureInput)
  if (!fixture.steps?.length) {
    throw new ToolError('ERR_USAGE', `${fixture.file ? displayPath(fixture.file) : 'the fixture'} has no "steps"`, 'Use runAction for a single run, or add a "steps:" list.')
  }
  const { action: fallback, ...runOptions } = options
  const actions = stepActions(fixture, fallback)
  const names = fixture.steps.map(step => step.action ?? (fallback !== undefined ? actionName(fallback) : fixture.action!))
  const shared = fixture.http
  const sharedUsed = new Set<number>()
  let session: Record<string, unknown> = structuredClone(fixture.session)
  let previous: RunResult | null = null
  const steps: StepResult[] = []
  const failures: ExpectationFailure[] = []

  for (const [index, step] of fixture.steps.entries()) {
    const prefix = `steps[${index}]`
    let click: ScenarioClick | null = null
    if (step.click !== undefined) {
      const found = findClick(previous?.messages ?? [], step.click)
      if (typeof found === 'string') {
        const stepFailures = [{ path: `${prefix}.click`, expected: `a quick reply or button titled "${step.click}"`, actual: clickableTitles(previous), note: found }]
        steps.push({ index, action: names[index], dialogState: currentDialogState(session), click: null, result: null, failures: stepFailures })
        failures.push(...stepFailures)
        break
      }
      click = found
      session = structuredClone(session)
      for (const { key, value } of found.params) if (key !== 'internal') session[key] = value
      if (found.nextDialogstateId) enterDialogState(session, found.nextDialogstateId)
    }
    const result = await runAction(actions[index], stepFixture(fixture, step, session), runOptions, context)
    for (const request of result.requests) {
      if (request.exchange !== undefined && request.exchange >= step.http.length) sharedUsed.add(request.exchange - step.http.length)
    }
    result.warnings = result.warnings.filter(w => !isUnusedWarningFrom(w, step.http.length))
    const stepFailures = prefixFailures(checkExpectations(result, step.expect ?? {}), prefix)
    steps.push({ index, action: names[index], dialogState: currentDialogState(session), click, result, failures: stepFailures })
    failures.push(...stepFailures)
    session = result.session
    if (result.nextDialogState) {
      session = structuredClone(session)
      enterDialogState(session, result.nextDialogState)
    }
    previous = result
    if (stepFailures.length > 0) break
  }

  const complete = steps.length === fixture.steps.length && failures.length === 0
  if (complete && fixture.expect && previous) failures.push(...checkExpectations(previous, fixture.expect))
  const warnings = shared
    .map((exchange, i) => ({ exchange, i }))
    .filter(({ i }) => complete && !sharedUsed.has(i))
    .map(({ exchange, i }) => `HTTP exchange #${i + 1} of the shared "http" list (${exchange.request.method?.toUpperCase() ?? '*'} ${exchange.request.url ?? exchange.request.urlPattern}) was never used by any step`)
  return {
    fixture: fixture.file ? displayPath(fixture.file) : null,
    steps,
    totalSteps: fixture.steps.length,
    session,
    failures,
    warnings,
    passed: failures.length === 0,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  }
}

function clickableTitles (result: RunResult | null): string[] {
  return clickableButtons(result?.messages ?? []).map(b => b.title ?? b.text).filter((t): t is string => typeof t === 'string')
}

/** The fixture one step runs against: its args over the top-level ones, its exchanges then the shared ones. */
function stepFixture (fixture: Fixture, step: FixtureStep, session: Record<string, unknown>): FixtureInput {
  const http: HttpExchange[] = [...step.http, ...fixture.http]
  return { file: fixture.file, session, args: { ...fixture.args, ...step.args }, http, options: fixture.options }
}

/**
 * Runs a fixture (one action, or a scenario of steps) and checks its expectations. A fixture
 * without `expect` passes when the run has no error.
 */
export async function checkFixture (fixtureInput: FixtureInput, options: ScenarioOptions = {}, context: RunContext = {}): Promise<FixtureCheck> {
  const started = performance.now()
  const fixture = toFixture(fixtureInput)
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10
  if (fixture.steps?.length) {
    const scenario = await runScenario(fixture, options, context)
    const last = [...scenario.steps].reverse().find(s => s.result)?.result ?? null
    return { fixture, passed: scenario.passed, failures: scenario.failures, result: last, scenario, durationMs: elapsed() }
  }
  const { action, ...runOptions } = options
  const result = await runAction(action, fixture, runOptions, context)
  const failures = checkExpectations(result, fixture.expect ?? {})
  return { fixture, passed: failures.length === 0, failures, result, durationMs: elapsed() }
}

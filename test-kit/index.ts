import './matchers.ts'

export { runFixture, runScenario, checkFixture, testPool, closeTestPool, type FixtureRunResult } from './run.ts'
export { fixtureTests, formatFixtureFailure } from './fixtures.ts'
export { codeActionMatchers, type CodeActionMatchers } from './matchers.ts'
export { describeRun, sentTexts } from './describe.ts'
export type { FixtureCheck, ScenarioOptions, ScenarioResult, StepResult, ScenarioClick } from '../runner/scenario.ts'
export type * from '../runner/types.ts'

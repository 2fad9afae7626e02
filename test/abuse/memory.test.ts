import { beforeAll, describe, expect, it } from 'vitest'
import { runAbuse, texts, warmUp, type AbuseRun } from './harness.ts'

beforeAll(warmUp)
// The deadline is generous: under a loaded machine (four test forks on two cores) a 32 MB heap can
// take over two seconds to fill, and a deadline hit first would report ERR_TIMEOUT.
const small = { timeoutMs: 5_000, memoryMb: 32 }
const MEMORY_MESSAGE = /^the action (used more than about 32 MB of heap|exhausted the isolate heap) \(option memoryMb\)/
/** The sandbox watchdog kills a process that stops answering for timeoutMs + 5 s. */
const WATCHDOG_GRACE_MS = 5_000

function expectRecovered ({ next, pidsAfter }: AbuseRun): void {
  expect(next.error, next.error?.message).toBeNull()
  expect(texts(next)).toEqual(['alive'])
  // The next run ran in a sandbox process (a replacement, when the old one died).
  expect(pidsAfter.length).toBeGreaterThan(0)
}

/** A trivial action that lasts half a second: long enough to be hit by a sandbox dying late. */
const SLOW_NEXT = "await new Promise(resolve => _.delay(resolve, 500)); ChatlayerResponseBuilder().addMessage('alive').send()"

describe('abuse: memory growth and deep recursion', () => {
  it('an array grown by push in a loop is ERR_MEMORY and the next run succeeds', async () => {
    // V8 collects harder and harder as the heap nears its limit: with six test workers on two
    // cores this took over 5 s once, and the deadline must not be what stops it.
    const limits = { ...small, timeoutMs: 10_000 }
    const run = await runAbuse('const a = []; while (true) a.push({ x: Math.random(), y: "y" + Math.random() })', limits)
    expect(run.result.error?.code, run.result.error?.message).toBe('ERR_MEMORY')
    expect(run.result.error?.message).toMatch(MEMORY_MESSAGE)
    expect(run.elapsedMs).toBeLessThan(limits.timeoutMs + 1_000)
    expectRecovered(run)
  })

  it('a string doubled in place hits the engine\'s length limit: ERR_ACTION_THREW "Invalid string length"', async () => {
    const run = await runAbuse("let s = 'x'; while (true) s += s", small)
    expect(run.result.error?.code, run.result.error?.message).toBe('ERR_ACTION_THREW')
    expect(run.result.error?.message).toBe('RangeError: Invalid string length')
    expectRecovered(run)
  })

  it('a string doubled and flattened each round is ERR_MEMORY', async () => {
    const run = await runAbuse("let s = 'xy'; while (true) s = (s + s).split('').reverse().join('')", small)
    expect(run.result.error?.code, run.result.error?.message).toBe('ERR_MEMORY')
    expect(run.result.error?.message).toMatch(MEMORY_MESSAGE)
    expectRecovered(run)
  })

  it('new Uint8Array(2 ** 31) is refused with a RangeError the action can see, and the host keeps its memory', async () => {
    const rssBefore = process.memoryUsage().rss
    const run = await runAbuse('const bytes = new Uint8Array(2 ** 31); bytes[1] = 1', small)
    expect(run.result.error?.code, run.result.error?.message).toBe('ERR_ACTION_THREW')
    expect(run.result.error?.message).toBe('RangeError: Array buffer allocation failed')
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024)
    expectRecovered(run)
  })

  it('a Map grown without bound is ERR_MEMORY, and the next run is not hit by the old process\'s death', async () => {
    // A generous deadline: on a loaded machine the Map must still reach the heap limit first.
    const run = await runAbuse('const m = new Map(); for (let i = 0; ; i++) m.set(i, { i })', { timeoutMs: 10_000, memoryMb: 32 })
    expect(run.result.error?.code, run.result.error?.message).toBe('ERR_MEMORY')
    expect(run.result.error?.message).toMatch(/memoryMb/)
    expectRecovered(run)
  })

  // The one allocation that wedges V8 at the default heap limit: depending on timing the isolate
  // times out, or isolated-vm declares it lost (catastrophic error) and the sandbox process is
  // replaced. Either way the run must end with a coded, explained error before the watchdog, and
  // the following run, which takes half a second so that a sandbox process dying late would take
  // it down, must work.
  it('new Array(2e8).fill(0) at the default memory ends in ERR_MEMORY or ERR_TIMEOUT, twice in a row, and each next run succeeds', async () => {
    const runs: AbuseRun[] = []
    for (let i = 0; i < 2; i++) runs.push(await runAbuse('await 1; new Array(2e8).fill(0)', { timeoutMs: 2_000 }, {}, SLOW_NEXT))
    for (const run of runs) {
      const { code, message } = run.result.error ?? {}
      expect(['ERR_MEMORY', 'ERR_TIMEOUT'], message).toContain(code)
      expect(message).toMatch(code === 'ERR_MEMORY' ? /\(option memoryMb\)/ : /\(option timeoutMs\)/)
      expect(run.elapsedMs).toBeLessThan(2_000 + WATCHDOG_GRACE_MS)
      expectRecovered(run)
    }
  }, 60_000)

  it('unbounded recursion is the action\'s ERR_ACTION_THREW RangeError, not a host failure', async () => {
    const run = await runAbuse('function dive (n) { return dive(n + 1) + 1 }\ndive(0)', small)
    expect(run.result.error?.code, run.result.error?.message).toBe('ERR_ACTION_THREW')
    expect(run.result.error?.message).toBe('RangeError: Maximum call stack size exceeded')
    // The stack is the action's own frames, mapped to its text; no runtime or host frame.
    const frames = run.result.error?.stack?.split('\n').slice(1) ?? []
    expect(frames.length).toBeGreaterThan(0)
    for (const frame of frames) expect(frame).toMatch(/^ {4}at dive \(action\.js:1:\d+\)$/)
    expectRecovered(run)
  })

  it('a flood of promises that are all awaited resolves normally', async () => {
    const run = await runAbuse(`
      const values = await Promise.all(Array.from({ length: 100000 }, (_, i) => Promise.resolve(i)))
      ChatlayerResponseBuilder().addMessage('sum ' + values.reduce((a, b) => a + b, 0)).send()`, small)
    expect(run.result.error).toBeNull()
    expect(texts(run.result)).toEqual(['sum 4999950000'])
    expectRecovered(run)
  })

  it('an endless chain of promise jobs is stopped by ERR_MEMORY or ERR_TIMEOUT', async () => {
    // Either stop is right here, so the deadline stays short.
    const limits = { ...small, timeoutMs: 2_000 }
    const run = await runAbuse('const loop = () => Promise.resolve().then(loop); loop(); await new Promise(() => {})', limits)
    expect(['ERR_MEMORY', 'ERR_TIMEOUT'], run.result.error?.message).toContain(run.result.error?.code)
    expect(run.elapsedMs).toBeLessThan(limits.timeoutMs + 1_000)
    expectRecovered(run)
  })

  it('creating pending promises forever is stopped with a coded error', async () => {
    const run = await runAbuse('const kept = []; while (true) kept.push(new Promise(() => {}))', small)
    expect(run.result.error?.code, run.result.error?.message).toBe('ERR_MEMORY')
    expect(run.result.error?.message).toMatch(MEMORY_MESSAGE)
    expectRecovered(run)
  })
})

import { afterAll, describe, expect, it } from 'vitest'
import { runAction, SandboxPool } from '../runner/index.ts'
import { resolveProfile } from '../runner/profile.ts'
import type { Job } from '../runner/sandbox/protocol.ts'
import { mustRecycle } from '../runner/sandbox/recycle.ts'

// One sandbox process, so consecutive runs share the same warm isolate.
const pool = new SandboxPool(1)
afterAll(() => pool.close())

const pooled = { isolate: 'pooled' as const }
const text = (result: Awaited<ReturnType<typeof runAction>>): unknown => result.messages[0]?.config.textMessages[0].text

describe('pooled mode: a warm isolate, a new context per run', () => {
  it('a global set by one run is absent in the next', async () => {
    await runAction('leaked = 42; globalThis.other = 1; ChatlayerResponseBuilder().send()', {}, pooled, { pool })
    const next = await runAction("ChatlayerResponseBuilder().addMessage(typeof leaked + ' ' + typeof other).send()", {}, pooled, { pool })
    expect(text(next)).toBe('undefined undefined')
  })

  it('an Object.prototype change by one run is gone in the next', async () => {
    await runAction("Object.prototype.polluted = 'yes'; Array.prototype.push = () => 0; ChatlayerResponseBuilder().send()", {}, pooled, { pool })
    const next = await runAction("const a = []; a.push(1); ChatlayerResponseBuilder().addMessage(String(({}).polluted) + ' ' + a.length).send()", {}, pooled, { pool })
    expect(text(next)).toBe('undefined 1')
  })

  it('a promise left dangling by one run cannot log, send or fetch into the next', async () => {
    const first = await runAction(`
      _.delay(() => { console.log('late log'); ChatlayerResponseBuilder().addMessage('late send').send(); fetch('https://late.example/') }, 30)
      ChatlayerResponseBuilder().addMessage('first').send()`, {}, pooled, { pool })
    expect(first.warnings).toContain('1 timer was still pending when the action finished: abandoned (await them)')
    const second = await runAction("await new Promise(r => _.delay(r, 100)); ChatlayerResponseBuilder().addMessage('second').send()", {}, pooled, { pool })
    expect(second.logs).toEqual([])
    expect(second.sends).toHaveLength(1)
    expect(text(second)).toBe('second')
    expect(second.requests).toEqual([])
    expect(second.error).toBeNull()
  })

  it('the warm isolate is replaced after a timeout and the next run works', async () => {
    const stuck = await runAction('while (true) {}', {}, { ...pooled, timeoutMs: 300 }, { pool })
    expect(stuck.error?.code).toBe('ERR_TIMEOUT')
    const next = await runAction("ChatlayerResponseBuilder().addMessage('alive').send()", {}, pooled, { pool })
    expect(text(next)).toBe('alive')
  })

  it('the warm isolate is replaced after a memory error and the next run works', async () => {
    const hog = await runAction("const a = []; while (true) a.push('x'.repeat(64) + Math.random())", {}, { ...pooled, memoryMb: 32 }, { pool })
    expect(hog.error?.code).toBe('ERR_MEMORY')
    const next = await runAction("ChatlayerResponseBuilder().addMessage('alive').send()", {}, pooled, { pool })
    expect(text(next)).toBe('alive')
  })

  describe('recycling', () => {
    const job = (code: string, isolate: 'pooled' | 'fresh' = 'pooled'): Job =>
      ({ code, args: {}, profile: resolveProfile(undefined, { isolate }), http: [], live: false })
    const SMALL = "ChatlayerResponseBuilder().addMessage('ok').send()"

    it('a pooled isolate serves run after run; a fresh one serves one', async () => {
      const own = new SandboxPool(1)
      try {
        const runs = []
        for (let i = 0; i < 3; i++) runs.push((await own.run(job(SMALL))).isolateRun)
        expect(runs).toEqual([1, 2, 3])
        expect((await own.run(job(SMALL, 'fresh'))).isolateRun).toBe(1)
      } finally {
        own.close()
      }
    })

    it('when its heap passes 16 MB, the garbage is collected and the same isolate goes on', async () => {
      const own = new SandboxPool(1)
      try {
        expect((await own.run(job(SMALL))).isolateRun).toBe(1)
        // About 24 MB of live objects while the run lasts; garbage afterwards, but still counted
        // in the heap until V8 collects it, which it has no reason to do before the next run.
        const big = await own.run(job("globalThis.kept = Array.from({ length: 300000 }, (_, i) => ({ i, s: 'x' + i })); ChatlayerResponseBuilder().send()"))
        expect(big.error).toBeNull()
        expect(big.isolateRun).toBe(2)
        const next = await own.run(job("ChatlayerResponseBuilder().addMessage(typeof kept + ' ' + typeof gc + ' ' + Object.getOwnPropertyNames(globalThis).includes('gc')).send()"))
        expect(next.isolateRun).toBe(3)
        expect(big.isolateCollections).toBe(0)
        expect(next.isolateCollections).toBe(1)
        // The collection needs V8's gc function, which no action's context has.
        expect(JSON.parse(next.sends[0]).messages[0].config.textMessages[0].text).toBe('undefined undefined false')
      } finally {
        own.close()
      }
    })

    it('is replaced, and the run warned, when code the action left running was stopped at the deadline', async () => {
      const own = new SandboxPool(1)
      try {
        expect((await own.run(job(SMALL))).isolateRun).toBe(1)
        // The action ends at once; the chain of microtasks it started runs on in the same call
        // until isolated-vm stops it at the deadline, in the middle of a job.
        const left = await own.run({ ...job("(async () => { for (;;) await null })(); ChatlayerResponseBuilder().addMessage('sent').send()"), profile: resolveProfile(undefined, { isolate: 'pooled', timeoutMs: 300 }) })
        expect(left.error).toBeNull()
        expect(left.sends).toHaveLength(1)
        expect(left.warnings).toContain('code the action left running after it finished was stopped at the time limit (option timeoutMs: 300 ms)')
        const next = await own.run(job(SMALL))
        expect(next.error).toBeNull()
        expect(next.isolateRun).toBe(1)
      } finally {
        own.close()
      }
    })

    it('is replaced after 200 runs, however small its heap', async () => {
      const own = new SandboxPool(1)
      try {
        const runs: Array<number | undefined> = []
        for (let i = 0; i < 202; i++) runs.push((await own.run(job(SMALL))).isolateRun)
        expect(runs.slice(0, 3)).toEqual([1, 2, 3])
        expect(runs.slice(198)).toEqual([199, 200, 1, 2])
      } finally {
        own.close()
      }
    }, 30_000)
  })
})

describe('a host started with NODE_OPTIONS=--expose-gc', () => {
  it('gives its sandbox processes no gc global: the collections use a private one', async () => {
    const saved = process.env.NODE_OPTIONS
    process.env.NODE_OPTIONS = `${saved ?? ''} --expose-gc`.trim()
    const own = new SandboxPool(1)
    try {
      // The process is forked, with this environment, on its first run.
      const result = await runAction("ChatlayerResponseBuilder().addMessage(typeof gc + ' ' + ('gc' in globalThis)).send()", {}, pooled, { pool: own })
      expect(text(result)).toBe('undefined false')
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS; else process.env.NODE_OPTIONS = saved
      own.close()
    }
  })
})

describe('closing a pool', () => {
  const job = (code: string): Job => ({ code, args: {}, profile: resolveProfile(undefined, { isolate: 'pooled' }), http: [], live: false })

  it('refuses runs still queued and runs asked for later, without starting a process', async () => {
    const own = new SandboxPool(1)
    const first = own.run(job("await new Promise(r => _.delay(r, 200)); ChatlayerResponseBuilder().send()"))
    const queued = own.run(job('ChatlayerResponseBuilder().send()'))
    await new Promise(resolve => setTimeout(resolve, 50))
    own.close()
    const [a, b] = await Promise.all([first, queued])
    expect(a.error?.code).toBe('ERR_SANDBOX_CRASH')
    expect(b.error).toEqual({ code: 'ERR_SANDBOX_CRASH', message: 'the sandbox pool was closed before this run could start' })
    const later = await own.run(job('ChatlayerResponseBuilder().send()'))
    expect(later.error?.message).toBe('the sandbox pool was closed before this run could start')
    expect(own.pids()).toEqual([])
  })
})

describe('recycling policy (mustRecycle)', () => {
  /** A stand-in isolate whose heap reads `before` until collected, then `after`. */
  function fake (before: number, after: number, options: { runs?: number, memoryMb?: number, disposed?: boolean, collectFails?: boolean } = {}) {
    let heap = before
    const warm = {
      isolate: { isDisposed: options.disposed ?? false },
      memoryMb: options.memoryMb ?? 128,
      runs: options.runs ?? 5,
      collections: 0,
      heapUsedMb: () => heap,
      collect: () => { warm.collections++; if (options.collectFails) throw new Error('isolate gone'); heap = after },
    }
    return warm
  }

  it('keeps an isolate under 16 MB without collecting', () => {
    const warm = fake(15.9, 0)
    expect(mustRecycle(warm, 128)).toBe(false)
    expect(warm.collections).toBe(0)
  })

  it('collects an isolate over 16 MB and keeps it when the collection brings it under', () => {
    const warm = fake(16.1, 0.8)
    expect(mustRecycle(warm, 128)).toBe(false)
    expect(warm.collections).toBe(1)
  })

  it('replaces an isolate still over 16 MB after the collection, or whose collection failed', () => {
    expect(mustRecycle(fake(20, 17), 128)).toBe(true)
    expect(mustRecycle(fake(20, 0, { collectFails: true }), 128)).toBe(true)
  })

  it('bounds a small limit at a quarter of it: 8 MB for memoryMb 32', () => {
    expect(mustRecycle(fake(8.5, 8.2, { memoryMb: 32 }), 32)).toBe(true)
    expect(mustRecycle(fake(8.5, 1, { memoryMb: 32 }), 32)).toBe(false)
  })

  it('replaces a disposed isolate, one with another memory limit, and one that served 200 runs', () => {
    expect(mustRecycle(fake(1, 1, { disposed: true }), 128)).toBe(true)
    expect(mustRecycle(fake(1, 1, { memoryMb: 64 }), 128)).toBe(true)
    expect(mustRecycle(fake(1, 1, { runs: 199 }), 128)).toBe(false)
    expect(mustRecycle(fake(1, 1, { runs: 200 }), 128)).toBe(true)
  })
})

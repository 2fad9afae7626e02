import ivm from 'isolated-vm'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import vm from 'node:vm'
import { Worker } from 'node:worker_threads'
import { inLanes } from './suite.ts'

/** The trivial action every row of the benchmark runs. */
export const TRIVIAL = "ChatlayerResponseBuilder().addMessage('hi ' + _.capitalize(args.name)).send()"

const lodashSource = readFileSync(createRequire(import.meta.url).resolve('lodash/lodash.js'), 'utf8')
/**
 * A minimal stand-in for the platform globals: enough to run TRIVIAL. Its value is `undefined`:
 * as a script's value, the function just assigned would reach the host as a callable that keeps
 * the context alive until the host's own garbage collection.
 */
const PRELUDE = `globalThis.args = { name: 'ada' }; globalThis.ChatlayerResponseBuilder = () => { const s = { messages: [] }; const b = { addMessage (t) { s.messages.push({ type: 'text', config: { textMessages: [{ text: t }] } }); return b }, send () { globalThis.__sent = JSON.stringify(s); return b } }; return b }; undefined`

let cachedData: ivm.ExternalCopy<ArrayBuffer> | undefined
function lodashCache (): ivm.ExternalCopy<ArrayBuffer> {
  if (!cachedData) {
    const scratch = new ivm.Isolate({ memoryLimit: 64 })
    cachedData = (scratch.compileScriptSync(lodashSource, { produceCachedData: true }) as any).cachedData
    scratch.dispose()
  }
  return cachedData!
}

/** (a) a new isolate + context + lodash from V8 cached data + the trivial action + dispose. */
export async function freshIsolateOnce (): Promise<void> {
  const isolate = new ivm.Isolate({ memoryLimit: 128 })
  const context = await isolate.createContext()
  const lodash = await isolate.compileScript(lodashSource, { cachedData: lodashCache() })
  await lodash.run(context)
  await context.eval(PRELUDE)
  await context.eval(`(async function () {\n${TRIVIAL}\n}).call(this)`, { promise: true })
  isolate.dispose()
}

/** (b) a warm isolate + a new context + precompiled lodash + the same action. */
export function warmContextRunner (): { run: () => Promise<void>, dispose: () => void } {
  const isolate = new ivm.Isolate({ memoryLimit: 128 })
  const lodash = isolate.compileScriptSync(lodashSource, { cachedData: lodashCache() })
  const prelude = isolate.compileScriptSync(PRELUDE)
  const action = isolate.compileScriptSync(`(async function () {\n${TRIVIAL}\n}).call(this)`)
  return {
    async run () {
      const context = await isolate.createContext()
      await lodash.run(context)
      await prelude.run(context)
      await action.run(context, { promise: true })
      context.release()
    },
    dispose: () => isolate.dispose(),
  }
}

const vmLodash = new vm.Script(lodashSource)
const vmPrelude = new vm.Script(PRELUDE)
const vmAction = new vm.Script(`(async function () {\n${TRIVIAL}\n}).call(this)`)
/** The same action in node:vm with lodash, for perspective (no isolation worth the name). */
export async function nodeVmOnce (): Promise<void> {
  const context = vm.createContext({})
  vmLodash.runInContext(context)
  vmPrelude.runInContext(context)
  await vmAction.runInContext(context)
}

/** The same work as a direct function call. */
export async function directCallOnce (): Promise<void> {
  const state = { messages: [] as unknown[] }
  state.messages.push({ type: 'text', config: { textMessages: [{ text: `hi ${'Ada'}` }] } })
  JSON.stringify(state)
}

/**
 * The suite's floor: one worker thread per core (bench/suite-floor.js), each with a warm isolate
 * driven by synchronous calls, running the suite's actions with in-isolate stand-ins for `fetch`
 * and the builder. `run(n)` makes n runs spread over the workers and resolves to its wall time.
 */
export function suiteFloor (cores: number, cases: Array<{ action: string, floor: { args: object, response?: unknown } }>, recycleHeapMb: number): { run: (n: number) => Promise<number>, close: () => Promise<void> } {
  const data = { cases: cases.map(c => ({ action: c.action, ...c.floor })), recycleHeapMb, flagLock: new Int32Array(new SharedArrayBuffer(4)) }
  const workers = Array.from({ length: cores }, () => new Worker(new URL('./suite-floor.js', import.meta.url), { workerData: data }))
  const once = (worker: Worker, i: number): Promise<void> => new Promise((resolve, reject) => {
    const failed = (error: Error): void => reject(error)
    worker.once('error', failed)
    worker.once('message', (sent: boolean) => {
      worker.off('error', failed)
      if (sent) resolve(); else reject(new Error(`suite floor: case ${i % cases.length} sent nothing`))
    })
    worker.postMessage(i)
  })
  return {
    run: n => inLanes(n, workers, (i, worker) => once(worker, i)),
    close: async () => { await Promise.all(workers.map(w => w.terminate())) },
  }
}

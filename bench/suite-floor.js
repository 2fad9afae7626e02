// The suite's floor (bench/index.ts): one worker thread per core, each driving its own warm isolate
// directly with isolated-vm's synchronous calls, the fastest way to run it. Per run: a new
// context, lodash from V8 cached data, minimal stand-ins for `fetch` and the builder defined
// inside the isolate (no host round trip), the case's action, its payload read back. Plain
// JavaScript: tsx's loader does not reach worker threads on Node 20.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { setFlagsFromString } from 'node:v8'
import { parentPort, workerData } from 'node:worker_threads'
import ivm from 'isolated-vm'

/** @type {{ cases: Array<{ action: string, args: object, response: unknown }>, recycleHeapMb: number, flagLock: Int32Array }} */
const { cases, recycleHeapMb, flagLock } = workerData

/** Runs `fn` while holding the workers' lock on V8's flags, which are per process. */
function withFlagLock (fn) {
  while (Atomics.compareExchange(flagLock, 0, 0, 1) !== 0) Atomics.wait(flagLock, 0, 1, 5)
  try {
    return fn()
  } finally {
    Atomics.store(flagLock, 0, 0)
    Atomics.notify(flagLock, 0)
  }
}
const lodashSource = readFileSync(createRequire(import.meta.url).resolve('lodash/lodash.js'), 'utf8')

const PRELUDE = `
globalThis.fetch = async () => ({ ok: true, status: 200, json: async () => JSON.parse(globalThis.__response) })
globalThis.ChatlayerResponseBuilder = () => {
  const state = { messages: [], session: [], action: {} }
  const builder = {
    addMessage (text) { state.messages.push({ type: 'text', config: { textMessages: [{ text }] } }); return builder },
    addQuickReplies ({ title, quickReplies }) { state.messages.push({ type: 'quickReplies', config: { textMessages: [{ text: title }], quickReplies } }); return builder },
    addSessionVariable (ns, data) { const [namespace, ...rest] = ns.split('.'); state.session.push({ namespace, data: rest.length ? _.set({}, rest, data) : data }); return builder },
    setNextDialogState (id) { state.action.nextDialogstate = id; return builder },
    send () { globalThis.__sent = JSON.stringify(state); return builder },
  }
  return builder
}
// The script's value is not the function just assigned: isolated-vm would hand the host a
// callable that keeps this context alive until the host's own garbage collection.
undefined`

const scratch = new ivm.Isolate({ memoryLimit: 64 })
const lodashCache = scratch.compileScriptSync(lodashSource, { produceCachedData: true }).cachedData
scratch.dispose()

function warmIsolate () {
  const isolate = new ivm.Isolate({ memoryLimit: 128 })
  // V8's gc function, in a context of its own, as the runner's pooled isolates have it. The flag
  // is process-wide: another worker must not turn it off meanwhile, nor make its contexts then.
  const gc = withFlagLock(() => {
    setFlagsFromString('--expose-gc')
    try {
      return isolate.createContextSync().global.getSync('gc', { reference: true })
    } finally {
      setFlagsFromString('--no-expose-gc')
    }
  })
  if (gc.typeof !== 'function') throw new Error('suite floor: V8 gave the private context no gc function')
  return {
    isolate,
    gc,
    lodash: isolate.compileScriptSync(lodashSource, { cachedData: lodashCache }),
    prelude: isolate.compileScriptSync(PRELUDE),
    actions: cases.map(c => isolate.compileScriptSync(`(async function () {\n${c.action}\n}).call(this)`)),
  }
}

let warm = warmIsolate()
parentPort.on('message', (i) => {
  // The runner's policy (runner/sandbox/recycle.ts): dead contexts pile up in a warm isolate's
  // heap; past the bound they are collected, and the isolate is replaced only if that fails.
  const heapMb = () => warm.isolate.getHeapStatisticsSync().used_heap_size / 1048576
  if (heapMb() > recycleHeapMb) {
    warm.gc.applySync(undefined, [])
    if (heapMb() > recycleHeapMb) {
      warm.isolate.dispose()
      warm = warmIsolate()
    }
  }
  const k = i % cases.length
  const context = withFlagLock(() => warm.isolate.createContextSync())
  warm.lodash.runSync(context)
  warm.prelude.runSync(context)
  context.global.setSync('args', new ivm.ExternalCopy(cases[k].args).copyInto())
  context.global.setSync('__response', JSON.stringify(cases[k].response ?? null))
  warm.actions[k].runSync(context) // the stand-ins settle in microtasks, which the call runs
  const sent = context.global.getSync('__sent')
  context.release()
  parentPort.postMessage(typeof sent === 'string' && sent.length > 0)
})

/**
 * The runtime inside the isolate. `install` runs once per context, before the action, and
 * defines the platform's globals. It returns one control function the host calls by reference:
 * `("start", actionFunction)` and `("settle", id, kind, payload)`. Nothing of the host is kept
 * anywhere the action can reach: host functions live only in these closures.
 */
import { createBuilderFactory } from './builder.ts'
import { createConsole } from './console.ts'
import { createFetch } from './fetch.ts'
import { createOptionalGlobals } from './globals.ts'
import type { GuestConfig, HostBridge } from './host.ts'
import { createTable, ObjectCreate, ObjectDefineProperty, parse, ReflectApply, StringCtor, stringify, then } from './intrinsics.ts'

/**
 * lodash's own source wrapped as `function (global, self, exports, module, define)` (execute.ts):
 * called with the private root as `global` and nothing else, it sees the same environment as at
 * the top of a fresh context, whatever the action defined before its first use of `_`.
 */
type LodashFactory = (root: object) => void

type Settle = (kind: string, payload: string) => void
interface Pending { kind: 'timer' | 'request', settle: Settle }

function serialiseError (error: unknown): string {
  try {
    if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
      const e = error as any
      let stack = ''
      try { stack = StringCtor(e.stack ?? '') } catch { stack = '' }
      let name = 'Error'
      try { name = StringCtor(e.name ?? 'Error') } catch { /* keep */ }
      let message = ''
      try { message = StringCtor(e.message ?? '') } catch { message = '[unreadable message]' }
      let code: string | undefined
      try { code = e.code === undefined ? undefined : StringCtor(e.code) } catch { code = undefined }
      return stringify({ name, message, stack, code })
    }
    let text: string
    try { text = typeof error === 'string' ? error : stringify(error) ?? StringCtor(error) } catch { text = StringCtor(error) }
    return stringify({ name: 'NonError', message: `a non-Error value was thrown: ${text}`, stack: '' })
  } catch {
    return stringify({ name: 'Error', message: 'an error that could not be read was thrown', stack: '' })
  }
}

export function install (
  send: HostBridge['send'], log: HostBridge['log'], warn: HostBridge['warn'], fetchHost: HostBridge['fetch'],
  timer: HostBridge['timer'], cancel: HostBridge['cancel'], finish: HostBridge['finish'], util: HostBridge['util'],
  lodashFactory: LodashFactory, configJson: string,
): (op: string, a?: unknown, b?: unknown, c?: unknown) => void {
  const host: HostBridge = { send, log, warn, fetch: fetchHost, timer, cancel, finish, util }
  const config: GuestConfig = parse(configJson)
  const pending = createTable<Pending>()
  let finished = false
  let actionFailed = false
  const isFinished = (): boolean => finished

  const failFromCallback = (error: unknown): void => {
    if (finished || actionFailed) return
    actionFailed = true
    finished = true
    host.finish('err', serialiseError(error), stringify({ timers: 0, requests: 0 }))
  }

  const schedule = (ms: unknown, run: () => void): number => {
    const id = host.timer(Math.max(1, Number(ms) || 0))
    pending[id] = { kind: 'timer', settle: () => { try { run() } catch (error) { failFromCallback(error) } } }
    return id
  }
  const checkCallback = (fn: unknown): void => {
    if (typeof fn !== 'function') throw new TypeError(`The "callback" argument must be of type function. Received ${typeof fn}`)
  }
  const cancelTimer = (id: number | undefined): void => {
    if (id !== undefined && pending[id] !== undefined) {
      delete pending[id]
      host.cancel(id)
    }
  }
  // An interval keeps the id of its first timer; each tick schedules the next host timer.
  const intervals = createTable<number>()
  const timers = {
    setTimeout (fn: any, ms?: unknown, ...rest: unknown[]): number {
      checkCallback(fn)
      return schedule(ms, () => fn(...rest))
    },
    clearTimeout (id: unknown): void {
      if (typeof id === 'number') cancelTimer(id)
    },
    setInterval (fn: any, ms?: unknown, ...rest: unknown[]): number {
      checkCallback(fn)
      const tick = (): void => {
        if (intervals[stable] === undefined) return
        intervals[stable] = schedule(ms, tick)
        fn(...rest)
      }
      const stable: number = schedule(ms, tick)
      intervals[stable] = stable
      return stable
    },
    clearInterval (id: unknown): void {
      if (typeof id !== 'number') return
      cancelTimer(intervals[id])
      delete intervals[id]
    },
  }

  const g = globalThis as any
  const define = (name: string, value: unknown): void => {
    ObjectDefineProperty(g, name, { value, writable: true, configurable: true, enumerable: false })
  }
  // lodash is evaluated in this context at most once: before the action when its text names `_`
  // (config.lodash), otherwise on the first read of `_` (an accessor that then becomes the plain
  // value). Its root is a private object whose prototype is the real global: lodash schedules
  // through `root.setTimeout` at call time, so the bridged timers go there and the action sees none.
  let lodash: unknown
  let loading = false
  const loadLodash = (): unknown => {
    // A read of `_` from code lodash itself runs while it loads (a getter the action planted)
    // gets undefined rather than a second lodash.
    if (lodash === undefined && !loading) {
      loading = true
      // Own properties, defined rather than assigned: an assignment would reach the global's
      // accessor for `_` (or a setter the action planted) through the prototype. lodash keeps
      // `root._` for noConflict(): in a fresh context there was none.
      const root = ObjectCreate(g, {
        setTimeout: { value: timers.setTimeout, writable: true, configurable: true },
        clearTimeout: { value: timers.clearTimeout, writable: true, configurable: true },
        _: { value: undefined, writable: true, configurable: true },
      })
      try {
        ReflectApply(lodashFactory, g, [root])
        lodash = root._
      } finally {
        loading = false
      }
    }
    return lodash
  }
  if (config.lodash === 'now') define('_', loadLodash())
  else {
    ObjectDefineProperty(g, '_', {
      get () {
        const value = loadLodash()
        // A frozen or sealed global keeps the accessor; the read still gives lodash.
        try { define('_', value) } catch { /* not configurable any more */ }
        return value
      },
      // Read-only once the global is frozen, as an assignment in sloppy code finds it: ignored.
      set (value: unknown) { try { define('_', value) } catch { /* not configurable any more */ } },
      configurable: true,
      enumerable: false,
    })
  }
  const fetch = createFetch({ host, isFinished, await: (id, settle) => { pending[id] = { kind: 'request', settle } } })
  define('args', config.args)
  define('fetch', fetch)
  define('console', createConsole(host))
  define('ChatlayerResponseBuilder', createBuilderFactory({ host, isFinished, maxSendBytes: config.maxSendBytes }))
  const optional = createOptionalGlobals(timers, loadLodash, fetch, host.util)
  for (const name of config.globals) if (optional[name]) define(name, optional[name]())

  return function control (op: string, a?: unknown, b?: unknown, c?: unknown): void {
    if (op === 'settle') {
      const entry = pending[a as number]
      if (!entry || finished) return
      delete pending[a as number]
      entry.settle(b as string, c as string)
      return
    }
    if (op === 'start') {
      const action = a as () => Promise<unknown>
      const done = (kind: string, error: string): void => {
        if (finished) return
        finished = true
        let timersPending = 0
        let requestsPending = 0
        for (const id in pending) {
          if (pending[id].kind === 'timer') timersPending++; else requestsPending++
        }
        host.finish(kind, error, stringify({ timers: timersPending, requests: requestsPending }))
      }
      then(ReflectApply(action, g, []), () => done('ok', ''), (error: unknown) => done('err', serialiseError(error)))
    }
  }
}

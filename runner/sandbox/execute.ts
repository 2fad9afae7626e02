import { randomBytes } from 'node:crypto'
import ivm from 'isolated-vm'
import { setFlagsFromString } from 'node:v8'
import { HttpClient } from '../http/client.ts'
import { DRAIN_MS, LiveTransport } from '../http/live.ts'
import { ReplayTransport } from '../http/replay.ts'
import type { Transport, WireRequest } from '../http/wire.ts'
import { loadGuestSource, loadLodashSource } from './assets.ts'
import type { Job, Outcome } from './protocol.ts'

const FILENAME = 'action.js'
/**
 * lodash's source as a function of the names it probes to find its environment (guest/index.ts
 * calls it with a private root as `global`). Running this script in a context only creates the
 * function; lodash itself is evaluated when the guest calls it. One line before lodash's first:
 * compiled with lineOffset -1, so stack frames keep lodash's own line numbers.
 */
let lodashFactory: string | undefined
const lodashFactorySource = (): string => (lodashFactory ??= `(function (global, self, exports, module, define) {\n${loadLodashSource()}\n})`)
/**
 * Whether the action's text names `_` as an identifier (or in a string or comment, which only
 * costs an eager evaluation). Such actions get lodash before their first line, as the platform
 * gives it; the others get it on first read of `_`, which saves evaluating it (about 8 ms, most
 * of a run's cost) in every context that never uses it.
 */
const NAMES_LODASH = /(?<![\p{ID_Continue}$\u200c\u200d])_(?![\p{ID_Continue}$\u200c\u200d])/u
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as FunctionConstructor
const MEMORY_DISPOSED = /memory limit/i
/** isolated-vm's error when a synchronous call outlives its `timeout`. */
const TIMED_OUT = /^Script execution timed out\.?$/
/** How early isolated-vm's timer may fire: a "timed out" error before the deadline is the action's own. */
const TIMER_SLACK_MS = 5

/** Compiled scripts an isolate keeps between runs in pooled mode. */
const ACTION_SCRIPTS_KEPT = 32

/** A V8 isolate with lodash and the guest compiled once; pooled mode reuses it with a new context per run. */
export class WarmIsolate {
  readonly isolate: ivm.Isolate
  readonly memoryMb: number
  private lodash: ivm.Script | undefined
  private guest: ivm.Script | undefined
  private readonly actions = new Map<string, ivm.Script>()
  runs = 0

  constructor (memoryMb: number, onCatastrophicError: (message: string) => void) {
    this.memoryMb = memoryMb
    this.isolate = new ivm.Isolate({ memoryLimit: memoryMb, onCatastrophicError })
  }

  lodashScript (): ivm.Script {
    this.lodash ??= compileCached(this.isolate, 'lodash', lodashFactorySource(), { filename: 'lodash.js', lineOffset: -1 })
    return this.lodash
  }

  guestScript (): ivm.Script {
    this.guest ??= compileCached(this.isolate, 'guest', loadGuestSource(), { filename: '<runtime>' })
    return this.guest
  }

  /** Compiles the wrapped action (throws its SyntaxError); kept for the next run of the same text. */
  actionScript (wrapped: string): ivm.Script {
    let script = this.actions.get(wrapped)
    if (!script) {
      script = compileCached(this.isolate, wrapped, wrapped, { filename: FILENAME, lineOffset: -1 }, false)
      if (this.actions.size >= ACTION_SCRIPTS_KEPT) this.actions.delete(this.actions.keys().next().value!)
      this.actions.set(wrapped, script)
    }
    return script
  }

  private gc: ivm.Reference<() => void> | undefined
  collections = 0
  /**
   * A full garbage collection of the isolate. V8 offers `gc` only to contexts created while its
   * expose-gc flag is on: one private context gets it, and the flag is off again before any
   * other context is made, so no action ever sees a `gc` global.
   */
  collect (): void {
    if (!this.gc) {
      setFlagsFromString('--expose-gc')
      try {
        this.gc = this.isolate.createContextSync().global.getSync('gc', { reference: true }) as ivm.Reference<() => void>
      } finally {
        setFlagsFromString('--no-expose-gc')
      }
    }
    this.gc.applySync(undefined, [])
    this.collections++
  }

  heapUsedMb (): number {
    try { return this.isolate.getHeapStatisticsSync().used_heap_size / 1048576 } catch { return Infinity }
  }

  dispose (): void {
    if (!this.isolate.isDisposed) this.isolate.dispose()
  }
}

const CODE_CACHES_KEPT = 64
const codeCaches = new Map<string, ivm.ExternalCopy<ArrayBuffer> | null>()

type Origin = { filename: string, lineOffset?: number }

/** Keeps a code cache (null: none) for `key`, forgetting the oldest beyond CODE_CACHES_KEPT. */
function remember (key: string, value: ivm.ExternalCopy<ArrayBuffer> | null): void {
  if (!codeCaches.has(key) && codeCaches.size >= CODE_CACHES_KEPT) codeCaches.delete(codeCaches.keys().next().value!)
  codeCaches.set(key, value)
}

/** Compiles `source` in `isolate` from the process's V8 code cache for it (see codeCache). */
function compileCached (isolate: ivm.Isolate, key: string, source: string, origin: Origin, eager = true): ivm.Script {
  return isolate.compileScriptSync(source, { ...origin, cachedData: codeCache(key, source, origin, eager) })
}

/**
 * V8 code cache for a source, produced once per process in a scratch isolate and shared by every
 * isolate (Isolate.createSnapshot is unusable on this isolated-vm version; cachedData is fine).
 * `eager` produces it on first use; otherwise only from the second use, so one-off actions pay nothing.
 * The cache carries the script's origin: V8 keeps the producer's file name and line offset for
 * the consumer, so the scratch compile must use the consumer's, or stack frames lose their place.
 */
function codeCache (key: string, source: string, origin: Origin, eager: boolean): ivm.ExternalCopy<ArrayBuffer> | undefined {
  if (codeCaches.has(key)) {
    const cached = codeCaches.get(key)
    if (cached) return cached
    if (eager) return undefined
  } else if (!eager) {
    remember(key, null)
    return undefined
  }
  const scratch = new ivm.Isolate({ memoryLimit: 32 })
  try {
    const script = scratch.compileScriptSync(source, { ...origin, produceCachedData: true }) as ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer> }
    remember(key, script.cachedData ?? null)
    return script.cachedData
  } catch {
    remember(key, null)
    return undefined
  } finally {
    scratch.dispose()
  }
}

/**
 * Where a second parser sees the error in the body alone (V8's Function constructor gives no
 * position). acorn is loaded on the first syntax error: most sandbox processes never see one,
 * and loading it took a third of a process's start-up.
 */
async function positionOfSyntaxError (code: string): Promise<{ line: number, column: number } | undefined> {
  // By file path from the sandbox bundle, acorn's CommonJS build: its exports are on `default`.
  const acorn: typeof import('acorn') = await import('acorn').then((m: any) => m.parse ? m : m.default)
  try {
    acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true })
    return undefined
  } catch (error: any) {
    return error?.loc ? { line: error.loc.line, column: error.loc.column + 1 } : undefined
  }
}

const parsedAlone = new Map<string, SyntaxError | null>()
/** Parses the body like the AsyncFunction constructor; returns the error or null (cached per text). */
function parseAlone (code: string): SyntaxError | null {
  if (parsedAlone.has(code)) return parsedAlone.get(code)!
  let result: SyntaxError | null = null
  try {
    // Parsed, never called: this only asks V8 whether the text is a valid async function body.
    void new AsyncFunction(code)
  } catch (error) {
    result = error as SyntaxError
  }
  if (parsedAlone.size >= CODE_CACHES_KEPT) parsedAlone.delete(parsedAlone.keys().next().value!)
  parsedAlone.set(code, result)
  return result
}

function syntaxOutcome (message: string, line: number | undefined, column: number | undefined, started: number): Outcome {
  const where = line ? ` (line ${line}, column ${column})` : ''
  return {
    ...emptyOutcome(started),
    error: { code: 'ERR_SYNTAX', message: `${message}${where}`, stack: `SyntaxError: ${message}\n    at ${FILENAME}:${line ?? 1}:${column ?? 1}`, line, column },
  }
}

function emptyOutcome (started: number): Outcome {
  return { sends: [], logs: [], warnings: [], requests: [], unmatched: [], error: null, durationMs: performance.now() - started }
}

/**
 * Runs one job in a context of `warm`. Resolves when the action finishes, fails, times out or
 * dies for memory; never rejects. `warm` is disposed when it can no longer be trusted.
 * `onStart` is called when set-up is done, just before the action's clock starts.
 */
export async function execute (job: Job, warm: WarmIsolate, onStart: () => void = () => {}): Promise<Outcome> {
  const started = performance.now()
  const { profile } = job
  const code = job.code.replace(/^\uFEFF/, '')
  const outcome = emptyOutcome(started)
  let logBytes = 0
  let logsDropped = 0
  let active = true
  let context: ivm.Context | undefined
  let control: ivm.Reference<(...a: unknown[]) => void> | undefined
  let fn: ivm.Reference<() => Promise<unknown>> | undefined

  const transport: Transport = job.live ? new LiveTransport() : new ReplayTransport(job.http)
  const client = new HttpClient(transport, { unmatched: message => outcome.unmatched.push(message) })
  const hostTimers = new Map<number, NodeJS.Timeout>()
  let nextId = 0
  let requestCount = 0

  let resolveEnd!: (end: End) => void
  const ended = new Promise<End>(resolve => { resolveEnd = resolve })
  type End = { kind: 'ok' } | { kind: 'err', error: string } | { kind: 'timeout' } | { kind: 'memory' } | { kind: 'rejection', error: unknown }
  let pendingAtEnd = { timers: 0, requests: 0 }

  let deadlineAt = Infinity
  /** isolated-vm stopped a call at the deadline: possibly after the action had already ended. */
  let stoppedAtDeadline = false
  /**
   * Calls the guest's control function on this thread, with what is left of the run's time as
   * isolated-vm's timeout, which also covers the microtasks the call runs (a `for (;;) await
   * null` is stopped too). The action's awaits leave the isolate idle, so the event loop goes on
   * between calls and the deadline timer covers the time spent waiting. A rejection nothing
   * handled is thrown out of the call that produced it.
   * Synchronous rather than isolated-vm's asynchronous calls: those run the isolate on a thread
   * pool, and each call into the host from there waits for this thread. Measured on the bench's
   * suite: 3.0 ms from start to end of a run's action with asynchronous calls, 1.2 ms with these.
   */
  const callControl = (args: unknown[]): void => {
    const left = Math.ceil(deadlineAt - performance.now())
    if (left <= 0) { resolveEnd({ kind: 'timeout' }); return }
    try {
      control!.applySync(undefined, args as any[], { timeout: left })
    } catch (error) {
      if (TIMED_OUT.test(String((error as any)?.message)) && performance.now() >= deadlineAt - TIMER_SLACK_MS) {
        stoppedAtDeadline = true
        resolveEnd({ kind: 'timeout' })
      } else onTaskError(error)
    }
  }
  const settle = (id: number, kind: string, payload: string): void => {
    if (!active || !control) return
    callControl(['settle', id, kind, payload])
  }
  let firstRejection: { error: unknown } | undefined
  const onTaskError = (error: unknown): void => {
    if (!active) return
    // isolated-vm disposes an isolate over its limit before it throws: the action's own error
    // that merely mentions a "memory limit" is still the action's.
    if (warm.isolate.isDisposed) { resolveEnd({ kind: 'memory' }); return }
    // isolated-vm throws a rejection nothing handled out of the task that produced it.
    const message = String((error as any)?.message ?? error)
    if (profile.unhandledRejection === 'error') {
      firstRejection ??= { error }
      resolveEnd({ kind: 'rejection', error })
    } else outcome.warnings.push(`a promise was rejected and nothing handled it: ${message} (option unhandledRejection)`)
  }

  const callbacks = [
    new ivm.Callback((json: string) => { if (active) outcome.sends.push(json) }),
    new ivm.Callback((level: string, text: string, position: string) => {
      if (!active) return
      if (logBytes + text.length > profile.maxLogBytes) { logsDropped++; return }
      logBytes += text.length
      outcome.logs.push({ level, text, position })
    }),
    new ivm.Callback((text: string) => { if (active) outcome.warnings.push(String(text)) }),
    new ivm.Callback((requestJson: string) => {
      const id = ++nextId
      if (!active) return id
      const request = JSON.parse(requestJson) as WireRequest
      if (++requestCount > profile.maxRequests) {
        if (requestCount === profile.maxRequests + 1) outcome.warnings.push(`the action made more than ${profile.maxRequests} requests (option maxRequests): later ones were refused`)
        setImmediate(() => settle(id, 'err', JSON.stringify({ name: 'FetchError', type: 'system', code: 'ERR_REQUEST_LIMIT', message: `request to ${request.url} refused: the run already made ${profile.maxRequests} requests (option maxRequests)` })))
        return id
      }
      client.fetch(request).then(answer => {
        settle(id, answer.ok ? 'ok' : 'err', JSON.stringify(answer.ok ? answer.response : answer.error))
      }, error => settle(id, 'err', JSON.stringify({ name: 'Error', message: String(error?.message ?? error) })))
      return id
    }),
    new ivm.Callback((ms: number) => {
      const id = ++nextId
      if (!active) return id
      hostTimers.set(id, setTimeout(() => { hostTimers.delete(id); settle(id, 'timer', '') }, Math.min(ms, 2_147_483_647)))
      return id
    }),
    new ivm.Callback((id: number) => { clearTimeout(hostTimers.get(id)); hostTimers.delete(id) }),
    new ivm.Callback((kind: string, error: string, pending: string) => {
      if (!active) return
      pendingAtEnd = JSON.parse(pending)
      resolveEnd(kind === 'ok' ? { kind: 'ok' } : { kind: 'err', error })
    }),
    new ivm.Callback((op: string, a: string, b: string) => hostUtil(op, a, b)),
  ]

  let deadline: NodeJS.Timeout | undefined
  let memoryPoll: NodeJS.Timeout | undefined
  let disposeIsolate = false
  try {
    // Synchronous calls throughout, as in callControl: this process serves one run at a time.
    const { isolate } = warm
    context = isolate.createContextSync()
    const lodashFactory = warm.lodashScript().runSync(context, { reference: true }) as ivm.Reference<(root: object) => void>
    const install = warm.guestScript().runSync(context, { reference: true }) as ivm.Reference<(...a: unknown[]) => unknown>
    const config = JSON.stringify({ args: {}, globals: profile.globals, maxSendBytes: profile.maxSendBytes, lodash: NAMES_LODASH.test(code) ? 'now' : 'on-first-use' })
    control = install.applySync(undefined, [...callbacks, lodashFactory.derefInto(), config], { result: { reference: true } }) as any
    install.release()
    lodashFactory.release()
    // `args` keeps `undefined` values, so it crosses as a structured copy rather than JSON.
    context.global.setSync('args', new ivm.ExternalCopy(job.args).copyInto())

    let script: ivm.Script
    try {
      script = warm.actionScript(`(async function () {\n${code}\n})`)
    } catch (error: any) {
      const match = /^(.*) \[action\.js:(\d+):(\d+)\]$/s.exec(String(error.message))
      if (!match) return syntaxOutcome(String(error.message), undefined, undefined, started)
      const lines = code.split('\n')
      // A position on the wrapper's closing line means the text ended too early.
      if (Number(match[2]) > lines.length) return syntaxOutcome('Unexpected end of input', lines.length, lines[lines.length - 1].length + 1, started)
      return syntaxOutcome(match[1], Number(match[2]), Number(match[3]), started)
    }
    const alone = parseAlone(code)
    if (alone) {
      const at = await positionOfSyntaxError(code)
      return syntaxOutcome(`${alone.message}: the code does not parse as a function body on its own`, at?.line, at?.column, started)
    }
    fn = script.runSync(context, { reference: true }) as ivm.Reference<() => Promise<unknown>>

    const startedAction = performance.now()
    onStart()
    deadlineAt = performance.now() + profile.timeoutMs
    deadline = setTimeout(() => resolveEnd({ kind: 'timeout' }), profile.timeoutMs)
    memoryPoll = setInterval(() => { if (isolate.isDisposed) resolveEnd({ kind: 'memory' }) }, 25)
    callControl(['start', fn.derefInto()])
    let end = await ended
    if (transport instanceof LiveTransport) transport.actionEnded()
    if (end.kind === 'ok' && firstRejection) end = { kind: 'rejection', error: firstRejection.error }
    // Code the action left running after it ended (an endless chain of microtasks) ran until the
    // deadline in the same call. The run keeps what it sent, but the isolate was stopped in the
    // middle of that code and may still hold its next job: it is not used again.
    if (stoppedAtDeadline && end.kind !== 'timeout') {
      disposeIsolate = true
      outcome.warnings.push(`code the action left running after it finished was stopped at the time limit (option timeoutMs: ${profile.timeoutMs} ms)`)
    }
    active = false
    outcome.durationMs = performance.now() - startedAction

    if (end.kind === 'timeout') {
      disposeIsolate = true
      outcome.error = { code: 'ERR_TIMEOUT', message: `the action ran longer than ${profile.timeoutMs} ms (option timeoutMs): it was stopped` }
    } else if (end.kind === 'memory') {
      disposeIsolate = true
      outcome.error = memoryError(profile.memoryMb)
    } else if (end.kind === 'rejection') {
      const e = end.error as any
      outcome.error = { code: 'ERR_ACTION_THREW', message: `a promise was rejected and nothing handled it: ${e?.message ?? e} (option unhandledRejection: "error")`, stack: e?.stack }
    } else if (end.kind === 'err') {
      const e = JSON.parse(end.error)
      outcome.error = { code: 'ERR_ACTION_THREW', message: e.name === 'NonError' ? e.message : `${e.name}: ${e.message}`, stack: e.stack || undefined }
    }
    if (!outcome.error) {
      if (pendingAtEnd.timers > 0) outcome.warnings.push(`${pendingAtEnd.timers} timer${pendingAtEnd.timers > 1 ? 's were' : ' was'} still pending when the action finished: abandoned (await them)`)
      if (pendingAtEnd.requests > 0) outcome.warnings.push(`${pendingAtEnd.requests} request${pendingAtEnd.requests > 1 ? 's were' : ' was'} still pending when the action finished: abandoned (await them)`)
    }
  } catch (error: any) {
    active = false
    if (warm.isolate.isDisposed || MEMORY_DISPOSED.test(String(error?.message))) {
      disposeIsolate = true
      outcome.error = memoryError(profile.memoryMb)
    } else {
      throw error
    }
  } finally {
    active = false
    clearTimeout(deadline)
    clearInterval(memoryPoll)
    for (const timer of hostTimers.values()) clearTimeout(timer)
    try { fn?.release() } catch { /* already gone */ }
    try { control?.release() } catch { /* already gone */ }
    try { context?.release() } catch { /* already gone */ }
    if (disposeIsolate) warm.dispose()
  }
  if (logsDropped > 0) outcome.warnings.push(`console output over ${profile.maxLogBytes} bytes (option maxLogBytes): ${logsDropped} later call${logsDropped > 1 ? 's were' : ' was'} dropped`)
  // In --live, hops still in flight go on answering below: the result keeps them as they stood
  // when the action ended.
  outcome.requests = transport instanceof LiveTransport ? client.requests.map(request => ({ ...request })) : client.requests
  if (transport instanceof ReplayTransport) outcome.warnings.push(...transport.unused())
  // Hops still in flight get a moment to answer, so the recording has them (not after a
  // timeout or a memory stop: such a run is never recorded).
  if (transport instanceof LiveTransport) outcome.recorded = await transport.finish(outcome.error?.code === 'ERR_TIMEOUT' || outcome.error?.code === 'ERR_MEMORY' ? 0 : DRAIN_MS)
  return outcome
}

/** Host services behind the opt-in globals; strings in, a string out. */
function hostUtil (op: string, a: string, b: string): string {
  if (op === 'url') {
    try {
      const url = b ? new URL(String(a), String(b)) : new URL(String(a))
      const { href, origin, protocol, username, password, host, hostname, port, pathname, search, hash } = url
      return JSON.stringify({ href, origin, protocol, username, password, host, hostname, port, pathname, search, hash })
    } catch {
      return JSON.stringify({ error: `Invalid URL: ${String(a).slice(0, 200)}` })
    }
  }
  if (op === 'random') return randomBytes(Math.min(65536, Math.max(0, Number(a) || 0))).toString('base64')
  return ''
}


function memoryError (memoryMb: number): Outcome['error'] {
  return { code: 'ERR_MEMORY', message: `the action used more than about ${memoryMb} MB of heap (option memoryMb): it was stopped` }
}

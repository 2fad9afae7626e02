import type { HttpExchange, RecordedExchange, RequestRecord, RuntimeProfile, RunErrorCode } from '../types.ts'

/** A run as the sandbox process receives it: plain data only. */
export interface Job {
  /** The action body, exactly as pasted. */
  code: string
  args: Record<string, unknown>
  profile: RuntimeProfile
  http: HttpExchange[]
  live: boolean
}

export interface RawLog { level: string, text: string, position: string }

/** What the sandbox process reports; the host turns it into a RunResult. */
export interface Outcome {
  sends: string[]
  logs: RawLog[]
  warnings: string[]
  requests: RequestRecord[]
  unmatched: string[]
  error: { code: RunErrorCode, message: string, stack?: string, line?: number, column?: number } | null
  durationMs: number
  recorded?: RecordedExchange[]
  /** Which run of its isolate this was: 1 for a fresh isolate; counts up while a pooled one is reused. */
  isolateRun?: number
  /** Full collections of the pooled isolate so far (recycle.ts), for the tests. */
  isolateCollections?: number
  /** Time the job waited for an idle sandbox process (set by the pool; not part of the run). */
  queuedMs?: number
}

/**
 * A job as it crosses the IPC channel, which carries JSON (pool.ts says why). JSON drops object
 * keys whose value is undefined, but an argument row naming a missing session variable is such a
 * key (`'name' in args` is true), so `args` crosses as ordered entries: `[key]` alone means undefined.
 */
export type WireJob = Omit<Job, 'args'> & { args: Array<[string, unknown] | [string]> }

export function encodeJob (job: Job): WireJob {
  return { ...job, args: Object.keys(job.args).map(key => job.args[key] === undefined ? [key] : [key, job.args[key]]) }
}

export function decodeJob (wire: WireJob): Job {
  const args: Record<string, unknown> = {}
  // defineProperty: an argument named "__proto__" is a key like any other, never the prototype.
  for (const entry of wire.args) Object.defineProperty(args, entry[0], { value: entry[1], enumerable: true, writable: true, configurable: true })
  return { ...wire, args }
}

export type ParentMessage = { type: 'run', id: number, job: WireJob }
/** `started`: the action's clock starts now (set-up done); the host's watchdog tightens. */
export type ChildMessage = { type: 'ready' } | { type: 'started', id: number } | { type: 'result', id: number, outcome: Outcome }

/**
 * What a sandbox process writes on stderr, synchronously, when isolated-vm declares the isolate
 * lost (a catastrophic out-of-memory error), just before it kills itself.
 */
export const CATASTROPHIC_MARKER = 'sandbox: isolated-vm catastrophic error:'

/**
 * What V8 writes on stderr when an isolate runs out of memory for good, before its out-of-memory
 * handler runs. When the isolate ran on the sandbox process's main thread, isolated-vm's handler
 * waits for that same thread and the process hangs: the host kills it on seeing this report.
 */
export const V8_OUT_OF_MEMORY = '<--- Last few GCs --->'

/**
 * A pooled isolate's heap is collected when it passes RECYCLE_HEAP_MB (a quarter of the limit for
 * small limits), and the isolate is recycled if it is still over after that, or after
 * RECYCLE_RUNS runs. Every run leaves a dead context of about 1.6 MB (its own lodash and runtime)
 * that V8 collects lazily, so the heap climbs by that much per run: 16 MB is passed after about
 * 9 runs. A full collection then takes 2 to 3 ms and brings the heap back under 3 MB; a new
 * isolate cost more than twice that (disposal 3 to 4 ms, then lazy compilation and cold
 * caches in its first two runs), and the bench's suite ran 17 to 20 % faster with collections.
 * An absolute bound, because a share of a large memoryMb would let RSS swing by hundreds of MB.
 */
export const RECYCLE_HEAP_MB = 16
export const RECYCLE_RUNS = 200

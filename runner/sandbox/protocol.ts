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
  /** Time the job waited for an idle sandbox process (set by the pool; not part of the run). */
  queuedMs?: number
}

export type ParentMessage = { type: 'run', id: number, job: Job }
export type ChildMessage = { type: 'ready' } | { type: 'result', id: number, outcome: Outcome }

/**
 * What a sandbox process writes on stderr, synchronously, when isolated-vm declares the isolate
 * lost (a catastrophic out-of-memory error), just before it kills itself.
 */
export const CATASTROPHIC_MARKER = 'sandbox: isolated-vm catastrophic error:'

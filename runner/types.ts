/** Public types of the runner: what a run takes and what it reports (contract.md §3). */

/** The runtime profile: every [default] of platform.md §6 as a named option. */
export interface RuntimeProfile {
  /** Wall-clock limit of the action's own code, in milliseconds. */
  timeoutMs: number
  /** Heap limit of the isolate, in MB (soft: isolated-vm may overshoot before it stops the run). */
  memoryMb: number
  /** What several `send()` calls do. */
  multipleSends: 'apply-all' | 'first' | 'error'
  /** What a rejected promise that nothing handles does. */
  unhandledRejection: 'warn' | 'error'
  /** How a session write meets an existing namespace. */
  sessionWrite: 'merge' | 'replace'
  /** Apply the sends made before an uncaught error or a timeout. */
  applyOnError: boolean
  /** Absent globals (platform.md §2.6) to switch on. */
  globals: GlobalName[]
  /** Isolate per run (`fresh`) or a warm isolate with a new context per run (`pooled`). */
  isolate: 'fresh' | 'pooled'
  /** Maximum `fetch` calls in one run; the next one rejects. */
  maxRequests: number
  /** Maximum bytes of console text kept per run; later output is dropped with a note. */
  maxLogBytes: number
  /** Maximum bytes of one `send()` payload; a larger one is truncated with a note. */
  maxSendBytes: number
}

/** Globals absent by default that a profile may switch on. */
export type GlobalName =
  | 'setTimeout' | 'setInterval' | 'clearTimeout' | 'clearInterval'
  | 'btoa' | 'atob' | 'Buffer' | 'URL' | 'URLSearchParams' | 'TextEncoder' | 'TextDecoder'
  | 'AbortController' | 'crypto' | 'structuredClone' | 'process' | 'require' | 'module'

/** Error codes of a run and of the tool (contract.md §3). */
export type ErrorCode =
  /** an uncaught exception or rejection of the action */
  | 'ERR_ACTION_THREW'
  /** the code does not parse as an async function body */
  | 'ERR_SYNTAX'
  /** the wall-clock limit was reached */
  | 'ERR_TIMEOUT'
  /** the isolate was stopped for memory */
  | 'ERR_MEMORY'
  /** a request matched no fixture exchange */
  | 'ERR_HTTP_UNMATCHED'
  /** the sandbox process died or had to be killed; it is replaced */
  | 'ERR_SANDBOX_CRASH'
  /** the fixture could not be read or is invalid (exit 2) */
  | 'ERR_FIXTURE'
  /** the action id or file does not exist (exit 2) */
  | 'ERR_ACTION_NOT_FOUND'
  /** a TypeScript action does not compile (exit 2) */
  | 'ERR_COMPILE'
  /** bad command-line usage or options (exit 2) */
  | 'ERR_USAGE'

/** Codes that are the action's own failure (exit 1). */
export type RunErrorCode = Extract<ErrorCode,
  'ERR_ACTION_THREW' | 'ERR_SYNTAX' | 'ERR_TIMEOUT' | 'ERR_MEMORY' | 'ERR_HTTP_UNMATCHED' | 'ERR_SANDBOX_CRASH'>

export interface RunError {
  code: RunErrorCode
  message: string
  stack?: string
  /** Position in the action's own text (ERR_SYNTAX) or the mapped TypeScript source. */
  location?: { file: string, line: number, column: number }
}

/** One `{namespace, data}` session write of a send payload. */
export interface SessionWrite { namespace: string, data: unknown }

/** A `send()` payload as the platform receives it (platform.md §3). */
export interface SendPayload {
  action?: { nextDialogstate?: string, [key: string]: unknown }
  messages: Message[]
  session?: SessionWrite[] | SessionWrite
}

export interface Message { type: string, config: Record<string, any> }

export interface SessionChange { path: string, before: unknown, after: unknown }

export interface RequestRecord {
  method: string
  url: string
  status: number | null
  durationMs: number
  error?: string
  /** Index of the fixture exchange that answered (replay only). */
  exchange?: number
}

export interface LogEntry {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug'
  text: string
  /** `file:line` of the call, mapped to the TypeScript source for snippets. */
  source: string | null
}

export interface RunResult {
  ok: boolean
  action: string
  fixture: string | null
  response: SendPayload | null
  sends: SendPayload[]
  nextDialogState: string | null
  messages: Message[]
  session: Record<string, unknown>
  sessionChanges: SessionChange[]
  requests: RequestRecord[]
  logs: LogEntry[]
  warnings: string[]
  error: RunError | null
  durationMs: number
  /** Every hop of a `--live`/`--record` run in request order, failed ones included (not part of the JSON unless recording). */
  recorded?: RecordedExchange[]
}

/** One HTTP exchange of a fixture (contract.md §2.2). */
export interface HttpExchange {
  request: {
    method?: string
    url?: string
    urlPattern?: string
    headers?: Record<string, string>
    json?: unknown
    body?: string
  }
  response?: {
    status?: number
    statusText?: string
    headers?: Record<string, string | string[]>
    json?: unknown
    body?: string
    delayMs?: number
  }
  error?: { code: NetworkErrorCode, message?: string, delayMs?: number }
  times?: number
  repeat?: boolean
}

export type NetworkErrorCode = 'ECONNREFUSED' | 'ENOTFOUND' | 'ETIMEDOUT' | 'ECONNRESET'

/** A request as it went to the real network: final headers, body as text. */
export interface RecordedRequest { method: string, url: string, headers: Record<string, string>, body?: string }

/** A hop the real network answered. */
export interface AnsweredExchange {
  request: RecordedRequest
  /** `delayMs` when the answer came after the client's timeout or after the run ended. */
  response: { status: number, statusText: string, headers: Record<string, string | string[]>, body: string, delayMs?: number }
  error?: never
}

/**
 * A hop that failed at the socket (refused, unknown host, timed out, reset), as a fixture's
 * `error` exchange holds it; `message` is Node's reason when the code had to be approximated.
 */
export interface FailedExchange {
  request: RecordedRequest
  error: { code: NetworkErrorCode, message?: string, delayMs?: number }
  response?: never
}

/** An exchange captured from the real network, answered or failed, in request order. */
export type RecordedExchange = AnsweredExchange | FailedExchange

/** An `args` entry: an editor row, or any other value passed through. */
export type ArgRow = { variable: string } | { dialogstate: string | number } | { text: string | number | boolean } | unknown

export interface Expectations {
  error?: ErrorCode | null
  nextDialogState?: string | null
  messages?: Message[]
  session?: Record<string, unknown>
  sends?: number
  requests?: number | Array<{ method?: string, url: string }>
  warnings?: string[]
}

/** A fixture after validation (contract.md §2). */
export interface Fixture {
  /** Absolute path of the file, or null for an in-memory fixture. */
  file: string | null
  /** `file:line:column` of a key, for messages about it. */
  locate?: (path: Array<string | number>) => string
  description?: string
  action?: string
  session: Record<string, unknown>
  args: Record<string, ArgRow>
  http: HttpExchange[]
  options: Partial<RuntimeProfile>
  expect?: Expectations
  steps?: FixtureStep[]
}

/** One step of a multi-step scenario. */
export interface FixtureStep {
  action?: string
  args: Record<string, ArgRow>
  http: HttpExchange[]
  click?: string
  expect?: Expectations
}

/** A fixture given to the API: a path, or an object in fixture form. */
export type FixtureInput = string | Partial<Omit<Fixture, 'file'>> & { file?: string | null }

export interface RunOptions extends Partial<RuntimeProfile> {
  /** Send requests to the real network instead of replaying the fixture. */
  live?: boolean
  /** Base folder for snippet ids (default: the package's own `snippets/`). */
  snippetsDir?: string
}

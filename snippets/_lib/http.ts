import { badResponse, failure, httpFailure, thrownFailure, type ApiError, type Failure } from './failure.ts'
import { describeBody, parseBody, type ParsedBody } from './parse-body.ts'
import { withoutQuery } from './query.ts'
import { wait, type TimeBudget } from './time-budget.ts'

/** Longest wait for one attempt: well below the platform's 10 s, so a slow API ends in the error path. */
export const REQUEST_TIMEOUT_MS = 5000
/** An attempt is not started with less time than this left. */
const MIN_ATTEMPT_MS = 1000
/** The longest Retry-After honoured; a longer one is a give-up, not a wait. */
const MAX_RETRY_WAIT_MS = 4000
/** Bodies above this are refused rather than parsed into a 128 MB heap. */
const MAX_BODY_BYTES = 2000000

export interface JsonRequest {
  /** The API's name in messages ("Airtable"). */
  service: string
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  url: string
  headers?: Record<string, string>
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown
  budget: TimeBudget
  /** Reads the API's own error type and message from an error body. */
  readError?: (body: ParsedBody) => ApiError
  /** Per-attempt timeout (default REQUEST_TIMEOUT_MS), always capped by the time left. */
  timeoutMs?: number
}

export type JsonResult =
  | { ok: true, status: number, data: unknown, headers: NodeFetch.Headers }
  | { ok: false, failure: Failure }

/**
 * One JSON request with the library's failure rules: a timeout inside the time budget, at most one
 * retry (on 429, when Retry-After asks for a wait that fits the budget), and every other outcome
 * turned into a Failure instead of a throw. It never rejects.
 */
export async function requestJson (request: JsonRequest): Promise<JsonResult> {
  const { service, method, url, budget } = request
  const label = `${method} ${withoutQuery(url)}`
  const headers: Record<string, string> = { Accept: 'application/json', ...request.headers }
  let body: string | undefined
  if (request.json !== undefined) {
    body = JSON.stringify(request.json)
    headers['Content-Type'] = 'application/json'
  }
  let retried = false
  for (;;) {
    const left = budget.remaining()
    if (left < MIN_ATTEMPT_MS) {
      return { ok: false, failure: failure('TIMEOUT', `${label} was not sent: the action's time budget is used up`) }
    }
    let response: NodeFetch.Response
    let text: string
    try {
      response = await fetch(url, { method, headers, body, timeout: Math.min(request.timeoutMs || REQUEST_TIMEOUT_MS, left), size: MAX_BODY_BYTES })
      text = await response.text()
    } catch (error) {
      return { ok: false, failure: thrownFailure(service, label, url, error) }
    }
    const status = response.status
    const parsed = parseBody(text, response.headers.get('content-type'))
    if (status >= 200 && status < 300) {
      if (status === 204 && parsed.kind === 'empty') return { ok: true, status, data: null, headers: response.headers }
      if (parsed.kind !== 'json') return { ok: false, failure: badResponse(service, label, status, describeBody(parsed)) }
      return { ok: true, status, data: parsed.value, headers: response.headers }
    }
    let note = ''
    if (status === 429) {
      const waitMs = retryAfterMs(response.headers.get('retry-after'))
      if (!retried && waitMs !== null && waitMs <= MAX_RETRY_WAIT_MS && waitMs + MIN_ATTEMPT_MS <= budget.remaining()) {
        console.warn(`${service} answered 429 to ${label}; retrying once in ${waitMs} ms, as Retry-After asks`)
        retried = true
        await wait(waitMs)
        continue
      }
      note = retried
        ? ' (still rate-limited after one retry)'
        : waitMs === null ? ' (no usable Retry-After: not retried)' : ` (Retry-After of ${waitMs} ms does not fit the time budget: not retried)`
    }
    const refused = httpFailure(service, label, status, parsed, request.readError ? request.readError(parsed) : { reason: null, detail: null })
    refused.message += note
    return { ok: false, failure: refused }
  }
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs (value: string | null): number | null {
  if (value === null) return null
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return isNaN(date) ? null : Math.max(0, date - Date.now())
}

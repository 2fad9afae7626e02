import { describeBody, type ParsedBody } from './parse-body.ts'
import { withoutQuery } from './query.ts'

/** Why an action could not do its job; the bot reads it from `<saveAs>.error.code`. */
export type FailureCode =
  /** an argument is missing or invalid: no request was made */
  | 'CONFIG'
  /** 401: the credentials were refused */
  | 'AUTH'
  /** 403: the credentials lack a permission, or the object is hidden from them */
  | 'FORBIDDEN'
  /** 404: the object or endpoint does not exist */
  | 'NOT_FOUND'
  /** 400, 409, 413, 422: the API rejected the request's content */
  | 'INVALID'
  /** 429 and no retry fitted in the time budget, or the retry was refused too */
  | 'RATE_LIMITED'
  /** 5xx: the API failed */
  | 'SERVER'
  /** no answer within the time budget */
  | 'TIMEOUT'
  /** the connection failed (DNS, refused, reset) */
  | 'NETWORK'
  /** a success status with a body that is not the expected JSON */
  | 'BAD_RESPONSE'
  /** a bug caught by the safety net */
  | 'UNEXPECTED'

export interface Failure {
  code: FailureCode
  /** HTTP status of the last answer; null when there was none. */
  status: number | null
  /** The API's own error type when it gave one (`UNKNOWN_FIELD_NAME`, `RecordInvalid`), or the network error code. */
  reason: string | null
  /** What happened, for logs and the session; never holds a secret. */
  message: string
}

/** An API's error details: its own error type and message, read from its error body. */
export interface ApiError { reason: string | null, detail: string | null }

export function failure (code: FailureCode, message: string, status: number | null = null, reason: string | null = null): Failure {
  return { code, status, reason, message }
}

/** The failure code an HTTP error status stands for. */
export function codeForStatus (status: number): FailureCode {
  if (status === 401) return 'AUTH'
  if (status === 403) return 'FORBIDDEN'
  if (status === 404 || status === 410) return 'NOT_FOUND'
  if (status === 429) return 'RATE_LIMITED'
  return status >= 500 ? 'SERVER' : 'INVALID'
}

/** A failure for an error status, worded like `Airtable answered 422 to POST ...: UNKNOWN_FIELD_NAME: ...`. */
export function httpFailure (service: string, request: string, status: number, body: ParsedBody, error: ApiError): Failure {
  const what = [error.reason, error.detail].filter(Boolean).join(': ') || describeBody(body)
  return failure(codeForStatus(status), `${service} answered ${status} to ${request}: ${what}`, status, error.reason)
}

export function configFailure (message: string): Failure {
  return failure('CONFIG', message)
}

/** A success status whose body is not what the API documents. */
export function badResponse (service: string, request: string, status: number, what: string): Failure {
  return failure('BAD_RESPONSE', `${service} answered ${status} to ${request} with ${what}`, status)
}

/** Classifies what `fetch` or a body read rejected with (a node-fetch FetchError, told by name and type). */
export function thrownFailure (service: string, request: string, url: string, error: unknown): Failure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown, type?: unknown, code?: unknown, message?: unknown }
  // node-fetch puts the full URL in its messages; its query may hold a key.
  const message = (typeof e.message === 'string' ? e.message : String(error)).split(url).join(withoutQuery(url))
  const fetchError = e.name === 'FetchError'
  if (fetchError && /timeout/.test(String(e.type))) return failure('TIMEOUT', `${service} did not answer ${request} in time (${message})`)
  if (fetchError && e.type === 'max-size') return failure('BAD_RESPONSE', `${service} answered ${request} with a body over the size limit`)
  if (e.name === 'TypeError' && /URL|protocol|header/i.test(message)) return failure('CONFIG', `${request} could not be sent: ${message}`)
  const code = typeof e.code === 'string' ? e.code : null
  return failure('NETWORK', `${service} could not be reached for ${request}: ${message}`, null, code)
}

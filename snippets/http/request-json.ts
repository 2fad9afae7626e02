/**
 * @title Call a JSON API
 * @summary Sends one request to any JSON API and stores (part of) the answer in the session.
 *
 * For APIs without a dedicated snippet. Placeholders such as {{orderId}} in the URL are filled
 * from `params` and URL-encoded, so user input cannot change the path or add query parameters.
 * The Authorization value has its own argument so that it is never logged; log lines show URLs
 * without their query string. Every failure (an error status, HTML instead of JSON, an empty body,
 * a timeout, a network error) goes to the error path with its reason in http.error.
 *
 * @arg {text} url - the URL, with {{name}} placeholders filled from params, e.g. https://api.example.com/orders/{{orderId}}
 * @arg {text} [method] - GET (default), POST, PUT, PATCH or DELETE
 * @arg {variable} [params] - session object whose values fill the URL placeholders
 * @arg {variable} [body] - session object sent as the JSON body (not for GET)
 * @arg {text} [headers] - extra request headers as JSON: {"X-Shop": "eu"}
 * @arg {text} [authorization] - value of the Authorization header, e.g. Bearer abc123; never logged
 * @arg {text} [pick] - path of the part of the answer to store, e.g. data.items[0] (default: all of it); an answer without it is an error
 * @arg {text} [saveAs] - session path the result is written under (default http)
 * @arg {dialogstate} successDialogState - where to go when the API answered 2xx with JSON
 * @arg {dialogstate} [notFoundDialogState] - where to go on a 404; without it a 404 is an error
 * @arg {dialogstate} [errorDialogState] - where to go on failure; without it errorMessage is shown
 * @arg {text} [errorMessage] - apology shown on failure
 * @jumps successDialogState - the API answered 2xx with JSON (or 204 without a body)
 * @jumps notFoundDialogState - the API answered 404
 * @jumps errorDialogState - a missing argument, an error status, a body that is not JSON, a timeout or a network failure
 * @writes http.data - the answer (null for a 204), or the part `pick` selects
 * @writes http.status - the HTTP status of the answer
 * @writes http.error - {code, status, reason, message} on failure, null on success
 */
import { badResponse, configFailure, type ApiError } from '../_lib/failure.ts'
import { requestJson } from '../_lib/http.ts'
import { excerptOf, isRecord, type ParsedBody } from '../_lib/parse-body.ts'
import { withoutQuery } from '../_lib/query.ts'
import { MissingArgs, readSessionPath, readText } from '../_lib/read-args.ts'
import { runSafely, sendFailure, sendReply, type FailureRoute } from '../_lib/respond.ts'
import { startTimeBudget } from '../_lib/time-budget.ts'

interface Args {
  url: string
  method?: string
  params?: Record<string, unknown>
  body?: unknown
  headers?: string
  authorization?: string
  pick?: string
  saveAs?: string
  successDialogState: string
  notFoundDialogState?: string
  errorDialogState?: string
  errorMessage?: string
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
type Method = typeof METHODS[number]
/** Larger answers are refused rather than stored: pick the part the bot needs. */
const MAX_STORED_CHARS = 100000

const input = args as Partial<Args>

function failureRoute (): FailureRoute {
  return {
    saveAs: readSessionPath(input.saveAs, 'http'),
    errorDialogState: readText(input.errorDialogState),
    errorMessage: readText(input.errorMessage),
    apology: "Sorry, I can't get that information right now. Please try again in a moment.",
  }
}

/** The URL with each {{name}} replaced by the encoded param; the names missing from params. */
function fillUrl (template: string, params: Record<string, unknown>): { url: string, unfilled: string[] } {
  const unfilled: string[] = []
  const url = template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_match, name: string) => {
    const value = _.get(params, name)
    if (value === undefined || value === null || value === '') { unfilled.push(name); return '' }
    return encodeURIComponent(typeof value === 'object' ? JSON.stringify(value) : String(value))
  })
  return { url, unfilled }
}

/** Extra headers from JSON text; null when it is not an object of strings. */
function readHeaders (text: string | undefined): Record<string, string> | null {
  if (!text) return {}
  let value: unknown
  try { value = JSON.parse(text) } catch { return null }
  if (!isRecord(value)) return null
  const out: Record<string, string> = {}
  for (const name of Object.keys(value)) {
    const v = value[name]
    if (typeof v !== 'string' && typeof v !== 'number') return null
    out[name] = String(v)
  }
  return out
}

/** Error details in the common shapes: problem+json (title, detail), {error: "..."}, {error: {message}}, {message}. */
function readError (body: ParsedBody): ApiError {
  if (body.kind === 'text') return { reason: null, detail: body.excerpt }
  if (body.kind !== 'json' || !isRecord(body.value)) return { reason: null, detail: null }
  const { title, detail, error, message } = body.value
  const nested = isRecord(error) ? error : {}
  const pick = (...values: unknown[]): string | null => { for (const v of values) if (typeof v === 'string' && v) return v; return null }
  return { reason: pick(title, error, nested.code, nested.type), detail: pick(detail, message, nested.message) }
}

async function main (): Promise<void> {
  const route = failureRoute()
  const missing = new MissingArgs()
  const template = missing.text(input.url, 'url')
  const successDialogState = missing.text(input.successDialogState, 'successDialogState')
  const method = (readText(input.method) || 'GET').toUpperCase() as Method
  if (!METHODS.includes(method)) missing.invalid('method', `not one of ${METHODS.join(', ')}`)
  if (template && !/^https?:\/\/[^/?#\s]+/i.test(template)) missing.invalid('url', 'not an absolute http(s) URL')
  const headers = readHeaders(readText(input.headers))
  if (!headers) missing.invalid('headers', 'not a JSON object of header names to text')
  const params = isRecord(input.params) ? input.params : {}
  const { url, unfilled } = fillUrl(template, params)
  if (unfilled.length) missing.invalid('params', `no value for ${unfilled.map(name => `{{${name}}}`).join(', ')}`)
  const body = input.body
  if (body !== undefined && body !== null && method === 'GET') missing.invalid('body', 'a GET request has no body')
  if (missing.names.length || !headers) return sendFailure(route, configFailure(missing.message))

  const authorization = readText(input.authorization)
  if (authorization) headers.Authorization = authorization
  const host = withoutQuery(url).replace(/^https?:\/\/([^/]+).*$/i, '$1')
  const result = await requestJson({
    service: host,
    method,
    url,
    headers,
    json: body === undefined || body === null ? undefined : body,
    budget: startTimeBudget(),
    readError,
  })
  const saveAs = route.saveAs
  if (!result.ok) {
    const notFoundDialogState = readText(input.notFoundDialogState)
    if (result.failure.code === 'NOT_FOUND' && notFoundDialogState) {
      console.warn(result.failure.message)
      return sendReply({ writes: [[`${saveAs}.data`, null], [`${saveAs}.status`, result.failure.status], [`${saveAs}.error`, null]], jump: notFoundDialogState })
    }
    return sendFailure(route, result.failure, [[`${saveAs}.status`, result.failure.status]])
  }
  const pick = readText(input.pick)
  const picked = pick ? _.get(result.data, pick) : result.data
  const request = `${method} ${withoutQuery(url)}`
  if (picked === undefined) return sendFailure(route, badResponse(host, request, result.status, `JSON without ${pick}: ${excerptOf(result.data)}`))
  const size = JSON.stringify(picked).length
  if (size > MAX_STORED_CHARS) {
    return sendFailure(route, badResponse(host, request, result.status, `${size} characters of JSON, too much to store in the session (the limit is ${MAX_STORED_CHARS}): set pick`))
  }
  sendReply({ writes: [[`${saveAs}.data`, picked], [`${saveAs}.status`, result.status], [`${saveAs}.error`, null]], jump: successDialogState })
}

await runSafely(main, failureRoute)

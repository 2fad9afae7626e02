import type { RequestRecord } from '../types.ts'
import type { HopOutcome, HopRequest, HopResponse, Transport, WireError, WireRequest, WireResponse } from './wire.ts'

const USER_AGENT = 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)'
const REDIRECTS = new Set([301, 302, 303, 307, 308])
const SENSITIVE_ON_CROSS_DOMAIN = ['authorization', 'www-authenticate', 'cookie', 'cookie2']

export type ClientAnswer = { ok: true, response: WireResponse } | { ok: false, error: WireError }

export interface ClientEvents {
  /** A request no exchange answered (replay only). */
  unmatched: (message: string) => void
}

function has (headers: Array<[string, string]>, name: string): boolean {
  return headers.some(([n]) => n.toLowerCase() === name)
}

function fetchError (message: string, type: string, code?: string): WireError {
  return { name: 'FetchError', message, type, code }
}

/** node-fetch v2 URL rules: absolute http(s) URLs only, WHATWG parsing. */
function parseRequestUrl (text: string): URL | WireError {
  if (!/^[a-zA-Z][a-zA-Z\d+\-.]*:/.test(text)) return { name: 'TypeError', message: 'Only absolute URLs are supported' }
  let url: URL
  try { url = new URL(text) } catch { return { name: 'TypeError', message: `Invalid URL: ${text}` } }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { name: 'TypeError', message: 'Only HTTP(S) protocols are supported' }
  if (!url.hostname) return { name: 'TypeError', message: 'Only absolute URLs are supported' }
  return url
}

/** The headers node-fetch v2 sends: the action's, plus its defaults (platform.md §2.4). */
export function withDefaultHeaders (request: WireRequest, bodyBytes: number | null): Array<[string, string]> {
  const headers = request.headers.slice()
  if (request.body !== undefined && request.contentType && !has(headers, 'content-type')) headers.push(['Content-Type', request.contentType])
  if (!has(headers, 'accept')) headers.push(['Accept', '*/*'])
  if (bodyBytes === null && /^(POST|PUT)$/i.test(request.method)) headers.push(['Content-Length', '0'])
  else if (bodyBytes !== null && !has(headers, 'content-length')) headers.push(['Content-Length', String(bodyBytes)])
  if (!has(headers, 'user-agent')) headers.push(['User-Agent', USER_AGENT])
  if (request.compress && !has(headers, 'accept-encoding')) headers.push(['Accept-Encoding', 'gzip,deflate'])
  if (!has(headers, 'connection')) headers.push(['Connection', 'close'])
  return headers
}

function isDomainOrSubdomain (destination: URL, original: URL): boolean {
  const orig = original.hostname
  const dest = destination.hostname
  return orig === dest || (orig.endsWith(`.${dest}`) && orig[orig.length - dest.length - 1] === '.')
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/**
 * Performs one `fetch` the way node-fetch v2 does, hop by hop over a transport (replay or live),
 * recording every attempt. It never throws: failures come back as the error the guest rejects with.
 */
export class HttpClient {
  readonly requests: RequestRecord[] = []

  constructor (private readonly transport: Transport, private readonly events: ClientEvents) {}

  async fetch (request: WireRequest): Promise<ClientAnswer> {
    const parsed = parseRequestUrl(request.url)
    if (!(parsed instanceof URL)) return { ok: false, error: parsed }
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'base64')
    const hop: HopRequest = {
      url: parsed.href,
      method: request.method,
      headers: withDefaultHeaders(request, body ? body.length : null),
      body,
      timeoutMs: request.timeout > 0 ? request.timeout : 0,
    }
    return this.follow(request, hop, 0)
  }

  /** The transport's answer to a hop, after the delay a replayed exchange asks for. */
  private async answer (hop: HopRequest): Promise<HopOutcome> {
    let outcome: HopOutcome
    try {
      outcome = await this.transport.hop(hop)
    } catch (error: any) {
      outcome = { kind: 'network', code: error?.code ?? 'ECONNRESET', reason: error?.message ?? String(error), delayMs: 0 }
    }
    if (outcome.kind !== 'unmatched' && outcome.delayMs > 0) await sleep(outcome.delayMs)
    return outcome
  }

  private async follow (request: WireRequest, hop: HopRequest, counter: number): Promise<ClientAnswer> {
    const started = performance.now()
    const record: RequestRecord = { method: hop.method, url: hop.url, status: null, durationMs: 0 }
    this.requests.push(record)
    let outcome: HopOutcome
    if (hop.timeoutMs > 0) {
      // node-fetch v2: each hop has the whole timeout (it starts again on a redirect), and the
      // error names the hop's URL.
      let timer: NodeJS.Timeout | undefined
      const timedOut = new Promise<null>(resolve => { timer = setTimeout(() => resolve(null), hop.timeoutMs) })
      let first: HopOutcome | null
      try { first = await Promise.race([this.answer(hop), timedOut]) } finally { clearTimeout(timer) }
      if (first === null) {
        this.transport.gaveUp?.(hop)
        record.error = 'request-timeout'
        record.durationMs = hop.timeoutMs
        return { ok: false, error: fetchError(`network timeout at: ${hop.url}`, 'request-timeout') }
      }
      outcome = first
    } else {
      outcome = await this.answer(hop)
    }
    record.durationMs = round(performance.now() - started)
    if (outcome.kind === 'unmatched') {
      record.error = 'ERR_HTTP_UNMATCHED'
      this.events.unmatched(outcome.message)
      return { ok: false, error: fetchError(`request to ${hop.url} failed, reason: ${outcome.message.split('\n')[0]}`, 'system', 'ERR_HTTP_UNMATCHED') }
    }
    if (outcome.kind === 'network') {
      record.error = outcome.code
      return { ok: false, error: fetchError(`request to ${hop.url} failed, reason: ${outcome.reason}`, 'system', outcome.code) }
    }
    const { response } = outcome
    record.status = response.status
    if (response.exchange !== undefined) record.exchange = response.exchange
    if (REDIRECTS.has(response.status)) {
      const location = header(response, 'location')
      let target: URL | null = null
      if (location !== null) {
        try { target = new URL(location, hop.url) } catch { target = null }
      }
      if (request.redirect === 'error') {
        return { ok: false, error: fetchError(`uri requested responds with a redirect, redirect mode is set to error: ${hop.url}`, 'no-redirect') }
      }
      if (request.redirect === 'manual') {
        if (target) response.headers = response.headers.map(([n, v]) => n.toLowerCase() === 'location' ? [n, target!.href] : [n, v])
      } else if (target) {
        if (counter >= request.follow) return { ok: false, error: fetchError(`maximum redirect reached at: ${hop.url}`, 'max-redirect') }
        let headers = hop.headers
        let method = hop.method
        let body = hop.body
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && hop.method === 'POST')) {
          method = 'GET'
          body = undefined
          headers = headers.filter(([n]) => n.toLowerCase() !== 'content-length')
        }
        // node-fetch v2.7: credentials go along only to the same host or a subdomain of it, over
        // the same protocol.
        const from = new URL(hop.url)
        if (!isDomainOrSubdomain(from, target) || target.protocol !== from.protocol) {
          headers = headers.filter(([n]) => !SENSITIVE_ON_CROSS_DOMAIN.includes(n.toLowerCase()))
        }
        return this.follow(request, { url: target.href, method, headers, body, timeoutMs: hop.timeoutMs }, counter + 1)
      }
    }
    return {
      ok: true,
      response: {
        url: hop.url,
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: response.body.toString('base64'),
        redirected: counter > 0,
        timeout: request.timeout,
        size: request.size,
      },
    }
  }
}

function header (response: HopResponse, name: string): string | null {
  const found = response.headers.find(([n]) => n.toLowerCase() === name)
  return found ? found[1] : null
}

function round (ms: number): number {
  return Math.round(ms * 10) / 10
}

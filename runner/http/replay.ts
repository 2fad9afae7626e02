import { STATUS_CODES } from 'node:http'
import { isDeepStrictEqual } from 'node:util'
import type { HttpExchange, NetworkErrorCode } from '../types.ts'
import type { HopOutcome, HopRequest, Transport } from './wire.ts'

export const REDACTED = '<redacted>'

/** The network failures a fixture's `error` exchange can simulate (contract.md §2.2). */
export const NETWORK_CODES: readonly NetworkErrorCode[] = ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET']

/** Node's own wording for each network failure a fixture can simulate. */
export function networkReason (code: string, url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  switch (code) {
    case 'ECONNREFUSED': return `connect ECONNREFUSED ${url.hostname}:${port}`
    case 'ENOTFOUND': return `getaddrinfo ENOTFOUND ${url.hostname}`
    case 'ETIMEDOUT': return `connect ETIMEDOUT ${url.hostname}:${port}`
    case 'ECONNRESET': return 'read ECONNRESET'
    default: return code
  }
}

/** Normalises a URL the WHATWG way; null when it does not parse. */
export function normaliseUrl (text: string): URL | null {
  try { return new URL(text) } catch { return null }
}

function sortedQuery (url: URL): Array<[string, string]> {
  return [...url.searchParams].sort((x, y) => x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)
}

/**
 * Exact URL match after normalisation; query parameter order does not matter, and an expected
 * value of `<redacted>` (a recorded secret) accepts any value.
 */
export function sameUrl (expected: URL, actual: URL): boolean {
  if (expected.origin !== actual.origin || expected.pathname !== actual.pathname || expected.hash !== actual.hash) return false
  const want = sortedQuery(expected)
  const got = sortedQuery(actual)
  return want.length === got.length && want.every(([k, v], i) => k === got[i][0] && (v === REDACTED || v === got[i][1]))
}

/** Parses `pattern` or `/pattern/flags`. */
export function parsePattern (pattern: string): RegExp {
  const literal = /^\/(.*)\/([dgimsuy]*)$/s.exec(pattern)
  return literal ? new RegExp(literal[1], literal[2]) : new RegExp(pattern)
}

interface Slot { exchange: HttpExchange, index: number, used: number }

/** Why an exchange does not answer a request; empty when it does. */
function mismatches (slot: Slot, request: HopRequest, url: URL): string[] {
  const { request: want } = slot.exchange
  const reasons: string[] = []
  if (want.method && want.method.toUpperCase() !== request.method) reasons.push(`method is ${request.method}, not ${want.method.toUpperCase()}`)
  if (want.url) {
    const expected = normaliseUrl(want.url)
    if (!expected || !sameUrl(expected, url)) reasons.push(`url differs (fixture: ${want.url})`)
  }
  if (want.urlPattern && !parsePattern(want.urlPattern).test(url.href)) reasons.push(`url does not match ${want.urlPattern}`)
  if (want.headers) {
    for (const [name, value] of Object.entries(want.headers)) {
      const actual = request.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v).join(', ')
      if (actual === '' && value !== '') reasons.push(`header ${name} is missing`)
      else if (!textMatches(String(value), actual)) reasons.push(`header ${name} is "${actual}", not "${value}"`)
    }
  }
  const text = request.body ? request.body.toString('utf8') : ''
  if (want.json !== undefined) {
    let parsed: unknown
    try { parsed = JSON.parse(text) } catch { parsed = Symbol('not json') }
    if (!jsonMatches(want.json, parsed)) reasons.push(typeof parsed === 'symbol' ? 'body is not JSON' : `json body differs: ${truncate(text)}`)
  }
  if (want.body !== undefined && !textMatches(want.body, text)) reasons.push(`body differs: ${truncate(text)}`)
  const limit = slot.exchange.repeat ? Infinity : (slot.exchange.times ?? 1)
  if (slot.used >= limit) reasons.push(`already used ${slot.used} time${slot.used === 1 ? '' : 's'} (times: ${limit})`)
  return reasons
}

/**
 * Deep equality where an expected `<redacted>` (a recorded secret) accepts any value, and a
 * string with `<redacted>` inside (`"Bearer <redacted>"`, a secret scrubbed out of a longer
 * text) accepts any string with the rest as it was.
 */
export function jsonMatches (expected: unknown, actual: unknown): boolean {
  if (expected === REDACTED) return actual !== undefined
  if (typeof expected === 'string' && expected.includes(REDACTED)) return typeof actual === 'string' && textMatches(expected, actual)
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => jsonMatches(v, actual[i]))
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false
    const keys = Object.keys(expected)
    return keys.length === Object.keys(actual).length && keys.every(k => k in actual && jsonMatches((expected as any)[k], (actual as any)[k]))
  }
  return isDeepStrictEqual(expected, actual)
}

/** Text equality (a raw body, a header) where each `<redacted>` in the expected text accepts any run of characters. */
function textMatches (expected: string, actual: string): boolean {
  if (!expected.includes(REDACTED)) return expected === actual
  const pattern = expected.split(REDACTED).map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?')
  return new RegExp(`^${pattern}$`).test(actual)
}

function truncate (text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

function describe (exchange: HttpExchange): string {
  const r = exchange.request
  return `${r.method ? r.method.toUpperCase() : '*'} ${r.url ?? r.urlPattern}`
}

/** Replays a fixture's exchanges; fails closed on a request nothing answers. */
export class ReplayTransport implements Transport {
  private readonly slots: Slot[]

  constructor (exchanges: HttpExchange[]) {
    this.slots = exchanges.map((exchange, index) => ({ exchange, index, used: 0 }))
  }

  async hop (request: HopRequest): Promise<HopOutcome> {
    const url = new URL(request.url)
    const ranked = this.slots.map(slot => ({ slot, reasons: mismatches(slot, request, url) }))
    const hit = ranked.find(r => r.reasons.length === 0)
    if (!hit) return { kind: 'unmatched', message: this.explain(request, ranked) }
    const { slot } = hit
    slot.used++
    const { exchange } = slot
    if (exchange.error) {
      return { kind: 'network', code: exchange.error.code, reason: exchange.error.message ?? networkReason(exchange.error.code, url), delayMs: exchange.error.delayMs ?? 0 }
    }
    const response = exchange.response ?? {}
    const status = response.status ?? 200
    const headers: Array<[string, string]> = []
    for (const [name, value] of Object.entries(response.headers ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) headers.push([name.toLowerCase(), String(v)])
    }
    let body = ''
    if (response.json !== undefined) {
      body = JSON.stringify(response.json)
      if (!headers.some(([n]) => n === 'content-type')) headers.push(['content-type', 'application/json'])
    } else if (response.body !== undefined) {
      body = response.body
    }
    return {
      kind: 'response',
      delayMs: response.delayMs ?? 0,
      response: {
        status,
        statusText: response.statusText ?? STATUS_CODES[status] ?? '',
        headers,
        body: Buffer.from(body, 'utf8'),
        exchange: slot.index,
      },
    }
  }

  /** Exchanges never used, as warnings. */
  unused (): string[] {
    return this.slots.filter(s => s.used === 0).map(s =>
      `HTTP exchange #${s.index + 1} (${describe(s.exchange)}) was never used: remove it or check the request the action makes`)
  }

  private explain (request: HopRequest, ranked: Array<{ slot: Slot, reasons: string[] }>): string {
    const head = `no fixture exchange matches ${request.method} ${request.url}`
    if (ranked.length === 0) return `${head}; the fixture has no http exchanges`
    const closest = [...ranked]
      .sort((a, b) => a.reasons.length - b.reasons.length || commonPrefix(b.slot, request.url) - commonPrefix(a.slot, request.url))
      .slice(0, 3)
      .map(r => `  #${r.slot.index + 1} ${describe(r.slot.exchange)}: ${r.reasons.join('; ')}`)
    return `${head}; closest candidates:\n${closest.join('\n')}`
  }
}

function commonPrefix (slot: Slot, url: string): number {
  const other = slot.exchange.request.url ?? ''
  let i = 0
  while (i < other.length && i < url.length && other[i] === url[i]) i++
  return i
}

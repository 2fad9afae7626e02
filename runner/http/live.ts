import type { NetworkErrorCode, RecordedExchange, RecordedRequest } from '../types.ts'
import { NETWORK_CODES } from './replay.ts'
import type { HopOutcome, HopRequest, Transport } from './wire.ts'

/** The request of a hop as it went out, the same for answered and failed hops. */
function recordedRequest (request: HopRequest): RecordedRequest {
  return {
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers),
    ...(request.body ? { body: request.body.toString('utf8') } : {}),
  }
}

/**
 * The `error` a fixture can replay for a failed hop. The four codes a fixture accepts are kept as
 * they are; the replay words their reason itself. Any other failure (an unreachable host or
 * network, a TLS certificate error, a response that is not HTTP, `EAI_AGAIN`...) cannot be named in
 * a fixture, so it is stored as `ECONNRESET`, the code the client already uses for a failure
 * without one, with Node's reason as `message`: the recording still has the hop in its place, and
 * the replay rejects with the same message, only its `code` differs from the live run's.
 */
function recordedError (code: string, reason: string): { code: NetworkErrorCode, message?: string } {
  return (NETWORK_CODES as readonly string[]).includes(code) ? { code: code as NetworkErrorCode } : { code: 'ECONNRESET', message: reason }
}

/** How long a --live run waits, once the action has ended, for hops still in flight. */
export const DRAIN_MS = 3_000

/**
 * Sends each hop to the real network through node-fetch v2 (redirects are followed by the
 * client, hop by hop), and keeps every hop it saw for `--record`: answered ones and network
 * failures alike, in request order, so a recording needs nothing else to be written.
 *
 * A hop keeps going when the client gives up on it (its `timeout`), as node-fetch's socket does.
 * Its answer is recorded with the `delayMs` it took, so the replay times out where the live run
 * did; the same for an answer that came after the action ended. A hop still unanswered
 * `DRAIN_MS` after the end is recorded as `ETIMEDOUT` after the time it was given.
 */
export class LiveTransport implements Transport {
  /** One slot per hop, taken when the hop starts; null until it is answered or fails. */
  private readonly hops: Array<RecordedExchange | null> = []
  private readonly inFlight = new Map<number, { request: HopRequest, started: number, done: Promise<unknown> }>()
  private endedAt: number | undefined

  /**
   * The finished hops in request order. The slot is taken when a hop starts, because concurrent
   * requests finish in any order; a hop still in flight is left out (see `finish`).
   */
  get recorded (): RecordedExchange[] {
    return this.hops.filter((hop): hop is RecordedExchange => hop !== null)
  }

  /**
   * Called when the action has ended: waits up to `drainMs` for the hops still in flight, records
   * those that stay silent as ETIMEDOUT, and resolves to every hop in request order.
   */
  async finish (drainMs = DRAIN_MS): Promise<RecordedExchange[]> {
    this.endedAt = performance.now()
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.allSettled([...this.inFlight.values()].map(hop => hop.done)),
        new Promise<void>(resolve => { timer = setTimeout(resolve, drainMs) }),
      ])
      clearTimeout(timer)
      for (const [slot, { request, started }] of this.inFlight) {
        const waited = Math.ceil(performance.now() - started)
        this.hops[slot] = { request: recordedRequest(request), error: { code: 'ETIMEDOUT', message: `no answer within ${waited} ms when it was recorded`, delayMs: waited } }
      }
      this.inFlight.clear()
    }
    return this.recorded
  }

  /** The delay a replay must wait to end like this hop: only when the client, or the run, had given up on it. */
  private lateBy (request: HopRequest, started: number): number | undefined {
    const now = performance.now()
    const elapsed = now - started
    if (request.timeoutMs > 0 && elapsed >= request.timeoutMs) return Math.max(Math.ceil(elapsed), request.timeoutMs + 1)
    if (this.endedAt !== undefined && now > this.endedAt) return Math.ceil(elapsed)
    return undefined
  }

  hop (request: HopRequest): Promise<HopOutcome> {
    const slot = this.hops.push(null) - 1
    const started = performance.now()
    const done = this.send(request, slot, started)
    this.inFlight.set(slot, { request, started, done })
    return done
  }

  private async send (request: HopRequest, slot: number, started: number): Promise<HopOutcome> {
    try {
      // Loaded on first use: only --live and --record need it, and every sandbox process would pay for it.
      const { default: fetch } = await import('node-fetch')
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        compress: request.headers.some(([n]) => n.toLowerCase() === 'accept-encoding'),
      })
      const body = await response.buffer()
      const headers: Array<[string, string]> = []
      for (const [name, values] of Object.entries(response.headers.raw())) for (const v of values) headers.push([name, v])
      const recordedHeaders: Record<string, string | string[]> = {}
      for (const [name, values] of Object.entries(response.headers.raw())) recordedHeaders[name] = values.length === 1 ? values[0] : values
      const delayMs = this.lateBy(request, started)
      // A hop `finish` already gave up on keeps its ETIMEDOUT.
      this.inFlight.delete(slot)
      this.hops[slot] ??= {
        request: recordedRequest(request),
        response: { status: response.status, statusText: response.statusText, headers: recordedHeaders, body: body.toString('utf8'), ...(delayMs === undefined ? {} : { delayMs }) },
      }
      return { kind: 'response', delayMs: 0, response: { status: response.status, statusText: response.statusText, headers, body } }
    } catch (error: any) {
      const code: string = error?.code ?? 'ECONNRESET'
      const reason = String(error?.message ?? error).replace(/^request to .* failed, reason: /, '')
      const delayMs = this.lateBy(request, started)
      this.inFlight.delete(slot)
      this.hops[slot] ??= { request: recordedRequest(request), error: { ...recordedError(code, reason), ...(delayMs === undefined ? {} : { delayMs }) } }
      return { kind: 'network', code, reason, delayMs: 0 }
    }
  }
}

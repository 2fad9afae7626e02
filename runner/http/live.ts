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
/** The largest `delayMs` a fixture accepts (fixtures/validate.ts). */
const MAX_DELAY_MS = 600_000

interface InFlight { request: HopRequest, started: number, done: Promise<unknown>, abort: AbortController }

/**
 * Sends each hop to the real network through node-fetch v2 (redirects are followed by the
 * client, hop by hop), and keeps every hop it saw for `--record`: answered ones and network
 * failures alike, in request order, so a recording needs nothing else to be written.
 *
 * When the client gives up on a hop (its `timeout`), the transport keeps listening for the
 * answer, where node-fetch would abort the request, so that the recording holds the delay the
 * server really took and the replay times out where the live run did. The same for a request
 * the action never awaited and that was answered after the action ended. A hop still silent
 * `DRAIN_MS` after the end is aborted and recorded as ETIMEDOUT after the time it was given.
 */
export class LiveTransport implements Transport {
  /** One slot per hop, taken when the hop starts; null until it is answered or fails. */
  private readonly hops: Array<RecordedExchange | null> = []
  private readonly inFlight = new Map<number, InFlight>()
  /** Hops whose `timeout` fired in the client: their answer is recorded with its delay. */
  private readonly abandoned = new WeakSet<HopRequest>()
  private endedAt: number | undefined

  /**
   * The finished hops in request order. The slot is taken when a hop starts, because concurrent
   * requests finish in any order; a hop still in flight is left out (see `finish`).
   */
  get recorded (): RecordedExchange[] {
    return this.hops.filter((hop): hop is RecordedExchange => hop !== null)
  }

  /** The client's `timeout` fired for this hop. */
  gaveUp (request: HopRequest): void {
    this.abandoned.add(request)
  }

  /** The action has ended: answers from now on are recorded with their delay. */
  actionEnded (): void {
    this.endedAt ??= performance.now()
  }

  /**
   * Called after the action has ended: waits up to `drainMs` for the hops still in flight, aborts
   * and records as ETIMEDOUT those that stay silent, and resolves to every hop in request order.
   */
  async finish (drainMs = DRAIN_MS): Promise<RecordedExchange[]> {
    this.actionEnded()
    if (this.inFlight.size > 0) {
      // No hop starts after the end (see `hop`), so the ones in flight now are all there is.
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.allSettled([...this.inFlight.values()].map(hop => hop.done)),
        new Promise<void>(resolve => { timer = setTimeout(resolve, drainMs) }),
      ])
      clearTimeout(timer)
    }
    for (const [slot, { request, started, abort }] of this.inFlight) {
      const waited = Math.min(Math.ceil(performance.now() - started), MAX_DELAY_MS)
      this.hops[slot] = { request: recordedRequest(request), error: { code: 'ETIMEDOUT', message: `no answer within ${waited} ms when it was recorded`, delayMs: waited } }
      abort.abort()
    }
    this.inFlight.clear()
    return this.recorded
  }

  /** The delay a replay must wait to end like this hop: only when the client, or the run, had given up on it. */
  private lateBy (request: HopRequest, started: number): number | undefined {
    const elapsed = Math.ceil(performance.now() - started)
    if (this.abandoned.has(request)) return Math.min(Math.max(elapsed, request.timeoutMs + 1), MAX_DELAY_MS)
    if (this.endedAt !== undefined) return Math.min(elapsed, MAX_DELAY_MS)
    return undefined
  }

  hop (request: HopRequest): Promise<HopOutcome> {
    // Once the action has ended nothing more goes to the network: a redirect answered late would
    // resend the request, and a replay never gets that far (it does not wait after the end).
    if (this.endedAt !== undefined) return Promise.resolve({ kind: 'network', code: 'ECONNRESET', reason: 'the action had ended', delayMs: 0 })
    const slot = this.hops.push(null) - 1
    const started = performance.now()
    const abort = new AbortController()
    const done = this.send(request, slot, started, abort.signal)
    this.inFlight.set(slot, { request, started, done, abort })
    return done
  }

  private async send (request: HopRequest, slot: number, started: number, signal: AbortSignal): Promise<HopOutcome> {
    try {
      // Loaded on first use: only --live and --record need it, and every sandbox process would pay for it.
      const { default: fetch } = await import('node-fetch')
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        compress: request.headers.some(([n]) => n.toLowerCase() === 'accept-encoding'),
        signal: signal as any,
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

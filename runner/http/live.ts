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

/**
 * Sends each hop to the real network through node-fetch v2 (redirects are followed by the
 * client, hop by hop), and keeps every hop it saw for `--record`: answered ones and network
 * failures alike, in request order, so a recording needs nothing else to be written.
 */
export class LiveTransport implements Transport {
  /** One slot per hop, taken when the hop starts; null until it is answered or fails. */
  private readonly hops: Array<RecordedExchange | null> = []

  /**
   * The finished hops in request order. The slot is taken when a hop starts, because concurrent
   * requests finish in any order; a hop still in flight when the run ended is left out.
   */
  get recorded (): RecordedExchange[] {
    return this.hops.filter((hop): hop is RecordedExchange => hop !== null)
  }

  async hop (request: HopRequest): Promise<HopOutcome> {
    const slot = this.hops.push(null) - 1
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
      this.hops[slot] = {
        request: recordedRequest(request),
        response: { status: response.status, statusText: response.statusText, headers: recordedHeaders, body: body.toString('utf8') },
      }
      return { kind: 'response', delayMs: 0, response: { status: response.status, statusText: response.statusText, headers, body } }
    } catch (error: any) {
      const code: string = error?.code ?? 'ECONNRESET'
      const reason = String(error?.message ?? error).replace(/^request to .* failed, reason: /, '')
      this.hops[slot] = { request: recordedRequest(request), error: recordedError(code, reason) }
      return { kind: 'network', code, reason, delayMs: 0 }
    }
  }
}

import type { RecordedExchange } from '../types.ts'
import type { HopOutcome, HopRequest, Transport } from './wire.ts'

/**
 * Sends each hop to the real network through node-fetch v2 (redirects are followed by the
 * client, hop by hop, so every hop is recorded), and keeps what it saw for `--record`.
 */
export class LiveTransport implements Transport {
  readonly recorded: RecordedExchange[] = []

  async hop (request: HopRequest): Promise<HopOutcome> {
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
      this.recorded.push({
        request: {
          method: request.method,
          url: request.url,
          headers: Object.fromEntries(request.headers),
          ...(request.body ? { body: request.body.toString('utf8') } : {}),
        },
        response: { status: response.status, statusText: response.statusText, headers: recordedHeaders, body: body.toString('utf8') },
      })
      return { kind: 'response', delayMs: 0, response: { status: response.status, statusText: response.statusText, headers, body } }
    } catch (error: any) {
      const reason = String(error?.message ?? error).replace(/^request to .* failed, reason: /, '')
      return { kind: 'network', code: error?.code ?? 'ECONNRESET', reason, delayMs: 0 }
    }
  }
}

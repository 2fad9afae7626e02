/** The JSON that crosses between the guest's `fetch` and the host is defined on the guest side. */
export type { WireError, WireRequest, WireResponse } from '../guest/wire.ts'

/** One hop as a transport sees it: headers final, body as bytes. */
export interface HopRequest {
  url: string
  method: string
  headers: Array<[string, string]>
  body?: Buffer
  /**
   * node-fetch v2's `timeout` for this hop in ms, 0 for none: it runs from the request until the
   * response headers and starts again on each redirect.
   */
  timeoutMs: number
}

export interface HopResponse {
  status: number
  statusText: string
  headers: Array<[string, string]>
  body: Buffer
  /** Exchange index that answered (replay). */
  exchange?: number
}

/** A transport answers one hop, or fails like a socket would. */
export type HopOutcome =
  | { kind: 'response', response: HopResponse, delayMs: number }
  | { kind: 'network', code: string, reason: string, delayMs: number }
  | { kind: 'unmatched', message: string }

export interface Transport {
  hop: (request: HopRequest) => Promise<HopOutcome>
  /** The client's `timeout` fired before this hop was answered. */
  gaveUp?: (request: HopRequest) => void
}

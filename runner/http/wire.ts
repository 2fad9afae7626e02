/** What crosses between the guest's `fetch` and the host's HTTP client, as JSON. */

export interface WireRequest {
  url: string
  method: string
  headers: Array<[string, string]>
  /** Base64 body, absent when there is none. */
  body?: string
  contentType: string | null
  redirect: string
  follow: number
  timeout: number
  compress: boolean
  size: number
}

export interface WireResponse {
  url: string
  status: number
  statusText: string
  headers: Array<[string, string]>
  body: string
  redirected: boolean
  timeout: number
  size: number
}

export interface WireError {
  name: 'FetchError' | 'TypeError' | 'Error'
  message: string
  type?: string
  code?: string
}

/** One hop as a transport sees it: headers final, body as bytes. */
export interface HopRequest {
  url: string
  method: string
  headers: Array<[string, string]>
  body?: Buffer
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
}

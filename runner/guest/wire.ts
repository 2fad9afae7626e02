/** What crosses between the guest's `fetch` and the host's HTTP client, as JSON (no Node types here). */

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

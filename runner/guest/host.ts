/**
 * The bridge as the guest sees it: plain functions that take and return strings and numbers only.
 * They are captured in closures at install time and never stored on a reachable object.
 */
export interface HostBridge {
  /** Records one `send()` payload (a JSON string). */
  send: (json: string) => void
  /** Records one console call: level, formatted text, `line:column` in the action or "". */
  log: (level: string, text: string, position: string) => void
  /** Adds a warning to the run. */
  warn: (text: string) => void
  /** Starts a request (a JSON string); the answer arrives through the dispatcher with this id. */
  fetch: (request: string) => number
  /** Starts a timer; it fires through the dispatcher with this id. */
  timer: (ms: number) => number
  /** Cancels a timer or forgets a request. */
  cancel: (id: number) => void
  /** Reports the end of the action: "ok" or "err" with a serialised error, and what was pending. */
  finish: (kind: string, error: string, pending: string) => void
  /** Host services for opt-in globals: ("url", input, base) parses a URL; ("random", n) gives base64 bytes. */
  util: (op: string, a: string, b: string) => string
}

/** Guest configuration, passed as one JSON string. */
export interface GuestConfig {
  args: Record<string, unknown>
  globals: string[]
  maxSendBytes: number
  /** "now": evaluate lodash before the action (its text names `_`); "on-first-use": when `_` is first read. */
  lodash: 'now' | 'on-first-use'
}

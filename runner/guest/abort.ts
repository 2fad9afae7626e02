import { StringCtor } from './intrinsics.ts'

type Listener = (event: { type: string, target: AbortSignal }) => void

/** AbortSignal as node-fetch v2 uses it: `aborted`, `reason`, `onabort` and abort listeners. */
export class AbortSignal {
  #aborted = false
  #reason: unknown = undefined
  #listeners: Listener[] = []
  onabort: Listener | null = null

  get aborted (): boolean { return this.#aborted }
  get reason (): unknown { return this.#reason }
  get [Symbol.toStringTag] (): string { return 'AbortSignal' }

  addEventListener (type: string, listener: Listener): void { if (StringCtor(type) === 'abort' && typeof listener === 'function') this.#listeners.push(listener) }
  removeEventListener (type: string, listener: Listener): void { if (StringCtor(type) === 'abort') this.#listeners = this.#listeners.filter(l => l !== listener) }
  throwIfAborted (): void { if (this.#aborted) throw this.#reason }

  /** Fires the abort once; used by AbortController. */
  _abort (reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason
    const event = { type: 'abort', target: this }
    if (typeof this.onabort === 'function') this.onabort(event)
    for (const listener of this.#listeners.slice()) listener(event)
  }
}

export class AbortController {
  readonly signal = new AbortSignal()
  abort (reason?: unknown): void {
    this.signal._abort(reason === undefined ? Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }) : reason)
  }

  get [Symbol.toStringTag] (): string { return 'AbortController' }
}

/** node-fetch v2's AbortError. */
export class AbortError extends Error {
  readonly type = 'aborted'
  constructor (message = 'The user aborted a request.') { super(message) }
  get name (): string { return 'AbortError' }
}

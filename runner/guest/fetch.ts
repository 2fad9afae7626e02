import { AbortError } from './abort.ts'
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from './encoding.ts'
import type { HostBridge } from './host.ts'
import type { WireRequest, WireResponse } from './wire.ts'
import { ArrayIsArray, ObjectGetPrototypeOf, ObjectKeys, ObjectPrototype, parse, PromiseCtor, regexTest, StringCtor, stringify, then } from './intrinsics.ts'

/** node-fetch v2's token and value checks for header names and values. */
const INVALID_TOKEN = /[^\^_`a-zA-Z\-0-9!#$%&'*+.|~]/
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/

function checkName (name: string): void {
  if (regexTest(INVALID_TOKEN, name) || name === '') throw new TypeError(`${name} is not a legal HTTP header name`)
}
function checkValue (value: string): void {
  if (regexTest(INVALID_HEADER_CHAR, value)) throw new TypeError(`${value} is not a legal HTTP header value`)
}

/** node-fetch v2 `FetchError`: `type`, and `code`/`errno` for system errors. */
export class FetchError extends Error {
  type: string
  code?: string
  errno?: string
  constructor (message: string, type: string, systemCode?: string) {
    super(message)
    this.type = type
    if (systemCode) this.code = this.errno = systemCode
  }

  get name (): string { return 'FetchError' }
}

/** node-fetch v2 `Headers`: lower-cased names, values joined by ", ", iteration sorted by name. */
export class Headers {
  #map: Map<string, string[]> = new Map()

  constructor (init?: unknown) {
    if (init instanceof Headers) {
      for (const [name, values] of init.#map) this.#map.set(name, values.slice())
    } else if (init != null && typeof init === 'object') {
      const iterator = (init as any)[Symbol.iterator]
      if (iterator != null) {
        if (typeof iterator !== 'function') throw new TypeError('Header pairs must be iterable')
        for (const pair of init as Iterable<unknown>) {
          if (typeof pair !== 'object' || pair === null || typeof (pair as any)[Symbol.iterator] !== 'function') {
            throw new TypeError('Each header pair must be iterable')
          }
          const items = Array.from(pair as Iterable<unknown>)
          if (items.length !== 2) throw new TypeError('Each header pair must be a name/value tuple')
          this.append(items[0] as string, items[1] as string)
        }
      } else {
        for (const key of ObjectKeys(init)) this.append(key, (init as any)[key])
      }
    } else if (init != null) {
      throw new TypeError('Provided initializer must be an object')
    }
  }

  get (name: string): string | null {
    name = `${name}`; checkName(name)
    const values = this.#map.get(name.toLowerCase())
    return values ? values.join(', ') : null
  }

  set (name: string, value: string): void {
    name = `${name}`; value = `${value}`; checkName(name); checkValue(value)
    this.#map.set(name.toLowerCase(), [value])
  }

  append (name: string, value: string): void {
    name = `${name}`; value = `${value}`; checkName(name); checkValue(value)
    const key = name.toLowerCase()
    const values = this.#map.get(key)
    if (values) values.push(value); else this.#map.set(key, [value])
  }

  has (name: string): boolean { name = `${name}`; checkName(name); return this.#map.has(name.toLowerCase()) }
  delete (name: string): void { name = `${name}`; checkName(name); this.#map.delete(name.toLowerCase()) }

  forEach (callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this)
  }

  raw (): Record<string, string[]> {
    const out: Record<string, string[]> = {}
    for (const [name, values] of this.#map) out[name] = values
    return out
  }

  * entries (): IterableIterator<[string, string]> {
    for (const name of [...this.#map.keys()].sort()) yield [name, this.#map.get(name)!.join(', ')]
  }

  * keys (): IterableIterator<string> { for (const [name] of this.entries()) yield name }
  * values (): IterableIterator<string> { for (const [, value] of this.entries()) yield value }
  [Symbol.iterator] (): IterableIterator<[string, string]> { return this.entries() }
  get [Symbol.toStringTag] (): string { return 'Headers' }

  /** Pairs for the wire, in insertion order. */
  toPairs (): Array<[string, string]> {
    const pairs: Array<[string, string]> = []
    for (const [name, values] of this.#map) for (const value of values) pairs.push([name, value])
    return pairs
  }
}

/** node-fetch v2 `Response` over a body held in memory. */
export class Response {
  #bytes: Uint8Array
  #used = false
  #wire: WireResponse
  readonly headers: Headers

  constructor (wire: WireResponse, bytes?: Uint8Array) {
    this.#wire = wire
    this.#bytes = bytes ?? base64Decode(wire.body)
    this.headers = new Headers(wire.headers)
  }

  get url (): string { return this.#wire.url }
  get status (): number { return this.#wire.status }
  get statusText (): string { return this.#wire.statusText }
  get ok (): boolean { return this.#wire.status >= 200 && this.#wire.status < 300 }
  get redirected (): boolean { return this.#wire.redirected }
  get bodyUsed (): boolean { return this.#used }
  get size (): number { return this.#wire.size }
  get timeout (): number { return this.#wire.timeout }
  get [Symbol.toStringTag] (): string { return 'Response' }

  #consume (): Promise<Uint8Array> {
    if (this.#used) return PromiseCtor.reject(new TypeError(`body used already for: ${this.#wire.url}`))
    this.#used = true
    if (this.#wire.size > 0 && this.#bytes.length > this.#wire.size) {
      return PromiseCtor.reject(new FetchError(`content size at ${this.#wire.url} over limit: ${this.#wire.size}`, 'max-size'))
    }
    return PromiseCtor.resolve(this.#bytes)
  }

  text (): Promise<string> { return then(this.#consume(), utf8Decode) }

  json (): Promise<any> {
    return then(this.#consume(), bytes => {
      try {
        return parse(utf8Decode(bytes))
      } catch (error: any) {
        throw new FetchError(`invalid json response body at ${this.#wire.url} reason: ${error.message}`, 'invalid-json')
      }
    })
  }

  arrayBuffer (): Promise<ArrayBuffer> {
    return then(this.#consume(), bytes => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
  }

  /** node-fetch returns a Buffer; the platform has none, so this is a Uint8Array of the same bytes. */
  buffer (): Promise<Uint8Array> { return then(this.#consume(), bytes => bytes.slice()) }

  clone (): Response {
    if (this.#used) throw new Error('cannot clone body after it is used')
    return new Response(this.#wire, this.#bytes)
  }
}

function isPlainObject (value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const proto = ObjectGetPrototypeOf(value)
  return proto === null || proto === ObjectPrototype
}

export interface FetchHooks {
  host: HostBridge
  /** Registers a pending host operation; the dispatcher settles it. */
  await: (id: number, settle: (kind: string, payload: string) => void) => void
  isFinished: () => boolean
}

/** `fetch` with node-fetch v2's request rules; the host performs the exchange. */
export function createFetch (hooks: FetchHooks): (url: unknown, init?: any) => Promise<Response> {
  const { host } = hooks
  return function fetch (input: unknown, init: any = {}): Promise<Response> {
    return new PromiseCtor((resolve, reject) => {
      if (init === null || (typeof init !== 'object' && typeof init !== 'function')) init = {}
      const url = input != null && typeof input === 'object' && (input as any).href ? StringCtor((input as any).href) : `${input}`
      const method = StringCtor(init.method || 'GET').toUpperCase()
      const headers = new Headers(init.headers)
      const rawBody = init.body
      if (rawBody != null && (method === 'GET' || method === 'HEAD')) {
        throw new TypeError('Request with GET/HEAD method cannot have body')
      }
      let body: string | undefined
      let contentType: string | null = null
      if (rawBody == null) {
        body = undefined
      } else if (typeof rawBody === 'string') {
        body = base64Encode(utf8Encode(rawBody)); contentType = 'text/plain;charset=UTF-8'
      } else if (rawBody instanceof ArrayBuffer) {
        body = base64Encode(new Uint8Array(rawBody))
      } else if (ArrayBuffer.isView(rawBody)) {
        body = base64Encode(new Uint8Array(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength))
      } else if (typeof (rawBody as any).getAll === 'function' && typeof (rawBody as any).append === 'function' &&
        StringCtor(Object.prototype.toString.call(rawBody)) === '[object URLSearchParams]') {
        body = base64Encode(utf8Encode(StringCtor(rawBody))); contentType = 'application/x-www-form-urlencoded;charset=UTF-8'
      } else {
        if (isPlainObject(rawBody) || ArrayIsArray(rawBody)) {
          host.warn(`fetch(${method} ${url}) got ${ArrayIsArray(rawBody) ? 'an array' : 'a plain object'} as body: ` +
            `node-fetch v2 sends it as the string "${StringCtor(rawBody)}"; pass JSON.stringify(body) and a ` +
            "'Content-Type: application/json' header")
        }
        body = base64Encode(utf8Encode(StringCtor(rawBody))); contentType = 'text/plain;charset=UTF-8'
      }
      const request: WireRequest = {
        url,
        method,
        headers: headers.toPairs(),
        body,
        contentType,
        redirect: init.redirect === undefined ? 'follow' : StringCtor(init.redirect),
        follow: init.follow === undefined ? 20 : Number(init.follow),
        timeout: Number(init.timeout) || 0,
        compress: init.compress !== false,
        size: Number(init.size) || 0,
      }
      const signal = init.signal
      if (signal && signal.aborted) { reject(new AbortError()); return }
      if (hooks.isFinished()) {
        // Nothing leaves an action that has finished: the promise never settles.
        host.warn(`fetch(${method} ${url}) was called after the action had finished: never sent`)
        return
      }
      const id = host.fetch(stringify(request))
      let settled = false
      if (signal && typeof signal.addEventListener === 'function') {
        signal.addEventListener('abort', () => {
          if (settled) return
          settled = true
          host.cancel(id)
          reject(new AbortError())
        })
      }
      hooks.await(id, (kind, payload) => {
        if (settled) return
        settled = true
        const data = parse(payload)
        if (kind === 'ok') { resolve(new Response(data)); return }
        if (data.name === 'FetchError') reject(new FetchError(data.message, data.type, data.code))
        else if (data.name === 'TypeError') reject(new TypeError(data.message))
        else reject(new Error(data.message))
      })
    })
  }
}

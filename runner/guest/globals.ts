import { AbortController, AbortSignal } from './abort.ts'
import { Buffer } from './buffer.ts'
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from './encoding.ts'
import { createURL, URLSearchParams } from './url.ts'
import { parse, stringify, StringCtor } from './intrinsics.ts'

export interface TimerApi {
  setTimeout: (fn: unknown, ms?: unknown, ...args: unknown[]) => number
  clearTimeout: (id: unknown) => void
  setInterval: (fn: unknown, ms?: unknown, ...args: unknown[]) => number
  clearInterval: (id: unknown) => void
}

/**
 * The absent globals of platform.md §2.6 that a profile may switch on (`globals` option).
 * Each is a small, documented stand-in for the Node global of the same name.
 */
export function createOptionalGlobals (timers: TimerApi, lodash: () => unknown, fetch: unknown, util: (op: string, a: string, b: string) => string): Record<string, () => unknown> {
  class TextEncoder {
    get encoding (): string { return 'utf-8' }
    encode (text = ''): Uint8Array { return utf8Encode(StringCtor(text)) }
  }
  class TextDecoder {
    get encoding (): string { return 'utf-8' }
    decode (bytes?: ArrayBuffer | ArrayBufferView): string {
      if (bytes === undefined) return ''
      const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      return utf8Decode(view)
    }
  }
  const latin1 = (text: string): Uint8Array => {
    const out = new Uint8Array(text.length)
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i)
      if (code > 255) throw new Error('Invalid character')
      out[i] = code
    }
    return out
  }
  const moduleObject = { exports: {} }
  return {
    setTimeout: () => timers.setTimeout,
    clearTimeout: () => timers.clearTimeout,
    setInterval: () => timers.setInterval,
    clearInterval: () => timers.clearInterval,
    btoa: () => (text: unknown) => base64Encode(latin1(StringCtor(text))),
    atob: () => (text: unknown) => {
      let out = ''
      for (const byte of base64Decode(StringCtor(text))) out += String.fromCharCode(byte)
      return out
    },
    TextEncoder: () => TextEncoder,
    TextDecoder: () => TextDecoder,
    structuredClone: () => (value: unknown) => value === undefined ? undefined : parse(stringify(value)),
    process: () => ({ env: {}, version: 'v20.0.0', versions: {}, platform: 'linux', argv: [], nextTick: (fn: any, ...args: any[]) => { Promise.resolve().then(() => fn(...args)) } }),
    module: () => moduleObject,
    URL: () => createURL((input, base) => util('url', input, base)),
    URLSearchParams: () => URLSearchParams,
    Buffer: () => Buffer,
    AbortController: () => AbortController,
    crypto: () => {
      const randomBytes = (n: number): Uint8Array => base64Decode(util('random', StringCtor(n), ''))
      return {
        getRandomValues<T extends ArrayBufferView> (array: T): T {
          if (!ArrayBuffer.isView(array)) throw new TypeError('The data argument must be an integer-type TypedArray')
          if (array.byteLength > 65536) throw new Error(`The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`)
          new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(randomBytes(array.byteLength))
          return array
        },
        randomUUID (): string {
          const b = randomBytes(16)
          b[6] = (b[6] & 0x0f) | 0x40
          b[8] = (b[8] & 0x3f) | 0x80
          const hex = Array.from(b, x => x.toString(16).padStart(2, '0')).join('')
          return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
        },
      }
    },
    require: () => (name: unknown) => {
      if (name === 'lodash') return lodash()
      if (name === 'node-fetch') return fetch
      throw new Error(`Cannot find module '${StringCtor(name)}' (the sandbox's require serves only "lodash" and "node-fetch")`)
    },
  }
}

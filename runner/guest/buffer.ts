import { base64Decode, base64Encode, utf8Decode, utf8Encode } from './encoding.ts'
import { StringCtor } from './intrinsics.ts'

type Encoding = 'utf8' | 'base64' | 'base64url' | 'hex' | 'latin1'

function encodingOf (name: unknown): Encoding {
  const e = StringCtor(name ?? 'utf8').toLowerCase()
  if (e === 'utf8' || e === 'utf-8') return 'utf8'
  if (e === 'base64' || e === 'base64url' || e === 'hex') return e
  if (e === 'latin1' || e === 'binary' || e === 'ascii') return 'latin1'
  throw new TypeError(`Unknown encoding: ${StringCtor(name)}`)
}

/** A small `Buffer`: from/alloc/concat/isBuffer/byteLength and toString in utf8, base64, hex, latin1. */
export class Buffer extends Uint8Array {
  static from (value: unknown, encoding?: unknown): Buffer {
    if (typeof value === 'string') return Buffer.#wrap(Buffer.#decode(value, encodingOf(encoding)))
    if (value instanceof ArrayBuffer) return Buffer.#wrap(new Uint8Array(value.slice(0)))
    if (ArrayBuffer.isView(value)) return Buffer.#wrap(new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)))
    if (Array.isArray(value)) return Buffer.#wrap(Uint8Array.from(value, v => Number(v) & 255))
    throw new TypeError('The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array')
  }

  static alloc (size: number, fill = 0): Buffer { const b = new Buffer(size); b.fill(Number(fill) & 255); return b }
  static isBuffer (value: unknown): boolean { return value instanceof Buffer }
  static byteLength (value: string, encoding?: unknown): number { return Buffer.#decode(StringCtor(value), encodingOf(encoding)).length }
  static concat (list: Uint8Array[], total?: number): Buffer {
    const length = total ?? list.reduce((n, b) => n + b.length, 0)
    const out = new Buffer(length)
    let offset = 0
    for (const b of list) { out.set(b.subarray(0, Math.max(0, length - offset)), offset); offset += b.length; if (offset >= length) break }
    return out
  }

  static #wrap (bytes: Uint8Array): Buffer { const b = new Buffer(bytes.length); b.set(bytes); return b }
  static #decode (text: string, encoding: Encoding): Uint8Array {
    switch (encoding) {
      case 'utf8': return utf8Encode(text)
      case 'base64': case 'base64url': return base64Decode(text)
      case 'hex': {
        const out = new Uint8Array(Math.floor(text.length / 2))
        let n = 0
        for (; n < out.length; n++) { const v = parseInt(text.substr(n * 2, 2), 16); if (isNaN(v)) break; out[n] = v }
        return out.subarray(0, n)
      }
      default: return Uint8Array.from(text, c => c.charCodeAt(0) & 255)
    }
  }

  toString (encoding?: unknown, start = 0, end = this.length): string {
    const bytes = this.subarray(start, end)
    switch (encodingOf(encoding)) {
      case 'utf8': return utf8Decode(bytes)
      case 'base64': return base64Encode(bytes)
      case 'base64url': return base64Encode(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
      case 'hex': return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
      default: return Array.from(bytes, b => String.fromCharCode(b)).join('')
    }
  }

  toJSON (): { type: 'Buffer', data: number[] } { return { type: 'Buffer', data: Array.from(this) } }
  equals (other: Uint8Array): boolean { return other.length === this.length && this.every((b, i) => b === other[i]) }
}

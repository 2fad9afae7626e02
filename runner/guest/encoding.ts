/** UTF-8 and base64 without `TextEncoder`, `Buffer` or `atob`, which the platform lacks. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const LOOKUP: Record<string, number> = Object.create(null)
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET[i]] = i
LOOKUP['-'] = 62
LOOKUP._ = 63

export function utf8Encode (text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 3)
  let n = 0
  const out = { push (...b: number[]): void { for (let i = 0; i < b.length; i++) bytes[n++] = b[i] } }
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i)
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) { code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00); i++ } else code = 0xfffd
    } else if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd
    if (code < 0x80) out.push(code)
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 63))
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63))
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63))
  }
  return bytes.slice(0, n)
}

/** Decodes UTF-8 the way Node's `buffer.toString('utf8')` does: bad sequences become U+FFFD. */
export function utf8Decode (bytes: Uint8Array): string {
  let out = ''
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]
    let code = 0xfffd
    let need = 0
    if (b < 0x80) { code = b; need = 0 } else if (b >= 0xc2 && b <= 0xdf) { code = b & 31; need = 1 } else if (b >= 0xe0 && b <= 0xef) { code = b & 15; need = 2 } else if (b >= 0xf0 && b <= 0xf4) { code = b & 7; need = 3 } else { out += '\ufffd'; i++; continue }
    let j = 1
    for (; j <= need; j++) {
      const c = bytes[i + j]
      if (c === undefined || (c & 0xc0) !== 0x80) break
      code = (code << 6) | (c & 63)
    }
    if (j <= need) { out += '\ufffd'; i += j; continue }
    i += need + 1
    if (code >= 0x10000) {
      code -= 0x10000
      out += String.fromCharCode(0xd800 + (code >> 10), 0xdc00 + (code & 1023))
    } else out += String.fromCharCode(code)
  }
  return out
}

export function base64Encode (bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63] +
      (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? ALPHABET[n & 63] : '=')
  }
  return out
}

export function base64Decode (text: string): Uint8Array {
  const out = new Uint8Array(Math.floor(text.length * 3 / 4) + 3)
  let bits = 0
  let value = 0
  let o = 0
  for (let i = 0; i < text.length; i++) {
    const digit = LOOKUP[text[i]]
    if (digit === undefined) continue
    value = ((value << 6) | digit) & 0xffffff
    bits += 6
    if (bits >= 8) { bits -= 8; out[o++] = (value >> bits) & 255 }
  }
  return out.subarray(0, o)
}

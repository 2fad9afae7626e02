// The platform has neither `btoa` nor `Buffer` (platform.md §2.6), so Basic credentials are
// encoded here instead of by hand on a website.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Base64 (RFC 4648, with padding) of the UTF-8 encoding of `text`. */
export function encodeBase64 (text: string): string {
  // encodeURIComponent yields the UTF-8 bytes as %XX escapes; lone surrogates (which it rejects) become U+FFFD.
  const wellFormed = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
  const bytes = encodeURIComponent(wellFormed).replace(/%([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes.charCodeAt(i) << 16) | ((bytes.charCodeAt(i + 1) || 0) << 8) | (bytes.charCodeAt(i + 2) || 0)
    out += ALPHABET[(chunk >> 18) & 63] + ALPHABET[(chunk >> 12) & 63]
    out += i + 1 < bytes.length ? ALPHABET[(chunk >> 6) & 63] : '='
    out += i + 2 < bytes.length ? ALPHABET[chunk & 63] : '='
  }
  return out
}

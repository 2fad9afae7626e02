/** 53-bit FNV-1a-style hash as 14 hex digits: stable across runs, for idempotency keys (not for security). */
export function hashText (text: string): string {
  let high = 0x811c9dc5
  let low = 0x01000193
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    high = Math.imul(high ^ code, 0x01000193) >>> 0
    low = Math.imul(low ^ code, 0x5bd1e995) >>> 0
  }
  return ((high & 0x1fffff) * 0x100000000 + low).toString(16).padStart(14, '0')
}

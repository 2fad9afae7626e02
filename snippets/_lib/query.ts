// `URLSearchParams` and `URL` are absent on the platform (platform.md §2.6).

/** A query string (`?a=1&b=2`, or "" when empty) from ordered pairs; undefined and "" values are left out. */
export function encodeQuery (pairs: Array<[string, string | number | undefined]>): string {
  const parts: string[] = []
  for (const [key, value] of pairs) {
    if (value === undefined || value === '') continue
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
  }
  return parts.length ? `?${parts.join('&')}` : ''
}

/** The URL without credentials, query string and fragment, for log lines: those may carry a key or personal data. */
export function withoutQuery (url: string): string {
  const cut = url.search(/[?#]/)
  return (cut === -1 ? url : url.slice(0, cut)).replace(/^([a-z][a-z\d+.-]*:\/\/)[^@/]*@/i, '$1')
}

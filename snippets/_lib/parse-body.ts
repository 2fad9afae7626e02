/** A response body, told apart by what it really is rather than by what the API promised. */
export type ParsedBody =
  | { kind: 'json', value: unknown }
  | { kind: 'empty' }
  | { kind: 'html', title: string }
  | { kind: 'text', excerpt: string }

/**
 * Parses a body read as text. `response.json()` would throw the same FetchError for an HTML error
 * page, an empty body and a truncated one; the error path needs to know which it was.
 */
export function parseBody (text: string, contentType: string | null): ParsedBody {
  const trimmed = text.trim()
  if (trimmed === '') return { kind: 'empty' }
  // HTML only when it is markup: Zendesk labels the plain-text body of its 429 text/html.
  if (/^</.test(trimmed) && (/html/i.test(contentType || '') || /^<(?:!doctype|html|head|body)/i.test(trimmed))) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)
    return { kind: 'html', title: title ? squash(title[1]) : '' }
  }
  try {
    return { kind: 'json', value: JSON.parse(trimmed) }
  } catch {
    return { kind: 'text', excerpt: squash(trimmed) }
  }
}

/** A short phrase naming a body that is not the expected JSON, for error messages. */
export function describeBody (body: ParsedBody): string {
  switch (body.kind) {
    case 'empty': return 'an empty body'
    case 'html': return body.title ? `an HTML page ("${body.title}")` : 'an HTML page'
    case 'text': return `text that is not JSON ("${body.excerpt}")`
    case 'json': return `JSON ${excerptOf(body.value)}`
  }
}

/** The value as compact JSON, cut to `max` characters. */
export function excerptOf (value: unknown, max = 120): string {
  let text: string
  try { text = JSON.stringify(value) || String(value) } catch { text = String(value) }
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/** Plain-object test that survives values from another realm. */
export function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function squash (text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max)}…` : line
}

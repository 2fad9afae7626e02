import { encodeBase64 } from './base64.ts'
import type { ApiError } from './failure.ts'
import { isRecord, type ParsedBody } from './parse-body.ts'

/**
 * The subdomain from what a builder may paste: `acme`, `acme.zendesk.com` or `https://acme.zendesk.com/`.
 * Null when it is not a valid subdomain.
 */
export function readSubdomain (text: string): string | null {
  const name = text.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '').replace(/\.zendesk\.com$/, '')
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(name) ? name : null
}

export function apiBase (subdomain: string): string {
  return `https://${subdomain}.zendesk.com/api/v2`
}

/** API-token Basic auth: base64 of `{email}/token:{api_token}`. */
export function tokenAuthHeaders (email: string, apiToken: string): Record<string, string> {
  return { Authorization: `Basic ${encodeBase64(`${email}/token:${apiToken}`)}` }
}

/**
 * Zendesk's error bodies: `{"error":"RecordInvalid","description":...,"details":{field:[{description}]}}`,
 * `{"error":"Couldn't authenticate you"}`, `{"error":{"title","message"}}` on some endpoints, or plain text.
 */
export function readZendeskError (body: ParsedBody): ApiError {
  if (body.kind === 'text') return { reason: null, detail: body.excerpt }
  if (body.kind !== 'json' || !isRecord(body.value)) return { reason: null, detail: null }
  const { error, description, details } = body.value
  if (isRecord(error)) {
    return { reason: typeof error.title === 'string' ? error.title : null, detail: typeof error.message === 'string' ? error.message : null }
  }
  const reason = typeof error === 'string' ? error : null
  const parts: string[] = []
  if (typeof description === 'string') parts.push(description)
  if (isRecord(details)) {
    for (const key of Object.keys(details)) {
      const list = details[key]
      if (!Array.isArray(list)) continue
      for (const item of list) if (isRecord(item) && typeof item.description === 'string') parts.push(item.description)
    }
  }
  return { reason, detail: parts.length ? parts.join('; ') : null }
}

/** A loose email check: something@something.tld, no spaces. */
export function looksLikeEmail (text: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)
}

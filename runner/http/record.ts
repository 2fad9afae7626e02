import { randomBytes } from 'node:crypto'
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { isMap, isSeq, parseDocument } from 'yaml'
import { editorRowType } from '../fixtures/args.ts'
import { displayPath, readFixtureDoc } from '../fixtures/load.ts'
import type { ArgRow, HttpExchange, RecordedExchange, RunResult } from '../types.ts'
import { REDACTED } from './replay.ts'

/** Names that hold credentials: headers, query parameters, JSON keys and `text` arguments. */
const SECRET_NAME = /(^|[-_.])(key|token|secret|password|passwd|auth|authorization|cookie|session|signature|credential)s?($|[-_.])|api[-_]?key|access[-_]?token|bearer/i
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token'])
/** Response headers that describe the wire, not the answer; a replay would contradict them. */
const WIRE_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive'])

export function isSecretName (name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase()) || SECRET_NAME.test(name)
}

/** Values of `text` arguments whose key looks secret: they are replaced wherever they appear. */
export function secretValues (args: Record<string, ArgRow>): string[] {
  return Object.entries(args)
    .filter(([key, row]) => editorRowType(row) === 'text' && isSecretName(key))
    .map(([, row]) => String((row as { text: unknown }).text))
    .filter(v => v.length >= 4)
}

function scrubText (text: string, secrets: string[]): string {
  let out = text
  for (const secret of secrets) out = out.split(secret).join(REDACTED)
  return out
}

function scrubJson (value: unknown, secrets: string[]): unknown {
  if (Array.isArray(value)) return value.map(v => scrubJson(v, secrets))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecretName(k) && (typeof v === 'string' || typeof v === 'number') ? REDACTED : scrubJson(v, secrets)]))
  }
  return typeof value === 'string' ? scrubText(value, secrets) : value
}

function scrubUrl (text: string, secrets: string[]): string {
  let url: URL
  try { url = new URL(scrubText(text, secrets)) } catch { return scrubText(text, secrets) }
  for (const key of [...new Set(url.searchParams.keys())]) {
    if (isSecretName(key)) url.searchParams.set(key, REDACTED)
  }
  if (url.username) url.username = REDACTED
  if (url.password) url.password = REDACTED
  return url.href.replace(/%3Credacted%3E/gi, REDACTED)
}

function bodyFields (body: string | undefined, contentType: string | undefined, secrets: string[]): { json?: unknown, body?: string } {
  if (body === undefined || body === '') return body === '' ? { body: '' } : {}
  if (!contentType || /json/i.test(contentType) || /^[[{]/.test(body.trim())) {
    try { return { json: scrubJson(JSON.parse(body), secrets) } } catch { /* not JSON */ }
  }
  return { body: scrubText(body, secrets) }
}

/** Turns captured exchanges into fixture exchanges with every secret replaced by `<redacted>`. */
export function scrubExchanges (recorded: RecordedExchange[], secrets: string[]): HttpExchange[] {
  return recorded.map(({ request, response }) => {
    const requestHeaders: Record<string, string> = {}
    for (const name of Object.keys(request.headers)) if (isSecretName(name)) requestHeaders[name.toLowerCase()] = REDACTED
    const responseHeaders: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(response.headers)) {
      if (WIRE_HEADERS.has(name.toLowerCase())) continue
      responseHeaders[name] = isSecretName(name) ? REDACTED : Array.isArray(value) ? value.map(v => scrubText(v, secrets)) : scrubText(value, secrets)
    }
    const contentType = Object.entries(response.headers).find(([n]) => n.toLowerCase() === 'content-type')?.[1]
    const requestType = Object.entries(request.headers).find(([n]) => n.toLowerCase() === 'content-type')?.[1]
    return {
      request: {
        method: request.method,
        url: scrubUrl(request.url, secrets),
        ...(Object.keys(requestHeaders).length ? { headers: requestHeaders } : {}),
        ...bodyFields(request.body, requestType, secrets),
      },
      response: {
        status: response.status,
        ...(Object.keys(responseHeaders).length ? { headers: responseHeaders } : {}),
        ...bodyFields(response.body, Array.isArray(contentType) ? contentType[0] : contentType, secrets),
      },
    } as HttpExchange
  })
}

/** Writes a file through a temporary sibling and a rename, so a crash never leaves half a file. */
export function writeFileAtomic (file: string, text: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    writeFileSync(temp, text)
    renameSync(temp, file)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

/**
 * Replaces the fixture's `http` list with the exchanges a live run captured. YAML comments and
 * key order of the rest of the file survive (the yaml Document API); the write is atomic.
 */
export async function recordExchanges (file: string, result: RunResult): Promise<string> {
  const fixtureDoc = readFixtureDoc(file)
  const data = fixtureDoc.data as Record<string, unknown>
  const secrets = secretValues((data.args ?? {}) as Record<string, ArgRow>)
  const exchanges = scrubExchanges(result.recorded ?? [], secrets)
  const original = readFileSync(file, 'utf8')
  let text: string
  if (/\.json$/i.test(file)) {
    text = `${JSON.stringify({ ...data, http: exchanges }, null, 2)}\n`
  } else {
    const doc = parseDocument(original.replace(/^\uFEFF/, ''))
    if (!isMap(doc.contents)) throw new Error(`${displayPath(file)} is not a mapping`)
    const node = doc.createNode(exchanges)
    if (doc.has('http') && isSeq(doc.get('http', true))) doc.set('http', node)
    else doc.set('http', node)
    text = doc.toString({ lineWidth: 0 })
  }
  writeFileAtomic(file, text)
  return `recorded ${exchanges.length} exchange${exchanges.length === 1 ? '' : 's'} into ${displayPath(file)} (secrets replaced by ${REDACTED})`
}

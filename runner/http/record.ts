import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { STATUS_CODES } from 'node:http'
import { isDeepStrictEqual } from 'node:util'
import type { Node as YamlNode, YAMLMap } from 'yaml'
import { ToolError } from '../errors.ts'
import { editorRowType } from '../fixtures/args.ts'
import { displayPath, readFixtureDoc } from '../fixtures/load.ts'
import type { AnsweredExchange, ArgRow, HttpExchange, RecordedExchange, RecordedRequest, RunResult } from '../types.ts'
import { REDACTED } from './replay.ts'
import { yaml } from '../lazy.ts'

/** Words that make a header, query parameter, JSON key or `text` argument name a credential. */
const SECRET_WORDS = new Set([
  'token', 'tokens', 'secret', 'secrets', 'password', 'passwords', 'passwd', 'pwd', 'passphrase', 'auth', 'authorization',
  'cookie', 'cookies', 'credential', 'credentials', 'signature', 'bearer', 'apikey', 'jwt', 'otp',
])
/** Words that make a following `key` a credential (`apiKey`, `x-api-key`, `private_key`). */
const KEY_QUALIFIERS = new Set(['api', 'access', 'private', 'secret', 'client', 'consumer', 'license', 'subscription', 'master', 'auth', 'app'])
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token', 'x-csrf-token'])
/** Response headers that describe the wire, not the answer; a replay would contradict them. */
const WIRE_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive'])
/** Runs that ended this way were cut short: their exchanges are incomplete and are not written. */
const INCOMPLETE = new Set(['ERR_TIMEOUT', 'ERR_MEMORY', 'ERR_SANDBOX_CRASH'])

/**
 * Where a name is used: any `key` word makes a query parameter or an argument name secret
 * (`?key=`, `airtableKey: {text}`); a header needs `Key` alone or qualified (`X-Api-Key`, not
 * `Idempotency-Key`); a JSON key needs a qualifier (`apiKey`, not Chatlayer's `{key, value}` params).
 */
export type NameContext = 'header' | 'query' | 'json' | 'arg'

/** Splits `clientSecret`, `X-Api-Key`, `access_token` into lower-case words. */
function nameWords (name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)
}

/** Tells a credential by its name: headers, query parameters, JSON keys and `text` argument keys. */
export function isSecretName (name: string, context: NameContext = 'header'): boolean {
  if (context === 'header' && SECRET_HEADERS.has(name.toLowerCase())) return true
  const words = nameWords(name)
  return words.some((word, i) =>
    SECRET_WORDS.has(word) ||
    (context === 'query' && word === 'sig') ||
    (word === 'key' && ((words.length === 1 && context !== 'json') || context === 'query' || context === 'arg' || KEY_QUALIFIERS.has(words[i - 1]))) ||
    (word === 'keys' && i > 0 && KEY_QUALIFIERS.has(words[i - 1])))
}

/** Values of `text` arguments whose key looks secret: they are replaced wherever they appear. */
export function secretValues (args: Record<string, ArgRow>): string[] {
  return Object.entries(args)
    .filter(([key, row]) => editorRowType(row) === 'text' && isSecretName(key, 'arg'))
    .map(([, row]) => String((row as { text: unknown }).text))
    .filter(v => v.length >= 4)
}

/** Replaces each secret, as written and as percent-encoded, by `<redacted>`. */
function scrubText (text: string, secrets: string[]): string {
  let out = text
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])) {
      out = out.split(form).join(REDACTED)
    }
  }
  return out
}

function scrubJson (value: unknown, secrets: string[]): unknown {
  if (Array.isArray(value)) return value.map(v => scrubJson(v, secrets))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) =>
      [k, isSecretName(k, 'json') && (typeof v === 'string' || typeof v === 'number') ? REDACTED : scrubJson(v, secrets)]))
  }
  return typeof value === 'string' ? scrubText(value, secrets) : value
}

function escapeRegExp (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * A scrubbed URL for the `request` matcher: `url` with secret query values as `<redacted>` (the
 * replay accepts any value there), or a `urlPattern` when a secret sat in the host or path, where
 * an exact URL could never match again. Query parameters keep their original encoding.
 */
function scrubUrl (text: string, secrets: string[]): { url: string } | { urlPattern: string } {
  let url: URL
  try { url = new URL(text) } catch { return { url: scrubText(text, secrets) } }
  url.username = ''
  url.password = ''
  const pieces = url.search.slice(1).split('&').filter(Boolean).map(piece => {
    const eq = piece.indexOf('=')
    const rawKey = eq === -1 ? piece : piece.slice(0, eq)
    let key = rawKey
    try { key = decodeURIComponent(rawKey.replace(/\+/g, ' ')) } catch { /* keep it raw */ }
    return isSecretName(key, 'query') ? `${rawKey}=${REDACTED}` : scrubText(piece, secrets)
  })
  const base = `${url.origin}${url.pathname}`
  const scrubbedBase = scrubText(base, secrets)
  if (scrubbedBase !== base) {
    const basePattern = scrubbedBase.split(REDACTED).map(escapeRegExp).join('[^/?#]+')
    const queryPattern = pieces.map(piece => piece.split(REDACTED).map(escapeRegExp).join('[^&#]*')).join('&')
    return { urlPattern: `^${basePattern}${pieces.length ? `\\?${queryPattern}` : ''}$` }
  }
  return { url: `${base}${pieces.length ? `?${pieces.join('&')}` : ''}` }
}

function bodyFields (body: string | undefined, contentType: string | undefined, secrets: string[]): { json?: unknown, body?: string } {
  if (body === undefined || body === '') return body === '' ? { body: '' } : {}
  if (!contentType || /json/i.test(contentType) || /^[[{]/.test(body.trim())) {
    try { return { json: scrubJson(JSON.parse(body), secrets) } } catch { /* not JSON */ }
  }
  if (contentType && /application\/x-www-form-urlencoded/i.test(contentType)) {
    const form = new URLSearchParams(body)
    if ([...form.keys()].some(k => isSecretName(k, 'query'))) {
      return { body: [...form].map(([k, v]) => `${encodeURIComponent(k)}=${isSecretName(k, 'query') ? REDACTED : encodeURIComponent(scrubText(v, secrets))}`).join('&') }
    }
  }
  return { body: scrubText(body, secrets) }
}


/** The value of a header, case-insensitively (the first one of a list). */
function headerValue (headers: Record<string, string | string[]>, wanted: string): string | undefined {
  const value = Object.entries(headers).find(([n]) => n.toLowerCase() === wanted)?.[1]
  return Array.isArray(value) ? value[0] : value
}

/**
 * The `request` matcher of a captured hop, answered or failed alike: the scrubbed URL, secret
 * headers only (as `<redacted>`, so the replay still requires them), and the body matcher.
 */
function scrubRequest (request: RecordedRequest, secrets: string[]): HttpExchange['request'] {
  const headers: Record<string, string> = {}
  for (const name of Object.keys(request.headers)) if (isSecretName(name, 'header')) headers[name.toLowerCase()] = REDACTED
  return {
    method: request.method,
    ...scrubUrl(request.url, secrets),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...bodyFields(request.body, headerValue(request.headers, 'content-type'), secrets),
  }
}

/** The `response` of an answered hop: wire headers dropped, secret headers and values redacted. */
function scrubResponse (response: AnsweredExchange['response'], secrets: string[]): NonNullable<HttpExchange['response']> {
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(response.headers)) {
    if (WIRE_HEADERS.has(name.toLowerCase())) continue
    headers[name] = isSecretName(name, 'header') ? REDACTED : Array.isArray(value) ? value.map(v => scrubText(v, secrets)) : scrubText(value, secrets)
  }
  return {
    status: response.status,
    ...(response.statusText && response.statusText !== STATUS_CODES[response.status] ? { statusText: response.statusText } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...bodyFields(response.body, headerValue(response.headers, 'content-type'), secrets),
    ...(response.delayMs === undefined ? {} : { delayMs: response.delayMs }),
  }
}

/**
 * Turns captured exchanges into fixture exchanges, in the same order, with every secret replaced
 * by `<redacted>`: secret headers, secret query parameters, secret JSON keys, and every occurrence
 * of a secret `text` argument. A request body matcher keeps `<redacted>` where a secret was; the
 * replay accepts any value there. A failed hop becomes an `error` exchange (its message scrubbed).
 */
export function scrubExchanges (recorded: RecordedExchange[], secrets: string[]): HttpExchange[] {
  return recorded.map(exchange => {
    const request = scrubRequest(exchange.request, secrets)
    if (exchange.error) {
      const { code, message, delayMs } = exchange.error
      return { request, error: { code, ...(message === undefined ? {} : { message: scrubText(message, secrets) }), ...(delayMs === undefined ? {} : { delayMs }) } }
    }
    return { request, response: scrubResponse(exchange.response, secrets) }
  })
}

/**
 * Writes a file through a temporary sibling, flushed to disk, and a rename, so a crash at any
 * point leaves either the old file or the new one, never half of one. Symlinks are followed and
 * the file's permissions are kept.
 */
export function writeFileAtomic (file: string, text: string): void {
  let target = file
  let mode: number | undefined
  try { target = realpathSync(file); mode = statSync(target).mode & 0o7777 } catch { /* a new file */ }
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    const fd = openSync(temp, 'wx', mode ?? 0o644)
    try {
      writeSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, target)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
  try {
    const dir = openSync(dirname(target), 'r')
    try { fsyncSync(dir) } finally { closeSync(dir) }
  } catch { /* not every platform can sync a folder */ }
}

/** Keys that come before `http` in a fixture (or a step), in the order the contract lists them. */
const BEFORE_HTTP = ['description', 'action', 'click', 'session', 'args']

type Path = Array<string | number>

function lineStart (text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1
}

/** The offset just past the end of the line holding `offset` (or the end of the text). */
function nextLine (text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset
  const newline = text.indexOf('\n', offset)
  return newline === -1 ? text.length : newline + 1
}

/**
 * Replaces (or inserts) the `http` list of the mapping at `path` in the YAML text, leaving every
 * other byte as it was. Null when the layout is not a plain block mapping: the caller falls back.
 */
function spliceHttp (text: string, path: Path, exchanges: HttpExchange[]): string | null {
  const { Document, isMap, isScalar, parseDocument } = yaml()
  const doc = parseDocument(text)
  if (doc.errors.length) return null
  const map = (path.length ? doc.getIn(path, true) : doc.contents) as YamlNode | null
  if (!isMap(map) || map.flow || map.items.length === 0) return null
  const firstKey = map.items[0].key as YamlNode
  if (!isScalar(firstKey) || !firstKey.range) return null
  const column = firstKey.range[0] - lineStart(text, firstKey.range[0])
  const pad = ' '.repeat(column)
  const block = new Document({ http: exchanges }).toString({ lineWidth: 0 })
    .split('\n').map((line, i) => (i === 0 || line === '' ? line : pad + line)).join('\n')

  const pair = map.items.find(p => isScalar(p.key) && p.key.value === 'http')
  if (pair) {
    const key = pair.key as YamlNode
    const value = pair.value as YamlNode | null
    const start = key.range![0]
    let end = value?.range ? value.range[1] : nextLine(text, key.range![1]) - 1
    if (value && isScalar(value) && value.value === null) end = Math.max(key.range![1], value.range![1])
    if (end < start) return null
    // A comment after a one-line value (`http: []  # none yet`) stays on the line of the key.
    const comment = text[end - 1] === '\n' ? null : /^[ \t]*(#[^\n]*)/.exec(text.slice(end))
    if (comment) end += comment[0].length
    let replacement = text[end - 1] === '\n' ? block : block.replace(/\n$/, '')
    if (comment) replacement = replacement.includes('\n') ? replacement.replace(/^http:/, `http: ${comment[1]}`) : `${replacement} ${comment[1]}`
    return text.slice(0, start) + replacement + text.slice(end)
  }
  // Insert after the last key that comes before `http`, or at the end of the mapping.
  const before = [...map.items].reverse().find(p => isScalar(p.key) && BEFORE_HTTP.includes(String(p.key.value)))
  let at: number
  if (before) {
    const value = before.value as YamlNode | null
    const key = before.key as YamlNode
    at = nextLine(text, value?.range ? value.range[1] : key.range![1])
  } else {
    const last = map.items[map.items.length - 1]
    const node = (last.value ?? last.key) as YamlNode
    at = nextLine(text, node.range![1])
  }
  const prefix = at > 0 && text[at - 1] !== '\n' ? '\n' : ''
  return text.slice(0, at) + prefix + pad + block + text.slice(at)
}

/** Sets the `http` list at `path` through the Document API (comments kept, spacing normalised). */
function documentHttp (text: string, path: Path, exchanges: HttpExchange[]): string {
  const { isMap, parseDocument } = yaml()
  const doc = parseDocument(text)
  const map = path.length ? doc.getIn(path, true) : doc.contents
  if (!isMap(map)) throw new ToolError('ERR_FIXTURE', `cannot record: ${path.length ? `"${path.join('.')}"` : 'the fixture'} is not a mapping`, 'Write the fixture as a YAML mapping.')
  ;(map as YAMLMap).set('http', doc.createNode(exchanges))
  return doc.toString({ lineWidth: 0 })
}

/** The fixture data with the `http` list at `path` replaced, to check a rewrite against. */
function withHttp (data: any, path: Path, exchanges: HttpExchange[]): unknown {
  const copy = structuredClone(data)
  let node = copy
  for (const part of path) node = node[part]
  node.http = exchanges
  return copy
}

/**
 * Rewrites the fixture with new exchange lists (`path` → exchanges): YAML is spliced so every other
 * byte (comments, key order, quoting, blank lines) stays as it was, and the result is checked by
 * parsing it again; JSON keeps its key order and indentation. The write is atomic.
 */
function rewriteFixture (file: string, lists: Array<{ path: Path, exchanges: HttpExchange[] }>): void {
  const fixtureDoc = readFixtureDoc(file)
  const raw = readFileSync(file, 'utf8')
  const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : ''
  const crlf = raw.includes('\r\n')
  const original = raw.slice(bom.length).replace(/\r\n/g, '\n')
  let expected: unknown = fixtureDoc.data
  for (const { path, exchanges } of lists) expected = withHttp(expected, path, exchanges)
  let text: string
  if (/\.json$/i.test(file)) {
    const indent = /\n([ \t]+)"/.exec(original)?.[1] ?? '  '
    text = `${JSON.stringify(expected, null, indent)}\n`
  } else {
    let spliced: string | null = original
    for (const { path, exchanges } of lists) spliced = spliced === null ? null : spliceHttp(spliced, path, exchanges)
    const check = spliced === null ? null : yaml().parseDocument(spliced)
    if (spliced !== null && check && check.errors.length === 0 && isDeepStrictEqual(check.toJS(), expected)) {
      text = spliced
    } else {
      text = original
      for (const { path, exchanges } of lists) text = documentHttp(text, path, exchanges)
    }
  }
  writeFileAtomic(file, bom + (crlf ? text.replace(/\n/g, '\r\n') : text))
}

/** Why a run's exchanges cannot be written, or null when they can. */
function incompleteReason (result: RunResult): string | null {
  if (!result.recorded) return 'the run captured no exchanges (it did not run live)'
  if (result.error && INCOMPLETE.has(result.error.code)) return `the run ended with ${result.error.code}, so its exchanges are incomplete`
  return null
}

function plural (n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/**
 * Replaces the fixture's `http` list with the exchanges a live run captured (network failures
 * included, as `error` exchanges), secrets scrubbed (contract.md §2.3). YAML comments and key
 * order of the rest of the file survive; the write is atomic. A run cut short (timeout, memory,
 * crash) leaves the file as it was.
 */
export async function recordExchanges (file: string, result: RunResult): Promise<string> {
  const reason = incompleteReason(result)
  if (reason) return `nothing recorded into ${displayPath(file)}: ${reason}; the file is unchanged`
  const data = readFixtureDoc(file).data as Record<string, unknown>
  const exchanges = scrubExchanges(result.recorded ?? [], secretValues((data?.args ?? {}) as Record<string, ArgRow>))
  rewriteFixture(file, [{ path: [], exchanges }])
  return `recorded ${plural(exchanges.length, 'exchange')} into ${displayPath(file)} (secrets replaced by ${REDACTED})`
}

/**
 * The same for a scenario: each step's exchanges go to that step's `http` list. Steps that did
 * not run keep theirs; nothing is written when a step was cut short.
 */
export async function recordScenario (file: string, stepResults: Array<RunResult | null>): Promise<string> {
  const ran = stepResults.map((result, index) => ({ result, index })).filter((s): s is { result: RunResult, index: number } => s.result !== null)
  for (const { result, index } of ran) {
    const reason = incompleteReason(result)
    if (reason) return `nothing recorded into ${displayPath(file)}: step ${index + 1}: ${reason}; the file is unchanged`
  }
  const data = readFixtureDoc(file).data as any
  const steps: any[] = Array.isArray(data?.steps) ? data.steps : []
  const lists = ran.map(({ result, index }) => ({
    path: ['steps', index] as Path,
    exchanges: scrubExchanges(result.recorded ?? [], secretValues({ ...(data?.args ?? {}), ...(steps[index]?.args ?? {}) })),
  }))
  rewriteFixture(file, lists)
  const total = lists.reduce((n, l) => n + l.exchanges.length, 0)
  return `recorded ${plural(total, 'exchange')} for ${plural(lists.length, 'step')} into ${displayPath(file)} (secrets replaced by ${REDACTED})`
}

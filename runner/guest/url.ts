import { parse, StringCtor } from './intrinsics.ts'

/** Form encoding as URLSearchParams serialises it (space as +, only *-._ left alone). */
function formEncode (text: string): string {
  return encodeURIComponent(text).replace(/[!'()~]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+')
}
function formDecode (text: string): string {
  try { return decodeURIComponent(text.replace(/\+/g, ' ')) } catch { return text }
}

/** WHATWG URLSearchParams in plain JavaScript. */
export class URLSearchParams {
  #list: Array<[string, string]> = []
  #onChange: (() => void) | undefined

  constructor (init?: unknown, onChange?: () => void) {
    this.#onChange = onChange
    if (init == null) return
    if (typeof init === 'object') {
      if (typeof (init as any)[Symbol.iterator] === 'function') {
        for (const pair of init as Iterable<any>) {
          const items = Array.from(pair as Iterable<unknown>)
          if (items.length !== 2) throw new TypeError('Each query pair must be an iterable [name, value] tuple')
          this.#list.push([StringCtor(items[0]), StringCtor(items[1])])
        }
      } else {
        for (const key of Object.keys(init as object)) this.#list.push([key, StringCtor((init as any)[key])])
      }
      return
    }
    this.#parse(StringCtor(init))
  }

  #parse (text: string): void {
    this.#list = []
    for (const part of text.replace(/^\?/, '').split('&')) {
      if (part === '') continue
      const eq = part.indexOf('=')
      this.#list.push(eq < 0 ? [formDecode(part), ''] : [formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))])
    }
  }

  /** Used by URL to keep both in step. */
  _replace (text: string): void { this.#parse(text) }
  #changed (): void { this.#onChange?.() }

  get size (): number { return this.#list.length }
  append (name: string, value: string): void { this.#list.push([StringCtor(name), StringCtor(value)]); this.#changed() }
  delete (name: string): void { this.#list = this.#list.filter(([n]) => n !== StringCtor(name)); this.#changed() }
  get (name: string): string | null { const hit = this.#list.find(([n]) => n === StringCtor(name)); return hit ? hit[1] : null }
  getAll (name: string): string[] { return this.#list.filter(([n]) => n === StringCtor(name)).map(([, v]) => v) }
  has (name: string): boolean { return this.#list.some(([n]) => n === StringCtor(name)) }
  set (name: string, value: string): void {
    const key = StringCtor(name)
    const index = this.#list.findIndex(([n]) => n === key)
    if (index < 0) this.#list.push([key, StringCtor(value)])
    else this.#list = [...this.#list.slice(0, index), [key, StringCtor(value)], ...this.#list.slice(index + 1).filter(([n]) => n !== key)]
    this.#changed()
  }

  sort (): void { this.#list = this.#list.map((p, i) => [p, i] as const).sort((a, b) => a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1]).map(([p]) => p); this.#changed() }
  forEach (callback: (value: string, name: string, params: URLSearchParams) => void, thisArg?: unknown): void {
    for (const [n, v] of this.#list) callback.call(thisArg, v, n, this)
  }

  * entries (): IterableIterator<[string, string]> { for (const [n, v] of this.#list) yield [n, v] }
  * keys (): IterableIterator<string> { for (const [n] of this.#list) yield n }
  * values (): IterableIterator<string> { for (const [, v] of this.#list) yield v }
  [Symbol.iterator] (): IterableIterator<[string, string]> { return this.entries() }
  get [Symbol.toStringTag] (): string { return 'URLSearchParams' }
  toString (): string { return this.#list.map(([n, v]) => `${formEncode(n)}=${formEncode(v)}`).join('&') }
}

interface Parts { href: string, origin: string, protocol: string, username: string, password: string, host: string, hostname: string, port: string, pathname: string, search: string, hash: string }

/** WHATWG URL; parsing is delegated to the host's URL so edge cases match Node exactly. */
export function createURL (parseOnHost: (input: string, base: string) => string): unknown {
  const parseParts = (input: string, base?: string): Parts => {
    const answer = parse(parseOnHost(input, base === undefined ? '' : base))
    if (answer.error) throw new TypeError(answer.error)
    return answer
  }
  class URL {
    #parts: Parts
    #params: URLSearchParams

    constructor (input: unknown, base?: unknown) {
      this.#parts = parseParts(StringCtor(input), base === undefined ? undefined : StringCtor(base))
      this.#params = new URLSearchParams(this.#parts.search, () => {
        const query = this.#params.toString()
        this.#parts = parseParts(this.#withPart('search', query ? `?${query}` : ''))
      })
    }

    #withPart (key: keyof Parts, value: string): string {
      const p = { ...this.#parts, [key]: value }
      const auth = p.username ? `${p.username}${p.password ? `:${p.password}` : ''}@` : ''
      const search = p.search && !p.search.startsWith('?') ? `?${p.search}` : p.search
      const hash = p.hash && !p.hash.startsWith('#') ? `#${p.hash}` : p.hash
      return `${p.protocol}//${auth}${p.host}${p.pathname}${search}${hash}`
    }

    #set (key: keyof Parts, value: unknown): void {
      this.#parts = parseParts(this.#withPart(key, StringCtor(value)))
      if (key === 'search') this.#params._replace(this.#parts.search)
    }

    get href (): string { return this.#parts.href }
    set href (value: string) { this.#parts = parseParts(StringCtor(value)); this.#params._replace(this.#parts.search) }
    get origin (): string { return this.#parts.origin }
    get protocol (): string { return this.#parts.protocol }
    get username (): string { return this.#parts.username }
    get password (): string { return this.#parts.password }
    get host (): string { return this.#parts.host }
    get hostname (): string { return this.#parts.hostname }
    get port (): string { return this.#parts.port }
    get pathname (): string { return this.#parts.pathname }
    set pathname (value: string) { this.#set('pathname', value.startsWith('/') ? value : `/${value}`) }
    get search (): string { return this.#parts.search }
    set search (value: string) { this.#set('search', value) }
    get hash (): string { return this.#parts.hash }
    set hash (value: string) { this.#set('hash', value) }
    get searchParams (): URLSearchParams { return this.#params }
    toString (): string { return this.#parts.href }
    toJSON (): string { return this.#parts.href }
    get [Symbol.toStringTag] (): string { return 'URL' }
  }
  return URL
}

// Argument rows arrive as the editor made them (platform.md §2.1): `text` and `dialogstate` rows
// are strings, `variable` rows keep their JSON type and are undefined when the session path is absent.

/** A non-empty trimmed string; numbers and booleans are accepted as their text. */
export function readText (value: unknown): string | undefined {
  if (typeof value === 'number' && isFinite(value)) return String(value)
  if (typeof value === 'boolean') return String(value)
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  return text === '' ? undefined : text
}

/** A whole number within [min, max]; `fallback` when absent, out of range or not a number. */
export function readInt (value: unknown, fallback: number, min: number, max: number): number {
  const text = readText(value)
  if (text === undefined || !/^-?\d+$/.test(text)) return fallback
  const n = Number(text)
  return n < min || n > max ? fallback : n
}

/** A number (not only whole); undefined when absent or not numeric. */
export function readNumber (value: unknown): number | undefined {
  const text = readText(value)
  if (text === undefined) return undefined
  const n = Number(text)
  return isFinite(n) ? n : undefined
}

/** true/false, yes/no, 1/0 (any case); `fallback` otherwise. */
export function readFlag (value: unknown, fallback: boolean): boolean {
  const text = readText(value)
  if (text === undefined) return fallback
  if (/^(?:true|yes|1|on)$/i.test(text)) return true
  if (/^(?:false|no|0|off)$/i.test(text)) return false
  return fallback
}

/** A list from an array of values or from comma-separated text; blanks dropped. */
export function readList (value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : value === undefined || value === null ? [] : [value]
  const out: string[] = []
  for (const item of items) {
    const text = readText(item)
    if (text !== undefined) out.push(text)
  }
  return out
}

const SESSION_PATH = /^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/

/** A session path to write under (`airtable`, `form.result`); `fallback` when absent or invalid (never `internal`). */
export function readSessionPath (value: unknown, fallback: string): string {
  const text = readText(value)
  if (text === undefined) return fallback
  if (!SESSION_PATH.test(text) || text.split('.')[0] === 'internal') {
    console.warn(`saveAs "${text}" is not a writable session path; writing under "${fallback}" instead`)
    return fallback
  }
  return text
}

/** Collects the arguments a snippet cannot run without, to report them all at once. */
export class MissingArgs {
  readonly names: string[] = []

  // The text of a required argument, or "" after noting it as missing.
  text (value: unknown, name: string): string {
    const text = readText(value)
    if (text === undefined) this.names.push(name)
    return text || ''
  }

  // Notes an argument whose value is present but unusable.
  invalid (name: string, why: string): void {
    this.names.push(`${name} (${why})`)
  }

  get message (): string {
    return `missing or invalid arguments: ${this.names.join(', ')}; configure them in the code editor's argument rows`
  }
}

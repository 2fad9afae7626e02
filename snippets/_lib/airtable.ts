import type { ApiError } from './failure.ts'
import { isRecord, type ParsedBody } from './parse-body.ts'

export const AIRTABLE_API = 'https://api.airtable.com/v0'

/** A record as Airtable returns it; empty cells are absent from `fields`. */
export interface AirtableRecord {
  id: string
  createdTime: string
  fields: Record<string, unknown>
}

/** `https://api.airtable.com/v0/{baseId}/{table}` with both parts URL-encoded (table names have spaces). */
export function tableUrl (baseId: string, table: string): string {
  return `${AIRTABLE_API}/${encodeURIComponent(baseId)}/${encodeURIComponent(table)}`
}

export function authHeaders (token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` }
}

/** Base ids look like `appXXXXXXXXXXXXXX`. */
export function isBaseId (text: string): boolean {
  return /^app[A-Za-z0-9]{14}$/.test(text)
}

/** Record ids look like `recXXXXXXXXXXXXXX`. */
export function isRecordId (text: string): boolean {
  return /^rec[A-Za-z0-9]{14}$/.test(text)
}

/**
 * A formula string literal: the value in double quotes with `\` and `"` escaped, so user input
 * such as `O"Brien')` cannot change the formula.
 */
export function formulaString (value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`
}

/** A formula literal for any argument value: numbers and booleans stay typed, the rest is a string. */
export function formulaValue (value: unknown): string {
  if (typeof value === 'number' && isFinite(value)) return String(value)
  if (typeof value === 'boolean') return value ? 'TRUE()' : 'FALSE()'
  return formulaString(value === undefined || value === null ? '' : String(value))
}

/** `{Field name}`; null when the name cannot be referenced (braces cannot be escaped in a formula). */
export function fieldReference (name: string): string | null {
  return /[{}]/.test(name) || name.trim() === '' ? null : `{${name}}`
}

/**
 * Airtable's error body: `{"error":{"type","message"}}`, or the bare `{"error":"NOT_FOUND"}` of some 404s.
 */
export function readAirtableError (body: ParsedBody): ApiError {
  if (body.kind !== 'json' || !isRecord(body.value)) return { reason: null, detail: null }
  const error = body.value.error
  if (typeof error === 'string') return { reason: error, detail: null }
  if (isRecord(error)) {
    return {
      reason: typeof error.type === 'string' ? error.type : null,
      detail: typeof error.message === 'string' ? error.message : null,
    }
  }
  return { reason: null, detail: null }
}

/** A record of the documented shape, or null. */
export function asRecord (value: unknown): AirtableRecord | null {
  if (!isRecord(value) || typeof value.id !== 'string') return null
  if (value.fields !== undefined && !isRecord(value.fields)) return null
  return {
    id: value.id,
    createdTime: typeof value.createdTime === 'string' ? value.createdTime : '',
    fields: isRecord(value.fields) ? value.fields : {},
  }
}

/** The `records` list of a list/create/update answer, or null when the shape is not the documented one. */
export function asRecordList (value: unknown): AirtableRecord[] | null {
  if (!isRecord(value) || !Array.isArray(value.records)) return null
  const records: AirtableRecord[] = []
  for (const item of value.records) {
    const record = asRecord(item)
    if (!record) return null
    records.push(record)
  }
  return records
}

/** Keeps only the named fields (all when `names` is empty). */
export function pickFields (fields: Record<string, unknown>, names: string[]): Record<string, unknown> {
  if (names.length === 0) return fields
  const out: Record<string, unknown> = {}
  for (const name of names) if (name in fields) out[name] = fields[name]
  return out
}

/**
 * The fields to write from a session object: JSON-safe values only, `only` restricting the keys.
 * Returns the fields and the keys that were dropped.
 */
export function fieldsToWrite (source: Record<string, unknown>, only: string[]): { fields: Record<string, unknown>, dropped: string[] } {
  const fields: Record<string, unknown> = {}
  const dropped: string[] = []
  for (const key of only.length ? only : Object.keys(source)) {
    const value = source[key]
    if (value === undefined) { if (only.length) dropped.push(key); continue }
    fields[key] = value
  }
  return { fields, dropped }
}

/** The fields argument: a session object, or JSON text of one; null when it is neither. */
export function readFieldsObject (value: unknown): Record<string, unknown> | null {
  if (typeof value === 'string') {
    try { value = JSON.parse(value) } catch { return null }
  }
  return isRecord(value) ? value : null
}

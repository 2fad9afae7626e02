/**
 * @title List Airtable records
 * @summary Finds records in an Airtable table, optionally filtered, and stores them in the session.
 *
 * The tutorial's `const { records = [] } = await fetch(...).then(r => r.json())` turns every
 * Airtable error into "no records". Here "none" means Airtable answered with an empty list; an
 * error, a timeout or an unexpected answer goes to the error path. The filter is built with
 * escaped literals, so what a user typed cannot change the formula. Pages (`offset`) are
 * followed up to 5 pages or maxRecords, whichever comes first.
 *
 * @arg {text} apiKey - Airtable personal access token (starts with pat), scope data.records:read
 * @arg {text} baseId - the base id (starts with app)
 * @arg {text} table - table name or id (starts with tbl)
 * @arg {text} [filterField] - field compared for equality with filterValue
 * @arg {variable} [filterValue] - the value to look for, e.g. what the user typed
 * @arg {text} [filterFormula] - a full formula instead of filterField; {{value}} stands for filterValue as an escaped literal
 * @arg {text} [view] - view name or id whose filters and order apply
 * @arg {text} [sort] - comma-separated fields, a leading - for descending: "-Date, Name"
 * @arg {text} [fields] - comma-separated fields to fetch and store (all when empty)
 * @arg {text} [maxRecords] - at most this many records, 1 to 500 (default 20)
 * @arg {text} [pageSize] - records per request, 1 to 100 (default: maxRecords, at most 100)
 * @arg {text} [saveAs] - session path the results are written under (default airtable)
 * @arg {dialogstate} foundDialogState - where to go when records were found
 * @arg {dialogstate} noneDialogState - where to go when no record matches
 * @arg {dialogstate} [errorDialogState] - where to go on failure; without it errorMessage is shown
 * @arg {text} [errorMessage] - apology shown on failure
 * @jumps foundDialogState - one or more records were found
 * @jumps noneDialogState - Airtable answered with no records, or filterValue is empty
 * @jumps errorDialogState - a missing argument, an Airtable error, a timeout or a network failure
 * @writes airtable.records - the records found: [{id, createdTime, fields}]
 * @writes airtable.first - fields of the first record (null when none), e.g. {airtable.first.Name}
 * @writes airtable.count - how many records were stored
 * @writes airtable.hasMore - true when Airtable had more records than were fetched
 * @writes airtable.error - {code, status, reason, message} on failure, null on success
 */
import { asRecordList, authHeaders, fieldReference, formulaValue, readAirtableError, tableUrl, type AirtableRecord } from '../_lib/airtable.ts'
import { configFailure, badResponse } from '../_lib/failure.ts'
import { requestJson } from '../_lib/http.ts'
import { excerptOf, isRecord } from '../_lib/parse-body.ts'
import { encodeQuery, withoutQuery } from '../_lib/query.ts'
import { MissingArgs, readInt, readList, readSessionPath, readText } from '../_lib/read-args.ts'
import { runSafely, sendFailure, sendReply, type FailureRoute } from '../_lib/respond.ts'
import { startTimeBudget } from '../_lib/time-budget.ts'

interface Args {
  apiKey: string
  baseId: string
  table: string
  filterField?: string
  filterValue?: unknown
  filterFormula?: string
  view?: string
  sort?: string
  fields?: string
  maxRecords?: string
  pageSize?: string
  saveAs?: string
  foundDialogState: string
  noneDialogState: string
  errorDialogState?: string
  errorMessage?: string
}

/** Airtable refuses GET URLs over 16,000 characters; longer queries go to POST .../listRecords. */
const MAX_GET_URL = 16000
const MAX_PAGES = 5

const input = args as Partial<Args>

function failureRoute (): FailureRoute {
  return {
    saveAs: readSessionPath(input.saveAs, 'airtable'),
    errorDialogState: readText(input.errorDialogState),
    errorMessage: readText(input.errorMessage),
    apology: "Sorry, I can't look that up right now. Please try again in a moment.",
  }
}

/** The filter formula, "" for none, or null when a filter is configured but filterValue is empty. */
function buildFormula (missing: MissingArgs): string | null {
  const template = readText(input.filterFormula)
  const field = readText(input.filterField)
  const value = input.filterValue
  const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
  if (template) {
    if (!template.includes('{{value}}')) return template
    return empty ? null : template.split('{{value}}').join(formulaValue(typeof value === 'string' ? value.trim() : value))
  }
  if (!field) return ''
  const reference = fieldReference(field)
  if (!reference) { missing.invalid('filterField', 'a field name with { or } cannot be used in a formula'); return '' }
  return empty ? null : `${reference} = ${formulaValue(typeof value === 'string' ? value.trim() : value)}`
}

async function main (): Promise<void> {
  const route = failureRoute()
  const missing = new MissingArgs()
  const apiKey = missing.text(input.apiKey, 'apiKey')
  const baseId = missing.text(input.baseId, 'baseId')
  const table = missing.text(input.table, 'table')
  const foundDialogState = missing.text(input.foundDialogState, 'foundDialogState')
  const noneDialogState = missing.text(input.noneDialogState, 'noneDialogState')
  const formula = buildFormula(missing)
  if (missing.names.length) return sendFailure(route, configFailure(missing.message))
  if (!/^pat/.test(apiKey)) console.warn('apiKey does not start with "pat": Airtable accepts only personal access tokens since February 2024')

  const saveAs = route.saveAs
  const noneReply = (hasMore: boolean): void => sendReply({
    writes: [[`${saveAs}.records`, []], [`${saveAs}.first`, null], [`${saveAs}.count`, 0], [`${saveAs}.hasMore`, hasMore], [`${saveAs}.error`, null]],
    jump: noneDialogState,
  })
  if (formula === null) {
    console.warn('filterValue is empty: no search was made')
    return noneReply(false)
  }

  const maxRecords = readInt(input.maxRecords, 20, 1, 500)
  const pageSize = Math.min(readInt(input.pageSize, Math.min(maxRecords, 100), 1, 100), maxRecords)
  const fields = readList(input.fields)
  const sort = readList(input.sort).map(item => item.startsWith('-') ? { field: item.slice(1).trim(), direction: 'desc' } : { field: item, direction: 'asc' })
  const view = readText(input.view)
  const budget = startTimeBudget()
  const records: AirtableRecord[] = []
  let offset: string | undefined
  for (let page = 1; page <= MAX_PAGES; page++) {
    const query: Array<[string, string | number | undefined]> = [
      ['filterByFormula', formula], ['maxRecords', maxRecords], ['pageSize', pageSize], ['view', view], ['offset', offset],
    ]
    sort.forEach((s, i) => { query.push([`sort[${i}][field]`, s.field], [`sort[${i}][direction]`, s.direction]) })
    for (const name of fields) query.push(['fields[]', name])
    let url = `${tableUrl(baseId, table)}${encodeQuery(query)}`
    let method: 'GET' | 'POST' = 'GET'
    let json: unknown
    if (url.length > MAX_GET_URL) {
      method = 'POST'
      url = `${tableUrl(baseId, table)}/listRecords`
      json = _.omitBy({ filterByFormula: formula || undefined, maxRecords, pageSize, view, offset, sort: sort.length ? sort : undefined, fields: fields.length ? fields : undefined }, _.isUndefined)
    }
    const result = await requestJson({ service: 'Airtable', method, url, json, headers: authHeaders(apiKey), budget, readError: readAirtableError })
    if (!result.ok) return sendFailure(route, result.failure)
    const list = asRecordList(result.data)
    const next = isRecord(result.data) ? result.data.offset : undefined
    if (!list || (next !== undefined && typeof next !== 'string')) {
      return sendFailure(route, badResponse('Airtable', `${method} ${withoutQuery(url)}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`))
    }
    records.push(...list)
    offset = next as string | undefined
    if (!offset || records.length >= maxRecords) break
  }

  const stored = records.slice(0, maxRecords).map(r => ({ id: r.id, createdTime: r.createdTime, fields: r.fields }))
  const hasMore = Boolean(offset) || records.length > maxRecords
  if (stored.length === 0) return noneReply(hasMore)
  console.log(`found ${stored.length} record(s)${hasMore ? ', more exist' : ''}`)
  sendReply({
    writes: [[`${saveAs}.records`, stored], [`${saveAs}.first`, stored[0].fields], [`${saveAs}.count`, stored.length], [`${saveAs}.hasMore`, hasMore], [`${saveAs}.error`, null]],
    jump: foundDialogState,
  })
}

await runSafely(main, failureRoute)

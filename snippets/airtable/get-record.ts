/**
 * @title Get one Airtable record
 * @summary Reads one Airtable record by its id and stores its fields in the session.
 *
 * An id that is not a record id (rec + 14 characters) goes to notFoundDialogState without a
 * request; so does Airtable's 404. Airtable answers 403 both for a token without access and for a
 * table that does not exist, so a 403 is an error, not "not found".
 *
 * @arg {text} apiKey - Airtable personal access token (starts with pat), scope data.records:read
 * @arg {text} baseId - the base id (starts with app)
 * @arg {text} table - table name or id (starts with tbl)
 * @arg {variable} recordId - the record id (starts with rec), e.g. from a button or an earlier list
 * @arg {text} [fields] - comma-separated fields to store (all when empty)
 * @arg {text} [saveAs] - session path the result is written under (default airtable)
 * @arg {dialogstate} foundDialogState - where to go when the record exists
 * @arg {dialogstate} notFoundDialogState - where to go when there is no such record
 * @arg {dialogstate} [errorDialogState] - where to go on failure; without it errorMessage is shown
 * @arg {text} [errorMessage] - apology shown on failure
 * @jumps foundDialogState - the record was read
 * @jumps notFoundDialogState - recordId is empty or not a record id, or Airtable answered 404
 * @jumps errorDialogState - a missing argument, an Airtable error, a timeout or a network failure
 * @writes airtable.record - the record: {id, createdTime, fields}; null when not found
 * @writes airtable.error - {code, status, reason, message} on failure, null otherwise
 */
import { asRecord, authHeaders, isRecordId, pickFields, readAirtableError, tableUrl } from '../_lib/airtable.ts'
import { badResponse, configFailure } from '../_lib/failure.ts'
import { requestJson } from '../_lib/http.ts'
import { excerptOf } from '../_lib/parse-body.ts'
import { MissingArgs, readList, readSessionPath, readText } from '../_lib/read-args.ts'
import { runSafely, sendFailure, sendReply, type FailureRoute } from '../_lib/respond.ts'
import { startTimeBudget } from '../_lib/time-budget.ts'

interface Args {
  apiKey: string
  baseId: string
  table: string
  recordId: unknown
  fields?: string
  saveAs?: string
  foundDialogState: string
  notFoundDialogState: string
  errorDialogState?: string
  errorMessage?: string
}

const input = args as Partial<Args>

function failureRoute (): FailureRoute {
  return {
    saveAs: readSessionPath(input.saveAs, 'airtable'),
    errorDialogState: readText(input.errorDialogState),
    errorMessage: readText(input.errorMessage),
    apology: "Sorry, I can't look that up right now. Please try again in a moment.",
  }
}

async function main (): Promise<void> {
  const route = failureRoute()
  const missing = new MissingArgs()
  const apiKey = missing.text(input.apiKey, 'apiKey')
  const baseId = missing.text(input.baseId, 'baseId')
  const table = missing.text(input.table, 'table')
  const foundDialogState = missing.text(input.foundDialogState, 'foundDialogState')
  const notFoundDialogState = missing.text(input.notFoundDialogState, 'notFoundDialogState')
  if (missing.names.length) return sendFailure(route, configFailure(missing.message))

  const saveAs = route.saveAs
  const notFound = (): void => sendReply({ writes: [[`${saveAs}.record`, null], [`${saveAs}.error`, null]], jump: notFoundDialogState })
  const recordId = readText(input.recordId) || ''
  if (!isRecordId(recordId)) {
    console.warn(`recordId ${recordId ? `"${recordId}" is not a record id` : 'is empty'}: no request was made`)
    return notFound()
  }

  const url = `${tableUrl(baseId, table)}/${recordId}`
  const result = await requestJson({ service: 'Airtable', method: 'GET', url, headers: authHeaders(apiKey), budget: startTimeBudget(), readError: readAirtableError })
  if (!result.ok) {
    if (result.failure.code === 'NOT_FOUND') { console.warn(result.failure.message); return notFound() }
    return sendFailure(route, result.failure)
  }
  const record = asRecord(result.data)
  if (!record) return sendFailure(route, badResponse('Airtable', `GET ${url}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`))
  const stored = { id: record.id, createdTime: record.createdTime, fields: pickFields(record.fields, readList(input.fields)) }
  sendReply({ writes: [[`${saveAs}.record`, stored], [`${saveAs}.error`, null]], jump: foundDialogState })
}

await runSafely(main, failureRoute)

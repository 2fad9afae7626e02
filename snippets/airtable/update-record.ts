/**
 * @title Update an Airtable record
 * @summary Changes fields of one Airtable record (PATCH: other fields keep their values).
 *
 * `fields` points at a session object whose keys are the table's field names; `only` restricts
 * which keys are sent. PATCH leaves every field that is not sent untouched (PUT would clear
 * them). A record id that is not one, or Airtable's 404, goes to notFoundDialogState when it is
 * configured, otherwise to the error path.
 *
 * @arg {text} apiKey - Airtable personal access token (starts with pat), scope data.records:write
 * @arg {text} baseId - the base id (starts with app)
 * @arg {text} table - table name or id (starts with tbl)
 * @arg {variable} recordId - the id of the record to change (starts with rec)
 * @arg {variable} fields - session object of field name to new value (JSON text of one works too)
 * @arg {text} [only] - comma-separated field names to send; the rest of the object is left out
 * @arg {text} [typecast] - true (default) or false: let Airtable convert values to the field types
 * @arg {text} [saveAs] - session path the result is written under (default airtable)
 * @arg {dialogstate} updatedDialogState - where to go when the record was updated
 * @arg {dialogstate} [notFoundDialogState] - where to go when there is no such record
 * @arg {dialogstate} [errorDialogState] - where to go on failure; without it errorMessage is shown
 * @arg {text} [errorMessage] - apology shown on failure
 * @jumps updatedDialogState - the record was updated
 * @jumps notFoundDialogState - recordId is not a record id, or Airtable answered 404
 * @jumps errorDialogState - a missing argument, an Airtable error, a timeout or a network failure
 * @writes airtable.updated - the record after the change: {id, createdTime, fields}
 * @writes airtable.error - {code, status, reason, message} on failure, null on success
 */
import { asRecordList, authHeaders, fieldsToWrite, isRecordId, readAirtableError, readFieldsObject, tableUrl } from '../_lib/airtable.ts'
import { badResponse, configFailure, failure, type Failure } from '../_lib/failure.ts'
import { requestJson } from '../_lib/http.ts'
import { excerptOf } from '../_lib/parse-body.ts'
import { MissingArgs, readFlag, readList, readSessionPath, readText } from '../_lib/read-args.ts'
import { runSafely, sendFailure, sendReply, type FailureRoute } from '../_lib/respond.ts'
import { startTimeBudget } from '../_lib/time-budget.ts'

interface Args {
  apiKey: string
  baseId: string
  table: string
  recordId: unknown
  fields: Record<string, unknown> | string
  only?: string
  typecast?: string
  saveAs?: string
  updatedDialogState: string
  notFoundDialogState?: string
  errorDialogState?: string
  errorMessage?: string
}

const input = args as Partial<Args>

function failureRoute (): FailureRoute {
  return {
    saveAs: readSessionPath(input.saveAs, 'airtable'),
    errorDialogState: readText(input.errorDialogState),
    errorMessage: readText(input.errorMessage),
    apology: "Sorry, I couldn't save that right now. Please try again in a moment.",
  }
}

async function main (): Promise<void> {
  const route = failureRoute()
  const missing = new MissingArgs()
  const apiKey = missing.text(input.apiKey, 'apiKey')
  const baseId = missing.text(input.baseId, 'baseId')
  const table = missing.text(input.table, 'table')
  const updatedDialogState = missing.text(input.updatedDialogState, 'updatedDialogState')
  const source = readFieldsObject(input.fields)
  const { fields, dropped } = fieldsToWrite(source || {}, readList(input.only))
  if (!source) missing.invalid('fields', 'not an object')
  else if (Object.keys(fields).length === 0) missing.invalid('fields', 'no field to write')
  if (missing.names.length) return sendFailure(route, configFailure(missing.message))
  if (dropped.length) console.warn(`not in the fields object, so not sent: ${dropped.join(', ')}`)

  const notFoundDialogState = readText(input.notFoundDialogState)
  const recordId = readText(input.recordId) || ''
  const notFound = (why: Failure): void => {
    if (!notFoundDialogState) return sendFailure(route, why)
    console.warn(why.message)
    sendReply({ writes: [[`${route.saveAs}.error`, null]], jump: notFoundDialogState })
  }
  if (!isRecordId(recordId)) {
    return notFound(failure('NOT_FOUND', `recordId ${recordId ? `"${recordId}" is not a record id` : 'is empty'}: no request was made`))
  }

  const url = tableUrl(baseId, table)
  const result = await requestJson({
    service: 'Airtable',
    method: 'PATCH',
    url,
    json: { records: [{ id: recordId, fields }], typecast: readFlag(input.typecast, true) },
    headers: authHeaders(apiKey),
    budget: startTimeBudget(),
    readError: readAirtableError,
  })
  if (!result.ok) {
    if (result.failure.code === 'NOT_FOUND') return notFound(result.failure)
    return sendFailure(route, result.failure)
  }
  const records = asRecordList(result.data)
  if (!records || records.length !== 1 || records[0].id !== recordId) {
    return sendFailure(route, badResponse('Airtable', `PATCH ${url}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`))
  }
  console.log(`updated ${recordId}`)
  sendReply({ writes: [[`${route.saveAs}.updated`, records[0]], [`${route.saveAs}.error`, null]], jump: updatedDialogState })
}

await runSafely(main, failureRoute)

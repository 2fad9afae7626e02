/**
 * @title Create an Airtable record
 * @summary Creates one Airtable record from a session object (typecast on) and stores its id.
 *
 * Point `fields` at a session object whose keys are the table's field names, for example the
 * `signup` variable a form filled in (`signup.Name`, `signup.Email`); `only` keeps internal keys
 * out. With typecast (the default) Airtable converts text to the field's type and adds missing
 * select options. A 429 is retried once when Airtable says how long to wait; a 5xx or a timeout is
 * not retried, since the record may have been created.
 *
 * @arg {text} apiKey - Airtable personal access token (starts with pat), scope data.records:write
 * @arg {text} baseId - the base id (starts with app)
 * @arg {text} table - table name or id (starts with tbl)
 * @arg {variable} fields - session object of field name to value (JSON text of one works too)
 * @arg {text} [only] - comma-separated field names to send; the rest of the object is left out
 * @arg {text} [typecast] - true (default) or false: let Airtable convert values to the field types
 * @arg {text} [saveAs] - session path the result is written under (default airtable)
 * @arg {dialogstate} createdDialogState - where to go when the record was created
 * @arg {dialogstate} [errorDialogState] - where to go on failure; without it errorMessage is shown
 * @arg {text} [errorMessage] - apology shown on failure
 * @jumps createdDialogState - the record was created
 * @jumps errorDialogState - a missing argument, an Airtable error (422 names the field), a timeout or a network failure
 * @writes airtable.created - the new record: {id, createdTime, fields}
 * @writes airtable.error - {code, status, reason, message} on failure, null on success
 */
import { asRecordList, authHeaders, fieldsToWrite, readAirtableError, readFieldsObject, tableUrl } from '../_lib/airtable.ts'
import { badResponse, configFailure } from '../_lib/failure.ts'
import { requestJson } from '../_lib/http.ts'
import { excerptOf } from '../_lib/parse-body.ts'
import { MissingArgs, readFlag, readList, readSessionPath, readText } from '../_lib/read-args.ts'
import { runSafely, sendFailure, sendReply, type FailureRoute } from '../_lib/respond.ts'
import { startTimeBudget } from '../_lib/time-budget.ts'

interface Args {
  apiKey: string
  baseId: string
  table: string
  fields: Record<string, unknown> | string
  only?: string
  typecast?: string
  saveAs?: string
  createdDialogState: string
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
  const createdDialogState = missing.text(input.createdDialogState, 'createdDialogState')
  const source = readFieldsObject(input.fields)
  const { fields, dropped } = fieldsToWrite(source || {}, readList(input.only))
  if (!source) missing.invalid('fields', 'not an object')
  else if (Object.keys(fields).length === 0) missing.invalid('fields', 'no field to write')
  if (missing.names.length) return sendFailure(route, configFailure(missing.message))
  if (dropped.length) console.warn(`not in the fields object, so not sent: ${dropped.join(', ')}`)

  const url = tableUrl(baseId, table)
  const result = await requestJson({
    service: 'Airtable',
    method: 'POST',
    url,
    json: { records: [{ fields }], typecast: readFlag(input.typecast, true) },
    headers: authHeaders(apiKey),
    budget: startTimeBudget(),
    readError: readAirtableError,
  })
  if (!result.ok) return sendFailure(route, result.failure)
  const records = asRecordList(result.data)
  if (!records || records.length !== 1) {
    return sendFailure(route, badResponse('Airtable', `POST ${url}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`))
  }
  const [record] = records
  console.log(`created ${record.id}`)
  sendReply({ writes: [[`${route.saveAs}.created`, record], [`${route.saveAs}.error`, null]], jump: createdDialogState })
}

await runSafely(main, failureRoute)

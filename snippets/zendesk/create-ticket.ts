/**
 * @title Create a Zendesk ticket
 * @summary Files a Zendesk Support ticket for the user and stores its id.
 *
 * Authenticates with an API token (Basic `email/token:api_token`, encoded in the code: no website
 * needed). The request carries an Idempotency-Key derived from the conversation and the ticket's
 * content, so the 429 retry, or the user triggering the action again within two hours, never files
 * a second ticket: Zendesk answers with the first one. An email that is obviously wrong goes to
 * invalidDialogState (when configured) before anything is sent, and so does Zendesk's 422 about the
 * requester.
 *
 * @arg {text} subdomain - your Zendesk subdomain: acme for acme.zendesk.com
 * @arg {text} email - email of the agent the API token belongs to
 * @arg {text} apiToken - Zendesk API token (Admin Center > Apps and integrations > Zendesk API)
 * @arg {variable} requesterEmail - the user's email address
 * @arg {variable} [requesterName] - the user's name, e.g. internal.user.fullName
 * @arg {text} subject - the ticket subject
 * @arg {variable} comment - the ticket's first comment: what the user needs
 * @arg {text} [tags] - comma-separated tags, e.g. chatbot, billing
 * @arg {text} [priority] - low, normal, high or urgent
 * @arg {text} [ticketType] - problem, incident, question or task
 * @arg {variable} [customFields] - custom field values: {"360001234": "value"} or [{"id": 360001234, "value": "value"}]
 * @arg {variable} [conversationId] - internal.sessionId: keeps the Idempotency-Key unique per conversation
 * @arg {text} [saveAs] - session path the result is written under (default ticket)
 * @arg {dialogstate} createdDialogState - where to go when the ticket exists
 * @arg {dialogstate} [invalidDialogState] - where to go when the requester's email is invalid
 * @arg {dialogstate} [errorDialogState] - where to go on failure; without it errorMessage is shown
 * @arg {text} [errorMessage] - apology shown on failure
 * @jumps createdDialogState - the ticket was created (or had been, for the same key)
 * @jumps invalidDialogState - requesterEmail is not an email, or Zendesk refused the requester (422)
 * @jumps errorDialogState - a missing argument, a Zendesk error, a timeout or a network failure
 * @writes ticket.id - the ticket number, e.g. {ticket.id} in "Your ticket number is {ticket.id}"
 * @writes ticket.status - the ticket's status (new)
 * @writes ticket.duplicate - true when Zendesk returned the ticket an earlier identical request created
 * @writes ticket.error - {code, status, reason, message} on failure, null on success
 */
import { badResponse, configFailure, failure } from '../_lib/failure.ts'
import { hashText } from '../_lib/hash.ts'
import { requestJson } from '../_lib/http.ts'
import { excerptOf, isRecord } from '../_lib/parse-body.ts'
import { MissingArgs, readList, readSessionPath, readText } from '../_lib/read-args.ts'
import { runSafely, sendFailure, sendReply, type FailureRoute } from '../_lib/respond.ts'
import { startTimeBudget } from '../_lib/time-budget.ts'
import { apiBase, looksLikeEmail, readSubdomain, readZendeskError, tokenAuthHeaders } from '../_lib/zendesk.ts'

interface Args {
  subdomain: string
  email: string
  apiToken: string
  requesterEmail: unknown
  requesterName?: unknown
  subject: string
  comment: unknown
  tags?: string
  priority?: string
  ticketType?: string
  customFields?: unknown
  conversationId?: unknown
  saveAs?: string
  createdDialogState: string
  invalidDialogState?: string
  errorDialogState?: string
  errorMessage?: string
}

const PRIORITIES = ['low', 'normal', 'high', 'urgent']
const TYPES = ['problem', 'incident', 'question', 'task']

const input = args as Partial<Args>

function failureRoute (): FailureRoute {
  return {
    saveAs: readSessionPath(input.saveAs, 'ticket'),
    errorDialogState: readText(input.errorDialogState),
    errorMessage: readText(input.errorMessage),
    apology: "Sorry, I couldn't create your support request right now. Please try again later or email us.",
  }
}

/** Custom fields as Zendesk wants them, from an {id: value} object, a [{id, value}] list, or JSON text of either. */
function readCustomFields (value: unknown): Array<{ id: number, value: unknown }> | null {
  if (value === undefined || value === null || value === '') return []
  if (typeof value === 'string') {
    try { value = JSON.parse(value) } catch { return null }
  }
  const pairs = Array.isArray(value)
    ? value.map(item => isRecord(item) ? [item.id, item.value] : [undefined, undefined])
    : isRecord(value) ? Object.keys(value).map(key => [key, value[key]]) : null
  if (!pairs) return null
  const out: Array<{ id: number, value: unknown }> = []
  for (const [id, fieldValue] of pairs) {
    const n = Number(id)
    if (!Number.isInteger(n) || n <= 0) return null
    out.push({ id: n, value: fieldValue })
  }
  return out
}

async function main (): Promise<void> {
  const route = failureRoute()
  const missing = new MissingArgs()
  const subdomainText = missing.text(input.subdomain, 'subdomain')
  const email = missing.text(input.email, 'email')
  const apiToken = missing.text(input.apiToken, 'apiToken')
  const subject = missing.text(input.subject, 'subject')
  const comment = missing.text(input.comment, 'comment')
  const createdDialogState = missing.text(input.createdDialogState, 'createdDialogState')
  const subdomain = readSubdomain(subdomainText)
  if (subdomainText && !subdomain) missing.invalid('subdomain', 'not a Zendesk subdomain')
  const customFields = readCustomFields(input.customFields)
  if (!customFields) missing.invalid('customFields', 'not {id: value} or [{id, value}] with numeric ids')
  if (missing.names.length || !subdomain || !customFields) return sendFailure(route, configFailure(missing.message))

  const saveAs = route.saveAs
  const invalidDialogState = readText(input.invalidDialogState)
  const requesterEmail = readText(input.requesterEmail) || ''
  if (!looksLikeEmail(requesterEmail)) {
    const invalid = failure('INVALID', `requesterEmail ${requesterEmail ? `"${requesterEmail}" is not an email address` : 'is empty'}: no ticket was created`, null, 'InvalidEmail')
    if (!invalidDialogState) return sendFailure(route, invalid)
    console.warn(invalid.message)
    return sendReply({ writes: [[`${saveAs}.error`, invalid]], jump: invalidDialogState })
  }

  const priority = (readText(input.priority) || '').toLowerCase()
  const type = (readText(input.ticketType) || '').toLowerCase()
  if (priority && !PRIORITIES.includes(priority)) console.warn(`priority "${priority}" is not one of ${PRIORITIES.join(', ')}: left out`)
  if (type && !TYPES.includes(type)) console.warn(`ticketType "${type}" is not one of ${TYPES.join(', ')}: left out`)
  const ticket = {
    subject,
    comment: { body: comment },
    requester: { email: requesterEmail, name: readText(input.requesterName) || requesterEmail },
    tags: readList(input.tags).map(tag => tag.toLowerCase().replace(/\s+/g, '_')),
    priority: priority && PRIORITIES.includes(priority) ? priority : undefined,
    type: type && TYPES.includes(type) ? type : undefined,
    custom_fields: customFields.length ? customFields : undefined,
  }
  // Same conversation and same content: same key, so Zendesk answers a repeat with the first ticket.
  const idempotencyKey = `chatlayer-${hashText(JSON.stringify([readText(input.conversationId) || '', ticket]))}`
  const url = `${apiBase(subdomain)}/tickets.json`
  const result = await requestJson({
    service: 'Zendesk',
    method: 'POST',
    url,
    json: { ticket },
    headers: { ...tokenAuthHeaders(email, apiToken), 'Idempotency-Key': idempotencyKey },
    budget: startTimeBudget(),
    readError: readZendeskError,
  })
  if (!result.ok) {
    const refused = result.failure
    if (invalidDialogState && refused.status === 422 && /requester|email/i.test(refused.message)) {
      console.warn(refused.message)
      return sendReply({ writes: [[`${saveAs}.error`, refused]], jump: invalidDialogState })
    }
    return sendFailure(route, refused)
  }
  const created = isRecord(result.data) && isRecord(result.data.ticket) ? result.data.ticket : null
  if (!created || typeof created.id !== 'number') {
    return sendFailure(route, badResponse('Zendesk', `POST ${url}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`))
  }
  const duplicate = result.headers.get('x-idempotency-lookup') === 'hit'
  console.log(`ticket ${created.id} ${duplicate ? 'already existed (same Idempotency-Key)' : 'created'}`)
  sendReply({
    writes: [
      [`${saveAs}.id`, created.id],
      [`${saveAs}.status`, typeof created.status === 'string' ? created.status : null],
      [`${saveAs}.duplicate`, duplicate],
      [`${saveAs}.error`, null],
    ],
    jump: createdDialogState,
  })
}

await runSafely(main, failureRoute)

/**
 * @title Look up a Zendesk ticket's status
 * @summary Reads a Zendesk ticket by number and stores its status in words the user understands.
 *
 * The user types a ticket number ("#35436" and "35436" both work). Only the status and the last
 * update time are stored, never the subject or the comments: a ticket number is easy to guess.
 * Set requesterEmail to only answer for tickets the user asked for themselves.
 *
 * @arg {text} subdomain - your Zendesk subdomain: acme for acme.zendesk.com
 * @arg {text} email - email of the agent the API token belongs to
 * @arg {text} apiToken - Zendesk API token
 * @arg {variable} ticketId - the ticket number the user gave
 * @arg {variable} [requesterEmail] - when set, a ticket of another requester counts as not found
 * @arg {text} [saveAs] - session path the result is written under (default ticket)
 * @arg {dialogstate} foundDialogState - where to go when the ticket exists
 * @arg {dialogstate} notFoundDialogState - where to go when there is no such ticket
 * @arg {dialogstate} [errorDialogState] - where to go on failure; without it errorMessage is shown
 * @arg {text} [errorMessage] - apology shown on failure
 * @jumps foundDialogState - the ticket exists (and belongs to requesterEmail when set)
 * @jumps notFoundDialogState - ticketId is not a number, Zendesk answered 404, or the requester differs
 * @jumps errorDialogState - a missing argument, a Zendesk error, a timeout or a network failure
 * @writes ticket.id - the ticket number
 * @writes ticket.status - new, open, pending, hold, solved or closed
 * @writes ticket.statusText - the status in words, e.g. "waiting for your reply"
 * @writes ticket.updatedAt - when the ticket last changed (ISO 8601)
 * @writes ticket.error - {code, status, reason, message} on failure, null otherwise
 */
import { badResponse, configFailure, type Failure } from '../_lib/failure.ts'
import { requestJson } from '../_lib/http.ts'
import { excerptOf, isRecord } from '../_lib/parse-body.ts'
import { MissingArgs, readSessionPath, readText } from '../_lib/read-args.ts'
import { runSafely, sendFailure, sendReply, type FailureRoute } from '../_lib/respond.ts'
import { startTimeBudget, type TimeBudget } from '../_lib/time-budget.ts'
import { apiBase, readSubdomain, readZendeskError, tokenAuthHeaders } from '../_lib/zendesk.ts'

interface Args {
  subdomain: string
  email: string
  apiToken: string
  ticketId: unknown
  requesterEmail?: unknown
  saveAs?: string
  foundDialogState: string
  notFoundDialogState: string
  errorDialogState?: string
  errorMessage?: string
}

const STATUS_TEXT: Record<string, string> = {
  new: 'received, not yet picked up',
  open: 'being worked on',
  pending: 'waiting for your reply',
  hold: 'on hold while we check with a third party',
  solved: 'solved',
  closed: 'closed',
}

const input = args as Partial<Args>

function failureRoute (): FailureRoute {
  return {
    saveAs: readSessionPath(input.saveAs, 'ticket'),
    errorDialogState: readText(input.errorDialogState),
    errorMessage: readText(input.errorMessage),
    apology: "Sorry, I can't check your ticket right now. Please try again later.",
  }
}

async function main (): Promise<void> {
  const route = failureRoute()
  const missing = new MissingArgs()
  const subdomainText = missing.text(input.subdomain, 'subdomain')
  const email = missing.text(input.email, 'email')
  const apiToken = missing.text(input.apiToken, 'apiToken')
  const foundDialogState = missing.text(input.foundDialogState, 'foundDialogState')
  const notFoundDialogState = missing.text(input.notFoundDialogState, 'notFoundDialogState')
  const subdomain = readSubdomain(subdomainText)
  if (subdomainText && !subdomain) missing.invalid('subdomain', 'not a Zendesk subdomain')
  if (missing.names.length || !subdomain) return sendFailure(route, configFailure(missing.message))

  const saveAs = route.saveAs
  const notFound = (why: string): void => {
    console.warn(why)
    sendReply({ writes: [[`${saveAs}.status`, null], [`${saveAs}.error`, null]], jump: notFoundDialogState })
  }
  const idText = (readText(input.ticketId) || '').replace(/^#\s*/, '')
  if (!/^\d{1,12}$/.test(idText)) return notFound(`ticketId ${idText ? `"${idText}" is not a ticket number` : 'is empty'}: no request was made`)

  const budget = startTimeBudget()
  const url = `${apiBase(subdomain)}/tickets/${idText}.json`
  const result = await requestJson({ service: 'Zendesk', method: 'GET', url, headers: tokenAuthHeaders(email, apiToken), budget, readError: readZendeskError })
  if (!result.ok) return result.failure.code === 'NOT_FOUND' ? notFound(result.failure.message) : sendFailure(route, result.failure)
  const ticket = isRecord(result.data) && isRecord(result.data.ticket) ? result.data.ticket : null
  const status = ticket && typeof ticket.status === 'string' ? ticket.status : null
  if (!ticket || !status) return sendFailure(route, badResponse('Zendesk', `GET ${url}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`))

  const requester = readText(input.requesterEmail)
  if (requester !== undefined) {
    const same = await isRequester({ subdomain, email, apiToken, budget }, ticket.requester_id, requester)
    if (same !== true) return same === false ? notFound(`ticket ${idText} was requested by someone else than requesterEmail`) : sendFailure(route, same)
  }
  sendReply({
    writes: [
      [`${saveAs}.id`, Number(idText)],
      [`${saveAs}.status`, status],
      [`${saveAs}.statusText`, STATUS_TEXT[status] || status],
      [`${saveAs}.updatedAt`, typeof ticket.updated_at === 'string' ? ticket.updated_at : null],
      [`${saveAs}.error`, null],
    ],
    jump: foundDialogState,
  })
}

/** Whether user `requesterId` has the email `expected` (any case), or why that could not be read. */
async function isRequester (api: { subdomain: string, email: string, apiToken: string, budget: TimeBudget }, requesterId: unknown, expected: string): Promise<boolean | Failure> {
  if (typeof requesterId !== 'number') return false
  const url = `${apiBase(api.subdomain)}/users/${requesterId}.json`
  const result = await requestJson({ service: 'Zendesk', method: 'GET', url, headers: tokenAuthHeaders(api.email, api.apiToken), budget: api.budget, readError: readZendeskError })
  if (!result.ok) return result.failure
  const user = isRecord(result.data) && isRecord(result.data.user) ? result.data.user : null
  if (!user) return badResponse('Zendesk', `GET ${url}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`)
  return typeof user.email === 'string' && user.email.toLowerCase() === expected.toLowerCase()
}

await runSafely(main, failureRoute)

/**
 * @title Suggest Help Center articles
 * @summary For "not understood": searches the Zendesk Help Center for what the user typed and shows a carousel.
 *
 * Put it in the not-understood dialog: it searches the Help Center with the user's sentence and
 * shows up to maxArticles articles as carousel cards with a link button. When nothing matches it
 * goes to notFoundDialogState (for example a hand-over to an agent). A public Help Center needs no
 * credentials; give email and apiToken for one that requires sign-in.
 *
 * @arg {text} subdomain - your Zendesk subdomain: acme for acme.zendesk.com
 * @arg {variable} query - what the user said: internal.nlp.expression
 * @arg {text} [locale] - Help Center locale to search, e.g. en-us (default: all locales)
 * @arg {text} [maxArticles] - cards to show, 1 to 10 (default 3)
 * @arg {text} [email] - agent email, only for a Help Center that requires sign-in
 * @arg {text} [apiToken] - Zendesk API token, only with email
 * @arg {text} [introMessage] - text shown above the cards (default "Maybe one of these articles helps:")
 * @arg {text} [buttonLabel] - label of each card's link (default "Read article")
 * @arg {text} [imageUrl] - image shown on every card
 * @arg {text} [saveAs] - session path the result is written under (default articles)
 * @arg {dialogstate} [foundDialogState] - where to go after the cards; without it the dialog's Go To applies
 * @arg {dialogstate} notFoundDialogState - where to go when no article matches
 * @arg {dialogstate} [errorDialogState] - where to go on failure; without it errorMessage is shown
 * @arg {text} [errorMessage] - apology shown on failure
 * @jumps foundDialogState - articles were shown
 * @jumps notFoundDialogState - the query is empty or nothing matched
 * @jumps errorDialogState - a missing argument, a Zendesk error, a timeout or a network failure
 * @writes articles.items - the articles shown: [{id, title, url}]
 * @writes articles.count - how many articles were shown
 * @writes articles.error - {code, status, reason, message} on failure, null otherwise
 */
import { badResponse, configFailure } from '../_lib/failure.ts'
import { htmlToText, shorten } from '../_lib/html-text.ts'
import { requestJson } from '../_lib/http.ts'
import { excerptOf, isRecord } from '../_lib/parse-body.ts'
import { encodeQuery } from '../_lib/query.ts'
import { MissingArgs, readInt, readSessionPath, readText } from '../_lib/read-args.ts'
import { runSafely, sendFailure, sendReply, type FailureRoute } from '../_lib/respond.ts'
import { startTimeBudget } from '../_lib/time-budget.ts'
import { apiBase, readSubdomain, readZendeskError, tokenAuthHeaders } from '../_lib/zendesk.ts'

interface Args {
  subdomain: string
  query: unknown
  locale?: string
  maxArticles?: string
  email?: string
  apiToken?: string
  introMessage?: string
  buttonLabel?: string
  imageUrl?: string
  saveAs?: string
  foundDialogState?: string
  notFoundDialogState: string
  errorDialogState?: string
  errorMessage?: string
}

const input = args as Partial<Args>

function failureRoute (): FailureRoute {
  return {
    saveAs: readSessionPath(input.saveAs, 'articles'),
    errorDialogState: readText(input.errorDialogState),
    errorMessage: readText(input.errorMessage),
    apology: "Sorry, I didn't understand that, and I can't search our help articles right now.",
  }
}

async function main (): Promise<void> {
  const route = failureRoute()
  const missing = new MissingArgs()
  const subdomainText = missing.text(input.subdomain, 'subdomain')
  const notFoundDialogState = missing.text(input.notFoundDialogState, 'notFoundDialogState')
  const subdomain = readSubdomain(subdomainText)
  if (subdomainText && !subdomain) missing.invalid('subdomain', 'not a Zendesk subdomain')
  const email = readText(input.email)
  const apiToken = readText(input.apiToken)
  if (Boolean(email) !== Boolean(apiToken)) missing.invalid(email ? 'apiToken' : 'email', 'email and apiToken go together')
  if (missing.names.length || !subdomain) return sendFailure(route, configFailure(missing.message))

  const saveAs = route.saveAs
  const notFound = (why: string): void => {
    console.log(why)
    sendReply({ writes: [[`${saveAs}.items`, []], [`${saveAs}.count`, 0], [`${saveAs}.error`, null]], jump: notFoundDialogState })
  }
  const query = shorten(readText(input.query) || '', 200)
  if (!query) return notFound('the query is empty: no search was made')

  const max = readInt(input.maxArticles, 3, 1, 10)
  const url = `${apiBase(subdomain)}/help_center/articles/search.json${encodeQuery([['query', query], ['locale', readText(input.locale)], ['per_page', max]])}`
  const result = await requestJson({
    service: 'Zendesk',
    method: 'GET',
    url,
    headers: email && apiToken ? tokenAuthHeaders(email, apiToken) : {},
    budget: startTimeBudget(),
    readError: readZendeskError,
  })
  if (!result.ok) return sendFailure(route, result.failure)
  const results = isRecord(result.data) && Array.isArray(result.data.results) ? result.data.results : null
  if (!results) return sendFailure(route, badResponse('Zendesk', `GET ${url}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`))

  const articles = results
    .filter(isRecord)
    .filter(a => typeof a.title === 'string' && typeof a.html_url === 'string' && /^https:\/\//.test(a.html_url))
    .slice(0, max)
  if (articles.length === 0) return notFound(`no article matches "${query}"`)

  const buttonLabel = readText(input.buttonLabel) || 'Read article'
  const imageUrl = readText(input.imageUrl)
  const carousel: Chatlayer.CarouselElement[] = articles.map(a => {
    const card: Chatlayer.CarouselElement = {
      title: shorten(htmlToText(String(a.title)), 80),
      subTitle: shorten(htmlToText(typeof a.snippet === 'string' ? a.snippet : ''), 80),
      buttons: [{ type: 'web_url', title: buttonLabel, url: String(a.html_url) }],
    }
    if (imageUrl) card.imageUrl = imageUrl
    return card
  })
  sendReply({
    writes: [
      [`${saveAs}.items`, articles.map(a => ({ id: a.id, title: String(a.title), url: String(a.html_url) }))],
      [`${saveAs}.count`, articles.length],
      [`${saveAs}.error`, null],
    ],
    messages: [readText(input.introMessage) || 'Maybe one of these articles helps:'],
    carousel,
    jump: readText(input.foundDialogState),
  })
}

await runSafely(main, failureRoute)

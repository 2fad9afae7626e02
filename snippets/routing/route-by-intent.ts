/**
 * @title Route by intent
 * @summary Jumps to the dialog state configured for the recognised intent, or to "not understood" when unsure.
 *
 * Add one dialogstate argument row per intent, keyed `intent:` plus the intent's name (any case),
 * for example `intent:book_meetup`. The top intent of internal.nlp wins when its score reaches
 * the threshold; with a margin, two intents scoring too close to each other count as not
 * understood too, so the bot asks instead of guessing.
 *
 * @arg {variable} nlp - internal.nlp: the NLP result of the user's last message
 * @arg {dialogstate} intent:<name> - one row per intent to route, e.g. intent:book_meetup
 * @arg {text} [threshold] - lowest score that counts, from 0 to 1 (default 0.7)
 * @arg {text} [margin] - the top intent must beat the second by this much, from 0 to 1 (default 0: off)
 * @arg {text} [saveAs] - session path the result is written under (default routing)
 * @arg {dialogstate} notUnderstoodDialogState - where to go when no routed intent is recognised with enough confidence
 * @jumps intent:<name> - the intent was recognised with enough confidence
 * @jumps notUnderstoodDialogState - no intent, a low or ambiguous score, or an intent without a row
 * @writes routing.intent - {name, score, routed}: what was recognised and whether it was routed
 */
import { readNumber, readSessionPath, readText } from '../_lib/read-args.ts'
import { isRecord } from '../_lib/parse-body.ts'
import { runSafely, sendReply, type FailureRoute } from '../_lib/respond.ts'

interface Args {
  nlp: unknown
  /** `intent:<name>` rows: dialog state ids. */
  [route: `intent:${string}`]: string
  threshold?: string
  margin?: string
  saveAs?: string
  notUnderstoodDialogState: string
}

const input = args as Partial<Args>

function failureRoute (): FailureRoute {
  return {
    saveAs: readSessionPath(input.saveAs, 'routing'),
    errorDialogState: readText(input.notUnderstoodDialogState),
    apology: "Sorry, I didn't get that. Could you say it another way?",
  }
}

interface Scored { name: string, score: number }

/** Intents of an NLP result, best first; a missing score counts as 0. */
function rankIntents (nlp: unknown): Scored[] {
  if (!isRecord(nlp)) return []
  const list = Array.isArray(nlp.intents) && nlp.intents.length ? nlp.intents : [nlp.intent]
  const out: Scored[] = []
  for (const item of list) {
    const name = isRecord(item) ? readText(item.name) : undefined
    if (name) out.push({ name, score: (isRecord(item) && readNumber(item.score)) || 0 })
  }
  return out.sort((a, b) => b.score - a.score)
}

async function main (): Promise<void> {
  const route = failureRoute()
  const notUnderstood = route.errorDialogState
  const routes: Record<string, string> = {}
  for (const key of Object.keys(input)) {
    const match = /^intent:\s*(.+)$/i.exec(key)
    const target = readText((input as Record<string, unknown>)[key])
    if (match && target) routes[match[1].trim().toLowerCase()] = target
  }
  if (Object.keys(routes).length === 0) console.error('no intent:<name> dialogstate row is configured: every message goes to notUnderstoodDialogState')
  if (!notUnderstood) console.error('notUnderstoodDialogState is not configured: unrecognised messages get an apology')

  const threshold = readNumber(input.threshold) ?? 0.7
  const margin = readNumber(input.margin) ?? 0
  const [top, second] = rankIntents(input.nlp)
  const target = top ? routes[top.name.toLowerCase()] : undefined
  const confident = Boolean(top) && top.score >= threshold && (!second || top.score - second.score >= margin)
  const routed = Boolean(target) && confident
  console.log(top ? `intent ${top.name} (${top.score})${second ? `, then ${second.name} (${second.score})` : ''}: ${routed ? 'routed' : 'not understood'}` : 'no intent recognised')
  const writes: Array<[string, unknown]> = [[`${route.saveAs}.intent`, { name: top ? top.name : null, score: top ? top.score : null, routed }]]
  if (routed) return sendReply({ writes, jump: target })
  if (notUnderstood) return sendReply({ writes, jump: notUnderstood })
  sendReply({ writes, messages: [route.apology] })
}

await runSafely(main, failureRoute)

import { failure, type Failure } from './failure.ts'
import { isRecord } from './parse-body.ts'

/** What an action answers: session writes, messages, then the jump (the order the platform applies them). */
export interface Reply {
  /** Session paths and values, written with addSessionVariable. */
  writes?: Array<[string, unknown]>
  messages?: string[]
  carousel?: Chatlayer.CarouselElement[]
  /** A dialog state id; without one the action dialog's own Go To applies. */
  jump?: string
}

/** Where a failure goes: a dialog state, an apology, or both. */
export interface FailureRoute {
  /** Session path whose `.error` receives `{code, status, reason, message}`. */
  saveAs: string
  errorDialogState?: string
  /** Shown with the jump when configured; shown alone (instead of `apology`) without an error dialog state. */
  errorMessage?: string
  /** The default apology when no error dialog state and no error message are configured. */
  apology: string
}

let replied = false

const LAST_RESORT_APOLOGY = 'Sorry, something went wrong on our side. Please try again later.'

/** Builds and sends one reply; the only place a snippet calls send(). */
export function sendReply (reply: Reply): void {
  const builder = ChatlayerResponseBuilder()
  for (const [path, value] of reply.writes || []) {
    // The platform deep-merges an object into what the path held; writing null first makes the
    // new object replace the old one, so no key of an earlier result survives.
    if (isRecord(value)) builder.addSessionVariable(path, null)
    builder.addSessionVariable(path, value)
  }
  for (const text of reply.messages || []) builder.addMessage(text)
  if (reply.carousel && reply.carousel.length) builder.addCarousel(reply.carousel)
  if (reply.jump) builder.setNextDialogState(reply.jump)
  builder.send()
  replied = true
}

/** Logs a failure (never a secret: messages are built without credentials), stores it, and routes it. */
export function sendFailure (route: FailureRoute, error: Failure, writes: Array<[string, unknown]> = []): void {
  console.error(`${error.code}: ${error.message}`)
  const reply: Reply = { writes: [...writes, [`${route.saveAs}.error`, { code: error.code, status: error.status, reason: error.reason, message: error.message }]] }
  if (route.errorDialogState) {
    reply.jump = route.errorDialogState
    if (route.errorMessage) reply.messages = [route.errorMessage]
  } else {
    reply.messages = [route.errorMessage || route.apology]
  }
  sendReply(reply)
}

/**
 * Runs the action's main function and turns anything it throws into the failure route, so the
 * conversation always gets a reply and the platform never logs an uncaught error.
 */
export async function runSafely (main: () => Promise<void>, route: () => FailureRoute): Promise<void> {
  try {
    await main()
  } catch (error) {
    const e = error as { name?: unknown, message?: unknown } | null
    const what = e && typeof e.message === 'string' ? `${String(e.name || 'Error')}: ${e.message}` : String(error)
    if (replied) { console.error(`UNEXPECTED after the reply was sent: ${what}`); return }
    try {
      sendFailure(route(), failure('UNEXPECTED', `the action failed unexpectedly (${what})`))
    } catch {
      ChatlayerResponseBuilder().addMessage(LAST_RESORT_APOLOGY).send()
    }
  }
}

/**
 * @title Go back to the previous dialog
 * @summary The documented "go back" pattern, guarded so that the user can never bounce in a loop.
 *
 * Jumps to internal.previousDialogstate, except when that would loop: when the previous dialog is
 * this one, is listed in `exclude`, or is where the last "go back" already sent the user (going
 * back twice in a row would otherwise land on the same dialog forever). Then it goes to the
 * fallback instead. It remembers its last jump in routing.back; map that into `history` so the
 * guard can see it.
 *
 * @arg {variable} previous - internal.previousDialogstate
 * @arg {variable} current - internal.currentDialogstate
 * @arg {variable} [history] - routing.back: what this action did last time (the loop guard)
 * @arg {text} [exclude] - comma-separated dialog state ids or names never to go back to
 * @arg {text} [windowMinutes] - how long a previous "go back" counts for the loop guard (default 30; 0 = always)
 * @arg {text} [fallbackMessage] - message shown when going to the fallback instead
 * @arg {text} [saveAs] - session path the jump is remembered under (default routing)
 * @arg {dialogstate} fallbackDialogState - where to go when there is no safe previous dialog, e.g. the main menu
 * @jumps previous - the previous dialog (a dialog state id read from the session, not an argument row)
 * @jumps fallbackDialogState - no previous dialog, or going back would loop
 * @writes routing.back - {from, to, at}: this jump, for the loop guard
 */
import { isRecord } from '../_lib/parse-body.ts'
import { readInt, readList, readSessionPath, readText } from '../_lib/read-args.ts'
import { runSafely, sendReply, type FailureRoute } from '../_lib/respond.ts'

interface DialogRef { id?: string, name?: string }

interface Args {
  previous: DialogRef | string
  current: DialogRef | string
  history?: { from?: string, to?: string, at?: number }
  exclude?: string
  windowMinutes?: string
  fallbackMessage?: string
  saveAs?: string
  fallbackDialogState: string
}

const input = args as Partial<Args>

function failureRoute (): FailureRoute {
  return {
    saveAs: readSessionPath(input.saveAs, 'routing'),
    errorDialogState: readText(input.fallbackDialogState),
    errorMessage: readText(input.fallbackMessage),
    apology: "Sorry, I can't take you back there. What would you like to do?",
  }
}

/** `{id, name}` from a dialog state object, or from its bare id. */
function readDialog (value: unknown): { id: string, name: string } | null {
  if (isRecord(value)) {
    const id = readText(value.id)
    return id ? { id, name: readText(value.name) || '' } : null
  }
  const id = readText(value)
  return id ? { id, name: '' } : null
}

async function main (): Promise<void> {
  const route = failureRoute()
  const previous = readDialog(input.previous)
  const current = readDialog(input.current)
  const history = isRecord(input.history) ? input.history : {}
  const windowMs = readInt(input.windowMinutes, 30, 0, 1440) * 60000
  const recent = windowMs === 0 || (typeof history.at === 'number' && Date.now() - history.at <= windowMs)
  const excluded = readList(input.exclude).map(item => item.toLowerCase())

  let why = ''
  if (!previous) why = 'there is no previous dialog state'
  else if (current && previous.id === current.id) why = 'the previous dialog state is this one'
  else if (excluded.includes(previous.id.toLowerCase()) || (previous.name && excluded.includes(previous.name.toLowerCase()))) why = `${previous.name || previous.id} is excluded`
  else if (recent && history.to === previous.id) why = `the last "go back" already led to ${previous.name || previous.id}: going there again would loop`

  if (!why && previous) {
    console.log(`going back to ${previous.name || previous.id}`)
    return sendReply({ writes: [[`${route.saveAs}.back`, { from: current ? current.id : null, to: previous.id, at: Date.now() }]], jump: previous.id })
  }
  console.warn(`${why}: going to the fallback`)
  const writes: Array<[string, unknown]> = [[`${route.saveAs}.back`, null]]
  if (!route.errorDialogState) return sendReply({ writes, messages: [route.errorMessage || route.apology] })
  sendReply({ writes, messages: route.errorMessage ? [route.errorMessage] : [], jump: route.errorDialogState })
}

await runSafely(main, failureRoute)

/**
 * @title Route by business hours
 * @summary Goes to the open or the closed dialog state from a weekly schedule in a time zone, with holidays.
 *
 * The schedule is read in the given IANA time zone (Europe/Brussels, America/New_York), so
 * daylight saving time is handled: entries are separated by ; and list days then time ranges,
 * e.g. `mon-fri 09:00-12:30 13:30-17:30; sat 10:00-14:00`. A range ending before it starts runs
 * past midnight (`fri 22:00-02:00`). Holidays are local dates, ranges of dates, or month-day
 * dates repeated every year: `2025-04-21, 2025-12-24..2025-12-26, 01-01`. It also stores when the
 * next opening is, for "we're back on Monday at 09:00".
 *
 * @arg {text} timeZone - IANA time zone of the schedule, e.g. Europe/Brussels
 * @arg {text} schedule - opening hours, e.g. mon-fri 09:00-17:30; sat 10:00-14:00
 * @arg {text} [holidays] - closed dates: 2025-12-25, 2025-12-24..2025-12-26, or 01-01 for every year
 * @arg {text} [now] - an ISO time to use instead of the clock, to test the closed path in the emulator
 * @arg {text} [saveAs] - session path the result is written under (default businessHours)
 * @arg {dialogstate} openDialogState - where to go during opening hours
 * @arg {dialogstate} closedDialogState - where to go outside opening hours and on holidays
 * @arg {dialogstate} [errorDialogState] - where to go when the time zone or schedule is invalid (default closedDialogState)
 * @jumps openDialogState - the current local time is inside a range of today's schedule
 * @jumps closedDialogState - outside the ranges, or a holiday
 * @jumps errorDialogState - the time zone, the schedule or a holiday date cannot be read
 * @writes businessHours.open - true when open
 * @writes businessHours.holiday - true when today is a holiday
 * @writes businessHours.localTime - the local day and time used, e.g. Mon 14:05
 * @writes businessHours.nextOpening - {day, date, time} of the next opening within 14 days, null when open or none
 * @writes businessHours.error - {code, status, reason, message} when the configuration is invalid, null otherwise
 */
import { configFailure } from '../_lib/failure.ts'
import { MissingArgs, readSessionPath, readText } from '../_lib/read-args.ts'
import { runSafely, sendFailure, sendReply, type FailureRoute } from '../_lib/respond.ts'

interface Args {
  timeZone: string
  schedule: string
  holidays?: string
  now?: string
  saveAs?: string
  openDialogState: string
  closedDialogState: string
  errorDialogState?: string
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MINUTES_PER_DAY = 1440

const input = args as Partial<Args>

function failureRoute (): FailureRoute {
  return {
    saveAs: readSessionPath(input.saveAs, 'businessHours'),
    errorDialogState: readText(input.errorDialogState) || readText(input.closedDialogState),
    apology: "Sorry, I can't check our opening hours right now.",
  }
}

/** Opening ranges per weekday (0 = Sunday), in minutes; an end past 1440 runs into the next day. */
type Week = Array<Array<[number, number]>>

function parseMinutes (text: string): number {
  const match = /^(\d{1,2})(?::(\d{2}))?$/.exec(text)
  if (!match || Number(match[1]) > 24 || Number(match[2] || 0) > 59) throw new Error(`"${text}" is not a time (use 09:00)`)
  const minutes = Number(match[1]) * 60 + Number(match[2] || 0)
  if (minutes > MINUTES_PER_DAY) throw new Error(`"${text}" is past 24:00`)
  return minutes
}

function parseDays (text: string): number[] {
  if (/^(?:daily|every ?day)$/i.test(text)) return [0, 1, 2, 3, 4, 5, 6]
  const out: number[] = []
  for (const part of text.toLowerCase().split(',')) {
    const [from, to] = part.split('-').map(name => DAYS.indexOf(name.trim().slice(0, 3)))
    if (from < 0 || to < 0 || part.trim().length < 3) throw new Error(`"${part.trim()}" is not a day (use mon, tue, ... or mon-fri)`)
    for (let d = from; ; d = (d + 1) % 7) { out.push(d); if (d === (to === undefined ? from : to)) break }
  }
  return out
}

/** Parses `mon-fri 09:00-17:30; sat 10:00-14:00`; throws an Error naming the part it cannot read. */
function parseSchedule (text: string): Week {
  const week: Week = [[], [], [], [], [], [], []]
  for (const entry of text.split(/[;\n]/).map(e => e.trim()).filter(Boolean)) {
    const match = /^([a-z,\s-]+?)\s+(\d.*)$/i.exec(entry)
    if (!match) throw new Error(`"${entry}" has no days and hours (use mon-fri 09:00-17:00)`)
    const days = parseDays(match[1].replace(/\s+/g, ''))
    for (const range of match[2].split(/[\s,]+/).filter(Boolean)) {
      const [start, end] = range.split('-')
      if (end === undefined) throw new Error(`"${range}" is not a time range (use 09:00-17:00)`)
      const from = parseMinutes(start)
      let to = parseMinutes(end)
      if (to <= from) to += MINUTES_PER_DAY
      for (const d of days) week[d].push([from, to])
    }
  }
  return week
}

/** A predicate telling whether a local date (YYYY-MM-DD) is a holiday. */
function parseHolidays (text: string): (date: string) => boolean {
  const tests: Array<(date: string) => boolean> = []
  for (const item of text.split(/[,;\n]/).map(h => h.trim()).filter(Boolean)) {
    const [from, to] = item.split('..').map(d => d.trim())
    if (/^\d{2}-\d{2}$/.test(from) && to === undefined) { tests.push(date => date.slice(5) === from); continue }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || (to !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(to))) {
      throw new Error(`holiday "${item}" is not a date (use 2025-12-25, 2025-12-24..2025-12-26 or 12-25)`)
    }
    tests.push(date => to === undefined ? date === from : date >= from && date <= to)
  }
  return date => tests.some(test => test(date))
}

interface LocalTime { date: string, weekday: number, minutes: number }

/** Local date, weekday and minute of `instant` in `timeZone` (throws RangeError for an unknown zone). */
function localTime (instant: Date, timeZone: string): LocalTime {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone, hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  })
  const parts: Record<string, string> = {}
  for (const part of format.formatToParts(instant)) parts[part.type] = part.value
  const date = `${parts.year}-${parts.month}-${parts.day}`
  // Some engines print midnight as 24:00 with hour12: false.
  const minutes = (Number(parts.hour) % 24) * 60 + Number(parts.minute)
  return { date, weekday: new Date(`${date}T00:00:00Z`).getUTCDay(), minutes }
}

/** The local date `days` after `date`, as YYYY-MM-DD. */
function addDays (date: string, days: number): string {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400000)
  return next.toISOString().slice(0, 10)
}

const clock = (minutes: number): string => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

async function main (): Promise<void> {
  const route = failureRoute()
  const missing = new MissingArgs()
  const timeZone = missing.text(input.timeZone, 'timeZone')
  const scheduleText = missing.text(input.schedule, 'schedule')
  const openDialogState = missing.text(input.openDialogState, 'openDialogState')
  const closedDialogState = missing.text(input.closedDialogState, 'closedDialogState')
  const nowText = readText(input.now)
  const instant = nowText ? new Date(nowText) : new Date()
  if (isNaN(instant.getTime())) missing.invalid('now', `"${nowText}" is not an ISO time`)
  let week: Week = []
  let isHoliday: (date: string) => boolean = () => false
  let now: LocalTime = { date: '', weekday: 0, minutes: 0 }
  try {
    if (scheduleText) week = parseSchedule(scheduleText)
    isHoliday = parseHolidays(readText(input.holidays) || '')
    if (timeZone && !isNaN(instant.getTime())) now = localTime(instant, timeZone)
  } catch (error) {
    const why = error instanceof RangeError ? `"${timeZone}" is not an IANA time zone (use e.g. Europe/Brussels)` : (error as Error).message
    missing.invalid(error instanceof RangeError ? 'timeZone' : /holiday/.test(why) ? 'holidays' : 'schedule', why)
  }
  if (missing.names.length) return sendFailure(route, configFailure(missing.message))

  const yesterday = addDays(now.date, -1)
  const holiday = isHoliday(now.date)
  const open = !holiday && (
    week[now.weekday].some(([from, to]) => now.minutes >= from && now.minutes < to) ||
    (!isHoliday(yesterday) && week[(now.weekday + 6) % 7].some(([, to]) => to > MINUTES_PER_DAY && now.minutes < to - MINUTES_PER_DAY))
  )
  let nextOpening: { day: string, date: string, time: string } | null = null
  for (let offset = 0; offset <= 14 && !open && !nextOpening; offset++) {
    const date = addDays(now.date, offset)
    const weekday = (now.weekday + offset) % 7
    if (isHoliday(date)) continue
    const starts = week[weekday].map(([from]) => from).filter(from => offset > 0 || from > now.minutes).sort((a, b) => a - b)
    if (starts.length) nextOpening = { day: DAY_NAMES[weekday], date, time: clock(starts[0]) }
  }
  const localText = `${DAY_NAMES[now.weekday].slice(0, 3)} ${clock(now.minutes)}`
  console.log(`${localText} in ${timeZone}: ${open ? 'open' : holiday ? 'closed (holiday)' : 'closed'}`)
  sendReply({
    writes: [
      [`${route.saveAs}.open`, open],
      [`${route.saveAs}.holiday`, holiday],
      [`${route.saveAs}.localTime`, localText],
      [`${route.saveAs}.nextOpening`, nextOpening],
      [`${route.saveAs}.error`, null],
    ],
    jump: open ? openDialogState : closedDialogState,
  })
}

await runSafely(main, failureRoute)

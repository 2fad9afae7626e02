// Route by business hours (routing/business-hours)
// Goes to the open or the closed dialog state from a weekly schedule in a time zone, with
// holidays.
//
// Arguments to configure in the code editor ([key] = optional):
//   timeZone            text         IANA time zone of the schedule, e.g. Europe/Brussels
//   schedule            text         opening hours, e.g. mon-fri 09:00-17:30; sat 10:00-14:00
//   [holidays]          text         closed dates: 2025-12-25, 2025-12-24..2025-12-26, or 01-01 for every year
//   [now]               text         an ISO time to use instead of the clock, to test the closed path in the emulator
//   [saveAs]            text         session path the result is written under (default businessHours)
//   openDialogState     dialogstate  where to go during opening hours
//   closedDialogState   dialogstate  where to go outside opening hours and on holidays
//   [errorDialogState]  dialogstate  where to go when the time zone or schedule is invalid (default closedDialogState)
// Dialog states it may jump to:
//   openDialogState    the current local time is inside a range of today's schedule
//   closedDialogState  outside the ranges, or a holiday
//   errorDialogState   the time zone, the schedule or a holiday date cannot be read
// Session variables it writes:
//   businessHours.open         true when open
//   businessHours.holiday      true when today is a holiday
//   businessHours.localTime    the local day and time used, e.g. Mon 14:05
//   businessHours.nextOpening  {day, date, time} of the next opening within 14 days, null when open or none
//   businessHours.error        {code, status, reason, message} when the configuration is invalid, null otherwise
//
// Built from snippets/routing/business-hours.ts by `code-action build`: edit the source, not this file.

// snippets/_lib/parse-body.ts
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// snippets/_lib/failure.ts
function failure(code, message, status = null, reason = null) {
  return { code, status, reason, message };
}
function configFailure(message) {
  return failure("CONFIG", message);
}

// snippets/_lib/read-args.ts
function readText(value) {
  if (typeof value === "number" && isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value !== "string") return void 0;
  const text = value.trim();
  return text === "" ? void 0 : text;
}
var SESSION_PATH = /^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/;
function readSessionPath(value, fallback) {
  const text = readText(value);
  if (text === void 0) return fallback;
  if (!SESSION_PATH.test(text) || text.split(".")[0] === "internal") {
    console.warn(`saveAs "${text}" is not a writable session path; writing under "${fallback}" instead`);
    return fallback;
  }
  return text;
}
var MissingArgs = class {
  constructor() {
    this.names = [];
  }
  // The text of a required argument, or "" after noting it as missing.
  text(value, name) {
    const text = readText(value);
    if (text === void 0) this.names.push(name);
    return text || "";
  }
  // Notes an argument whose value is present but unusable.
  invalid(name, why) {
    this.names.push(`${name} (${why})`);
  }
  get message() {
    return `missing or invalid arguments: ${this.names.join(", ")}; configure them in the code editor's argument rows`;
  }
};

// snippets/_lib/respond.ts
var replied = false;
var LAST_RESORT_APOLOGY = "Sorry, something went wrong on our side. Please try again later.";
function sendReply(reply) {
  const builder = ChatlayerResponseBuilder();
  for (const [path, value] of reply.writes || []) {
    if (isRecord(value)) builder.addSessionVariable(path, null);
    builder.addSessionVariable(path, value);
  }
  for (const text of reply.messages || []) builder.addMessage(text);
  if (reply.carousel && reply.carousel.length) builder.addCarousel(reply.carousel);
  if (reply.jump) builder.setNextDialogState(reply.jump);
  builder.send();
  replied = true;
}
function sendFailure(route, error, writes = []) {
  console.error(`${error.code}: ${error.message}`);
  const reply = { writes: [...writes, [`${route.saveAs}.error`, { code: error.code, status: error.status, reason: error.reason, message: error.message }]] };
  if (route.errorDialogState) {
    reply.jump = route.errorDialogState;
    if (route.errorMessage) reply.messages = [route.errorMessage];
  } else {
    reply.messages = [route.errorMessage || route.apology];
  }
  sendReply(reply);
}
async function runSafely(main2, route) {
  try {
    await main2();
  } catch (error) {
    const e = error;
    const what = e && typeof e.message === "string" ? `${String(e.name || "Error")}: ${e.message}` : String(error);
    if (replied) {
      console.error(`UNEXPECTED after the reply was sent: ${what}`);
      return;
    }
    try {
      sendFailure(route(), failure("UNEXPECTED", `the action failed unexpectedly (${what})`));
    } catch {
      ChatlayerResponseBuilder().addMessage(LAST_RESORT_APOLOGY).send();
    }
  }
}

// snippets/routing/business-hours.ts
var DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
var DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
var MINUTES_PER_DAY = 1440;
var input = args;
function failureRoute() {
  return {
    saveAs: readSessionPath(input.saveAs, "businessHours"),
    errorDialogState: readText(input.errorDialogState) || readText(input.closedDialogState),
    apology: "Sorry, I can't check our opening hours right now."
  };
}
function parseMinutes(text) {
  const match = /^(\d{1,2})(?::(\d{2}))?$/.exec(text);
  if (!match || Number(match[1]) > 24 || Number(match[2] || 0) > 59) throw new Error(`"${text}" is not a time (use 09:00)`);
  const minutes = Number(match[1]) * 60 + Number(match[2] || 0);
  if (minutes > MINUTES_PER_DAY) throw new Error(`"${text}" is past 24:00`);
  return minutes;
}
function parseDays(text) {
  if (/^(?:daily|every ?day)$/i.test(text)) return [0, 1, 2, 3, 4, 5, 6];
  const out = [];
  for (const part of text.toLowerCase().split(",")) {
    const [from, to] = part.split("-").map((name) => DAYS.indexOf(name.trim().slice(0, 3)));
    if (from < 0 || to < 0 || part.trim().length < 3) throw new Error(`"${part.trim()}" is not a day (use mon, tue, ... or mon-fri)`);
    for (let d = from; ; d = (d + 1) % 7) {
      out.push(d);
      if (d === (to === void 0 ? from : to)) break;
    }
  }
  return out;
}
function parseSchedule(text) {
  const week = [[], [], [], [], [], [], []];
  for (const entry of text.split(/[;\n]/).map((e) => e.trim()).filter(Boolean)) {
    const match = /^([a-z,\s-]+?)\s+(\d.*)$/i.exec(entry);
    if (!match) throw new Error(`"${entry}" has no days and hours (use mon-fri 09:00-17:00)`);
    const days = parseDays(match[1].replace(/\s+/g, ""));
    for (const range of match[2].split(/[\s,]+/).filter(Boolean)) {
      const [start, end] = range.split("-");
      if (end === void 0) throw new Error(`"${range}" is not a time range (use 09:00-17:00)`);
      const from = parseMinutes(start);
      let to = parseMinutes(end);
      if (to <= from) to += MINUTES_PER_DAY;
      for (const d of days) week[d].push([from, to]);
    }
  }
  return week;
}
function parseHolidays(text) {
  const tests = [];
  for (const item of text.split(/[,;\n]/).map((h) => h.trim()).filter(Boolean)) {
    const [from, to] = item.split("..").map((d) => d.trim());
    if (/^\d{2}-\d{2}$/.test(from) && to === void 0) {
      tests.push((date) => date.slice(5) === from);
      continue;
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || to !== void 0 && !/^\d{4}-\d{2}-\d{2}$/.test(to)) {
      throw new Error(`holiday "${item}" is not a date (use 2025-12-25, 2025-12-24..2025-12-26 or 12-25)`);
    }
    tests.push((date) => to === void 0 ? date === from : date >= from && date <= to);
  }
  return (date) => tests.some((test) => test(date));
}
function localTime(instant, timeZone) {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hour12: false,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit"
  });
  const parts = {};
  for (const part of format.formatToParts(instant)) parts[part.type] = part.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const minutes = Number(parts.hour) % 24 * 60 + Number(parts.minute);
  return { date, weekday: (/* @__PURE__ */ new Date(`${date}T00:00:00Z`)).getUTCDay(), minutes };
}
function addDays(date, days) {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + days * 864e5);
  return next.toISOString().slice(0, 10);
}
var clock = (minutes) => `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
async function main() {
  const route = failureRoute();
  const missing = new MissingArgs();
  const timeZone = missing.text(input.timeZone, "timeZone");
  const scheduleText = missing.text(input.schedule, "schedule");
  const openDialogState = missing.text(input.openDialogState, "openDialogState");
  const closedDialogState = missing.text(input.closedDialogState, "closedDialogState");
  const nowText = readText(input.now);
  const instant = nowText ? new Date(nowText) : /* @__PURE__ */ new Date();
  if (isNaN(instant.getTime())) missing.invalid("now", `"${nowText}" is not an ISO time`);
  let week = [];
  let isHoliday = () => false;
  let now = { date: "", weekday: 0, minutes: 0 };
  try {
    if (scheduleText) week = parseSchedule(scheduleText);
    isHoliday = parseHolidays(readText(input.holidays) || "");
    if (timeZone && !isNaN(instant.getTime())) now = localTime(instant, timeZone);
  } catch (error) {
    const why = error instanceof RangeError ? `"${timeZone}" is not an IANA time zone (use e.g. Europe/Brussels)` : error.message;
    missing.invalid(error instanceof RangeError ? "timeZone" : /holiday/.test(why) ? "holidays" : "schedule", why);
  }
  if (missing.names.length) return sendFailure(route, configFailure(missing.message));
  const yesterday = addDays(now.date, -1);
  const holiday = isHoliday(now.date);
  const open = !holiday && (week[now.weekday].some(([from, to]) => now.minutes >= from && now.minutes < to) || !isHoliday(yesterday) && week[(now.weekday + 6) % 7].some(([, to]) => to > MINUTES_PER_DAY && now.minutes < to - MINUTES_PER_DAY));
  let nextOpening = null;
  for (let offset = 0; offset <= 14 && !open && !nextOpening; offset++) {
    const date = addDays(now.date, offset);
    const weekday = (now.weekday + offset) % 7;
    if (isHoliday(date)) continue;
    const starts = week[weekday].map(([from]) => from).filter((from) => offset > 0 || from > now.minutes).sort((a, b) => a - b);
    if (starts.length) nextOpening = { day: DAY_NAMES[weekday], date, time: clock(starts[0]) };
  }
  const localText = `${DAY_NAMES[now.weekday].slice(0, 3)} ${clock(now.minutes)}`;
  console.log(`${localText} in ${timeZone}: ${open ? "open" : holiday ? "closed (holiday)" : "closed"}`);
  sendReply({
    writes: [
      [`${route.saveAs}.open`, open],
      [`${route.saveAs}.holiday`, holiday],
      [`${route.saveAs}.localTime`, localText],
      [`${route.saveAs}.nextOpening`, nextOpening],
      [`${route.saveAs}.error`, null]
    ],
    jump: open ? openDialogState : closedDialogState
  });
}
await runSafely(main, failureRoute);

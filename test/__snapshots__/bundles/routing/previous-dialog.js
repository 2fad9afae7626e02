// Go back to the previous dialog (routing/previous-dialog)
// The documented "go back" pattern, guarded so that the user can never bounce in a loop.
//
// Arguments to configure in the code editor ([key] = optional):
//   previous             variable     internal.previousDialogstate
//   current              variable     internal.currentDialogstate
//   [history]            variable     routing.back: what this action did last time (the loop guard)
//   [exclude]            text         comma-separated dialog state ids or names never to go back to
//   [windowMinutes]      text         how long a previous "go back" counts for the loop guard (default 30; 0 = always)
//   [fallbackMessage]    text         message shown when going to the fallback instead
//   [saveAs]             text         session path the jump is remembered under (default routing)
//   fallbackDialogState  dialogstate  where to go when there is no safe previous dialog, e.g. the main menu
// Dialog states it may jump to:
//   previous             the previous dialog (a dialog state id read from the session, not an argument row)
//   fallbackDialogState  no previous dialog, or going back would loop
// Session variables it writes:
//   routing.back  {from, to, at}: this jump, for the loop guard
//
// Built from snippets/routing/previous-dialog.ts by `code-action build`: edit the source, not this file.

// snippets/_lib/parse-body.ts
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// snippets/_lib/read-args.ts
function readText(value) {
  if (typeof value === "number" && isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value !== "string") return void 0;
  const text = value.trim();
  return text === "" ? void 0 : text;
}
function readInt(value, fallback, min, max) {
  const text = readText(value);
  if (text === void 0 || !/^-?\d+$/.test(text)) return fallback;
  const n = Number(text);
  return n < min || n > max ? fallback : n;
}
function readList(value) {
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : value === void 0 || value === null ? [] : [value];
  const out = [];
  for (const item of items) {
    const text = readText(item);
    if (text !== void 0) out.push(text);
  }
  return out;
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

// snippets/_lib/failure.ts
function failure(code, message, status = null, reason = null) {
  return { code, status, reason, message };
}

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

// snippets/routing/previous-dialog.ts
var input = args;
function failureRoute() {
  return {
    saveAs: readSessionPath(input.saveAs, "routing"),
    errorDialogState: readText(input.fallbackDialogState),
    errorMessage: readText(input.fallbackMessage),
    apology: "Sorry, I can't take you back there. What would you like to do?"
  };
}
function readDialog(value) {
  if (isRecord(value)) {
    const id2 = readText(value.id);
    return id2 ? { id: id2, name: readText(value.name) || "" } : null;
  }
  const id = readText(value);
  return id ? { id, name: "" } : null;
}
async function main() {
  const route = failureRoute();
  const previous = readDialog(input.previous);
  const current = readDialog(input.current);
  const history = isRecord(input.history) ? input.history : {};
  const windowMs = readInt(input.windowMinutes, 30, 0, 1440) * 6e4;
  const recent = windowMs === 0 || typeof history.at === "number" && Date.now() - history.at <= windowMs;
  const excluded = readList(input.exclude).map((item) => item.toLowerCase());
  let why = "";
  if (!previous) why = "there is no previous dialog state";
  else if (current && previous.id === current.id) why = "the previous dialog state is this one";
  else if (excluded.includes(previous.id.toLowerCase()) || previous.name && excluded.includes(previous.name.toLowerCase())) why = `${previous.name || previous.id} is excluded`;
  else if (recent && history.to === previous.id) why = `the last "go back" already led to ${previous.name || previous.id}: going there again would loop`;
  if (!why && previous) {
    console.log(`going back to ${previous.name || previous.id}`);
    return sendReply({ writes: [[`${route.saveAs}.back`, { from: current ? current.id : null, to: previous.id, at: Date.now() }]], jump: previous.id });
  }
  console.warn(`${why}: going to the fallback`);
  const writes = [[`${route.saveAs}.back`, null]];
  if (!route.errorDialogState) return sendReply({ writes, messages: [route.errorMessage || route.apology] });
  sendReply({ writes, messages: route.errorMessage ? [route.errorMessage] : [], jump: route.errorDialogState });
}
await runSafely(main, failureRoute);

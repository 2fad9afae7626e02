// Route by intent (routing/route-by-intent)
// Jumps to the dialog state configured for the recognised intent, or to "not understood" when
// unsure.
//
// Arguments to configure in the code editor ([key] = optional):
//   nlp                       variable     internal.nlp: the NLP result of the user's last message
//   intent:<name>             dialogstate  one row per intent to route, e.g. intent:book_meetup
//   [threshold]               text         lowest score that counts, from 0 to 1 (default 0.7)
//   [margin]                  text         the top intent must beat the second by this much, from 0 to 1 (default 0: off)
//   [saveAs]                  text         session path the result is written under (default routing)
//   notUnderstoodDialogState  dialogstate  where to go when no routed intent is recognised with enough confidence
// Dialog states it may jump to:
//   intent:<name>             the intent was recognised with enough confidence
//   notUnderstoodDialogState  no intent, a low or ambiguous score, or an intent without a row
// Session variables it writes:
//   routing.intent  {name, score, routed}: what was recognised and whether it was routed
//
// Built from snippets/routing/route-by-intent.ts by `code-action build`: edit the source, not this file.

// snippets/_lib/read-args.ts
function readText(value) {
  if (typeof value === "number" && isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value !== "string") return void 0;
  const text = value.trim();
  return text === "" ? void 0 : text;
}
function readNumber(value) {
  const text = readText(value);
  if (text === void 0) return void 0;
  const n = Number(text);
  return isFinite(n) ? n : void 0;
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

// snippets/_lib/parse-body.ts
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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

// snippets/routing/route-by-intent.ts
var input = args;
function failureRoute() {
  return {
    saveAs: readSessionPath(input.saveAs, "routing"),
    errorDialogState: readText(input.notUnderstoodDialogState),
    apology: "Sorry, I didn't get that. Could you say it another way?"
  };
}
function rankIntents(nlp) {
  if (!isRecord(nlp)) return [];
  const list = Array.isArray(nlp.intents) && nlp.intents.length ? nlp.intents : [nlp.intent];
  const out = [];
  for (const item of list) {
    const name = isRecord(item) ? readText(item.name) : void 0;
    if (name) out.push({ name, score: isRecord(item) && readNumber(item.score) || 0 });
  }
  return out.sort((a, b) => b.score - a.score);
}
async function main() {
  var _a, _b;
  const route = failureRoute();
  const notUnderstood = route.errorDialogState;
  const routes = {};
  for (const key of Object.keys(input)) {
    const match = /^intent:\s*(.+)$/i.exec(key);
    const target2 = readText(input[key]);
    if (match && target2) routes[match[1].trim().toLowerCase()] = target2;
  }
  if (Object.keys(routes).length === 0) console.error("no intent:<name> dialogstate row is configured: every message goes to notUnderstoodDialogState");
  if (!notUnderstood) console.error("notUnderstoodDialogState is not configured: unrecognised messages get an apology");
  const threshold = (_a = readNumber(input.threshold)) != null ? _a : 0.7;
  const margin = (_b = readNumber(input.margin)) != null ? _b : 0;
  const [top, second] = rankIntents(input.nlp);
  const target = top ? routes[top.name.toLowerCase()] : void 0;
  const confident = Boolean(top) && top.score >= threshold && (!second || top.score - second.score >= margin);
  const routed = Boolean(target) && confident;
  console.log(top ? `intent ${top.name} (${top.score})${second ? `, then ${second.name} (${second.score})` : ""}: ${routed ? "routed" : "not understood"}` : "no intent recognised");
  const writes = [[`${route.saveAs}.intent`, { name: top ? top.name : null, score: top ? top.score : null, routed }]];
  if (routed) return sendReply({ writes, jump: target });
  if (notUnderstood) return sendReply({ writes, jump: notUnderstood });
  sendReply({ writes, messages: [route.apology] });
}
await runSafely(main, failureRoute);

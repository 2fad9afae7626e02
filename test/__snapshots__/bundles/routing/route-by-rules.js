// Route by rules (routing/route-by-rules)
// Tests ordered conditions on session values; the first that holds picks the next dialog state.
//
// Arguments to configure in the code editor ([key] = optional):
//   <value>             variable     one row per session value the rules test, keyed by the name the rules use
//   rule<N>             text         rule N (1 to 20), e.g. tier = gold and cart.total >= 100
//   rule<N>DialogState  dialogstate  where to go when rule N is the first that holds
//   defaultDialogState  dialogstate  where to go when no rule holds
//   [saveAs]            text         session path the result is written under (default routing)
// Dialog states it may jump to:
//   rule<N>DialogState  rule N is the first rule that holds
//   defaultDialogState  no rule holds (or none is valid)
// Session variables it writes:
//   routing.rule  {matched, dialogState}: the number of the rule that held (null for none)
//
// Built from snippets/routing/route-by-rules.ts by `code-action build`: edit the source, not this file.

// snippets/_lib/read-args.ts
function readText(value) {
  if (typeof value === "number" && isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value !== "string") return void 0;
  const text2 = value.trim();
  return text2 === "" ? void 0 : text2;
}
function readNumber(value) {
  const text2 = readText(value);
  if (text2 === void 0) return void 0;
  const n = Number(text2);
  return isFinite(n) ? n : void 0;
}
var SESSION_PATH = /^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/;
function readSessionPath(value, fallback) {
  const text2 = readText(value);
  if (text2 === void 0) return fallback;
  if (!SESSION_PATH.test(text2) || text2.split(".")[0] === "internal") {
    console.warn(`saveAs "${text2}" is not a writable session path; writing under "${fallback}" instead`);
    return fallback;
  }
  return text2;
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
  for (const text2 of reply.messages || []) builder.addMessage(text2);
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

// snippets/routing/route-by-rules.ts
var MAX_RULES = 20;
var input = args;
function failureRoute() {
  return {
    saveAs: readSessionPath(input.saveAs, "routing"),
    errorDialogState: readText(input.defaultDialogState),
    apology: "Sorry, something went wrong on our side. Let's start again."
  };
}
var TOKEN = /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|>=|<=|!=|==|<>|=|>|<|,|[^\s,"'=<>!]+)/y;
function tokenize(text2) {
  const tokens = [];
  let end = 0;
  TOKEN.lastIndex = 0;
  let match;
  while ((match = TOKEN.exec(text2)) !== null) {
    tokens.push(match[1]);
    end = TOKEN.lastIndex;
  }
  if (text2.slice(end).trim() !== "") throw new Error(`cannot read "${text2.slice(end).trim()}"`);
  return tokens;
}
var unquote = (token) => /^["']/.test(token) ? token.slice(1, -1).replace(/\\(.)/g, "$1") : token;
var isWord = (token, word) => token !== void 0 && token.toLowerCase() === word;
function parseRule(text2) {
  const tokens = tokenize(text2);
  let i = 0;
  const next = () => tokens[i++];
  const groups = [[]];
  for (; ; ) {
    const path = next();
    if (path === void 0 || /^["',=<>!]/.test(path)) throw new Error(`expected a value name${path ? `, got ${path}` : ""}`);
    let opToken = (next() || "").toLowerCase();
    if (opToken === "is") opToken = (next() || "").toLowerCase();
    let negated = false;
    if (opToken === "not") {
      negated = true;
      opToken = (next() || "").toLowerCase();
    }
    const symbolic = { "=": "=", "==": "=", "!=": "!=", "<>": "!=", ">": ">", ">=": ">=", "<": "<", "<=": "<=" };
    let op;
    if (symbolic[opToken] && !negated) op = symbolic[opToken];
    else if (["in", "contains", "exists", "empty"].includes(opToken)) op = negated ? `not ${opToken}` : opToken;
    else if (opToken === "matches" && !negated) op = "matches";
    else throw new Error(`unknown operator "${opToken || "(none)"}" after ${path}`);
    const values = [];
    let current = [];
    while (i < tokens.length && !isWord(tokens[i], "and") && !isWord(tokens[i], "or")) {
      const token = next();
      if (token === ",") {
        values.push(current.join(" "));
        current = [];
      } else current.push(unquote(token));
    }
    if (current.length) values.push(current.join(" "));
    const needsValue = !["exists", "not exists", "empty", "not empty"].includes(op);
    if (needsValue && values.length === 0) throw new Error(`${path} ${op} needs a value`);
    if (!needsValue && values.length) throw new Error(`${path} ${op} takes no value`);
    if (values.length > 1 && op !== "in" && op !== "not in") throw new Error(`only "in" takes a list (${path} ${op})`);
    if (op === "matches") new RegExp(values[0], "i");
    groups[groups.length - 1].push({ path, op, values });
    const joiner = next();
    if (joiner === void 0) return groups;
    if (isWord(joiner, "or")) groups.push([]);
  }
}
var text = (value) => value === void 0 || value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value).trim();
var same = (actual, expected) => {
  const a = readNumber(actual);
  const e = readNumber(expected);
  if (a !== void 0 && e !== void 0 && typeof actual !== "boolean") return a === e;
  return text(actual).toLowerCase() === expected.toLowerCase();
};
function holds(clause, actual) {
  const [expected] = clause.values;
  const isEmpty = actual === void 0 || actual === null || text(actual) === "" || typeof actual === "object" && _.isEmpty(actual);
  switch (clause.op) {
    case "=":
      return same(actual, expected);
    case "!=":
      return !same(actual, expected);
    case "in":
      return clause.values.some((v) => same(actual, v));
    case "not in":
      return !clause.values.some((v) => same(actual, v));
    case "contains":
    case "not contains": {
      const found = Array.isArray(actual) ? actual.some((item) => same(item, expected)) : text(actual).toLowerCase().includes(expected.toLowerCase());
      return clause.op === "contains" ? found : !found;
    }
    case "matches":
      return new RegExp(expected, "i").test(text(actual));
    case "exists":
      return actual !== void 0 && actual !== null;
    case "not exists":
      return actual === void 0 || actual === null;
    case "empty":
      return isEmpty;
    case "not empty":
      return !isEmpty;
    default: {
      const a = readNumber(actual);
      const e = readNumber(expected);
      if (isEmpty) return false;
      const [x, y] = a !== void 0 && e !== void 0 ? [a, e] : [text(actual), expected];
      return clause.op === ">" ? x > y : clause.op === ">=" ? x >= y : clause.op === "<" ? x < y : x <= y;
    }
  }
}
async function main() {
  const route = failureRoute();
  const values = {};
  for (const key of Object.keys(input)) if (!/^rule\d+(?:DialogState)?$|^(?:defaultDialogState|saveAs)$/.test(key)) values[key] = input[key];
  const check = (clause) => {
    const root = clause.path.split(/[.[]/)[0];
    if (!(root in values)) throw new Error(`no argument row named "${root}": add a variable row with that key`);
    return holds(clause, _.get(values, clause.path));
  };
  let matched = null;
  let target;
  let rules = 0;
  for (let n = 1; n <= MAX_RULES && matched === null; n++) {
    const rule = readText(input[`rule${n}`]);
    if (rule === void 0) continue;
    rules++;
    const dialogState = readText(input[`rule${n}DialogState`]);
    try {
      if (!dialogState) throw new Error(`rule${n}DialogState is not configured`);
      if (parseRule(rule).some((group) => group.every(check))) {
        matched = n;
        target = dialogState;
      }
    } catch (error) {
      const why = isRecord(error) && typeof error.message === "string" ? error.message : String(error);
      console.error(`rule${n} skipped: ${why} (rule${n}: ${rule})`);
    }
  }
  if (rules === 0) console.error("no rule1, rule2, ... text row is configured: going to defaultDialogState");
  console.log(matched === null ? "no rule holds" : `rule${matched} holds`);
  const writes = [[`${route.saveAs}.rule`, { matched, dialogState: target || route.errorDialogState || null }]];
  if (target) return sendReply({ writes, jump: target });
  if (route.errorDialogState) return sendReply({ writes, jump: route.errorDialogState });
  console.error("defaultDialogState is not configured");
  sendReply({ writes, messages: [route.apology] });
}
await runSafely(main, failureRoute);

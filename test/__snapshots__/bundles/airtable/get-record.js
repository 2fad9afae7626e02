// Get one Airtable record (airtable/get-record)
// Reads one Airtable record by its id and stores its fields in the session.
//
// Arguments to configure in the code editor ([key] = optional):
//   apiKey               text         Airtable personal access token (starts with pat), scope data.records:read
//   baseId               text         the base id (starts with app)
//   table                text         table name or id (starts with tbl)
//   recordId             variable     the record id (starts with rec), e.g. from a button or an earlier list
//   [fields]             text         comma-separated fields to store (all when empty)
//   [saveAs]             text         session path the result is written under (default airtable)
//   foundDialogState     dialogstate  where to go when the record exists
//   notFoundDialogState  dialogstate  where to go when there is no such record
//   [errorDialogState]   dialogstate  where to go on failure; without it errorMessage is shown
//   [errorMessage]       text         apology shown on failure
// Dialog states it may jump to:
//   foundDialogState     the record was read
//   notFoundDialogState  recordId is empty or not a record id, or Airtable answered 404
//   errorDialogState     a missing argument, an Airtable error, a timeout or a network failure
// Session variables it writes:
//   airtable.record  the record: {id, createdTime, fields}; null when not found
//   airtable.error   {code, status, reason, message} on failure, null otherwise
//
// Built from snippets/airtable/get-record.ts by `code-action build`: edit the source, not this file.

// snippets/_lib/parse-body.ts
function parseBody(text, contentType) {
  const trimmed = text.trim();
  if (trimmed === "") return { kind: "empty" };
  if (/^</.test(trimmed) && (/html/i.test(contentType || "") || /^<(?:!doctype|html|head|body)/i.test(trimmed))) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed);
    return { kind: "html", title: title ? squash(title[1]) : "" };
  }
  try {
    return { kind: "json", value: JSON.parse(trimmed) };
  } catch {
    return { kind: "text", excerpt: squash(trimmed) };
  }
}
function describeBody(body) {
  switch (body.kind) {
    case "empty":
      return "an empty body";
    case "html":
      return body.title ? `an HTML page ("${body.title}")` : "an HTML page";
    case "text":
      return `text that is not JSON ("${body.excerpt}")`;
    case "json":
      return `JSON ${excerptOf(body.value)}`;
  }
}
function excerptOf(value, max = 120) {
  let text;
  try {
    text = JSON.stringify(value) || String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function squash(text, max = 80) {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

// snippets/_lib/airtable.ts
var AIRTABLE_API = "https://api.airtable.com/v0";
function tableUrl(baseId, table) {
  return `${AIRTABLE_API}/${encodeURIComponent(baseId)}/${encodeURIComponent(table)}`;
}
function authHeaders(token) {
  return { Authorization: `Bearer ${token}` };
}
function isRecordId(text) {
  return /^rec[A-Za-z0-9]{14}$/.test(text);
}
function readAirtableError(body) {
  if (body.kind !== "json" || !isRecord(body.value)) return { reason: null, detail: null };
  const error = body.value.error;
  if (typeof error === "string") return { reason: error, detail: null };
  if (isRecord(error)) {
    return {
      reason: typeof error.type === "string" ? error.type : null,
      detail: typeof error.message === "string" ? error.message : null
    };
  }
  return { reason: null, detail: null };
}
function asRecord(value) {
  if (!isRecord(value) || typeof value.id !== "string") return null;
  if (value.fields !== void 0 && !isRecord(value.fields)) return null;
  return {
    id: value.id,
    createdTime: typeof value.createdTime === "string" ? value.createdTime : "",
    fields: isRecord(value.fields) ? value.fields : {}
  };
}
function pickFields(fields, names) {
  if (names.length === 0) return fields;
  const out = {};
  for (const name of names) if (name in fields) out[name] = fields[name];
  return out;
}

// snippets/_lib/query.ts
function withoutQuery(url) {
  const cut = url.search(/[?#]/);
  return (cut === -1 ? url : url.slice(0, cut)).replace(/^([a-z][a-z\d+.-]*:\/\/)[^@/]*@/i, "$1");
}

// snippets/_lib/failure.ts
function failure(code, message, status = null, reason = null) {
  return { code, status, reason, message };
}
function codeForStatus(status) {
  if (status === 401) return "AUTH";
  if (status === 403) return "FORBIDDEN";
  if (status === 404 || status === 410) return "NOT_FOUND";
  if (status === 429) return "RATE_LIMITED";
  return status >= 500 ? "SERVER" : "INVALID";
}
function httpFailure(service, request, status, body, error) {
  const what = [error.reason, error.detail].filter(Boolean).join(": ") || describeBody(body);
  return failure(codeForStatus(status), `${service} answered ${status} to ${request}: ${what}`, status, error.reason);
}
function configFailure(message) {
  return failure("CONFIG", message);
}
function badResponse(service, request, status, what) {
  return failure("BAD_RESPONSE", `${service} answered ${status} to ${request} with ${what}`, status);
}
function thrownFailure(service, request, url, error) {
  const e = typeof error === "object" && error !== null ? error : {};
  const message = (typeof e.message === "string" ? e.message : String(error)).split(url).join(withoutQuery(url));
  const fetchError = e.name === "FetchError";
  if (fetchError && /timeout/.test(String(e.type))) return failure("TIMEOUT", `${service} did not answer ${request} in time (${message})`);
  if (fetchError && e.type === "max-size") return failure("BAD_RESPONSE", `${service} answered ${request} with a body over the size limit`);
  if (e.name === "TypeError" && /URL|protocol|header/i.test(message)) return failure("CONFIG", `${request} could not be sent: ${message}`);
  const code = typeof e.code === "string" ? e.code : null;
  return failure("NETWORK", `${service} could not be reached for ${request}: ${message}`, null, code);
}

// snippets/_lib/time-budget.ts
var TIME_BUDGET_MS = 8e3;
function startTimeBudget(totalMs = TIME_BUDGET_MS) {
  const deadline = Date.now() + totalMs;
  return { remaining: () => Math.max(0, deadline - Date.now()) };
}
function wait(ms) {
  return new Promise((resolve) => {
    _.delay(resolve, Math.max(0, ms));
  });
}

// snippets/_lib/http.ts
var REQUEST_TIMEOUT_MS = 5e3;
var MIN_ATTEMPT_MS = 1e3;
var MAX_RETRY_WAIT_MS = 4e3;
var MAX_BODY_BYTES = 2e6;
async function requestJson(request) {
  const { service, method, url, budget } = request;
  const label = `${method} ${withoutQuery(url)}`;
  const headers = { Accept: "application/json", ...request.headers };
  let body;
  if (request.json !== void 0) {
    body = JSON.stringify(request.json);
    headers["Content-Type"] = "application/json";
  }
  let retried = false;
  for (; ; ) {
    const left = budget.remaining();
    if (left < MIN_ATTEMPT_MS) {
      return { ok: false, failure: failure("TIMEOUT", `${label} was not sent: the action's time budget is used up`) };
    }
    let response;
    let text;
    try {
      response = await fetch(url, { method, headers, body, timeout: Math.min(request.timeoutMs || REQUEST_TIMEOUT_MS, left), size: MAX_BODY_BYTES });
      text = await response.text();
    } catch (error) {
      return { ok: false, failure: thrownFailure(service, label, url, error) };
    }
    const status = response.status;
    const parsed = parseBody(text, response.headers.get("content-type"));
    if (status >= 200 && status < 300) {
      if (status === 204 && parsed.kind === "empty") return { ok: true, status, data: null, headers: response.headers };
      if (parsed.kind !== "json") return { ok: false, failure: badResponse(service, label, status, describeBody(parsed)) };
      return { ok: true, status, data: parsed.value, headers: response.headers };
    }
    let note = "";
    if (status === 429) {
      const waitMs = retryAfterMs(response.headers.get("retry-after"));
      if (!retried && waitMs !== null && waitMs <= MAX_RETRY_WAIT_MS && waitMs + MIN_ATTEMPT_MS <= budget.remaining()) {
        console.warn(`${service} answered 429 to ${label}; retrying once in ${waitMs} ms, as Retry-After asks`);
        retried = true;
        await wait(waitMs);
        continue;
      }
      note = retried ? " (still rate-limited after one retry)" : waitMs === null ? " (no usable Retry-After: not retried)" : ` (Retry-After of ${waitMs} ms does not fit the time budget: not retried)`;
    }
    const refused = httpFailure(service, label, status, parsed, request.readError ? request.readError(parsed) : { reason: null, detail: null });
    refused.message += note;
    return { ok: false, failure: refused };
  }
}
function retryAfterMs(value) {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1e3;
  const date = Date.parse(text);
  return isNaN(date) ? null : Math.max(0, date - Date.now());
}

// snippets/_lib/read-args.ts
function readText(value) {
  if (typeof value === "number" && isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value !== "string") return void 0;
  const text = value.trim();
  return text === "" ? void 0 : text;
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

// snippets/airtable/get-record.ts
var input = args;
function failureRoute() {
  return {
    saveAs: readSessionPath(input.saveAs, "airtable"),
    errorDialogState: readText(input.errorDialogState),
    errorMessage: readText(input.errorMessage),
    apology: "Sorry, I can't look that up right now. Please try again in a moment."
  };
}
async function main() {
  const route = failureRoute();
  const missing = new MissingArgs();
  const apiKey = missing.text(input.apiKey, "apiKey");
  const baseId = missing.text(input.baseId, "baseId");
  const table = missing.text(input.table, "table");
  const foundDialogState = missing.text(input.foundDialogState, "foundDialogState");
  const notFoundDialogState = missing.text(input.notFoundDialogState, "notFoundDialogState");
  if (missing.names.length) return sendFailure(route, configFailure(missing.message));
  const saveAs = route.saveAs;
  const notFound = () => sendReply({ writes: [[`${saveAs}.record`, null], [`${saveAs}.error`, null]], jump: notFoundDialogState });
  const recordId = readText(input.recordId) || "";
  if (!isRecordId(recordId)) {
    console.warn(`recordId ${recordId ? `"${recordId}" is not a record id` : "is empty"}: no request was made`);
    return notFound();
  }
  const url = `${tableUrl(baseId, table)}/${recordId}`;
  const result = await requestJson({ service: "Airtable", method: "GET", url, headers: authHeaders(apiKey), budget: startTimeBudget(), readError: readAirtableError });
  if (!result.ok) {
    if (result.failure.code === "NOT_FOUND") {
      console.warn(result.failure.message);
      return notFound();
    }
    return sendFailure(route, result.failure);
  }
  const record = asRecord(result.data);
  if (!record) return sendFailure(route, badResponse("Airtable", `GET ${url}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`));
  const stored = { id: record.id, createdTime: record.createdTime, fields: pickFields(record.fields, readList(input.fields)) };
  sendReply({ writes: [[`${saveAs}.record`, stored], [`${saveAs}.error`, null]], jump: foundDialogState });
}
await runSafely(main, failureRoute);

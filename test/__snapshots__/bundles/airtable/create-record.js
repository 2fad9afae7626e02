// Create an Airtable record (airtable/create-record)
// Creates one Airtable record from a session object (typecast on) and stores its id.
//
// Arguments to configure in the code editor ([key] = optional):
//   apiKey              text         Airtable personal access token (starts with pat), scope data.records:write
//   baseId              text         the base id (starts with app)
//   table               text         table name or id (starts with tbl)
//   fields              variable     session object of field name to value (JSON text of one works too)
//   [only]              text         comma-separated field names to send; the rest of the object is left out
//   [typecast]          text         true (default) or false: let Airtable convert values to the field types
//   [saveAs]            text         session path the result is written under (default airtable)
//   createdDialogState  dialogstate  where to go when the record was created
//   [errorDialogState]  dialogstate  where to go on failure; without it errorMessage is shown
//   [errorMessage]      text         apology shown on failure
// Dialog states it may jump to:
//   createdDialogState  the record was created
//   errorDialogState    a missing argument, an Airtable error (422 names the field), a timeout or a network failure
// Session variables it writes:
//   airtable.created  the new record: {id, createdTime, fields}
//   airtable.error    {code, status, reason, message} on failure, null on success
//
// Built from snippets/airtable/create-record.ts by `code-action build`: edit the source, not this file.

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
function asRecordList(value) {
  if (!isRecord(value) || !Array.isArray(value.records)) return null;
  const records = [];
  for (const item of value.records) {
    const record = asRecord(item);
    if (!record) return null;
    records.push(record);
  }
  return records;
}
function fieldsToWrite(source, only) {
  const fields = {};
  const dropped = [];
  for (const key of only.length ? only : Object.keys(source)) {
    const value = source[key];
    if (value === void 0) {
      if (only.length) dropped.push(key);
      continue;
    }
    fields[key] = value;
  }
  return { fields, dropped };
}
function readFieldsObject(value) {
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return isRecord(value) ? value : null;
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
function readFlag(value, fallback) {
  const text = readText(value);
  if (text === void 0) return fallback;
  if (/^(?:true|yes|1|on)$/i.test(text)) return true;
  if (/^(?:false|no|0|off)$/i.test(text)) return false;
  return fallback;
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

// snippets/airtable/create-record.ts
var input = args;
function failureRoute() {
  return {
    saveAs: readSessionPath(input.saveAs, "airtable"),
    errorDialogState: readText(input.errorDialogState),
    errorMessage: readText(input.errorMessage),
    apology: "Sorry, I couldn't save that right now. Please try again in a moment."
  };
}
async function main() {
  const route = failureRoute();
  const missing = new MissingArgs();
  const apiKey = missing.text(input.apiKey, "apiKey");
  const baseId = missing.text(input.baseId, "baseId");
  const table = missing.text(input.table, "table");
  const createdDialogState = missing.text(input.createdDialogState, "createdDialogState");
  const source = readFieldsObject(input.fields);
  const { fields, dropped } = fieldsToWrite(source || {}, readList(input.only));
  if (!source) missing.invalid("fields", "not an object");
  else if (Object.keys(fields).length === 0) missing.invalid("fields", "no field to write");
  if (missing.names.length) return sendFailure(route, configFailure(missing.message));
  if (dropped.length) console.warn(`not in the fields object, so not sent: ${dropped.join(", ")}`);
  const url = tableUrl(baseId, table);
  const result = await requestJson({
    service: "Airtable",
    method: "POST",
    url,
    json: { records: [{ fields }], typecast: readFlag(input.typecast, true) },
    headers: authHeaders(apiKey),
    budget: startTimeBudget(),
    readError: readAirtableError
  });
  if (!result.ok) return sendFailure(route, result.failure);
  const records = asRecordList(result.data);
  if (!records || records.length !== 1) {
    return sendFailure(route, badResponse("Airtable", `POST ${url}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`));
  }
  const [record] = records;
  console.log(`created ${record.id}`);
  sendReply({ writes: [[`${route.saveAs}.created`, record], [`${route.saveAs}.error`, null]], jump: createdDialogState });
}
await runSafely(main, failureRoute);

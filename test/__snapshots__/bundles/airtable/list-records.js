// List Airtable records (airtable/list-records)
// Finds records in an Airtable table, optionally filtered, and stores them in the session.
//
// Arguments to configure in the code editor ([key] = optional):
//   apiKey              text         Airtable personal access token (starts with pat), scope data.records:read
//   baseId              text         the base id (starts with app)
//   table               text         table name or id (starts with tbl)
//   [filterField]       text         field compared for equality with filterValue
//   [filterValue]       variable     the value to look for, e.g. what the user typed
//   [filterFormula]     text         a full formula instead of filterField; {{value}} stands for filterValue as an escaped literal
//   [view]              text         view name or id whose filters and order apply
//   [sort]              text         comma-separated fields, a leading - for descending: "-Date, Name"
//   [fields]            text         comma-separated fields to fetch and store (all when empty)
//   [maxRecords]        text         at most this many records, 1 to 500 (default 20)
//   [pageSize]          text         records per request, 1 to 100 (default: maxRecords, at most 100)
//   [saveAs]            text         session path the results are written under (default airtable)
//   foundDialogState    dialogstate  where to go when records were found
//   noneDialogState     dialogstate  where to go when no record matches
//   [errorDialogState]  dialogstate  where to go on failure; without it errorMessage is shown
//   [errorMessage]      text         apology shown on failure
// Dialog states it may jump to:
//   foundDialogState  one or more records were found
//   noneDialogState   Airtable answered with no records, or filterValue is empty
//   errorDialogState  a missing argument, an Airtable error, a timeout or a network failure
// Session variables it writes:
//   airtable.records  the records found: [{id, createdTime, fields}]
//   airtable.first    fields of the first record (null when none), e.g. {airtable.first.Name}
//   airtable.count    how many records were stored
//   airtable.hasMore  true when Airtable had more records than were fetched
//   airtable.error    {code, status, reason, message} on failure, null on success
//
// Built from snippets/airtable/list-records.ts by `code-action build`: edit the source, not this file.

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
function formulaString(value) {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}
function formulaValue(value) {
  if (typeof value === "number" && isFinite(value)) return String(value);
  if (typeof value === "boolean") return value ? "TRUE()" : "FALSE()";
  return formulaString(value === void 0 || value === null ? "" : String(value));
}
function fieldReference(name) {
  return /[{}]/.test(name) || name.trim() === "" ? null : `{${name}}`;
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

// snippets/_lib/query.ts
function encodeQuery(pairs) {
  const parts = [];
  for (const [key, value] of pairs) {
    if (value === void 0 || value === "") continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}
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

// snippets/airtable/list-records.ts
var MAX_GET_URL = 16e3;
var MAX_PAGES = 5;
var input = args;
function failureRoute() {
  return {
    saveAs: readSessionPath(input.saveAs, "airtable"),
    errorDialogState: readText(input.errorDialogState),
    errorMessage: readText(input.errorMessage),
    apology: "Sorry, I can't look that up right now. Please try again in a moment."
  };
}
function buildFormula(missing) {
  const template = readText(input.filterFormula);
  const field = readText(input.filterField);
  const value = input.filterValue;
  const empty = value === void 0 || value === null || typeof value === "string" && value.trim() === "";
  if (template) {
    if (!template.includes("{{value}}")) return template;
    return empty ? null : template.split("{{value}}").join(formulaValue(typeof value === "string" ? value.trim() : value));
  }
  if (!field) return "";
  const reference = fieldReference(field);
  if (!reference) {
    missing.invalid("filterField", "a field name with { or } cannot be used in a formula");
    return "";
  }
  return empty ? null : `${reference} = ${formulaValue(typeof value === "string" ? value.trim() : value)}`;
}
async function main() {
  const route = failureRoute();
  const missing = new MissingArgs();
  const apiKey = missing.text(input.apiKey, "apiKey");
  const baseId = missing.text(input.baseId, "baseId");
  const table = missing.text(input.table, "table");
  const foundDialogState = missing.text(input.foundDialogState, "foundDialogState");
  const noneDialogState = missing.text(input.noneDialogState, "noneDialogState");
  const formula = buildFormula(missing);
  if (missing.names.length) return sendFailure(route, configFailure(missing.message));
  if (!/^pat/.test(apiKey)) console.warn('apiKey does not start with "pat": Airtable accepts only personal access tokens since February 2024');
  const saveAs = route.saveAs;
  const noneReply = (hasMore2) => sendReply({
    writes: [[`${saveAs}.records`, []], [`${saveAs}.first`, null], [`${saveAs}.count`, 0], [`${saveAs}.hasMore`, hasMore2], [`${saveAs}.error`, null]],
    jump: noneDialogState
  });
  if (formula === null) {
    console.warn("filterValue is empty: no search was made");
    return noneReply(false);
  }
  const maxRecords = readInt(input.maxRecords, 20, 1, 500);
  const pageSize = Math.min(readInt(input.pageSize, Math.min(maxRecords, 100), 1, 100), maxRecords);
  const fields = readList(input.fields);
  const sort = readList(input.sort).map((item) => item.startsWith("-") ? { field: item.slice(1).trim(), direction: "desc" } : { field: item, direction: "asc" });
  const view = readText(input.view);
  const budget = startTimeBudget();
  const records = [];
  let offset;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const query = [
      ["filterByFormula", formula],
      ["maxRecords", maxRecords],
      ["pageSize", pageSize],
      ["view", view],
      ["offset", offset]
    ];
    sort.forEach((s, i) => {
      query.push([`sort[${i}][field]`, s.field], [`sort[${i}][direction]`, s.direction]);
    });
    for (const name of fields) query.push(["fields[]", name]);
    let url = `${tableUrl(baseId, table)}${encodeQuery(query)}`;
    let method = "GET";
    let json;
    if (url.length > MAX_GET_URL) {
      method = "POST";
      url = `${tableUrl(baseId, table)}/listRecords`;
      json = _.omitBy({ filterByFormula: formula || void 0, maxRecords, pageSize, view, offset, sort: sort.length ? sort : void 0, fields: fields.length ? fields : void 0 }, _.isUndefined);
    }
    const result = await requestJson({ service: "Airtable", method, url, json, headers: authHeaders(apiKey), budget, readError: readAirtableError });
    if (!result.ok) return sendFailure(route, result.failure);
    const list = asRecordList(result.data);
    const next = isRecord(result.data) ? result.data.offset : void 0;
    if (!list || next !== void 0 && typeof next !== "string") {
      return sendFailure(route, badResponse("Airtable", `${method} ${withoutQuery(url)}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`));
    }
    records.push(...list);
    offset = next;
    if (!offset || records.length >= maxRecords) break;
  }
  const stored = records.slice(0, maxRecords).map((r) => ({ id: r.id, createdTime: r.createdTime, fields: r.fields }));
  const hasMore = Boolean(offset) || records.length > maxRecords;
  if (stored.length === 0) return noneReply(hasMore);
  console.log(`found ${stored.length} record(s)${hasMore ? ", more exist" : ""}`);
  sendReply({
    writes: [[`${saveAs}.records`, stored], [`${saveAs}.first`, stored[0].fields], [`${saveAs}.count`, stored.length], [`${saveAs}.hasMore`, hasMore], [`${saveAs}.error`, null]],
    jump: foundDialogState
  });
}
await runSafely(main, failureRoute);

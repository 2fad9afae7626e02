// Create a Zendesk ticket (zendesk/create-ticket)
// Files a Zendesk Support ticket for the user and stores its id.
//
// Arguments to configure in the code editor ([key] = optional):
//   subdomain             text         your Zendesk subdomain: acme for acme.zendesk.com
//   email                 text         email of the agent the API token belongs to
//   apiToken              text         Zendesk API token (Admin Center > Apps and integrations > Zendesk API)
//   requesterEmail        variable     the user's email address
//   [requesterName]       variable     the user's name, e.g. internal.user.fullName
//   subject               text         the ticket subject
//   comment               variable     the ticket's first comment: what the user needs
//   [tags]                text         comma-separated tags, e.g. chatbot, billing
//   [priority]            text         low, normal, high or urgent
//   [ticketType]          text         problem, incident, question or task
//   [customFields]        variable     custom field values: {"360001234": "value"} or [{"id": 360001234, "value": "value"}]
//   [conversationId]      variable     internal.sessionId: keeps the Idempotency-Key unique per conversation
//   [saveAs]              text         session path the result is written under (default ticket)
//   createdDialogState    dialogstate  where to go when the ticket exists
//   [invalidDialogState]  dialogstate  where to go when the requester's email is invalid
//   [errorDialogState]    dialogstate  where to go on failure; without it errorMessage is shown
//   [errorMessage]        text         apology shown on failure
// Dialog states it may jump to:
//   createdDialogState  the ticket was created (or had been, for the same key)
//   invalidDialogState  requesterEmail is not an email, or Zendesk refused the requester (422)
//   errorDialogState    a missing argument, a Zendesk error, a timeout or a network failure
// Session variables it writes:
//   ticket.id         the ticket number, e.g. {ticket.id} in "Your ticket number is {ticket.id}"
//   ticket.status     the ticket's status (new)
//   ticket.duplicate  true when Zendesk returned the ticket an earlier identical request created
//   ticket.error      {code, status, reason, message} on failure, null on success
//
// Built from snippets/zendesk/create-ticket.ts by `code-action build`: edit the source, not this file.

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

// snippets/_lib/hash.ts
function hashText(text) {
  let high = 2166136261;
  let low = 16777619;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    high = Math.imul(high ^ code, 16777619) >>> 0;
    low = Math.imul(low ^ code, 1540483477) >>> 0;
  }
  return ((high & 2097151) * 4294967296 + low).toString(16).padStart(14, "0");
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

// snippets/_lib/base64.ts
var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
function encodeBase64(text) {
  const wellFormed = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "�");
  const bytes = encodeURIComponent(wellFormed).replace(/%([0-9A-F]{2})/g, (_match, hex) => String.fromCharCode(parseInt(hex, 16)));
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = bytes.charCodeAt(i) << 16 | (bytes.charCodeAt(i + 1) || 0) << 8 | (bytes.charCodeAt(i + 2) || 0);
    out += ALPHABET[chunk >> 18 & 63] + ALPHABET[chunk >> 12 & 63];
    out += i + 1 < bytes.length ? ALPHABET[chunk >> 6 & 63] : "=";
    out += i + 2 < bytes.length ? ALPHABET[chunk & 63] : "=";
  }
  return out;
}

// snippets/_lib/zendesk.ts
function readSubdomain(text) {
  const name = text.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/\/.*$/, "").replace(/\.zendesk\.com$/, "");
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(name) ? name : null;
}
function apiBase(subdomain) {
  return `https://${subdomain}.zendesk.com/api/v2`;
}
function tokenAuthHeaders(email, apiToken) {
  return { Authorization: `Basic ${encodeBase64(`${email}/token:${apiToken}`)}` };
}
function readZendeskError(body) {
  if (body.kind === "text") return { reason: null, detail: body.excerpt };
  if (body.kind !== "json" || !isRecord(body.value)) return { reason: null, detail: null };
  const { error, description, details } = body.value;
  if (isRecord(error)) {
    return { reason: typeof error.title === "string" ? error.title : null, detail: typeof error.message === "string" ? error.message : null };
  }
  const reason = typeof error === "string" ? error : null;
  const parts = [];
  if (typeof description === "string") parts.push(description);
  if (isRecord(details)) {
    for (const key of Object.keys(details)) {
      const list = details[key];
      if (!Array.isArray(list)) continue;
      for (const item of list) if (isRecord(item) && typeof item.description === "string") parts.push(item.description);
    }
  }
  return { reason, detail: parts.length ? parts.join("; ") : null };
}
function looksLikeEmail(text) {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
}

// snippets/zendesk/create-ticket.ts
var PRIORITIES = ["low", "normal", "high", "urgent"];
var TYPES = ["problem", "incident", "question", "task"];
var input = args;
function failureRoute() {
  return {
    saveAs: readSessionPath(input.saveAs, "ticket"),
    errorDialogState: readText(input.errorDialogState),
    errorMessage: readText(input.errorMessage),
    apology: "Sorry, I couldn't create your support request right now. Please try again later or email us."
  };
}
function readCustomFields(value) {
  if (value === void 0 || value === null || value === "") return [];
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const pairs = Array.isArray(value) ? value.map((item) => isRecord(item) ? [item.id, item.value] : [void 0, void 0]) : isRecord(value) ? Object.keys(value).map((key) => [key, value[key]]) : null;
  if (!pairs) return null;
  const out = [];
  for (const [id, fieldValue] of pairs) {
    const n = Number(id);
    if (!Number.isInteger(n) || n <= 0) return null;
    out.push({ id: n, value: fieldValue });
  }
  return out;
}
async function main() {
  const route = failureRoute();
  const missing = new MissingArgs();
  const subdomainText = missing.text(input.subdomain, "subdomain");
  const email = missing.text(input.email, "email");
  const apiToken = missing.text(input.apiToken, "apiToken");
  const subject = missing.text(input.subject, "subject");
  const comment = missing.text(input.comment, "comment");
  const createdDialogState = missing.text(input.createdDialogState, "createdDialogState");
  const subdomain = readSubdomain(subdomainText);
  if (subdomainText && !subdomain) missing.invalid("subdomain", "not a Zendesk subdomain");
  const customFields = readCustomFields(input.customFields);
  if (!customFields) missing.invalid("customFields", "not {id: value} or [{id, value}] with numeric ids");
  if (missing.names.length || !subdomain || !customFields) return sendFailure(route, configFailure(missing.message));
  const saveAs = route.saveAs;
  const invalidDialogState = readText(input.invalidDialogState);
  const requesterEmail = readText(input.requesterEmail) || "";
  if (!looksLikeEmail(requesterEmail)) {
    const invalid = failure("INVALID", `requesterEmail ${requesterEmail ? `"${requesterEmail}" is not an email address` : "is empty"}: no ticket was created`, null, "InvalidEmail");
    if (!invalidDialogState) return sendFailure(route, invalid);
    console.warn(invalid.message);
    return sendReply({ writes: [[`${saveAs}.error`, invalid]], jump: invalidDialogState });
  }
  const priority = (readText(input.priority) || "").toLowerCase();
  const type = (readText(input.ticketType) || "").toLowerCase();
  if (priority && !PRIORITIES.includes(priority)) console.warn(`priority "${priority}" is not one of ${PRIORITIES.join(", ")}: left out`);
  if (type && !TYPES.includes(type)) console.warn(`ticketType "${type}" is not one of ${TYPES.join(", ")}: left out`);
  const ticket = {
    subject,
    comment: { body: comment },
    requester: { email: requesterEmail, name: readText(input.requesterName) || requesterEmail },
    tags: readList(input.tags).map((tag) => tag.toLowerCase().replace(/\s+/g, "_")),
    priority: priority && PRIORITIES.includes(priority) ? priority : void 0,
    type: type && TYPES.includes(type) ? type : void 0,
    custom_fields: customFields.length ? customFields : void 0
  };
  const idempotencyKey = `chatlayer-${hashText(JSON.stringify([readText(input.conversationId) || "", ticket]))}`;
  const url = `${apiBase(subdomain)}/tickets.json`;
  const result = await requestJson({
    service: "Zendesk",
    method: "POST",
    url,
    json: { ticket },
    headers: { ...tokenAuthHeaders(email, apiToken), "Idempotency-Key": idempotencyKey },
    budget: startTimeBudget(),
    readError: readZendeskError
  });
  if (!result.ok) {
    const refused = result.failure;
    if (invalidDialogState && refused.status === 422 && /requester|email/i.test(refused.message)) {
      console.warn(refused.message);
      return sendReply({ writes: [[`${saveAs}.error`, refused]], jump: invalidDialogState });
    }
    return sendFailure(route, refused);
  }
  const created = isRecord(result.data) && isRecord(result.data.ticket) ? result.data.ticket : null;
  if (!created || typeof created.id !== "number") {
    return sendFailure(route, badResponse("Zendesk", `POST ${url}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`));
  }
  const duplicate = result.headers.get("x-idempotency-lookup") === "hit";
  console.log(`ticket ${created.id} ${duplicate ? "already existed (same Idempotency-Key)" : "created"}`);
  sendReply({
    writes: [
      [`${saveAs}.id`, created.id],
      [`${saveAs}.status`, typeof created.status === "string" ? created.status : null],
      [`${saveAs}.duplicate`, duplicate],
      [`${saveAs}.error`, null]
    ],
    jump: createdDialogState
  });
}
await runSafely(main, failureRoute);

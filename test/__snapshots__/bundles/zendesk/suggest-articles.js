// Suggest Help Center articles (zendesk/suggest-articles)
// For "not understood": searches the Zendesk Help Center for what the user typed and shows a
// carousel.
//
// Arguments to configure in the code editor ([key] = optional):
//   subdomain            text         your Zendesk subdomain: acme for acme.zendesk.com
//   query                variable     what the user said: internal.nlp.expression
//   [locale]             text         Help Center locale to search, e.g. en-us (default: all locales)
//   [maxArticles]        text         cards to show, 1 to 10 (default 3)
//   [email]              text         agent email, only for a Help Center that requires sign-in
//   [apiToken]           text         Zendesk API token, only with email
//   [introMessage]       text         text shown above the cards (default "Maybe one of these articles helps:")
//   [buttonLabel]        text         label of each card's link (default "Read article")
//   [imageUrl]           text         image shown on every card
//   [saveAs]             text         session path the result is written under (default articles)
//   [foundDialogState]   dialogstate  where to go after the cards; without it the dialog's Go To applies
//   notFoundDialogState  dialogstate  where to go when no article matches
//   [errorDialogState]   dialogstate  where to go on failure; without it errorMessage is shown
//   [errorMessage]       text         apology shown on failure
// Dialog states it may jump to:
//   foundDialogState     articles were shown
//   notFoundDialogState  the query is empty or nothing matched
//   errorDialogState     a missing argument, a Zendesk error, a timeout or a network failure
// Session variables it writes:
//   articles.items  the articles shown: [{id, title, url}]
//   articles.count  how many articles were shown
//   articles.error  {code, status, reason, message} on failure, null otherwise
//
// Built from snippets/zendesk/suggest-articles.ts by `code-action build`: edit the source, not this file.

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

// snippets/_lib/html-text.ts
var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
function htmlToText(html) {
  return html.replace(/<\/?(?:p|br|div|li|h[1-6]|tr|td|blockquote)\b[^>]*>/gi, " ").replace(/<[^>]*>/g, "").replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name) => {
    if (name[0] !== "#") return ENTITIES[name.toLowerCase()] || entity;
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 1114111 ? String.fromCodePoint(code) : entity;
  }).replace(/\s+/g, " ").trim();
}
function shorten(text, max) {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, "")}…`;
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

// snippets/zendesk/suggest-articles.ts
var input = args;
function failureRoute() {
  return {
    saveAs: readSessionPath(input.saveAs, "articles"),
    errorDialogState: readText(input.errorDialogState),
    errorMessage: readText(input.errorMessage),
    apology: "Sorry, I didn't understand that, and I can't search our help articles right now."
  };
}
async function main() {
  const route = failureRoute();
  const missing = new MissingArgs();
  const subdomainText = missing.text(input.subdomain, "subdomain");
  const notFoundDialogState = missing.text(input.notFoundDialogState, "notFoundDialogState");
  const subdomain = readSubdomain(subdomainText);
  if (subdomainText && !subdomain) missing.invalid("subdomain", "not a Zendesk subdomain");
  const email = readText(input.email);
  const apiToken = readText(input.apiToken);
  if (Boolean(email) !== Boolean(apiToken)) missing.invalid(email ? "apiToken" : "email", "email and apiToken go together");
  if (missing.names.length || !subdomain) return sendFailure(route, configFailure(missing.message));
  const saveAs = route.saveAs;
  const notFound = (why) => {
    console.log(why);
    sendReply({ writes: [[`${saveAs}.items`, []], [`${saveAs}.count`, 0], [`${saveAs}.error`, null]], jump: notFoundDialogState });
  };
  const query = shorten(readText(input.query) || "", 200);
  if (!query) return notFound("the query is empty: no search was made");
  const max = readInt(input.maxArticles, 3, 1, 10);
  const url = `${apiBase(subdomain)}/help_center/articles/search.json${encodeQuery([["query", query], ["locale", readText(input.locale)], ["per_page", max]])}`;
  const result = await requestJson({
    service: "Zendesk",
    method: "GET",
    url,
    headers: email && apiToken ? tokenAuthHeaders(email, apiToken) : {},
    budget: startTimeBudget(),
    readError: readZendeskError
  });
  if (!result.ok) return sendFailure(route, result.failure);
  const results = isRecord(result.data) && Array.isArray(result.data.results) ? result.data.results : null;
  if (!results) return sendFailure(route, badResponse("Zendesk", `GET ${url}`, result.status, `an unexpected JSON shape ${excerptOf(result.data)}`));
  const articles = results.filter(isRecord).filter((a) => typeof a.title === "string" && typeof a.html_url === "string" && /^https:\/\//.test(a.html_url)).slice(0, max);
  if (articles.length === 0) return notFound(`no article matches "${query}"`);
  const buttonLabel = readText(input.buttonLabel) || "Read article";
  const imageUrl = readText(input.imageUrl);
  const carousel = articles.map((a) => {
    const card = {
      title: shorten(htmlToText(String(a.title)), 80),
      subTitle: shorten(htmlToText(typeof a.snippet === "string" ? a.snippet : ""), 80),
      buttons: [{ type: "web_url", title: buttonLabel, url: String(a.html_url) }]
    };
    if (imageUrl) card.imageUrl = imageUrl;
    return card;
  });
  sendReply({
    writes: [
      [`${saveAs}.items`, articles.map((a) => ({ id: a.id, title: String(a.title), url: String(a.html_url) }))],
      [`${saveAs}.count`, articles.length],
      [`${saveAs}.error`, null]
    ],
    messages: [readText(input.introMessage) || "Maybe one of these articles helps:"],
    carousel,
    jump: readText(input.foundDialogState)
  });
}
await runSafely(main, failureRoute);

import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { isSecretName, recordExchanges, recordScenario, scrubExchanges, secretValues, writeFileAtomic } from '../../runner/http/record.ts'
import type { RecordedExchange, RunResult } from '../../runner/types.ts'
import { tempDir } from './helpers/temp.ts'

const TOKEN = 'patSECRET.0123456789'

const airtable: RecordedExchange = {
  request: {
    method: 'GET',
    url: `https://api.airtable.com/v0/appX/Meetups?filterByFormula=%7BMonth%7D%3D%27march%27&api_key=${TOKEN}&pageSize=10`,
    headers: { Authorization: `Bearer ${TOKEN}`, Accept: '*/*', 'User-Agent': 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', Cookie: 'brw=abc' },
  },
  response: {
    status: 200,
    statusText: 'OK',
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': '120', 'set-cookie': ['brw=brwX; path=/', 'AWSALB=x'], 'x-airtable-request': 'req1' },
    body: JSON.stringify({ records: [{ id: 'recA', fields: { Name: 'Bots', Owner: `token ${TOKEN}` } }], offset: 'itrA/recA' }),
  },
}

const zendesk: RecordedExchange = {
  request: {
    method: 'POST',
    url: 'https://acme.zendesk.com/api/v2/tickets.json',
    headers: { 'Content-Type': 'application/json', Authorization: 'Basic Ym90QGFjbWUuY29tL3Rva2VuOnNlY3JldA==', 'Idempotency-Key': 'ticket-1' },
    body: JSON.stringify({ ticket: { subject: 'Help', comment: { body: 'hi' } } }),
  },
  response: {
    status: 201,
    statusText: 'Created',
    headers: { 'content-type': 'application/json', location: 'https://acme.zendesk.com/api/v2/tickets/35436.json', 'x-rate-limit-remaining': '699' },
    body: '{"ticket":{"id":35436,"status":"new"}}',
  },
}

describe('isSecretName', () => {
  it('tells credentials by their name in every spelling', () => {
    for (const name of ['Authorization', 'Cookie', 'X-Api-Key', 'x-auth-token', 'apiKey', 'api_key', 'access_token', 'clientSecret', 'refreshToken', 'password', 'X-Zendesk-Token', 'private_key']) {
      expect([name, isSecretName(name, 'header'), isSecretName(name, 'json')]).toEqual([name, true, true])
    }
  })

  it('leaves ordinary names alone', () => {
    for (const name of ['author', 'keyboard', 'monkey', 'sessionId', 'tokenizer', 'Content-Type', 'filterByFormula', 'x-rate-limit-remaining', 'www-authenticate']) {
      expect([name, isSecretName(name, 'header'), isSecretName(name, 'query')]).toEqual([name, false, false])
    }
  })

  it('counts a bare "key" in a query string or an argument name, but not as a JSON key', () => {
    expect(isSecretName('key', 'query')).toBe(true)
    expect(isSecretName('key', 'arg')).toBe(true)
    expect(isSecretName('key', 'json')).toBe(false)
    expect(isSecretName('sig', 'query')).toBe(true)
  })
})

describe('secretValues', () => {
  it('takes the text arguments whose key looks secret', () => {
    expect(secretValues({
      apiKey: { text: TOKEN },
      token: { text: 'abc' },
      name: { text: 'Ada' },
      password: { variable: 'user.password' },
      limit: 5,
    })).toEqual([TOKEN])
  })
})

describe('scrubExchanges', () => {
  it('redacts secret headers, query parameters, JSON keys and secret argument values', () => {
    expect(scrubExchanges([airtable], [TOKEN])).toEqual([{
      request: {
        method: 'GET',
        url: 'https://api.airtable.com/v0/appX/Meetups?filterByFormula=%7BMonth%7D%3D%27march%27&api_key=<redacted>&pageSize=10',
        headers: { authorization: '<redacted>', cookie: '<redacted>' },
      },
      response: {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8', 'set-cookie': '<redacted>', 'x-airtable-request': 'req1' },
        json: { records: [{ id: 'recA', fields: { Name: 'Bots', Owner: 'token <redacted>' } }], offset: 'itrA/recA' },
      },
    }])
  })

  it('keeps a JSON request body as a matcher and a non-standard status text', () => {
    const [exchange] = scrubExchanges([{ ...zendesk, response: { ...zendesk.response, statusText: 'Made it' } }], [])
    expect(exchange).toEqual({
      request: {
        method: 'POST',
        url: 'https://acme.zendesk.com/api/v2/tickets.json',
        headers: { authorization: '<redacted>' },
        json: { ticket: { subject: 'Help', comment: { body: 'hi' } } },
      },
      response: {
        status: 201,
        statusText: 'Made it',
        headers: { 'content-type': 'application/json', location: 'https://acme.zendesk.com/api/v2/tickets/35436.json', 'x-rate-limit-remaining': '699' },
        json: { ticket: { id: 35436, status: 'new' } },
      },
    })
  })

  it('keeps a request body matcher with <redacted> where the secret was, which the replay accepts as any value', () => {
    const login: RecordedExchange = {
      request: { method: 'POST', url: 'https://api.example.com/login', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 'bot', password: 'hunter22' }) },
      response: { status: 200, statusText: 'OK', headers: {}, body: '' },
    }
    expect(scrubExchanges([login], [])[0].request).toEqual({ method: 'POST', url: 'https://api.example.com/login', json: { user: 'bot', password: '<redacted>' } })
  })

  it('turns a secret in the URL path into a urlPattern that still matches', () => {
    const [exchange] = scrubExchanges([{
      request: { method: 'GET', url: `https://hooks.example.com/services/${TOKEN}/send?text=hi&key=${TOKEN}`, headers: {} },
      response: { status: 200, statusText: 'OK', headers: { 'content-type': 'text/plain' }, body: 'ok' },
    }], [TOKEN])
    expect(exchange.request).toEqual({ method: 'GET', urlPattern: '^https://hooks\\.example\\.com/services/[^/?#]+/send\\?text=hi&key=[^&#]*$' })
    expect(exchange.response).toEqual({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' })
    expect(new RegExp(exchange.request.urlPattern!).test('https://hooks.example.com/services/other/send?text=hi&key=x')).toBe(true)
  })

  it('scrubs a failed hop like an answered one and keeps its network error, message scrubbed too', () => {
    const [exchange] = scrubExchanges([{
      request: { method: 'POST', url: `https://hooks.example.com/services/${TOKEN}/send`, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'hi', password: 'hunter22' }) },
      error: { code: 'ECONNRESET', message: `Parse Error near ${TOKEN}` },
    }], [TOKEN])
    expect(exchange).toEqual({
      request: { method: 'POST', urlPattern: '^https://hooks\\.example\\.com/services/[^/?#]+/send$', headers: { authorization: '<redacted>' }, json: { text: 'hi', password: '<redacted>' } },
      error: { code: 'ECONNRESET', message: 'Parse Error near <redacted>' },
    })
  })

  it('redacts a secret written percent-encoded, and a secret field of a form body', () => {
    const secret = 'a+b/c=d'
    const [exchange] = scrubExchanges([{
      request: { method: 'POST', url: `https://x.example.com/q?name=${encodeURIComponent(secret)}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_secret=s3cr3t' },
      response: { status: 200, statusText: 'OK', headers: { 'content-type': 'text/plain' }, body: `echo ${secret}` },
    }], [secret])
    expect(exchange.request).toEqual({ method: 'POST', url: 'https://x.example.com/q?name=<redacted>', body: 'grant_type=client_credentials&client_secret=<redacted>' })
    expect(exchange.response!.body).toBe('echo <redacted>')
  })
})

function live (recorded: RecordedExchange[], error: RunResult['error'] = null): RunResult {
  return {
    ok: error === null, action: 'a.js', fixture: null, response: null, sends: [], nextDialogState: null, messages: [], session: {},
    sessionChanges: [], requests: [], logs: [], warnings: [], error, durationMs: 1, recorded,
  }
}

describe('recordExchanges', () => {
  let remove: (() => void) | undefined
  afterEach(() => remove?.())
  const fixtureFile = (name: string, text: string): string => {
    const temp = tempDir()
    remove = temp.remove
    const file = join(temp.dir, name)
    writeFileSync(file, text)
    return file
  }

  const YAML = `# Lists March meetups.
# Recorded with: code-action run airtable/list-records --fixture this.yaml --record
description: "March meetups exist"     # shown in reports
action: airtable/list-records

session:
  internal: { channel: web, locale: en-us }   # flow style stays flow
  month: march
args:
  apiKey: { text: ${TOKEN} }
  month: { variable: month }
http:
  # the old exchange
  - request: { url: "https://old.example.com" }
    response: { status: 500 }

# What the test checks:
expect:
  error: null
  nextDialogState: 'ds-found'
`

  it('replaces the http list and leaves every other byte of the YAML as it was', async () => {
    const file = fixtureFile('march.yaml', YAML)
    const note = await recordExchanges(file, live([zendesk]))
    expect(note).toBe(`recorded 1 exchange into ${file} (secrets replaced by <redacted>)`)
    expect(readFileSync(file, 'utf8')).toBe(`# Lists March meetups.
# Recorded with: code-action run airtable/list-records --fixture this.yaml --record
description: "March meetups exist"     # shown in reports
action: airtable/list-records

session:
  internal: { channel: web, locale: en-us }   # flow style stays flow
  month: march
args:
  apiKey: { text: ${TOKEN} }
  month: { variable: month }
http:
  - request:
      method: POST
      url: https://acme.zendesk.com/api/v2/tickets.json
      headers:
        authorization: <redacted>
      json:
        ticket:
          subject: Help
          comment:
            body: hi
    response:
      status: 201
      headers:
        content-type: application/json
        location: https://acme.zendesk.com/api/v2/tickets/35436.json
        x-rate-limit-remaining: "699"
      json:
        ticket:
          id: 35436
          status: new

# What the test checks:
expect:
  error: null
  nextDialogState: 'ds-found'
`)
  })

  it('inserts the http list after args when the fixture has none, secrets scrubbed', async () => {
    const file = fixtureFile('new.yaml', `action: a.js   # the action\nargs: { apiKey: { text: ${TOKEN} } }\n\n# checks\nexpect: { error: null }\n`)
    await recordExchanges(file, live([airtable]))
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain('brwX')
    expect(text.split(TOKEN)).toHaveLength(2)
    expect(text.startsWith(`action: a.js   # the action\nargs: { apiKey: { text: ${TOKEN} } }\nhttp:\n  - request:\n      method: GET\n`)).toBe(true)
    expect(text.endsWith('        offset: itrA/recA\n\n# checks\nexpect: { error: null }\n')).toBe(true)
  })

  it('moves a comment after a one-line http value up to the key', async () => {
    const file = fixtureFile('flow.yaml', 'action: a.js\nhttp: []   # nothing yet\nexpect: { error: null }\n')
    await recordExchanges(file, live([]))
    expect(readFileSync(file, 'utf8')).toBe('action: a.js\nhttp: [] # nothing yet\nexpect: { error: null }\n')
  })

  it('keeps the key order and indentation of a JSON fixture', async () => {
    const file = fixtureFile('f.json', '{\n    "action": "a.js",\n    "http": [],\n    "expect": { "error": null }\n}\n')
    await recordExchanges(file, live([zendesk]))
    const text = readFileSync(file, 'utf8')
    expect(Object.keys(JSON.parse(text))).toEqual(['action', 'http', 'expect'])
    expect(text.startsWith('{\n    "action": "a.js",\n    "http": [\n        {\n')).toBe(true)
  })

  it('keeps a byte order mark and Windows line endings', async () => {
    const file = fixtureFile('crlf.yaml', '\uFEFFaction: a.js\r\n# keep me\r\nexpect: { error: null }\r\n')
    await recordExchanges(file, live([]))
    expect(readFileSync(file, 'utf8')).toBe('\uFEFFaction: a.js\r\nhttp: []\r\n# keep me\r\nexpect: { error: null }\r\n')
  })

  it('rewrites the file atomically: a new inode, the same permissions, no temporary file left', async () => {
    const file = fixtureFile('atomic.yaml', YAML)
    chmodSync(file, 0o640)
    const before = statSync(file)
    await recordExchanges(file, live([zendesk]))
    const after = statSync(file)
    expect(after.ino).not.toBe(before.ino)
    expect(after.mode & 0o777).toBe(0o640)
    expect(readdirSync(join(file, '..'))).toEqual(['atomic.yaml'])
  })

  it('writes through a symlink to its target', async () => {
    const file = fixtureFile('real.yaml', 'action: a.js\n')
    const link = join(file, '..', 'link.yaml')
    symlinkSync(file, link)
    await recordExchanges(link, live([]))
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(file, 'utf8')).toBe('action: a.js\nhttp: []\n')
  })

  it('leaves the file untouched when the run was cut short', async () => {
    const file = fixtureFile('cut.yaml', YAML)
    const note = await recordExchanges(file, live([airtable], { code: 'ERR_TIMEOUT', message: 'the action ran longer than 10 ms' }))
    expect(note).toBe(`nothing recorded into ${file}: the run ended with ERR_TIMEOUT, so its exchanges are incomplete; the file is unchanged`)
    expect(readFileSync(file, 'utf8')).toBe(YAML)
    const { recorded, ...replayed } = live([])
    void recorded
    expect(await recordExchanges(file, replayed)).toBe(`nothing recorded into ${file}: the run captured no exchanges (it did not run live); the file is unchanged`)
    expect(readFileSync(file, 'utf8')).toBe(YAML)
  })

  it('writes every captured hop in its order, failed ones as error exchanges, without consulting requests', async () => {
    const file = fixtureFile('failed.yaml', `action: a.js\nargs: { apiKey: { text: ${TOKEN} } }\n`)
    const refused: RecordedExchange = {
      request: { method: 'GET', url: `https://api.airtable.com/v0/appX/Meetups?api_key=${TOKEN}`, headers: { Authorization: `Bearer ${TOKEN}`, Accept: '*/*' } },
      error: { code: 'ECONNREFUSED' },
    }
    // `requests` is empty: the recording must come from what the transport captured alone.
    const note = await recordExchanges(file, live([airtable, refused, zendesk]))
    expect(note).toBe(`recorded 3 exchanges into ${file} (secrets replaced by <redacted>)`)
    const text = readFileSync(file, 'utf8')
    expect(text.split(TOKEN)).toHaveLength(2)
    const { http } = parse(text)
    expect(http.map((e: any) => e.response?.status ?? e.error.code)).toEqual([200, 'ECONNREFUSED', 201])
    expect(http[1]).toEqual({
      request: { method: 'GET', url: 'https://api.airtable.com/v0/appX/Meetups?api_key=<redacted>', headers: { authorization: '<redacted>' } },
      error: { code: 'ECONNREFUSED' },
    })
  })

  it('records an action error as an ordinary outcome', async () => {
    const file = fixtureFile('threw.yaml', 'action: a.js\n')
    await recordExchanges(file, live([zendesk], { code: 'ERR_ACTION_THREW', message: 'Error: x' }))
    expect(readFileSync(file, 'utf8')).toContain('http:\n  - request:\n      method: POST\n')
  })
})

describe('recordScenario', () => {
  it('writes each step\'s exchanges into that step, with the step\'s own secrets scrubbed', async () => {
    const temp = tempDir()
    try {
      const file = join(temp.dir, 'flow.yaml')
      writeFileSync(file, `action: a.js\nsteps:\n  - args: { token: { text: ${TOKEN} } }\n    expect: { error: null }   # first\n  - click: "Yes"\n    http: []\n`)
      const note = await recordScenario(file, [live([airtable]), live([])])
      expect(note).toBe(`recorded 1 exchange for 2 steps into ${file} (secrets replaced by <redacted>)`)
      const text = readFileSync(file, 'utf8')
      // The token stays in the step's own args (the file already had it), and nowhere else.
      expect(text.split(TOKEN)).toHaveLength(2)
      expect(text).toContain('Owner: token <redacted>')
      expect(text).toMatch(/^action: a\.js\nsteps:\n {2}- args: \{ token: \{ text: patSECRET/)
      expect(text).toContain('    http:\n      - request:\n          method: GET\n')
      expect(text).toContain('    expect: { error: null }   # first\n  - click: "Yes"\n    http: []\n')
    } finally {
      temp.remove()
    }
  })
})

describe('writeFileAtomic', () => {
  it('removes its temporary file when the rename fails', () => {
    const temp = tempDir()
    try {
      const target = join(temp.dir, 'dir')
      mkdirSync(join(target, 'child'), { recursive: true })
      expect(() => writeFileAtomic(target, 'x')).toThrow()
      expect(readdirSync(temp.dir)).toEqual(['dir'])
    } finally {
      temp.remove()
    }
  })
})

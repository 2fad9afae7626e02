// Unit tests of the pure helpers bundled into snippets (snippets/_lib): no platform globals needed.
import { describe, expect, it } from 'vitest'
import { fieldReference, formulaString, formulaValue, readAirtableError } from '../../snippets/_lib/airtable.ts'
import { encodeBase64 } from '../../snippets/_lib/base64.ts'
import { codeForStatus, httpFailure, thrownFailure } from '../../snippets/_lib/failure.ts'
import { hashText } from '../../snippets/_lib/hash.ts'
import { htmlToText, shorten } from '../../snippets/_lib/html-text.ts'
import { describeBody, parseBody } from '../../snippets/_lib/parse-body.ts'
import { encodeQuery, withoutQuery } from '../../snippets/_lib/query.ts'
import { readZendeskError, readSubdomain } from '../../snippets/_lib/zendesk.ts'

describe('encodeBase64', () => {
  it('matches Buffer for ASCII, accents, emoji and every padding length', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'bot@acme.example/token:zdTEST', 'Zoë & Zoé', '🤖 ok', 'x'.repeat(100)]) {
      expect(encodeBase64(text), text).toBe(Buffer.from(text, 'utf8').toString('base64'))
    }
  })

  it('encodes a lone surrogate as U+FFFD, as TextEncoder does', () => {
    expect(encodeBase64('a\ud800b')).toBe(Buffer.from('a\ufffdb', 'utf8').toString('base64'))
  })
})

describe('Airtable formulas', () => {
  it('escapes quotes, backslashes and line breaks inside a string literal', () => {
    expect(formulaString('O"Brien\\ ) & co')).toBe('"O\\"Brien\\\\ ) & co"')
    expect(formulaString('two\nlines')).toBe('"two\\nlines"')
  })

  it('keeps numbers and booleans typed', () => {
    expect([formulaValue(3), formulaValue(true), formulaValue(null), formulaValue('3')]).toEqual(['3', 'TRUE()', '""', '"3"'])
  })

  it('refuses field names with braces', () => {
    expect([fieldReference('Month'), fieldReference('a}b'), fieldReference(' ')]).toEqual(['{Month}', null, null])
  })

  it('reads both error body shapes', () => {
    expect(readAirtableError({ kind: 'json', value: { error: 'NOT_FOUND' } })).toEqual({ reason: 'NOT_FOUND', detail: null })
    expect(readAirtableError({ kind: 'json', value: { error: { type: 'UNKNOWN_FIELD_NAME', message: 'Unknown field name: "X"' } } })).toEqual({ reason: 'UNKNOWN_FIELD_NAME', detail: 'Unknown field name: "X"' })
    expect(readAirtableError({ kind: 'html', title: '' })).toEqual({ reason: null, detail: null })
  })
})

describe('parseBody', () => {
  it('tells JSON, empty, HTML and other text apart', () => {
    expect(parseBody(' {"a":1} ', 'application/json')).toEqual({ kind: 'json', value: { a: 1 } })
    expect(parseBody('  \n', 'application/json')).toEqual({ kind: 'empty' })
    expect(parseBody('<!DOCTYPE html><title>502 Bad Gateway</title>', null)).toEqual({ kind: 'html', title: '502 Bad Gateway' })
    expect(parseBody('Rate limit exceeded', 'text/html; charset=utf-8')).toEqual({ kind: 'text', excerpt: 'Rate limit exceeded' })
    expect(parseBody('{"truncated":', 'application/json')).toEqual({ kind: 'text', excerpt: '{"truncated":' })
  })

  it('describes each kind for error messages', () => {
    expect(describeBody({ kind: 'html', title: 'Down' })).toBe('an HTML page ("Down")')
    expect(describeBody({ kind: 'empty' })).toBe('an empty body')
  })
})

describe('failures', () => {
  it('maps statuses to codes', () => {
    expect([401, 403, 404, 410, 422, 400, 429, 500, 503].map(codeForStatus)).toEqual(['AUTH', 'FORBIDDEN', 'NOT_FOUND', 'NOT_FOUND', 'INVALID', 'INVALID', 'RATE_LIMITED', 'SERVER', 'SERVER'])
  })

  it('words an HTTP failure with the API error', () => {
    expect(httpFailure('Zendesk', 'POST https://x.zendesk.com/api/v2/tickets.json', 422, { kind: 'json', value: {} }, { reason: 'RecordInvalid', detail: 'Requester: bad' }))
      .toEqual({ code: 'INVALID', status: 422, reason: 'RecordInvalid', message: 'Zendesk answered 422 to POST https://x.zendesk.com/api/v2/tickets.json: RecordInvalid: Requester: bad' })
  })

  it('classifies node-fetch errors by name and type, never keeping the query string', () => {
    const url = 'https://api.example/a?api_key=SECRET'
    const timeout = thrownFailure('API', 'GET https://api.example/a', url, { name: 'FetchError', type: 'request-timeout', message: `network timeout at: ${url}` })
    expect(timeout).toEqual({ code: 'TIMEOUT', status: null, reason: null, message: 'API did not answer GET https://api.example/a in time (network timeout at: https://api.example/a)' })
    const network = thrownFailure('API', 'GET https://api.example/a', url, { name: 'FetchError', type: 'system', code: 'ECONNREFUSED', message: `request to ${url} failed, reason: connect ECONNREFUSED` })
    expect(network.code).toBe('NETWORK')
    expect(network.reason).toBe('ECONNREFUSED')
    expect(network.message).not.toContain('SECRET')
  })
})

describe('small helpers', () => {
  it('encodes query pairs without URLSearchParams and strips queries and credentials from log URLs', () => {
    expect(encodeQuery([['sort[0][field]', 'Date'], ['q', 'a b&c'], ['skip', undefined], ['n', 3]])).toBe('?sort%5B0%5D%5Bfield%5D=Date&q=a%20b%26c&n=3')
    expect(encodeQuery([])).toBe('')
    expect(withoutQuery('https://user:pw@api.example/x?key=1#f')).toBe('https://api.example/x')
  })

  it('turns a search snippet into plain text and shortens at a word', () => {
    expect(htmlToText('To <em>reset</em> it,<br>use &quot;Forgot&quot; &amp; wait&#33;')).toBe('To reset it, use "Forgot" & wait!')
    expect(shorten('one two three four', 12)).toBe('one two…')
  })

  it('hashes stably', () => {
    expect(hashText('abc')).toBe(hashText('abc'))
    expect(hashText('abc')).not.toBe(hashText('abd'))
    expect(hashText('abc')).toMatch(/^[0-9a-f]{14}$/)
  })

  it('reads Zendesk subdomains and error bodies', () => {
    expect(['acme', 'ACME.zendesk.com', 'https://acme.zendesk.com/', 'acme test'].map(readSubdomain)).toEqual(['acme', 'acme', 'acme', null])
    expect(readZendeskError({ kind: 'json', value: { error: "Couldn't authenticate you" } })).toEqual({ reason: "Couldn't authenticate you", detail: null })
    expect(readZendeskError({ kind: 'text', excerpt: 'Rate limit exceeded' })).toEqual({ reason: null, detail: 'Rate limit exceeded' })
  })
})

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** A request the fake API saw. */
export interface SeenRequest { method: string, url: string, headers: Record<string, string | string[] | undefined>, body: string }

export interface FakeApi {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string
  requests: SeenRequest[]
  /** Resolves when a request reaches a stalling endpoint (the `Stall` table). */
  stalled: Promise<void>
  /** How many Zendesk requests answer 429 before one succeeds. */
  rateLimitTickets: number
  close: () => Promise<void>
}

export const AIRTABLE_TOKEN = 'patTEST.0123456789abcdef'
export const ZENDESK_EMAIL = 'bot@example.com'
export const ZENDESK_TOKEN = 'zdTOKEN-6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv'

const MEETUPS = [
  { id: 'recA1', createdTime: '2021-12-29T00:38:54.000Z', fields: { Name: 'Bots & beers', Month: 'march' } },
  { id: 'recB2', createdTime: '2022-01-03T10:00:00.000Z', fields: { Name: 'NLU night', Month: 'march' } },
  { id: 'recC3', createdTime: '2022-01-04T10:00:00.000Z', fields: { Name: 'Voice day', Month: 'april' } },
]

function send (res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...headers })
  res.end(text)
}

/**
 * A local HTTP server on 127.0.0.1 (random port) that answers like the Airtable and Zendesk
 * endpoints the actions call: JSON bodies, the documented error bodies, Retry-After on 429.
 */
export async function startFakeApi (): Promise<FakeApi> {
  const requests: SeenRequest[] = []
  const sockets = new Set<Socket>()
  let onStall!: () => void
  const stalled = new Promise<void>(resolve => { onStall = resolve })
  const api = { rateLimitTickets: 0 } as FakeApi
  let ticketId = 35436

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const airtable = /^\/v0\/(app\w+)\/([^/]+)$/.exec(url.pathname)
    if (airtable) {
      const table = decodeURIComponent(airtable[2])
      if (req.headers.authorization !== `Bearer ${AIRTABLE_TOKEN}`) {
        send(res, 401, { error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } }); return
      }
      if (table === 'Stall') { onStall(); return }
      if (table === 'Missing') { send(res, 404, { error: 'NOT_FOUND' }); return }
      if (table === 'Busy') { send(res, 429, { error: { type: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' } }, { 'retry-after': '30' }); return }
      const month = /\{Month\}='([^']*)'/.exec(url.searchParams.get('filterByFormula') ?? '')?.[1]
      const records = MEETUPS.filter(r => month === undefined || r.fields.Month === month)
      send(res, 200, { records }, { 'set-cookie': 'brw=brwSECRETCOOKIE; path=/; HttpOnly', 'x-airtable-request': 'req123' })
      return
    }
    if (url.pathname === '/api/v2/tickets.json' && req.method === 'POST') {
      const expected = `Basic ${Buffer.from(`${ZENDESK_EMAIL}/token:${ZENDESK_TOKEN}`).toString('base64')}`
      if (req.headers.authorization !== expected) { send(res, 401, { error: "Couldn't authenticate you" }); return }
      if (api.rateLimitTickets > 0) {
        api.rateLimitTickets--
        send(res, 429, { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' }, { 'retry-after': '1' })
        return
      }
      let ticket: any
      try { ticket = JSON.parse(body).ticket } catch { send(res, 400, 'Unparseable JSON body'); return }
      if (!/^[^@\s]+@[^@\s]+$/.test(ticket?.requester?.email ?? '')) {
        send(res, 422, { error: 'RecordInvalid', description: 'Record validation errors', details: { requester: [{ description: `Requester: Email: ${ticket?.requester?.email} is not properly formatted`, error: 'InvalidValue' }] } })
        return
      }
      const id = ticketId++
      send(res, 201, {
        ticket: { id, url: `${api.baseUrl}/api/v2/tickets/${id}.json`, subject: ticket.subject, status: 'new', requester_id: 1234, created_at: '2024-05-01T10:00:00Z', tags: ticket.tags },
        audit: { id: 99, ticket_id: id },
      }, {
        location: `${api.baseUrl}/api/v2/tickets/${id}.json`,
        'x-rate-limit': '700',
        'x-rate-limit-remaining': '699',
        'x-idempotency-lookup': 'miss',
      })
      return
    }
    send(res, 404, { error: 'RecordNotFound', description: 'Not found' })
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', chunk => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body })
      handle(req, res, body)
    })
  })
  server.on('connection', socket => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  Object.assign(api, {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    stalled,
    close: () => new Promise<void>(resolve => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    }),
  })
  return api
}

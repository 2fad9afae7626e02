import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AIRTABLE_TOKEN, startFakeApi, type FakeApi } from './helpers/server.ts'
import { tempDir } from './helpers/temp.ts'

let api: FakeApi
let temp: ReturnType<typeof tempDir>

beforeAll(async () => {
  api = await startFakeApi()
  temp = tempDir()
})
afterAll(async () => {
  await api.close()
  temp.remove()
})

describe('code-action run --record killed half-way', () => {
  it('leaves the original fixture byte-identical and no temporary file behind', async () => {
    // The action gets one answer, then waits on an endpoint that never answers.
    writeFileSync(join(temp.dir, 'two-calls.js'), `
const headers = { Authorization: 'Bearer ' + args.apiKey }
const first = await fetch(args.baseUrl + '/v0/appTEST/Meetups', { headers }).then(r => r.json())
console.log('first call answered', first.records.length)
await fetch(args.baseUrl + '/v0/appTEST/Stall', { headers })
ChatlayerResponseBuilder().addMessage('never reached').send()
`)
    const file = join(temp.dir, 'stall.yaml')
    writeFileSync(file, `# A recording that will be interrupted.
action: two-calls.js
args:
  baseUrl: { text: "${api.baseUrl}" }
  apiKey: { text: ${AIRTABLE_TOKEN} }
http:
  - request: { method: GET, url: "${api.baseUrl}/v0/appTEST/Meetups" }   # recorded earlier
    response: { json: { records: [] } }
expect:
  error: null
`)
    const original = readFileSync(file)
    const child = spawn(process.execPath, ['bin/code-action.js', 'run', file, '--record'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', chunk => { output += chunk })
    child.stderr.on('data', chunk => { output += chunk })
    const exited = once(child, 'exit')
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`the recording never reached the stalling endpoint:\n${output}`)), 20_000))
    await Promise.race([api.stalled, timeout])
    expect(api.requests.map(r => r.url)).toEqual(['/v0/appTEST/Meetups', '/v0/appTEST/Stall'])
    child.kill('SIGKILL')
    const [code, signal] = await exited
    expect([code, signal]).toEqual([null, 'SIGKILL'])
    expect(readFileSync(file).equals(original)).toBe(true)
    expect(readdirSync(temp.dir).sort()).toEqual(['stall.yaml', 'two-calls.js'])
  })
})

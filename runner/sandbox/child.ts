/**
 * Entry of a sandbox process. It runs jobs one at a time in isolated-vm and answers over IPC.
 * It is expendable: the host kills and replaces it when it stops answering.
 */
import { writeSync } from 'node:fs'
import { execute, WarmIsolate } from './execute.ts'
import { CATASTROPHIC_MARKER, decodeJob, type ChildMessage, type ParentMessage } from './protocol.ts'
import { mustRecycle } from './recycle.ts'

let warm: WarmIsolate | undefined

function onCatastrophicError (message: string): void {
  // V8 has lost the isolate. Say so synchronously, then die at once: process.exit() would run
  // Node's exit-time clean-up, which waits for the lost isolate and never returns.
  try { writeSync(2, `\n${CATASTROPHIC_MARKER} ${message}\n`) } catch { /* nothing left to do */ }
  process.kill(process.pid, 'SIGKILL')
}

function isolateFor (memoryMb: number, pooled: boolean): WarmIsolate {
  if (!pooled) {
    const fresh = new WarmIsolate(memoryMb, onCatastrophicError)
    fresh.runs = 1
    return fresh
  }
  if (warm && mustRecycle(warm, memoryMb)) {
    warm.dispose()
    warm = undefined
  }
  warm ??= new WarmIsolate(memoryMb, onCatastrophicError)
  warm.runs++
  return warm
}

const send = (message: ChildMessage): void => { process.send!(message) }

process.on('message', async (message: ParentMessage) => {
  if (message.type !== 'run') return
  const job = decodeJob(message.job)
  const pooled = job.profile.isolate === 'pooled'
  const isolate = isolateFor(job.profile.memoryMb, pooled)
  try {
    // 'started' leaves at once although the action then blocks this thread: the host sends a job
    // only after reading the previous result, so nothing is queued ahead of it on the channel.
    const outcome = await execute(job, isolate, () => send({ type: 'started', id: message.id }))
    outcome.isolateRun = isolate.runs
    outcome.isolateCollections = isolate.collections
    send({ type: 'result', id: message.id, outcome })
  } catch (error: any) {
    send({
      type: 'result',
      id: message.id,
      outcome: {
        sends: [], logs: [], warnings: [], requests: [], unmatched: [], durationMs: 0,
        error: { code: 'ERR_SANDBOX_CRASH', message: `the sandbox failed: ${error?.stack ?? error}` },
      },
    })
  } finally {
    if (!pooled) isolate.dispose()
  }
})

process.on('disconnect', () => process.exit(0))
send({ type: 'ready' })

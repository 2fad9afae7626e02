import { fork, type ChildProcess } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { DRAIN_MS } from '../http/live.ts'
import { sandboxEntry } from './bundle.ts'
import { CATASTROPHIC_MARKER, encodeJob, V8_OUT_OF_MEMORY, type ChildMessage, type Job, type Outcome, type ParentMessage } from './protocol.ts'

/**
 * Extra time the watchdog grants beyond the action's limit: setup, compile and reporting; in
 * --live, the wait for hops still in flight (DRAIN_MS) comes on top.
 */
const WATCHDOG_GRACE_MS = 5_000
/**
 * Once the sandbox says the action's clock started: extra time for it to stop the action and
 * report. It stops a loop at the deadline itself (isolated-vm's timeout); past this, V8 is stuck
 * where it cannot be interrupted (a runaway allocation in its last-resort collections), and the
 * run is reported as the time-out it is.
 */
const STOP_GRACE_MS = 1_000
/** How long after V8's out-of-memory report the process is killed (see the stderr handler). */
const OOM_KILL_DELAY_MS = 300
/** Node's own line when the sandbox process's heap, not the isolate's, ran out. */
const NODE_HEAP_OUT_OF_MEMORY = /FATAL ERROR:.*JavaScript heap out of memory/

function crash (message: string): Outcome {
  return { sends: [], logs: [], warnings: [], requests: [], unmatched: [], durationMs: 0, error: { code: 'ERR_SANDBOX_CRASH', message } }
}

/** One sandbox process: runs a job at a time, killed and replaced when it stops answering. */
class SandboxProcess {
  private child: ChildProcess | undefined
  private ready: Promise<void> | undefined
  private nextId = 0
  private current: { id: number, resolve: (o: Outcome) => void, timer: NodeJS.Timeout, job: Job, child: ChildProcess } | undefined
  busy = false

  private start (): Promise<void> {
    if (this.ready && this.child && !this.child.killed && this.child.exitCode === null && this.child.signalCode === null) return this.ready
    const child = fork(sandboxEntry(), [], {
      // isolated-vm needs --no-node-snapshot on Node 20. --no-expose-gc overrides a NODE_OPTIONS
      // the host may have: with it, every context would have a `gc` global (execute.ts, collect()).
      // The process's own heap holds one run's outcome at a time (a few MB at most); a small old
      // space makes V8 collect early instead of letting RSS drift up over thousands of runs.
      // The semi-space flags apply to the isolates too: V8's flags are per process and override
      // the young generation isolated-vm derives from memoryLimit (2 MB at 128 MB). Each run
      // leaves a few MB that die with its context; a young generation that holds them frees them
      // in a scavenge instead of promoting them. CPU per suite run, measured: 13.7-14.4 ms with a
      // 4 MB semi-space, 11.1-11.7 with 8, 9.1-9.3 with 16. 16 MB cost 40 MB more RSS per process
      // and let a runaway push loop at memoryMb 32 run past its deadline instead of ERR_MEMORY;
      // 8 MB costs about 15 MB. Fixed (min = max), because left to grow the young generation kept
      // growing for about 10,000 runs, which the bench counts as growth.
      execArgv: ['--no-node-snapshot', '--max-old-space-size=64', '--min-semi-space-size=8', '--max-semi-space-size=8', '--no-expose-gc'],
      // JSON, not 'advanced': each 'advanced' message makes a native v8.Serializer/Deserializer
      // whose objects outlive minor GCs; over ~5,000 runs that doubled the host's young
      // generation (+16 MB RSS). With JSON the host stays flat (protocol.ts encodes `args`).
      serialization: 'json',
      // isolated-vm runs isolates on its own threads; glibc gives each thread a malloc arena that
      // keeps freed memory, so RSS drifts upward as isolates come and go. Two arenas keep it flat.
      env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    this.child = child
    let stderr = ''
    // Sticky, because only the last 4,000 characters of stderr are kept and a native stack
    // trace can follow the lines that tell what happened.
    let oomSeen = false
    let ownHeap = false
    child.stderr!.on('data', chunk => {
      stderr = (stderr + chunk).slice(-4000)
      ownHeap ||= NODE_HEAP_OUT_OF_MEMORY.test(stderr)
      // The isolate is lost and the process may never exit by itself: 'close' reports ERR_MEMORY.
      // Node prints the same report for the process's own heap, then its "FATAL ERROR" line, and
      // aborts by itself: the delay lets that line arrive, so 'close' can tell the two apart.
      if (!oomSeen && stderr.includes(V8_OUT_OF_MEMORY)) {
        oomSeen = true
        setTimeout(() => child.kill('SIGKILL'), OOM_KILL_DELAY_MS).unref()
      }
    })
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (message: ChildMessage): void => {
        if (message.type === 'ready') { resolve(); return }
        if (message.type === 'started' && this.current?.id === message.id && this.current.child === child) this.tighten(child, this.current)
        if (message.type === 'result' && this.current?.id === message.id && this.current.child === child) this.finish(message.outcome)
      }
      child.on('message', onMessage)
      child.on('exit', () => { if (this.child === child) this.child = undefined })
      // 'close' comes after stderr is drained, so a catastrophic-error marker is already read.
      child.on('close', (code, signal) => {
        if (this.child === child) this.child = undefined
        const catastrophic = stderr.includes(CATASTROPHIC_MARKER) || (oomSeen && !ownHeap)
        const why = catastrophic
          ? null
          : ownHeap
            ? 'the sandbox process ran out of its own memory (JavaScript heap out of memory): it holds what the run sent and logged until the run ends, so the output was too large'
            : `the sandbox process exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`
        reject(new Error(why ?? 'the sandbox process ran out of memory while starting'))
        // Only the run this process was serving: a killed process can close after its run was
        // reported and the next run started on a new one.
        if (this.current?.child === child) {
          this.finish(catastrophic
            ? { ...crash(''), error: { code: 'ERR_MEMORY', message: 'the action exhausted the isolate heap (option memoryMb): V8 gave up on it, and the sandbox process was stopped and replaced' } }
            : crash(`${why}; it was replaced, and the next run starts a new one`))
        }
      })
    })
    this.ready.catch(() => {})
    return this.ready
  }

  /** Replaces the watchdog of a started run by one at its deadline plus STOP_GRACE_MS. */
  private tighten (child: ChildProcess, current: NonNullable<SandboxProcess['current']>): void {
    const { timeoutMs } = current.job.profile
    clearTimeout(current.timer)
    current.timer = setTimeout(() => this.killAndFinish(child, {
      ...crash(''),
      error: { code: 'ERR_TIMEOUT', message: `the action ran longer than ${timeoutMs} ms (option timeoutMs) and the sandbox could not stop it: its process was killed and replaced` },
    }), timeoutMs + STOP_GRACE_MS + (current.job.live ? DRAIN_MS : 0))
  }

  /**
   * A watchdog's end of a run: forget the child first (its exit event comes later, and the next
   * job must not go to it), kill it, report `outcome`.
   */
  private killAndFinish (child: ChildProcess, outcome: Outcome): void {
    if (this.child === child) this.child = undefined
    child.kill('SIGKILL')
    this.finish(outcome)
  }

  private finish (outcome: Outcome): void {
    const current = this.current
    if (!current) return
    this.current = undefined
    clearTimeout(current.timer)
    // An isolate stopped in the middle of a runaway allocation can still take its process down
    // moments later (a catastrophic error after the report): retire the process, never reuse it.
    if (this.child && (outcome.error?.code === 'ERR_TIMEOUT' || outcome.error?.code === 'ERR_MEMORY')) {
      const child = this.child
      this.child = undefined
      child.kill('SIGKILL')
    }
    this.busy = false
    // Idle, a sandbox process must not keep the host alive: the process, its IPC channel and
    // its stderr pipe are all unreferenced until the next run.
    this.child?.unref()
    ;(this.child as any)?.channel?.unref?.()
    ;(this.child?.stderr as any)?.unref?.()
    current.resolve(outcome)
  }

  async run (job: Job): Promise<Outcome> {
    this.busy = true
    try {
      await this.start()
    } catch (error: any) {
      this.busy = false
      return crash(`the sandbox process could not start: ${error.message}`)
    }
    const child = this.child!
    child.ref()
    ;(child as any).channel?.ref?.()
    ;(child.stderr as any)?.ref?.()
    return new Promise<Outcome>(resolve => {
      const id = ++this.nextId
      // Last resort, until the sandbox says the action started (tighten): the process stopped
      // answering during set-up (V8 can wedge its main thread).
      const waitMs = job.profile.timeoutMs + WATCHDOG_GRACE_MS + (job.live ? DRAIN_MS : 0)
      const timer = setTimeout(() => this.killAndFinish(child,
        crash(`the sandbox process stopped answering for ${waitMs} ms and was killed; it was replaced, and the next run starts a new one`)), waitMs)
      this.current = { id, resolve, timer, job, child }
      child.send({ type: 'run', id, job: encodeJob(job) } satisfies ParentMessage)
    })
  }

  /** The process id, while one runs. */
  get pid (): number | undefined { return this.child?.pid }

  close (): void {
    this.child?.kill('SIGKILL')
    this.child = undefined
  }
}

/** A set of sandbox processes; jobs go to the first idle one. */
export class SandboxPool {
  private readonly processes: SandboxProcess[]
  private readonly waiting: Array<() => void> = []
  private closed = false

  constructor (size = 1) {
    this.processes = Array.from({ length: Math.max(1, size) }, () => new SandboxProcess())
  }

  get size (): number { return this.processes.length }

  async run (job: Job): Promise<Outcome> {
    const queued = performance.now()
    let sandbox: SandboxProcess | undefined
    for (;;) {
      // A closed pool starts no process: runs still queued, or asked for later, are refused.
      if (this.closed) return crash('the sandbox pool was closed before this run could start')
      sandbox = this.processes.find(p => !p.busy)
      if (sandbox) break
      await new Promise<void>(resolve => this.waiting.push(resolve))
    }
    sandbox.busy = true
    const queuedMs = performance.now() - queued
    try {
      // Assigned, not `{ ...outcome, queuedMs }`: on Node 20's V8 a spread followed by a new key
      // allocates in old space, and that garbage, summed over thousands of runs, doubled the
      // host's young generation (test/host-memory.test.ts).
      const outcome = await sandbox.run(job)
      outcome.queuedMs = queuedMs
      return outcome
    } finally {
      this.waiting.shift()?.()
    }
  }

  /** Process ids of the running sandbox processes (for memory measurements). */
  pids (): number[] {
    return this.processes.map(p => p.pid).filter((pid): pid is number => pid !== undefined)
  }

  /** Stops every sandbox process; runs in progress end as crashes, later ones are refused. */
  close (): void {
    this.closed = true
    for (const p of this.processes) p.close()
    for (const wake of this.waiting.splice(0)) wake()
  }
}

let shared: SandboxPool | undefined

/** The process-wide pool, sized to the machine's cores on first use. */
export function sharedPool (size = availableParallelism()): SandboxPool {
  shared ??= new SandboxPool(size)
  return shared
}

/** Stops every sandbox process of the shared pool. */
export function closeSharedPool (): void {
  shared?.close()
  shared = undefined
}

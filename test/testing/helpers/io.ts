import type { WatchIO } from '../../../runner/cli/watch.ts'

/** A CLI io that keeps what a command writes, for exact assertions. */
export interface CapturedIO {
  io: WatchIO
  /** Everything written to stdout, each write ending with a newline (like processIO). */
  stdout: () => string
  stderr: () => string
  /** Resolves when stdout + stderr contain the text, match the pattern, or satisfy the test. */
  waitFor: (pattern: RegExp | string | ((all: string) => boolean), timeoutMs?: number) => Promise<void>
}

export function captureIO (options: { color?: boolean, signal?: AbortSignal } = {}): CapturedIO {
  let out = ''
  let err = ''
  const waiters: Array<() => void> = []
  const wake = (): void => { for (const w of waiters.splice(0)) w() }
  const line = (text: string): string => text.endsWith('\n') ? text : `${text}\n`
  const io: WatchIO = {
    stdout: text => { out += line(text); wake() },
    stderr: text => { err += line(text); wake() },
    color: options.color ?? false,
    signal: options.signal,
  }
  const waitFor = async (pattern: RegExp | string | ((all: string) => boolean), timeoutMs = 20_000): Promise<void> => {
    const test = (): boolean => typeof pattern === 'string' ? (out + err).includes(pattern) : typeof pattern === 'function' ? pattern(out + err) : pattern.test(out + err)
    const deadline = Date.now() + timeoutMs
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}\nstdout:\n${out}\nstderr:\n${err}`)
      await new Promise<void>(resolve => { waiters.push(resolve); setTimeout(resolve, 200) })
    }
  }
  return { io, stdout: () => out, stderr: () => err, waitFor }
}

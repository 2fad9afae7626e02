import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import type { CliIO } from './io.ts'

/** A CLI io that can also stop a long-running command (`run --watch`): tests abort it. */
export interface WatchIO extends CliIO {
  signal?: AbortSignal
}

export interface WatchOptions {
  /** Quiet time after the last change before reacting, in ms: editors write a file in several steps. */
  debounceMs?: number
  signal?: AbortSignal
}

/**
 * Watches files for changes and calls `onChange` with the changed files once they settle.
 * Folders are watched rather than files, so an editor that replaces a file (write to a temporary
 * file, then rename) is still seen. Returns a function that stops watching.
 */
export function watchFiles (files: string[], onChange: (changed: string[]) => void, options: WatchOptions = {}): () => void {
  const debounceMs = options.debounceMs ?? 100
  const byDir = new Map<string, Set<string>>()
  for (const file of files.map(f => resolve(f))) {
    const dir = dirname(file)
    if (!byDir.has(dir)) byDir.set(dir, new Set())
    byDir.get(dir)!.add(basename(file))
  }
  const watchers: FSWatcher[] = []
  const changed = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const stop = (): void => {
    if (stopped) return
    stopped = true
    clearTimeout(timer)
    for (const watcher of watchers) watcher.close()
  }
  for (const [dir, names] of byDir) {
    try {
      const watcher = watch(dir, (_event, filename) => {
        if (stopped || !filename) return
        const name = basename(filename.toString())
        if (!names.has(name)) return
        changed.add(resolve(dir, name))
        clearTimeout(timer)
        timer = setTimeout(() => {
          const list = [...changed]
          changed.clear()
          if (!stopped) onChange(list)
        }, debounceMs)
      })
      watcher.on('error', () => { /* the folder went away; the others keep watching */ })
      watchers.push(watcher)
    } catch {
      // A folder that does not exist (yet) cannot be watched; the rest still is.
    }
  }
  if (options.signal?.aborted) stop()
  else options.signal?.addEventListener('abort', stop, { once: true })
  return stop
}

/**
 * Runs `runOnce`, then again each time one of the files it reports changes, until the signal
 * aborts. Resolves to the exit code of the last run. Without a signal it runs until the process ends.
 */
export async function runWatching (
  runOnce: () => Promise<{ code: number, inputs: string[] }>,
  io: CliIO,
  options: WatchOptions & { describe?: (file: string) => string } = {},
): Promise<number> {
  const { signal } = options
  let { code, inputs } = await runOnce()
  while (!signal?.aborted) {
    io.stderr(`watching ${inputs.length} file${inputs.length === 1 ? '' : 's'} for changes${signal ? '' : ' (Ctrl-C to stop)'}`)
    const changed = await new Promise<string[] | null>(resolvePromise => {
      const onAbort = (): void => { stop(); resolvePromise(null) }
      const stop = watchFiles(inputs, list => {
        stop()
        signal?.removeEventListener('abort', onAbort)
        resolvePromise(list)
      }, { debounceMs: options.debounceMs })
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, { once: true })
    })
    if (changed === null) break
    io.stdout(`\n↻ ${changed.map(f => options.describe?.(f) ?? f).join(', ')} changed: running again\n`)
    ;({ code, inputs } = await runOnce())
  }
  return code
}

import { RECYCLE_HEAP_MB, RECYCLE_RUNS } from './protocol.ts'

/** What the recycling policy needs of a warm isolate (execute.ts's WarmIsolate). */
export interface Recyclable {
  readonly isolate: { readonly isDisposed: boolean }
  readonly memoryMb: number
  readonly runs: number
  heapUsedMb: () => number
  collect: () => void
}

/**
 * Whether a pooled isolate must be replaced before a run with `memoryMb` (protocol.ts says why
 * the bounds are what they are). A heap over the bound is collected first: it is mostly the
 * dead contexts of earlier runs, and only a heap still over the bound after that needs a new
 * isolate.
 */
export function mustRecycle (warm: Recyclable, memoryMb: number): boolean {
  if (warm.isolate.isDisposed || warm.memoryMb !== memoryMb || warm.runs >= RECYCLE_RUNS) return true
  const boundMb = Math.min(RECYCLE_HEAP_MB, memoryMb / 4)
  if (warm.heapUsedMb() <= boundMb) return false
  try {
    warm.collect()
  } catch {
    return true
  }
  return warm.heapUsedMb() > boundMb
}

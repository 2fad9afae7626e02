import type { SessionChange, SessionWrite } from './types.ts'

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Deep-merges plain objects; any other value replaces (arrays included). */
function merge (target: unknown, source: unknown): unknown {
  if (!isPlainObject(target) || !isPlainObject(source)) return source
  const out: Record<string, unknown> = { ...target }
  for (const [key, value] of Object.entries(source)) out[key] = merge(out[key], value)
  return out
}

/** Normalises a payload's `session`: a list, or one `{namespace, data}` object (API-plugin form). */
export function sessionWrites (session: unknown): SessionWrite[] {
  if (session === undefined || session === null) return []
  return (Array.isArray(session) ? session : [session]) as SessionWrite[]
}

/** Applies writes in order (platform.md §3); writes to `internal` are dropped with a warning. */
export function applyWrites (
  before: Record<string, unknown>, writes: SessionWrite[], mode: 'merge' | 'replace', warn: (text: string) => void,
): Record<string, unknown> {
  const session: Record<string, unknown> = structuredClone(before)
  for (const write of writes) {
    const namespace = write?.namespace
    if (typeof namespace !== 'string' || namespace === '') {
      warn(`a session write without a valid namespace was dropped: ${JSON.stringify(write)?.slice(0, 120)}`)
      continue
    }
    if (namespace === 'internal') {
      warn('a session write to "internal" was dropped: the internal namespace is read-only')
      continue
    }
    session[namespace] = mode === 'merge' ? merge(session[namespace], write.data) : write.data
  }
  return session
}

function pathKey (parent: string, key: string): string {
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)
  if (!parent) return safe.startsWith('"') ? `[${safe}]` : safe
  return safe.startsWith('"') ? `${parent}[${safe}]` : `${parent}.${safe}`
}

/** Lists leaf changes between two sessions; arrays and scalars compare as whole values. */
export function diffSessions (before: unknown, after: unknown, path = ''): SessionChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    return keys.flatMap(key => diffSessions(before[key], after[key], pathKey(path, key)))
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return []
  return [{ path, before: before === undefined ? null : before, after: after === undefined ? null : after }]
}

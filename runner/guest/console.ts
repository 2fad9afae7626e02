import type { HostBridge } from './host.ts'
import { actionPosition, ArrayIsArray, captureStack, join, ObjectGetPrototypeOf, ObjectKeys, push, regexTest, slice, split, StringCtor, stringify } from './intrinsics.ts'

const MAX_ENTRY = 16_000

/** Keeps the action's frames of a stack; the runtime's own frames mean nothing to the user. */
export function stripRuntimeFrames (stack: string): string {
  const lines = split(stack, '\n')
  const kept: string[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!regexTest(FRAME, lines[i]) || !regexTest(RUNTIME_FRAME, lines[i])) push(kept, lines[i])
  }
  return join(kept, '\n')
}

const FRAME = /^\s+at /
const RUNTIME_FRAME = /<isolated-vm|<runtime>/
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

function quote (text: string): string {
  let out = "'"
  for (let i = 0; i < text.length; i++) out += text[i] === "'" ? "\\'" : text[i]
  return `${out}'`
}

function contains (list: unknown[], value: unknown): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true
  return false
}

/** `items` joined by ", " inside `open`/`close`, or `empty` when there are none. */
function wrap (items: string[], open: string, close: string, empty: string): string {
  return items.length ? `${open} ${join(items, ', ')} ${close}` : empty
}

/**
 * A compact `util.inspect`: enough to read objects in a log, never throws, handles cycles.
 * Written with loops and captured methods so a replaced Array.prototype method cannot change it.
 */
export function inspect (value: unknown, depth = 2, seen: unknown[] = [], top = true): string {
  try {
    switch (typeof value) {
      case 'string': return top ? value : quote(value)
      case 'number': return Object.is(value, -0) ? '-0' : StringCtor(value)
      case 'bigint': return `${value}n`
      case 'undefined': return 'undefined'
      case 'boolean': return StringCtor(value)
      case 'symbol': return value.toString()
      case 'function': return `[Function: ${(value as any).name || '(anonymous)'}]`
    }
    if (value === null) return 'null'
    if (contains(seen, value)) return '[Circular]'
    if (value instanceof Error) return stripRuntimeFrames(StringCtor(value.stack || `${value.name}: ${value.message}`))
    if (value instanceof Date) return isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
    if (value instanceof RegExp) return StringCtor(value)
    if (value instanceof Promise) return 'Promise { <pending> }'
    const next = [...seen]
    push(next, value)
    const items: string[] = []
    if (value instanceof Map) {
      if (depth < 0) return '[Map]'
      for (const [k, v] of value) push(items, `${inspect(k, depth - 1, next, false)} => ${inspect(v, depth - 1, next, false)}`)
      return `Map(${value.size}) ${wrap(items, '{', '}', '{}')}`
    }
    if (value instanceof Set) {
      if (depth < 0) return '[Set]'
      for (const v of value) push(items, inspect(v, depth - 1, next, false))
      return `Set(${value.size}) ${wrap(items, '{', '}', '{}')}`
    }
    if (ArrayIsArray(value)) {
      if (depth < 0) return '[Array]'
      const shown = value.length > 100 ? 100 : value.length
      for (let i = 0; i < shown; i++) push(items, inspect(value[i], depth - 1, next, false))
      if (value.length > 100) push(items, `... ${value.length - 100} more items`)
      return wrap(items, '[', ']', '[]')
    }
    const proto = ObjectGetPrototypeOf(value)
    const ctor = proto && proto.constructor && proto.constructor !== Object ? `${proto.constructor.name} ` : ''
    if (depth < 0) return `[${ctor ? slice(ctor, 0, -1) : 'Object'}]`
    const keys = ObjectKeys(value as object)
    const shown = keys.length > 100 ? 100 : keys.length
    for (let i = 0; i < shown; i++) {
      const k = keys[i]
      push(items, `${regexTest(IDENTIFIER, k) ? k : quote(k)}: ${inspect((value as any)[k], depth - 1, next, false)}`)
    }
    if (keys.length > 100) push(items, `... ${keys.length - 100} more items`)
    return `${ctor}${wrap(items, '{', '}', '{}')}`
  } catch (error) {
    return '[uninspectable]'
  }
}

const DIRECTIVES = 'sdifjoOc%'

/** `util.format`: %s %d %i %f %j %o %O %c %% and the rest joined by spaces. */
export function format (args: unknown[]): string {
  let out = ''
  let rest = 0
  if (typeof args[0] === 'string' && args.length > 1) {
    const template = args[0]
    let index = 1
    for (let i = 0; i < template.length; i++) {
      const c = template[i]
      const d = template[i + 1]
      if (c !== '%' || d === undefined || !contains(split(DIRECTIVES, ''), d)) { out += c; continue }
      i++
      if (d === '%') { out += '%'; continue }
      if (index >= args.length) { out += `%${d}`; continue }
      const arg = args[index++]
      switch (d) {
        case 's': out += typeof arg === 'string' ? arg : inspect(arg, 1, [], typeof arg !== 'object'); break
        case 'd': out += typeof arg === 'object' && arg !== null ? 'NaN' : StringCtor(Number(arg)); break
        case 'i': out += StringCtor(parseInt(arg as string, 10)); break
        case 'f': out += StringCtor(parseFloat(arg as string)); break
        case 'j': try { out += stringify(arg) } catch { out += '[Circular]' } break
        case 'c': break
        default: out += inspect(arg, 4, [], false)
      }
    }
    rest = index
  } else if (args.length > 0) {
    out = inspect(args[0])
    rest = 1
  }
  for (let i = rest; i < args.length; i++) out += ' ' + inspect(args[i])
  return out
}

/** A console whose output goes to the run's log, never to the chat user. */
export function createConsole (host: HostBridge): Record<string, (...args: unknown[]) => void> {
  const emit = (level: string, args: unknown[]): void => {
    let text = format(args)
    if (text.length > MAX_ENTRY) text = `${slice(text, 0, MAX_ENTRY)}… [${text.length - MAX_ENTRY} more characters cut]`
    host.log(level, text, actionPosition(captureStack()))
  }
  const counts = new Map<string, number>()
  const timers = new Map<string, number>()
  return {
    log: (...args) => emit('log', args),
    info: (...args) => emit('info', args),
    warn: (...args) => emit('warn', args),
    error: (...args) => emit('error', args),
    debug: (...args) => emit('debug', args),
    trace: (...args) => emit('error', ['Trace:', ...args]),
    dir: (value) => emit('log', [inspect(value)]),
    table: (...args) => emit('log', args),
    assert: (condition, ...args) => { if (!condition) emit('error', ['Assertion failed', ...args]) },
    count: (label = 'default') => {
      const n = (counts.get(StringCtor(label)) ?? 0) + 1
      counts.set(StringCtor(label), n)
      emit('log', [`${StringCtor(label)}: ${n}`])
    },
    time: (label = 'default') => { timers.set(StringCtor(label), Date.now()) },
    timeEnd: (label = 'default') => {
      const start = timers.get(StringCtor(label))
      if (start !== undefined) emit('log', [`${StringCtor(label)}: ${Date.now() - start}ms`])
      timers.delete(StringCtor(label))
    },
  }
}

import type { HostBridge } from './host.ts'
import { actionPosition, ArrayIsArray, captureStack, ObjectGetPrototypeOf, ObjectKeys, StringCtor } from './intrinsics.ts'

const MAX_ENTRY = 16_000

/** Keeps the action's frames of a stack; the runtime's own frames mean nothing to the user. */
export function stripRuntimeFrames (stack: string): string {
  return stack.split('\n').filter(line => !/^\s+at /.test(line) || !/<isolated-vm|<runtime>/.test(line)).join('\n')
}

/** A compact `util.inspect`: enough to read objects in a log, never throws, handles cycles. */
export function inspect (value: unknown, depth = 2, seen: unknown[] = [], top = true): string {
  try {
    switch (typeof value) {
      case 'string': return top ? value : `'${value.replace(/'/g, "\\'")}'`
      case 'number': return Object.is(value, -0) ? '-0' : StringCtor(value)
      case 'bigint': return `${value}n`
      case 'undefined': return 'undefined'
      case 'boolean': return StringCtor(value)
      case 'symbol': return value.toString()
      case 'function': return `[Function: ${(value as any).name || '(anonymous)'}]`
    }
    if (value === null) return 'null'
    if (seen.includes(value)) return '[Circular]'
    if (value instanceof Error) return stripRuntimeFrames(StringCtor(value.stack || `${value.name}: ${value.message}`))
    if (value instanceof Date) return isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
    if (value instanceof RegExp) return StringCtor(value)
    if (typeof (value as any).then === 'function' && value instanceof Promise) return 'Promise { <pending> }'
    const next = [...seen, value]
    if (value instanceof Map) {
      if (depth < 0) return '[Map]'
      const items = [...value].map(([k, v]) => `${inspect(k, depth - 1, next, false)} => ${inspect(v, depth - 1, next, false)}`)
      return `Map(${value.size}) {${items.length ? ` ${items.join(', ')} ` : ''}}`
    }
    if (value instanceof Set) {
      if (depth < 0) return '[Set]'
      const items = [...value].map(v => inspect(v, depth - 1, next, false))
      return `Set(${value.size}) {${items.length ? ` ${items.join(', ')} ` : ''}}`
    }
    if (ArrayIsArray(value)) {
      if (depth < 0) return '[Array]'
      const items = value.slice(0, 100).map(v => inspect(v, depth - 1, next, false))
      if (value.length > 100) items.push(`... ${value.length - 100} more items`)
      return items.length ? `[ ${items.join(', ')} ]` : '[]'
    }
    const proto = ObjectGetPrototypeOf(value)
    const ctor = proto && proto.constructor && proto.constructor !== Object ? `${proto.constructor.name} ` : ''
    if (depth < 0) return `[${ctor.trim() || 'Object'}]`
    const keys = ObjectKeys(value as object)
    const items = keys.slice(0, 100).map(k => {
      const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`
      return `${key}: ${inspect((value as any)[k], depth - 1, next, false)}`
    })
    if (keys.length > 100) items.push(`... ${keys.length - 100} more items`)
    return items.length ? `${ctor}{ ${items.join(', ')} }` : `${ctor}{}`
  } catch (error) {
    return '[uninspectable]'
  }
}

/** `util.format`: %s %d %i %f %j %o %O %c %% and the rest joined by spaces. */
export function format (args: unknown[]): string {
  let out = ''
  let rest = 0
  if (typeof args[0] === 'string' && args.length > 1) {
    const template = args[0]
    let index = 1
    rest = 1
    out = template.replace(/%[sdifjoOc%]/g, token => {
      if (token === '%%') return '%'
      if (index >= args.length) return token
      const arg = args[index++]
      switch (token) {
        case '%s': return typeof arg === 'string' ? arg : inspect(arg, 1, [], typeof arg !== 'object')
        case '%d': return typeof arg === 'object' && arg !== null ? 'NaN' : StringCtor(Number(arg))
        case '%i': return StringCtor(parseInt(arg as string, 10))
        case '%f': return StringCtor(parseFloat(arg as string))
        case '%j': try { return JSON.stringify(arg) } catch { return '[Circular]' }
        case '%c': return ''
        default: return inspect(arg, 4, [], false)
      }
    })
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
    if (text.length > MAX_ENTRY) text = `${text.slice(0, MAX_ENTRY)}… [${text.length - MAX_ENTRY} more characters cut]`
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

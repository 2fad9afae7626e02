/**
 * Built-ins captured before the action's code runs, so that an action that replaces
 * `JSON.stringify` or pollutes a prototype cannot change what the runtime itself does.
 */
export const stringify = JSON.stringify
export const parse = JSON.parse
export const ObjectKeys = Object.keys
export const ObjectDefineProperty = Object.defineProperty
export const ObjectGetPrototypeOf = Object.getPrototypeOf
export const ObjectPrototype = Object.prototype
export const ArrayIsArray = Array.isArray
export const PromiseCtor = Promise
export const StringCtor = String
export const ErrorCtor = Error
export const ReflectApply = Reflect.apply
export const hasOwn = (o: object, k: PropertyKey): boolean => ReflectApply(ObjectPrototype.hasOwnProperty, o, [k])
export const ObjectCreate = Object.create

// Prototype methods the runtime calls, taken now and applied with Reflect.apply, so that an
// action that replaces Array.prototype.push or RegExp.prototype.exec cannot steer the runtime.
const ArrayPush = Array.prototype.push
const ArrayJoin = Array.prototype.join
const StringSplit = String.prototype.split
const StringTrim = String.prototype.trim
const StringSlice = String.prototype.slice
const RegExpExec = RegExp.prototype.exec
const PromiseThen = Promise.prototype.then

export const push = <T>(array: T[], ...items: T[]): number => ReflectApply(ArrayPush, array, items)
export const join = (array: unknown[], separator: string): string => ReflectApply(ArrayJoin, array, [separator])
export const split = (text: string, separator: string): string[] => ReflectApply(StringSplit, text, [separator])
export const trim = (text: string): string => ReflectApply(StringTrim, text, [])
export const slice = (text: string, start: number, end?: number): string => ReflectApply(StringSlice, text, [start, end])
export const regexExec = (re: RegExp, text: string): RegExpExecArray | null => ReflectApply(RegExpExec, re, [text])
export const regexTest = (re: RegExp, text: string): boolean => regexExec(re, text) !== null
export const then = <T, R>(promise: Promise<T>, onFulfilled: (value: T) => R | PromiseLike<R>, onRejected?: (reason: unknown) => R | PromiseLike<R>): Promise<R> =>
  ReflectApply(PromiseThen, promise, [onFulfilled, onRejected])

/** A map from ids to values with no prototype: nothing an action plants can answer a lookup. */
export function createTable<T> (): Record<number, T> {
  return ObjectCreate(null)
}

/** Reads a stack the default way even if the action changed `Error.prepareStackTrace`. */
export function captureStack (): string {
  const E = ErrorCtor as any
  const savedPrepare = E.prepareStackTrace
  const savedLimit = E.stackTraceLimit
  try {
    E.prepareStackTrace = undefined
    E.stackTraceLimit = 20
  } catch { /* a frozen Error keeps its settings */ }
  let stack = ''
  try { stack = StringCtor(new ErrorCtor().stack) } catch { stack = '' }
  try {
    E.prepareStackTrace = savedPrepare
    E.stackTraceLimit = savedLimit
  } catch { /* see above */ }
  return stack
}

/** `line:column` of the innermost frame inside the action's own code, or "". */
export function actionPosition (stack: string): string {
  const match = regexExec(/action\.js:(\d+):(\d+)/, stack)
  return match ? `${match[1]}:${match[2]}` : ''
}

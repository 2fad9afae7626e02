/**
 * Built-ins captured before the action's code runs, so that an action that replaces
 * `JSON.stringify` or pollutes a prototype cannot change what the runtime itself does.
 */
export const stringify = JSON.stringify
export const parse = JSON.parse
export const ObjectKeys = Object.keys
export const ObjectDefineProperty = Object.defineProperty
export const ObjectFreeze = Object.freeze
export const ObjectGetPrototypeOf = Object.getPrototypeOf
export const ObjectPrototype = Object.prototype
export const ArrayIsArray = Array.isArray
export const PromiseCtor = Promise
export const MapCtor = Map
export const StringCtor = String
export const ErrorCtor = Error
export const TypeErrorCtor = TypeError
export const ReflectApply = Reflect.apply
export const hasOwn = (o: object, k: PropertyKey): boolean => ReflectApply(ObjectPrototype.hasOwnProperty, o, [k])

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
  const match = /action\.js:(\d+):(\d+)/.exec(stack)
  return match ? `${match[1]}:${match[2]}` : ''
}

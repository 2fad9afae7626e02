import type { Comment, Options } from 'acorn'
import type { SnippetMeta } from './metadata.ts'
import { findFreeReferences, type FreeReference } from './scope.ts'
import { acorn } from './lazy.ts'

/** Default size budget of a paste-ready action (contract.md §5). */
export const SIZE_BUDGET_BYTES = 20 * 1024

/** The globals the platform provides (platform.md §2). */
export const PLATFORM_GLOBALS = ['args', '_', 'fetch', 'console', 'ChatlayerResponseBuilder'] as const

/** Global bindings of ECMAScript 2019 (ECMA-262 §18, Annex B) plus ECMA-402's `Intl`; no `globalThis`, `BigInt` (ES2020). */
export const ES2019_GLOBALS = [
  'Infinity', 'NaN', 'undefined', 'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape',
  'Array', 'ArrayBuffer', 'Boolean', 'DataView', 'Date', 'Error', 'EvalError', 'Float32Array', 'Float64Array',
  'Function', 'Int8Array', 'Int16Array', 'Int32Array', 'Map', 'Number', 'Object', 'Promise', 'Proxy',
  'RangeError', 'ReferenceError', 'RegExp', 'Set', 'SharedArrayBuffer', 'String', 'Symbol', 'SyntaxError',
  'TypeError', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'URIError', 'WeakMap', 'WeakSet',
  'Atomics', 'JSON', 'Math', 'Reflect', 'Intl',
] as const

/** The checks of contract.md §5, in report order. */
export type CheckName = 'syntax' | 'modules' | 'globals' | 'send' | 'size' | 'header'

export interface CheckResult {
  check: CheckName
  ok: boolean
  /** One line: what was found. */
  message: string
}

export interface PasteReport {
  /** The snippet id or file shown in reports. */
  name: string
  ok: boolean
  bytes: number
  checks: CheckResult[]
  /** Free globals the code reads (allowed or not), sorted. */
  globals: string[]
}

export interface PasteCheckOptions {
  name: string
  /** The snippet's metadata: the header must then name every argument it declares. */
  meta?: SnippetMeta
  budgetBytes?: number
}

const ALLOWED = new Set<string>([...PLATFORM_GLOBALS, ...ES2019_GLOBALS])
const MODULE_NODES = new Set(['ImportDeclaration', 'ExportNamedDeclaration', 'ExportDefaultDeclaration', 'ExportAllDeclaration', 'ImportExpression'])

/** How the platform reads a pasted action: the body of an async function in sloppy mode (platform.md §1). */
const BODY_OPTIONS: Options = {
  ecmaVersion: 2019,
  sourceType: 'script',
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  allowHashBang: false,
  locations: true,
}

type AnyNode = { type: string, loc?: { start: { line: number, column: number } } | null, [key: string]: any }

interface Parsed { ast: AnyNode | null, comments: Comment[], syntax: CheckResult }

function parseBody (code: string): Parsed {
  const comments: Comment[] = []
  const position = (error: any): string => error.loc ? ` at ${error.loc.line}:${error.loc.column + 1}` : ''
  const clean = (error: any): string => String(error.message).replace(/\s*\(\d+:\d+\)$/, '')
  try {
    const ast = acorn().parse(code, { ...BODY_OPTIONS, onComment: comments }) as unknown as AnyNode
    return { ast, comments, syntax: { check: 'syntax', ok: true, message: 'parses as the body of an async function (sloppy mode, ES2019)' } }
  } catch (first: any) {
    for (const sourceType of ['script', 'module'] as const) {
      const later: Comment[] = []
      try {
        const ast = acorn().parse(code, { ...BODY_OPTIONS, ecmaVersion: 'latest', sourceType, onComment: later }) as unknown as AnyNode
        const why = sourceType === 'module' ? 'import/export only parse in a module, never in a function body' : `syntax newer than ES2019, the target level: ${clean(first)}`
        return { ast, comments: later, syntax: { check: 'syntax', ok: false, message: `${why}${position(first)}` } }
      } catch { /* try the next reading */ }
    }
    return { ast: null, comments, syntax: { check: 'syntax', ok: false, message: `does not parse as an async function body: ${clean(first)}${position(first)}` } }
  }
}

/** Every node of a tree, depth first. */
function * nodes (node: AnyNode): Generator<AnyNode> {
  yield node
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue
    const value = node[key]
    if (Array.isArray(value)) { for (const item of value) if (item && typeof item.type === 'string') yield * nodes(item) } else if (value && typeof value.type === 'string') yield * nodes(value)
  }
}

const at = (node: AnyNode): string => node.loc ? `${node.loc.start.line}:${node.loc.start.column + 1}` : '?'
const list = (refs: FreeReference[]): string => [...new Set(refs.map(r => r.name))].map(name => `${name} (line ${refs.find(r => r.name === name)!.line})`).join(', ')

/** Argument keys the code reads directly: `args.key`, `args['key']`, `const { key } = args`. */
function directArgKeys (ast: AnyNode, argsIsGlobal: boolean): { keys: Set<string>, whole: boolean } {
  const keys = new Set<string>()
  let whole = false
  if (!argsIsGlobal) return { keys, whole }
  for (const node of nodes(ast)) {
    if (node.type === 'MemberExpression' && node.object.type === 'Identifier' && node.object.name === 'args') {
      if (!node.computed && node.property.type === 'Identifier') keys.add(node.property.name)
      else if (node.property.type === 'Literal' && typeof node.property.value === 'string') keys.add(node.property.value)
      else whole = true
    } else if (node.type === 'VariableDeclarator' && node.init && node.init.type === 'Identifier' && node.init.name === 'args') {
      if (node.id.type === 'ObjectPattern') {
        for (const p of node.id.properties) if (p.type === 'Property' && !p.computed) keys.add(p.key.type === 'Identifier' ? p.key.name : String(p.key.value))
      } else whole = true
    }
  }
  return { keys, whole }
}

/** Checks that a body is ready to paste into the Chatlayer code editor (contract.md §5). */
export function checkPasteReady (code: string, options: PasteCheckOptions): PasteReport {
  const budget = options.budgetBytes ?? SIZE_BUDGET_BYTES
  const bytes = Buffer.byteLength(code, 'utf8')
  const { ast, comments, syntax } = parseBody(code)
  const checks: CheckResult[] = [syntax]
  let globals: string[] = []
  if (!ast) {
    checks.push(
      { check: 'modules', ok: false, message: 'not checked: the code does not parse' },
      { check: 'globals', ok: false, message: 'not checked: the code does not parse' },
      { check: 'send', ok: false, message: 'not checked: the code does not parse' },
    )
  } else {
    const free = findFreeReferences(ast)
    globals = [...new Set(free.map(r => r.name))].sort()
    const moduleNodes = [...nodes(ast)].filter(n => MODULE_NODES.has(n.type) || (n.type === 'MetaProperty' && n.meta.name === 'import'))
    const requires = free.filter(r => r.name === 'require')
    const problems = [
      ...moduleNodes.map(n => `${n.type === 'ImportExpression' ? 'import()' : n.type === 'MetaProperty' ? 'import.meta' : n.type.startsWith('Import') ? 'import' : 'export'} at ${at(n)}`),
      ...requires.map(r => `require at ${r.line}:${r.column}`),
    ]
    checks.push({ check: 'modules', ok: problems.length === 0, message: problems.length ? `the platform has no modules: ${problems.join(', ')}` : 'no import, export or require' })

    const created = free.filter(r => r.write && !ALLOWED.has(r.name))
    const missing = free.filter(r => !r.write && !r.typeofOnly && !ALLOWED.has(r.name) && !created.some(c => c.name === r.name))
    const used = globals.filter(name => ALLOWED.has(name) && (PLATFORM_GLOBALS as readonly string[]).includes(name))
    const globalProblems: string[] = []
    if (missing.length) globalProblems.push(`uses globals the platform does not have: ${list(missing)}`)
    if (created.length) globalProblems.push(`assigns undeclared variables, creating globals: ${list(created)}`)
    checks.push({ check: 'globals', ok: globalProblems.length === 0, message: globalProblems.length ? globalProblems.join('; ') : `only platform globals${used.length ? ` (${used.join(', ')})` : ''} and ES2019 built-ins` })

    const sends = [...nodes(ast)].filter(n => n.type === 'CallExpression' && n.callee.type === 'MemberExpression' &&
      ((!n.callee.computed && n.callee.property.name === 'send') || (n.callee.property.type === 'Literal' && n.callee.property.value === 'send')))
    checks.push({ check: 'send', ok: sends.length > 0, message: sends.length ? `calls send() (line ${sends.map(s => s.loc?.start.line).join(', ')})` : 'never calls send(): the user would see nothing' })
  }
  checks.push({ check: 'size', ok: bytes <= budget, message: `${bytes.toLocaleString('en-US')} bytes${bytes <= budget ? ' within' : ' over'} the ${budget.toLocaleString('en-US')}-byte budget` })
  checks.push(headerCheck(code, ast, comments, options.meta, globals.includes('args')))
  return { name: options.name, ok: checks.every(c => c.ok), bytes, checks, globals }
}

function headerCheck (code: string, ast: AnyNode | null, comments: Comment[], meta: SnippetMeta | undefined, argsIsGlobal: boolean): CheckResult {
  const firstCode = ast && ast.body.length ? ast.body[0].start : code.length
  const header = comments.filter(c => c.end <= firstCode).map(c => c.value).join('\n')
  const named = (key: string): boolean => new RegExp(`(^|[^\\w$:<>.-])\\[?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\]?(?![\\w$:<>.-])`).test(header)
  if (meta) {
    const absent = meta.args.filter(a => !named(a.key)).map(a => a.key)
    if (!header.trim()) return { check: 'header', ok: false, message: 'no header comment: build the snippet with `code-action build` to get one' }
    return absent.length
      ? { check: 'header', ok: false, message: `the header comment does not list ${absent.join(', ')}` }
      : { check: 'header', ok: true, message: `the header lists the ${meta.args.length} argument${meta.args.length === 1 ? '' : 's'}` }
  }
  const { keys, whole } = ast ? directArgKeys(ast, argsIsGlobal) : { keys: new Set<string>(), whole: false }
  if (keys.size === 0 && !whole) return { check: 'header', ok: true, message: 'reads no arguments' }
  if (!header.trim()) return { check: 'header', ok: false, message: `no header comment listing the arguments to configure${keys.size ? ` (${[...keys].join(', ')})` : ''}` }
  const absent = [...keys].filter(key => !named(key))
  if (absent.length) return { check: 'header', ok: false, message: `the header comment does not list ${absent.join(', ')}` }
  if (keys.size === 0 && !/argument/i.test(header)) return { check: 'header', ok: false, message: 'the header comment does not say which arguments to configure' }
  return { check: 'header', ok: true, message: `the header lists the arguments${keys.size ? ` (${[...keys].join(', ')})` : ''}` }
}

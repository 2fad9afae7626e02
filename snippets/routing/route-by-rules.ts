/**
 * @title Route by rules
 * @summary Tests ordered conditions on session values; the first that holds picks the next dialog state.
 *
 * Give each session value a rule tests its own variable row (key `tier`, variable
 * `customer.tier`), then write the rules as text rows rule1, rule2, ... each with its
 * rule1DialogState, rule2DialogState, ... Rules are tested in number order and the first that
 * holds wins; when none holds the bot goes to defaultDialogState.
 *
 * A rule is `value operator expected`, joined with `and` / `or` (and binds first):
 * `tier = gold`, `cart.total >= 100`, `country in BE, NL, LU`, `email exists`, `phone is empty`,
 * `message contains "refund"`, `code matches ^[A-Z]{3}\d+$`, `tier != gold and age > 17`.
 * Comparisons ignore case; numbers compare as numbers. A rule that does not parse is reported in
 * the log and skipped, never guessed at.
 *
 * @arg {variable} <value> - one row per session value the rules test, keyed by the name the rules use
 * @arg {text} rule<N> - rule N (1 to 20), e.g. tier = gold and cart.total >= 100
 * @arg {dialogstate} rule<N>DialogState - where to go when rule N is the first that holds
 * @arg {dialogstate} defaultDialogState - where to go when no rule holds
 * @arg {text} [saveAs] - session path the result is written under (default routing)
 * @jumps rule<N>DialogState - rule N is the first rule that holds
 * @jumps defaultDialogState - no rule holds (or none is valid)
 * @writes routing.rule - {matched, dialogState}: the number of the rule that held (null for none)
 */
import { readNumber, readSessionPath, readText } from '../_lib/read-args.ts'
import { isRecord } from '../_lib/parse-body.ts'
import { runSafely, sendReply, type FailureRoute } from '../_lib/respond.ts'

interface Args {
  /** Session values the rules test, one variable row each. */
  [value: string]: unknown
  [rule: `rule${number}`]: string
  [target: `rule${number}DialogState`]: string
  defaultDialogState: string
  saveAs?: string
}

const MAX_RULES = 20

const input = args as Partial<Args>

function failureRoute (): FailureRoute {
  return {
    saveAs: readSessionPath(input.saveAs, 'routing'),
    errorDialogState: readText(input.defaultDialogState),
    apology: "Sorry, something went wrong on our side. Let's start again.",
  }
}

type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'contains' | 'not contains' | 'matches' | 'exists' | 'not exists' | 'empty' | 'not empty'
interface Clause { path: string, op: Operator, values: string[] }
/** Clauses joined by `and`, groups joined by `or`. */
type Condition = Clause[][]

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|>=|<=|!=|==|<>|=|>|<|,|[^\s,"'=<>!]+)/y

function tokenize (text: string): string[] {
  const tokens: string[] = []
  let end = 0
  TOKEN.lastIndex = 0
  let match: RegExpExecArray | null
  // A failed sticky match resets lastIndex, so the end of the last token is kept apart.
  while ((match = TOKEN.exec(text)) !== null) { tokens.push(match[1]); end = TOKEN.lastIndex }
  if (text.slice(end).trim() !== '') throw new Error(`cannot read "${text.slice(end).trim()}"`)
  return tokens
}

const unquote = (token: string): string => /^["']/.test(token) ? token.slice(1, -1).replace(/\\(.)/g, '$1') : token
const isWord = (token: string | undefined, word: string): boolean => token !== undefined && token.toLowerCase() === word

/** Parses a rule; throws an Error whose message says what is wrong. */
function parseRule (text: string): Condition {
  const tokens = tokenize(text)
  let i = 0
  const next = (): string | undefined => tokens[i++]
  const groups: Condition = [[]]
  for (;;) {
    const path = next()
    if (path === undefined || /^["',=<>!]/.test(path)) throw new Error(`expected a value name${path ? `, got ${path}` : ''}`)
    let opToken = (next() || '').toLowerCase()
    if (opToken === 'is') opToken = (next() || '').toLowerCase()
    let negated = false
    if (opToken === 'not') { negated = true; opToken = (next() || '').toLowerCase() }
    const symbolic: Record<string, Operator> = { '=': '=', '==': '=', '!=': '!=', '<>': '!=', '>': '>', '>=': '>=', '<': '<', '<=': '<=' }
    let op: Operator
    if (symbolic[opToken] && !negated) op = symbolic[opToken]
    else if (['in', 'contains', 'exists', 'empty'].includes(opToken)) op = (negated ? `not ${opToken}` : opToken) as Operator
    else if (opToken === 'matches' && !negated) op = 'matches'
    else throw new Error(`unknown operator "${opToken || '(none)'}" after ${path}`)
    const values: string[] = []
    let current: string[] = []
    while (i < tokens.length && !isWord(tokens[i], 'and') && !isWord(tokens[i], 'or')) {
      const token = next() as string
      if (token === ',') { values.push(current.join(' ')); current = [] } else current.push(unquote(token))
    }
    if (current.length) values.push(current.join(' '))
    const needsValue = !['exists', 'not exists', 'empty', 'not empty'].includes(op)
    if (needsValue && values.length === 0) throw new Error(`${path} ${op} needs a value`)
    if (!needsValue && values.length) throw new Error(`${path} ${op} takes no value`)
    if (values.length > 1 && op !== 'in' && op !== 'not in') throw new Error(`only "in" takes a list (${path} ${op})`)
    if (op === 'matches') new RegExp(values[0], 'i') // throws SyntaxError for an invalid pattern
    groups[groups.length - 1].push({ path, op, values })
    const joiner = next()
    if (joiner === undefined) return groups
    if (isWord(joiner, 'or')) groups.push([])
  }
}

const text = (value: unknown): string => value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value).trim()
const same = (actual: unknown, expected: string): boolean => {
  const a = readNumber(actual)
  const e = readNumber(expected)
  if (a !== undefined && e !== undefined && typeof actual !== 'boolean') return a === e
  return text(actual).toLowerCase() === expected.toLowerCase()
}

function holds (clause: Clause, actual: unknown): boolean {
  const [expected] = clause.values
  const isEmpty = actual === undefined || actual === null || text(actual) === '' || (typeof actual === 'object' && _.isEmpty(actual))
  switch (clause.op) {
    case '=': return same(actual, expected)
    case '!=': return !same(actual, expected)
    case 'in': return clause.values.some(v => same(actual, v))
    case 'not in': return !clause.values.some(v => same(actual, v))
    case 'contains':
    case 'not contains': {
      const found = Array.isArray(actual) ? actual.some(item => same(item, expected)) : text(actual).toLowerCase().includes(expected.toLowerCase())
      return clause.op === 'contains' ? found : !found
    }
    case 'matches': return new RegExp(expected, 'i').test(text(actual))
    case 'exists': return actual !== undefined && actual !== null
    case 'not exists': return actual === undefined || actual === null
    case 'empty': return isEmpty
    case 'not empty': return !isEmpty
    default: {
      const a = readNumber(actual)
      const e = readNumber(expected)
      if (isEmpty) return false
      const [x, y] = a !== undefined && e !== undefined ? [a, e] : [text(actual), expected]
      return clause.op === '>' ? x > y : clause.op === '>=' ? x >= y : clause.op === '<' ? x < y : x <= y
    }
  }
}

async function main (): Promise<void> {
  const route = failureRoute()
  const values: Record<string, unknown> = {}
  for (const key of Object.keys(input)) if (!/^rule\d+(?:DialogState)?$|^(?:defaultDialogState|saveAs)$/.test(key)) values[key] = input[key]
  const check = (clause: Clause): boolean => {
    const root = clause.path.split(/[.[]/)[0]
    if (!(root in values)) throw new Error(`no argument row named "${root}": add a variable row with that key`)
    return holds(clause, _.get(values, clause.path))
  }

  let matched: number | null = null
  let target: string | undefined
  let rules = 0
  for (let n = 1; n <= MAX_RULES && matched === null; n++) {
    const rule = readText(input[`rule${n}`])
    if (rule === undefined) continue
    rules++
    const dialogState = readText(input[`rule${n}DialogState`])
    try {
      if (!dialogState) throw new Error(`rule${n}DialogState is not configured`)
      if (parseRule(rule).some(group => group.every(check))) { matched = n; target = dialogState }
    } catch (error) {
      const why = isRecord(error) && typeof error.message === 'string' ? error.message : String(error)
      console.error(`rule${n} skipped: ${why} (rule${n}: ${rule})`)
    }
  }
  if (rules === 0) console.error('no rule1, rule2, ... text row is configured: going to defaultDialogState')
  console.log(matched === null ? 'no rule holds' : `rule${matched} holds`)
  const writes: Array<[string, unknown]> = [[`${route.saveAs}.rule`, { matched, dialogState: target || route.errorDialogState || null }]]
  if (target) return sendReply({ writes, jump: target })
  if (route.errorDialogState) return sendReply({ writes, jump: route.errorDialogState })
  console.error('defaultDialogState is not configured')
  sendReply({ writes, messages: [route.apology] })
}

await runSafely(main, failureRoute)

import { ToolError } from './errors.ts'
import type { GlobalName, RuntimeProfile } from './types.ts'

/** The defaults of platform.md §6; each is a documented, switchable option. */
export const DEFAULT_PROFILE: Readonly<RuntimeProfile> = Object.freeze({
  timeoutMs: 10_000,
  memoryMb: 128,
  multipleSends: 'apply-all',
  unhandledRejection: 'warn',
  sessionWrite: 'merge',
  applyOnError: false,
  globals: [],
  isolate: 'fresh',
  maxRequests: 50,
  maxLogBytes: 1_000_000,
  maxSendBytes: 1_000_000,
})

export const GLOBAL_NAMES: readonly GlobalName[] = [
  'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'btoa', 'atob', 'Buffer', 'URL',
  'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController', 'crypto', 'structuredClone',
  'process', 'require', 'module',
]

type Check = (value: unknown) => string | null

const positiveInt = (min: number, max: number): Check => value =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max
    ? null
    : `a whole number from ${min} to ${max}`
const oneOf = (...choices: string[]): Check => value =>
  choices.includes(value as string) ? null : `one of ${choices.map(c => `"${c}"`).join(', ')}`
const bool: Check = value => typeof value === 'boolean' ? null : 'true or false'
const globalList: Check = value =>
  Array.isArray(value) && value.every(v => GLOBAL_NAMES.includes(v))
    ? null
    : `a list of global names among ${GLOBAL_NAMES.join(', ')}`

const CHECKS: Record<keyof RuntimeProfile, Check> = {
  timeoutMs: positiveInt(1, 600_000),
  memoryMb: positiveInt(8, 4096),
  multipleSends: oneOf('apply-all', 'first', 'error'),
  unhandledRejection: oneOf('warn', 'error'),
  sessionWrite: oneOf('merge', 'replace'),
  applyOnError: bool,
  globals: globalList,
  isolate: oneOf('fresh', 'pooled'),
  maxRequests: positiveInt(1, 100_000),
  maxLogBytes: positiveInt(1_000, 100_000_000),
  maxSendBytes: positiveInt(1_000, 100_000_000),
}

export const PROFILE_KEYS = Object.keys(CHECKS) as Array<keyof RuntimeProfile>

/**
 * Returns the reason an option value is invalid, or null. `where` names the option in the message
 * (a fixture key path or a CLI flag).
 */
export function checkProfileOption (key: string, value: unknown): string | null {
  const check = CHECKS[key as keyof RuntimeProfile]
  if (!check) return `unknown option "${key}"; known options: ${PROFILE_KEYS.join(', ')}`
  const expected = check(value)
  return expected ? `option "${key}" must be ${expected}, got ${JSON.stringify(value)}` : null
}

/** Merges option layers over the defaults, validating every value. */
export function resolveProfile (...layers: Array<Partial<RuntimeProfile> | undefined>): RuntimeProfile {
  const profile: RuntimeProfile = { ...DEFAULT_PROFILE, globals: [] }
  for (const layer of layers) {
    if (!layer) continue
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue
      const problem = checkProfileOption(key, value)
      if (problem) throw new ToolError('ERR_USAGE', problem, 'Fix the option, or see the README section "Runtime profile".')
      ;(profile as any)[key] = value
    }
  }
  return profile
}

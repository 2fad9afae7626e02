import type { ErrorCode } from './types.ts'

/** Exit codes of the command line (contract.md §1). */
export const EXIT = { ok: 0, failed: 1, toolError: 2 } as const

/**
 * A failure of the tool itself (exit code 2): bad usage, an invalid fixture, an unknown action,
 * a snippet that does not compile. The message has two parts: what failed, then what to do.
 */
export class ToolError extends Error {
  readonly code: Extract<ErrorCode, 'ERR_FIXTURE' | 'ERR_ACTION_NOT_FOUND' | 'ERR_COMPILE' | 'ERR_USAGE'>
  readonly hint: string | undefined

  constructor (code: ToolError['code'], message: string, hint?: string) {
    super(hint ? `${message}\n${hint}` : message)
    this.name = 'ToolError'
    this.code = code
    this.hint = hint
  }
}

/** Tells a ToolError by its code, since `instanceof` does not survive module copies. */
export function isToolError (error: unknown): error is ToolError {
  return typeof error === 'object' && error !== null && (error as any).name === 'ToolError' &&
    typeof (error as any).code === 'string'
}

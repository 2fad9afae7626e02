import { parseArgs } from 'node:util'
import { ToolError } from '../errors.ts'

export type FlagSpec = Record<string, 'string' | 'boolean'>

/** Parses flags strictly; an unknown flag is ERR_USAGE naming it and the command's help. */
export function parseFlags (argv: string[], spec: FlagSpec, command: string): { flags: Record<string, string | boolean | undefined>, positionals: string[] } {
  try {
    const options = Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }]))
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
    return { flags: values as Record<string, string | boolean | undefined>, positionals }
  } catch (error: any) {
    throw new ToolError('ERR_USAGE', `code-action ${command}: ${error.message.split('\n')[0]}`, `See \`code-action ${command} --help\`.`)
  }
}

import { isToolError } from '../errors.ts'
import { processIO, type CliIO } from './io.ts'
import { runCommand } from './run.ts'
import { startCommand } from './start.ts'
import { buildCommand } from './build.ts'
import { checkCommand } from './check.ts'
import { listCommand } from './list.ts'
import { testCommand } from './test.ts'
import { newCommand } from './new.ts'

export const HELP = `code-action: typed snippets, a faithful local sandbox and offline tests for Chatlayer code actions

Usage: code-action <command> [options]

Commands:
  run <action>     run one action against one fixture and print what the bot would do
  build [id...]    bundle snippets into paste-ready dist/<id>.js files (--out, --watch)
  check [id|file]  report whether actions are ready to paste (contract §5)
  list             list the library snippets and their arguments (--json)
  start            run every fixture under fixtures/ (what \`npm start\` does)
  test [path...]   run every fixture with an expect block and check it (--json, --bail)
  new <id>         scaffold a snippet, a fixture and a test that pass at once

Every command accepts --help. Exit codes: 0 ok, 1 the action or a check failed, 2 the tool could not run it.`

type Command = (argv: string[], io: CliIO) => Promise<number>

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  build: buildCommand,
  check: checkCommand,
  list: listCommand,
  test: testCommand,
  new: newCommand,
  start: async (argv, io) => {
    if (argv.includes('--help')) { io.stdout('Usage: code-action start\n\nBuilds every snippet and runs every fixture under fixtures/, one line each.'); return 0 }
    return startCommand(io)
  },
}

/**
 * The CLI entry: takes raw arguments (never process.argv) and returns the exit code. The sandbox
 * processes of the shared pool stay up for the next call in the same process (tests call `main`
 * many times); the binary stops them when its command is done (bin/code-action.js).
 */
export async function main (rawArgs: string[], io: CliIO = processIO()): Promise<number> {
  const [command, ...rest] = rawArgs
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') { io.stdout(HELP); return command ? 0 : 2 }
    const run = COMMANDS[command]
    if (!run) {
      io.stderr(`code-action: unknown command "${command}"\nCommands: ${Object.keys(COMMANDS).join(', ')}. See \`code-action --help\`.`)
      return 2
    }
    return await run(rest, io)
  } catch (error) {
    if (isToolError(error)) {
      io.stderr(`${error.code}: ${error.message}`)
      return 2
    }
    throw error
  }
}


/** Runs the CLI in-process through `main(rawArgs, io)` and captures what it prints. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { main } from '../../runner/cli/main.ts'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  /** Both streams, for checks that must hold for everything printed. */
  all: string
}

export async function cli (...args: string[]): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const code = await main(args, {
    stdout: text => { stdout += text.endsWith('\n') ? text : `${text}\n` },
    stderr: text => { stderr += text.endsWith('\n') ? text : `${text}\n` },
    color: false,
  })
  return { code, stdout, stderr, all: stdout + stderr }
}

/** The committed corpus. */
export const CORPUS = fileURLToPath(new URL('./fixtures/', import.meta.url))

/** A corpus file, as an absolute path. */
export const corpus = (name: string): string => join(CORPUS, name)

/** How the CLI shows a path: relative to the current folder when inside it. */
export function shown (file: string): string {
  const rel = relative(process.cwd(), file)
  return rel && !rel.startsWith('..') ? rel : file
}

/** A fresh temporary folder for files the tests write (binary, huge, unreadable). */
export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'chatlayer-bad-input-'))

/** A V8 stack frame line, which must never reach the user. */
export const RAW_STACK = /^ {4}at /m

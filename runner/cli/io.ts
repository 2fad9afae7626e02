/** Where a command writes; tests pass their own to capture output. */
export interface CliIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Colour output (TTY and no NO_COLOR). */
  color: boolean
}

export const processIO = (): CliIO => ({
  stdout: text => { process.stdout.write(text.endsWith('\n') ? text : `${text}\n`) },
  stderr: text => { process.stderr.write(text.endsWith('\n') ? text : `${text}\n`) },
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
})

import { describeMessage, NO_STYLE } from '../runner/report.ts'
import type { RunResult } from '../runner/types.ts'

const json = (value: unknown): string => JSON.stringify(value) ?? 'undefined'

/** Every text a user reads in the run's messages (text messages, quick reply and button titles). */
export function sentTexts (result: RunResult): string[] {
  return result.messages.flatMap(message =>
    (message?.config?.textMessages ?? []).map((t: any) => t?.text).filter((t: unknown): t is string => typeof t === 'string'))
}

/** A short account of what a run did, for failure messages: jump, messages, session, requests, error. */
export function describeRun (result: RunResult): string {
  const lines = ['What the action did:']
  const section = (title: string, items: string[], empty: string): void => {
    if (items.length === 0) { lines.push(`  ${title}: ${empty}`); return }
    lines.push(`  ${title}:`, ...items.map(item => `    ${item}`))
  }
  lines.push(`  jump: ${result.nextDialogState === null ? "none (the dialog's own Go To applies)" : `→ ${result.nextDialogState}`}`)
  section('messages', result.messages.flatMap(m => describeMessage(m, NO_STYLE)), 'none')
  section('session changes', result.sessionChanges.map(c => `${c.path}: ${json(c.before)} → ${json(c.after)}`), 'none')
  section('requests', result.requests.map(r => `${r.method} ${r.url} → ${r.status ?? r.error ?? 'failed'}`), 'none')
  if (result.warnings.length) section('warnings', result.warnings, 'none')
  lines.push(`  error: ${result.error ? `${result.error.code}: ${result.error.message.split('\n')[0]}` : 'none'}`)
  return lines.join('\n')
}

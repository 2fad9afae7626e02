import type { Message, RunResult } from './types.ts'

export interface Style { bold: (s: string) => string, dim: (s: string) => string, red: (s: string) => string, green: (s: string) => string, yellow: (s: string) => string, cyan: (s: string) => string }

const plain = (s: string): string => s
export const NO_STYLE: Style = { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain }
export function ansiStyle (enabled: boolean): Style {
  if (!enabled) return NO_STYLE
  const wrap = (a: number, b: number) => (s: string): string => `\x1b[${a}m${s}\x1b[${b}m`
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) }
}

const json = (value: unknown): string => JSON.stringify(value) ?? 'undefined'

function describeButton (button: any): string {
  if (!button || typeof button !== 'object') return json(button)
  const title = button.title ?? button.text ?? '(no title)'
  if (button.type === 'web_url') return `[${title}] → ${button.url}`
  if (button.type === 'phone_number') return `[${title}] ☎ ${button.payload}`
  const payload = button.payload
  if (payload && typeof payload === 'object') {
    const params = Array.isArray(payload.params) && payload.params.length
      ? ` with ${payload.params.map((p: any) => `${p.key}=${json(p.value)}`).join(', ')}` : ''
    return `[${title}] → ${payload.nextDialogstateId ?? '(no dialog state)'}${params}`
  }
  return `[${title}]${payload !== undefined ? ` payload ${json(payload)}` : ''}`
}

/** One message the way a chat user would see it, as indented lines. */
export function describeMessage (message: Message, s: Style): string[] {
  const config: any = message?.config ?? {}
  const texts = (config.textMessages ?? []).map((t: any) => t?.text)
  switch (message?.type) {
    case 'text': return texts.map((t: unknown) => `💬 ${typeof t === 'string' ? t : json(t)}`)
    case 'quickReplies':
      return [`💬 ${texts.join(' ')}`, ...(config.quickReplies ?? []).map((q: any) => `   ${s.cyan('(quick reply)')} ${describeButton(q)}`)]
    case 'buttons':
      return [`💬 ${texts.join(' ')}`, ...(config.buttons ?? []).map((b: any) => `   ${s.cyan('(button)')} ${describeButton(b)}`)]
    case 'carousel':
      return [`🎠 carousel of ${(config.elements ?? []).length} card(s)`, ...(config.elements ?? []).flatMap((e: any, i: number) => [
        `   ${i + 1}. ${e?.title ?? '(no title)'}${e?.subTitle ? ` — ${e.subTitle}` : ''}${e?.imageUrl ? s.dim(` [image ${e.imageUrl}]`) : ''}`,
        ...(e?.buttons ?? []).map((b: any) => `      ${s.cyan('(button)')} ${describeButton(b)}`),
      ])]
    case 'media': return [`🖼  ${config.media?.type ?? 'media'}: ${config.media?.url}`]
    case '__raw': return [`🧩 html${config.withBalloon === false ? '' : ' (in a balloon)'}: ${String(config.html).slice(0, 200)}`]
    case 'JSONTemplate': return [`🧩 template${config.__component ? ` (${config.__component})` : ''}: ${json(config).slice(0, 200)}`]
    case 'list': return [`📋 list: ${json(config).slice(0, 200)}`]
    default: return [`? ${json(message).slice(0, 200)}`]
  }
}

/** The human-readable report of `code-action run`. */
export function formatReport (result: RunResult, s: Style = NO_STYLE): string {
  const out: string[] = []
  const status = result.ok ? s.green('✔ ran') : s.red(`✖ ${result.error!.code}`)
  out.push(`${status} ${s.bold(result.action)}${result.fixture ? ` with ${result.fixture}` : ''} ${s.dim(`(${result.durationMs} ms)`)}`)
  const section = (title: string, lines: string[]): void => {
    if (lines.length === 0) return
    out.push('', s.bold(title), ...lines.map(l => `  ${l}`))
  }
  section('Messages', result.messages.flatMap(m => describeMessage(m, s)))
  section('Next dialog state', result.nextDialogState !== null ? [`→ ${result.nextDialogState}`] : result.ok && result.sends.length ? [s.dim("none: the dialog's own Go To applies")] : [])
  section('Session changes', result.sessionChanges.map(c => `${c.path}: ${json(c.before)} → ${json(c.after)}`))
  section('HTTP', result.requests.map(r => `${r.method} ${r.url} ${r.status === null ? s.red(r.error ?? 'failed') : r.status} ${s.dim(`${r.durationMs} ms`)}`))
  section('Console', result.logs.map(l => `${l.level === 'error' ? s.red(l.level) : l.level === 'warn' ? s.yellow(l.level) : s.dim(l.level)} ${l.text}${l.source ? s.dim(`  (${l.source})`) : ''}`))
  section('Warnings', result.warnings.map(w => s.yellow(`⚠ ${w}`)))
  if (result.error) {
    const lines = `${result.error.code}: ${result.error.message}`.split('\n').map(l => s.red(l))
    if (result.error.stack) lines.push(...result.error.stack.split('\n').slice(1).map(l => s.dim(l.trim())))
    section('Error', lines)
  }
  return out.join('\n')
}

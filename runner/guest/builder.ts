import type { HostBridge } from './host.ts'
import { ArrayIsArray, hasOwn, ObjectCreate, push, regexTest, split, StringCtor, stringify, trim } from './intrinsics.ts'

const isMediaType = (type: unknown): boolean => type === 'image' || type === 'video' || type === 'file' || type === 'audio'
const INDEX = /^(?:0|[1-9]\d*)$/
const BANNER_BACKGROUNDS: Record<string, string> = {
  ERROR: '#FFEFEF', SUCCESS: '#EFFFF1', INFO: '#EFF6FF', DANGER: '#FAF8EF',
}

interface State { action?: Record<string, unknown>, messages: unknown[], session?: unknown[] }

export interface BuilderHooks {
  host: HostBridge
  isFinished: () => boolean
  maxSendBytes: number
}

/** lodash `set` on `{}` for a path of plain segments: an index-like segment below the root creates an array. */
function nest (segments: string[], data: unknown): unknown {
  if (segments.length === 0) return data
  const root: any = {}
  let node = root
  for (let i = 0; i < segments.length - 1; i++) {
    node[segments[i]] = regexTest(INDEX, segments[i + 1]) ? [] : {}
    node = node[segments[i]]
  }
  node[segments[segments.length - 1]] = data
  return root
}

/** Serialises a payload in the platform's key order, trimming messages past the size cap. */
function serialise (state: State, maxBytes: number, host: HostBridge): string {
  // Own properties only, into an object without a prototype: a setter or a value planted on
  // Object.prototype cannot add a jump, hide the messages or forge a session write.
  const payload: Record<string, unknown> = ObjectCreate(null)
  if (hasOwn(state, 'action') && state.action !== undefined) payload.action = state.action
  payload.messages = state.messages
  if (hasOwn(state, 'session') && state.session !== undefined) payload.session = state.session
  let json = stringify(payload)
  if (json === undefined) json = '{"messages":[]}'
  if (json.length <= maxBytes) return json
  const total = ArrayIsArray(state.messages) ? state.messages.length : 0
  const kept: unknown[] = []
  const trimmed: Record<string, unknown> = ObjectCreate(null)
  if (payload.action !== undefined) trimmed.action = payload.action
  trimmed.messages = kept
  if (payload.session !== undefined) trimmed.session = payload.session
  for (let i = 0; i < total; i++) {
    push(kept, state.messages[i])
    if (stringify(trimmed).length > maxBytes) { kept.length--; break }
  }
  if (stringify(trimmed).length > maxBytes) delete trimmed.session
  host.warn(`send() payload of ${json.length} bytes is over the ${maxBytes}-byte cap (option maxSendBytes): ` +
    `kept ${kept.length} of ${total} messages${trimmed.session === undefined && payload.session !== undefined ? ' and dropped the session writes' : ''}`)
  return stringify(trimmed)
}

/** Creates `ChatlayerResponseBuilder` exactly as platform.md §2.2 describes it. */
export function createBuilderFactory (hooks: BuilderHooks): any {
  const { host } = hooks

  function ChatlayerResponseBuilder (): any {
    const state: State = { messages: [] }
    let setCalls = 0
    const builder: any = {
      addMessage (text: unknown) {
        push(state.messages, { type: 'text', config: { textMessages: [{ text }] } })
        return builder
      },
      addSessionVariable (ns: unknown, data: unknown) {
        if (typeof ns !== 'string' || trim(ns) === '') throw new Error(`invalid session namespace "${StringCtor(ns)}"`)
        const [namespace, ...rest] = split(trim(ns), '.')
        if (namespace === 'internal') throw new Error("can't modify internal session namespace")
        if (!hasOwn(state, 'session') || state.session === undefined) state.session = []
        push(state.session!, { namespace, data: nest(rest, data) })
        return builder
      },
      setSessionVariable (ns: any, data: unknown) {
        const [namespace, ...rest] = ns.split('.')
        setCalls++
        if (setCalls === 2) {
          host.warn('setSessionVariable() was called more than once on one builder: only the last call survives ' +
            '(it replaces the whole list); use addSessionVariable() to write several variables')
        }
        state.session = [{ namespace, data: nest(rest, data) }]
        return builder
      },
      setNextDialogState (id: unknown) {
        state.action = { ...state.action, nextDialogstate: id }
        return builder
      },
      addQuickReplies ({ title, quickReplies }: any) {
        push(state.messages, { type: 'quickReplies', config: { textMessages: [{ text: title }], quickReplies } })
        return builder
      },
      addButtonGroup ({ title, buttons = [] }: any) {
        push(state.messages, { type: 'buttons', config: { textMessages: [{ text: title }], buttons } })
        return builder
      },
      addCarousel (elements: unknown) {
        push(state.messages, { type: 'carousel', config: { elements } })
        return builder
      },
      addMediaMessage ({ type, url }: any) {
        if (!isMediaType(type)) throw new Error(`Invalid type: ${type}`)
        push(state.messages, { type: 'media', config: { media: { type, url } } })
        return builder
      },
      addHtml (html: unknown, { withBalloon = true }: any) {
        push(state.messages, { type: '__raw', config: { withBalloon, html, type: 'html' } })
        return builder
      },
      addIframe (src: unknown, { withBalloon = true, height = '30px' }: any) {
        const html = `<iframe src="${src}" width="100%" height="${height}" style="border:none;"></iframe>`
        push(state.messages, { type: 'JSONTemplate', config: { withBalloon, html, __component: 'html' } })
        return builder
      },
      addBanner ({ message, type, title, color, borderRadius = '4px' }: any) {
        const background = (color && color.background) || BANNER_BACKGROUNDS[type] || '#FAFAFA'
        const text = (color && color.text) || '#9A9A9A'
        const heading = title ? `<h3 style="margin:0 0 4px 0;">${title}</h3>` : ''
        const html = `<div style="background-color:${background};color:${text};border-radius:${borderRadius};` +
          `padding:8px 12px;">${heading}<div>${message}</div></div>`
        push(state.messages, { type: 'JSONTemplate', config: { withBalloon: false, html, __component: 'html' } })
        return builder
      },
      addJSONResponse (config: any, options?: any) {
        const copy = { ...config }
        if (options && options.dispatch) copy.___type = 'CL_DISPATCH_EVENT'
        push(state.messages, { type: 'JSONTemplate', config: copy })
        return builder
      },
      addList (config: unknown) {
        push(state.messages, { type: 'list', config })
        return builder
      },
      toJSON () {
        return state
      },
      tostring () {
        return stringify(state, null, 2)
      },
      send () {
        if (hooks.isFinished()) {
          host.warn('send() was called after the action had finished: ignored (await the work that calls it)')
          return builder
        }
        host.send(serialise(state, hooks.maxSendBytes, host))
        return builder
      },
    }
    return builder
  }

  ChatlayerResponseBuilder.helpers = {
    makeButtonLink ({ url, text }: any) { return { type: 'web_url', title: text, url } },
    makeQuickReply ({ text, payload }: any) { return { title: text, payload } },
  }
  return ChatlayerResponseBuilder
}

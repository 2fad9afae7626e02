/**
 * What the Chatlayer code-action runtime provides (platform.md §2), and nothing else.
 *
 * Use it for your own actions too: copy this file and `snippets/tsconfig.json` next to them. The
 * tsconfig holds the ES2019 library and no Node or DOM types, so `setTimeout`, `Buffer`, `URL`,
 * `btoa`, `process` or a post-ES2019 built-in is a type error, as it is a runtime error on the
 * platform. lodash's types come from `@types/lodash` (its UMD global, hence `allowUmdGlobalAccess`).
 */

/// <reference types="lodash" />

/** The action's arguments: one key per argument row configured in the code editor. */
interface ChatlayerArgs {
  readonly [key: string]: unknown
}

/** Inputs of the action: `variable` rows keep their JSON type (undefined when the path is absent), `text` and `dialogstate` rows are strings. */
declare const args: ChatlayerArgs

/** Output that never reaches the chat user; the platform keeps it in its logs. */
declare const console: {
  log (...data: unknown[]): void
  info (...data: unknown[]): void
  warn (...data: unknown[]): void
  error (...data: unknown[]): void
  debug (...data: unknown[]): void
}

/** node-fetch v2 (platform.md §2.4). It resolves for every HTTP status and rejects on network failures. */
declare function fetch (url: string | { readonly href: string }, init?: NodeFetch.RequestInit): Promise<NodeFetch.Response>

/** Types of node-fetch v2 as the platform exposes it; none of them is a global value. */
declare namespace NodeFetch {
  type HeadersInit = Headers | Record<string, string> | Array<[string, string]>

  interface RequestInit {
    /** GET when omitted; upper-cased. */
    method?: string
    headers?: HeadersInit
    /** A string is sent as `text/plain;charset=UTF-8` unless a Content-Type header says otherwise; a plain object is sent as "[object Object]". */
    body?: string | ArrayBuffer | ArrayBufferView | null
    redirect?: 'follow' | 'manual' | 'error'
    /** Maximum redirects followed (default 20). */
    follow?: number
    /** Milliseconds before the request (body included) rejects with a `request-timeout` FetchError; 0 = none. */
    timeout?: number
    /** Maximum response body size in bytes; 0 = none. */
    size?: number
    /** Accept gzip/deflate (default true). */
    compress?: boolean
  }

  interface Headers extends Iterable<[string, string]> {
    /** Repeated values are joined with ", "; null when absent. */
    get (name: string): string | null
    has (name: string): boolean
    set (name: string, value: string): void
    append (name: string, value: string): void
    delete (name: string): void
    forEach (callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void
    entries (): IterableIterator<[string, string]>
    keys (): IterableIterator<string>
    values (): IterableIterator<string>
    /** Every value of every header, names lower-cased. */
    raw (): Record<string, string[]>
  }

  interface Response {
    readonly ok: boolean
    readonly status: number
    readonly statusText: string
    readonly url: string
    readonly redirected: boolean
    readonly headers: Headers
    readonly bodyUsed: boolean
    readonly size: number
    readonly timeout: number
    /** Rejects with a FetchError `invalid-json` when the body is not JSON, and with a TypeError when the body was read already. */
    json (): Promise<any>
    text (): Promise<string>
    arrayBuffer (): Promise<ArrayBuffer>
    /** node-fetch returns a Buffer; the platform has none, so it is a Uint8Array of the same bytes. */
    buffer (): Promise<Uint8Array>
    clone (): Response
  }

  type FetchErrorType = 'system' | 'request-timeout' | 'body-timeout' | 'invalid-json' | 'max-size' | 'max-redirect' | 'no-redirect' | (string & {})

  /** What `fetch` and body reads reject with; tell it by `name`, never `instanceof` (it is not a global). */
  interface FetchError extends Error {
    readonly name: 'FetchError'
    readonly type: FetchErrorType
    /** For `system` errors: ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ECONNRESET, ... */
    readonly code?: string
    readonly errno?: string
  }
}

/** Chatlayer response builder: called without `new`; every method returns the same builder except `toJSON` and `tostring`. */
declare function ChatlayerResponseBuilder (): Chatlayer.ResponseBuilder

declare namespace ChatlayerResponseBuilder {
  const helpers: {
    /** `{type: "web_url", title: text, url}` */
    makeButtonLink (link: { url: string, text: string }): Chatlayer.UrlButton
    /** `{title: text, payload}` */
    makeQuickReply (reply: { text: string, payload: Chatlayer.PostbackPayload | string }): Chatlayer.QuickReply
  }
}

declare namespace Chatlayer {
  /** Jump target and session params a postback carries (params become top-level session variables). */
  interface PostbackPayload {
    nextDialogstateId: string
    params?: Array<{ key: string, value: unknown }>
  }

  interface PostbackButton { type: 'postback', title: string, payload: PostbackPayload }
  interface UrlButton { type: 'web_url', title: string, url: string }
  interface PhoneButton { type: 'phone_number', title: string, payload: string }
  type Button = PostbackButton | UrlButton | PhoneButton

  interface QuickReply {
    title: string
    payload: PostbackPayload | string
    imageUrl?: string
    type?: 'postback' | 'location'
  }

  /** Note the camel-case `subTitle`. */
  interface CarouselElement {
    title: string
    subTitle?: string
    imageUrl?: string
    webUrl?: string
    buttons: Button[]
  }

  type MediaType = 'image' | 'video' | 'file' | 'audio'

  interface TextMessage { type: 'text', config: { textMessages: Array<{ text: string }> } }
  interface QuickRepliesMessage { type: 'quickReplies', config: { textMessages: Array<{ text: string }>, quickReplies: QuickReply[] } }
  interface ButtonsMessage { type: 'buttons', config: { textMessages: Array<{ text: string }>, buttons: Button[] } }
  interface CarouselMessage { type: 'carousel', config: { elements: CarouselElement[] } }
  interface MediaMessage { type: 'media', config: { media: { type: MediaType, url: string } } }
  interface HtmlMessage { type: '__raw', config: { withBalloon: boolean, html: string, type: 'html' } }
  interface JSONTemplateMessage { type: 'JSONTemplate', config: { [key: string]: unknown } }
  interface ListMessage { type: 'list', config: unknown }
  type Message = TextMessage | QuickRepliesMessage | ButtonsMessage | CarouselMessage | MediaMessage | HtmlMessage | JSONTemplateMessage | ListMessage

  /** One session write: `data` nested under the namespace's remaining path segments. */
  interface SessionWrite { namespace: string, data: unknown }

  /** What `send()` publishes (platform.md §3). */
  interface ResponseState {
    action?: { nextDialogstate?: string }
    messages: Message[]
    session?: SessionWrite[]
  }

  type BannerType = 'ERROR' | 'SUCCESS' | 'INFO' | 'DANGER' | (string & {})

  interface ResponseBuilder {
    /** A text bubble. */
    addMessage (text: string): ResponseBuilder
    /** Appends a session write; `ns` is "namespace" or "namespace.path.to.key". Throws on an empty name or `internal`. */
    addSessionVariable (ns: string, data: unknown): ResponseBuilder
    /** Legacy: replaces every earlier session write of this builder. Prefer addSessionVariable. */
    setSessionVariable (ns: string, data: unknown): ResponseBuilder
    /** The dialog state to go to next (the id a `dialogstate` argument holds); the last call wins. */
    setNextDialogState (id: string): ResponseBuilder
    addQuickReplies (message: { title: string, quickReplies: QuickReply[] }): ResponseBuilder
    addButtonGroup (message: { title: string, buttons?: Button[] }): ResponseBuilder
    addCarousel (elements: CarouselElement[]): ResponseBuilder
    /** Throws `Invalid type: <type>` for another type. */
    addMediaMessage (media: { type: MediaType, url: string }): ResponseBuilder
    /** Web widget only; the options object is required. */
    addHtml (html: string, options: { withBalloon?: boolean }): ResponseBuilder
    /** The options object is required. */
    addIframe (src: string, options: { withBalloon?: boolean, height?: string }): ResponseBuilder
    addBanner (banner: { message: string, type?: BannerType, title?: string, color?: { background?: string, text?: string }, borderRadius?: string }): ResponseBuilder
    addJSONResponse (config: { [key: string]: unknown }, options?: { dispatch?: boolean }): ResponseBuilder
    addList (config: unknown): ResponseBuilder
    /** The live state object. */
    toJSON (): ResponseState
    /** The state as JSON text, 2-space indent. */
    tostring (): string
    /** Publishes the state; nothing reaches the conversation without it. */
    send (): ResponseBuilder
  }
}

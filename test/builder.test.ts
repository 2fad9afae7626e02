import { describe, expect, it } from 'vitest'
import { runAction, type FixtureInput, type RunOptions, type RunResult } from '../runner/index.ts'

function run (source: string, fixture: FixtureInput = {}, options: RunOptions = {}): Promise<RunResult> {
  return runAction({ source }, fixture, options)
}

/** Runs a body that builds one message list and sends it once; returns the captured messages. */
async function messagesOf (source: string): Promise<unknown[]> {
  const result = await run(`const b = ChatlayerResponseBuilder()\n${source}\nb.send()`)
  expect(result.error).toBeNull()
  expect(result.sends).toHaveLength(1)
  return result.sends[0].messages
}

const texts = (result: RunResult): string[] => result.logs.map(l => l.text)

describe('ChatlayerResponseBuilder: messages', () => {
  it('addMessage pushes {type:"text", config:{textMessages:[{text}]}}', async () => {
    expect(await messagesOf("b.addMessage('Hello there')")).toEqual([
      { type: 'text', config: { textMessages: [{ text: 'Hello there' }] } },
    ])
  })

  it('addQuickReplies pushes the title as a text message and the quick replies as given', async () => {
    const quickReplies = [
      { title: 'Yes', payload: { nextDialogstateId: 'ds-yes', params: [{ key: 'answer', value: 'yes' }] } },
      { title: 'Where?', type: 'location', imageUrl: 'https://img.example.com/pin.png', payload: { nextDialogstateId: 'ds-loc', params: [] } },
    ]
    expect(await messagesOf(`b.addQuickReplies({ title: 'Pick one', quickReplies: ${JSON.stringify(quickReplies)} })`)).toEqual([
      { type: 'quickReplies', config: { textMessages: [{ text: 'Pick one' }], quickReplies } },
    ])
  })

  it('addButtonGroup pushes {type:"buttons"} with the buttons as given', async () => {
    const buttons = [
      { type: 'postback', title: 'Book', payload: { nextDialogstateId: 'ds-book', params: [{ key: 'slot', value: 3 }] } },
      { type: 'web_url', title: 'Site', url: 'https://example.com' },
      { type: 'phone_number', title: 'Call', payload: '+3212345678' },
    ]
    expect(await messagesOf(`b.addButtonGroup({ title: 'What now?', buttons: ${JSON.stringify(buttons)} })`)).toEqual([
      { type: 'buttons', config: { textMessages: [{ text: 'What now?' }], buttons } },
    ])
  })

  it('addButtonGroup defaults buttons to []', async () => {
    expect(await messagesOf("b.addButtonGroup({ title: 'No buttons' })")).toEqual([
      { type: 'buttons', config: { textMessages: [{ text: 'No buttons' }], buttons: [] } },
    ])
  })

  it('addCarousel pushes {type:"carousel", config:{elements}} with camel-case subTitle kept', async () => {
    const elements = [
      { title: 'Room A', subTitle: '2 beds', imageUrl: 'https://img.example.com/a.png', webUrl: 'https://example.com/a', buttons: [{ type: 'web_url', title: 'Open', url: 'https://example.com/a' }] },
      { title: 'Room B', imageUrl: 'https://img.example.com/b.png', buttons: [] },
    ]
    expect(await messagesOf(`b.addCarousel(${JSON.stringify(elements)})`)).toEqual([
      { type: 'carousel', config: { elements } },
    ])
  })

  it('addMediaMessage accepts image, video, file and audio as {type:"media", config:{media:{type, url}}}', async () => {
    const source = ['image', 'video', 'file', 'audio'].map(type => `b.addMediaMessage({ type: '${type}', url: 'https://cdn.example.com/${type}' })`).join('\n')
    expect(await messagesOf(source)).toEqual(['image', 'video', 'file', 'audio'].map(type => (
      { type: 'media', config: { media: { type, url: `https://cdn.example.com/${type}` } } }
    )))
  })

  it('addMediaMessage rejects an unknown type with Invalid type: <type>', async () => {
    const result = await run("ChatlayerResponseBuilder().addMediaMessage({ type: 'gif', url: 'https://cdn.example.com/x.gif' })")
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('Error: Invalid type: gif')
  })

  it('addMediaMessage rejects a type in the wrong case (Image) and a missing type', async () => {
    const result = await run(`
      for (const media of [{ type: 'Image', url: 'u' }, { url: 'u' }]) {
        try { ChatlayerResponseBuilder().addMediaMessage(media) } catch (e) { console.log(e.constructor === Error, e.message) }
      }`)
    expect(texts(result)).toEqual(['true Invalid type: Image', 'true Invalid type: undefined'])
  })

  it('addHtml pushes {type:"__raw", config:{withBalloon, html, type:"html"}} with withBalloon defaulting to true', async () => {
    expect(await messagesOf("b.addHtml('<b>bold</b>', {})\nb.addHtml('<i>plain</i>', { withBalloon: false })")).toEqual([
      { type: '__raw', config: { withBalloon: true, html: '<b>bold</b>', type: 'html' } },
      { type: '__raw', config: { withBalloon: false, html: '<i>plain</i>', type: 'html' } },
    ])
  })

  it('addHtml throws a TypeError when the options object is omitted', async () => {
    const result = await run("try { ChatlayerResponseBuilder().addHtml('<b>x</b>') } catch (e) { console.log(e instanceof TypeError, e.message) }")
    expect(texts(result)).toEqual(["true Cannot read properties of undefined (reading 'withBalloon')"])
  })

  it('addIframe pushes the exact iframe markup with withBalloon true and height 30px by default', async () => {
    expect(await messagesOf("b.addIframe('https://widget.example.com/form?id=1', {})")).toEqual([{
      type: 'JSONTemplate',
      config: {
        withBalloon: true,
        html: '<iframe src="https://widget.example.com/form?id=1" width="100%" height="30px" style="border:none;"></iframe>',
        __component: 'html',
      },
    }])
  })

  it('addIframe uses the given height and withBalloon', async () => {
    expect(await messagesOf("b.addIframe('https://w.example.com', { withBalloon: false, height: '420px' })")).toEqual([{
      type: 'JSONTemplate',
      config: {
        withBalloon: false,
        html: '<iframe src="https://w.example.com" width="100%" height="420px" style="border:none;"></iframe>',
        __component: 'html',
      },
    }])
  })

  it('addIframe throws a TypeError when the options object is omitted', async () => {
    const result = await run("try { ChatlayerResponseBuilder().addIframe('https://w.example.com') } catch (e) { console.log(e instanceof TypeError, e.message) }")
    expect(texts(result)).toEqual(["true Cannot read properties of undefined (reading 'withBalloon')"])
  })

  it('addJSONResponse pushes {type:"JSONTemplate", config:{...config}}', async () => {
    expect(await messagesOf("b.addJSONResponse({ __component: 'map', lat: 51.05, lng: 3.72 })")).toEqual([
      { type: 'JSONTemplate', config: { __component: 'map', lat: 51.05, lng: 3.72 } },
    ])
  })

  it('addJSONResponse with {dispatch: true} adds ___type CL_DISPATCH_EVENT inside config without touching the given object', async () => {
    const result = await run(`
      const config = { event: 'open-form', data: { id: 7 } }
      const b = ChatlayerResponseBuilder().addJSONResponse(config, { dispatch: true }).addJSONResponse({ event: 'x' }, { dispatch: false })
      console.log('___type' in config)
      b.send()`)
    expect(texts(result)).toEqual(['false'])
    expect(result.sends[0].messages).toEqual([
      { type: 'JSONTemplate', config: { event: 'open-form', data: { id: 7 }, ___type: 'CL_DISPATCH_EVENT' } },
      { type: 'JSONTemplate', config: { event: 'x' } },
    ])
  })

  it('addList pushes {type:"list", config} with the config as given', async () => {
    const config = { title: 'Orders', items: [{ title: '#1', subtitle: 'shipped' }] }
    expect(await messagesOf(`b.addList(${JSON.stringify(config)})`)).toEqual([{ type: 'list', config }])
  })
})

describe('ChatlayerResponseBuilder: addBanner', () => {
  async function banner (options: string): Promise<{ type: string, config: Record<string, unknown> }> {
    const [message] = await messagesOf(`b.addBanner(${options})`) as Array<{ type: string, config: Record<string, unknown> }>
    return message
  }

  it('addBanner pushes an html JSONTemplate with withBalloon false', async () => {
    const message = await banner("{ message: 'Saved', type: 'SUCCESS' }")
    expect(message.type).toBe('JSONTemplate')
    expect(Object.keys(message.config).sort()).toEqual(['__component', 'html', 'withBalloon'])
    expect(message.config.withBalloon).toBe(false)
    expect(message.config.__component).toBe('html')
    expect(message.config.html).toContain('Saved')
  })

  it.each([
    ['ERROR', '#FFEFEF'],
    ['SUCCESS', '#EFFFF1'],
    ['INFO', '#EFF6FF'],
    ['DANGER', '#FAF8EF'],
    ['WARNING', '#FAFAFA'],
  ])('addBanner of type %s has background %s', async (type, background) => {
    const { config } = await banner(`{ message: 'm', type: '${type}' }`)
    const backgrounds = ['#FFEFEF', '#EFFFF1', '#EFF6FF', '#FAF8EF', '#FAFAFA']
    expect(backgrounds.filter(colour => String(config.html).includes(colour))).toEqual([background])
  })

  it('addBanner without a type has background #FAFAFA', async () => {
    const { config } = await banner("{ message: 'm' }")
    expect(config.html).toContain('#FAFAFA')
  })

  it('addBanner takes the background from color.background over the type and the text colour from color.text', async () => {
    const { config } = await banner("{ message: 'm', type: 'ERROR', color: { background: '#123456', text: '#ABCDEF' } }")
    expect(config.html).toContain('#123456')
    expect(config.html).toContain('#ABCDEF')
    expect(config.html).not.toContain('#FFEFEF')
    expect(config.html).not.toContain('#9A9A9A')
  })

  it('addBanner has text colour #9A9A9A and border radius 4px by default', async () => {
    const { config } = await banner("{ message: 'm', type: 'INFO' }")
    expect(config.html).toContain('#9A9A9A')
    expect(config.html).toContain('4px')
  })

  it('addBanner uses the given borderRadius', async () => {
    const { config } = await banner("{ message: 'm', borderRadius: '12px' }")
    expect(config.html).toContain('12px')
  })

  it('addBanner renders the title as an <h3> only when one is given', async () => {
    const withTitle = await banner("{ message: 'Body text', title: 'Heads up' }")
    expect(withTitle.config.html).toMatch(/<h3[^>]*>Heads up<\/h3>/)
    expect(withTitle.config.html).toContain('Body text')
    const without = await banner("{ message: 'Body text' }")
    expect(without.config.html).not.toContain('<h3')
  })
})

describe('ChatlayerResponseBuilder: state, fluency and construction', () => {
  it('every method returns the same builder except toJSON and tostring', async () => {
    const result = await run(`
      const b = ChatlayerResponseBuilder()
      const calls = {
        addMessage: () => b.addMessage('x'),
        addSessionVariable: () => b.addSessionVariable('a', 1),
        setSessionVariable: () => b.setSessionVariable('a', 1),
        setNextDialogState: () => b.setNextDialogState('ds'),
        addQuickReplies: () => b.addQuickReplies({ title: 't', quickReplies: [] }),
        addButtonGroup: () => b.addButtonGroup({ title: 't' }),
        addCarousel: () => b.addCarousel([]),
        addMediaMessage: () => b.addMediaMessage({ type: 'image', url: 'u' }),
        addHtml: () => b.addHtml('h', {}),
        addIframe: () => b.addIframe('s', {}),
        addBanner: () => b.addBanner({ message: 'm' }),
        addJSONResponse: () => b.addJSONResponse({}),
        addList: () => b.addList({}),
        send: () => b.send(),
      }
      console.log(Object.entries(calls).filter(([, call]) => call() !== b).map(([name]) => name).join(',') || 'all fluent')
      console.log(b.toJSON() === b, typeof b.tostring())`)
    expect(texts(result)).toEqual(['all fluent', 'false string'])
  })

  it('toJSON returns the live state object, starting as {messages: []}', async () => {
    const result = await run(`
      const b = ChatlayerResponseBuilder()
      const state = b.toJSON()
      console.log(JSON.stringify(state))
      b.addMessage('one').setNextDialogState('ds-1').addSessionVariable('a', 1)
      console.log(state === b.toJSON(), JSON.stringify(state))
      state.messages.push({ type: 'text', config: { textMessages: [{ text: 'pushed on the state' }] } })
      b.send()`)
    expect(texts(result)).toEqual([
      '{"messages":[]}',
      'true {"messages":[{"type":"text","config":{"textMessages":[{"text":"one"}]}}],"action":{"nextDialogstate":"ds-1"},"session":[{"namespace":"a","data":1}]}',
    ])
    expect(result.sends[0].messages).toEqual([
      { type: 'text', config: { textMessages: [{ text: 'one' }] } },
      { type: 'text', config: { textMessages: [{ text: 'pushed on the state' }] } },
    ])
  })

  it('tostring returns the state as JSON with a 2-space indent', async () => {
    const result = await run("console.log(ChatlayerResponseBuilder().addMessage('hi').setNextDialogState('ds-2').tostring())")
    expect(texts(result)).toEqual([JSON.stringify({
      messages: [{ type: 'text', config: { textMessages: [{ text: 'hi' }] } }],
      action: { nextDialogstate: 'ds-2' },
    }, null, 2)])
  })

  it('works called without new and with new, each call giving an independent builder', async () => {
    const result = await run(`
      const plain = ChatlayerResponseBuilder()
      const constructed = new ChatlayerResponseBuilder()
      console.log(plain !== constructed, typeof constructed.addMessage)
      plain.addMessage('plain')
      constructed.addMessage('constructed').send()
      plain.send()`)
    expect(texts(result)).toEqual(['true function'])
    expect(result.sends.map(s => s.messages)).toEqual([
      [{ type: 'text', config: { textMessages: [{ text: 'constructed' }] } }],
      [{ type: 'text', config: { textMessages: [{ text: 'plain' }] } }],
    ])
  })

  it('an empty builder sends exactly {"messages":[]}', async () => {
    const result = await run('ChatlayerResponseBuilder().send()')
    expect(result.error).toBeNull()
    expect(result.sends).toEqual([{ messages: [] }])
    expect(Object.keys(result.sends[0])).toEqual(['messages'])
    expect(result.response).toEqual({ messages: [] })
    expect(result.nextDialogState).toBeNull()
    expect(result.messages).toEqual([])
  })

  it('send() omits action and session when they were never set', async () => {
    const result = await run("ChatlayerResponseBuilder().addMessage('only text').send()")
    expect(Object.keys(result.sends[0])).toEqual(['messages'])
  })

  it('send() captures a deep copy at call time: later changes to the builder or to passed objects are not sent', async () => {
    const result = await run(`
      const buttons = [{ type: 'web_url', title: 'A', url: 'https://a.example.com' }]
      const b = ChatlayerResponseBuilder().addMessage('one').addButtonGroup({ title: 'pick', buttons })
      b.send()
      b.addMessage('two')
      b.toJSON().messages[0].config.textMessages[0].text = 'changed'
      buttons.push({ type: 'web_url', title: 'B', url: 'https://b.example.com' })
      b.setNextDialogState('ds-late')`)
    expect(result.sends).toEqual([{
      messages: [
        { type: 'text', config: { textMessages: [{ text: 'one' }] } },
        { type: 'buttons', config: { textMessages: [{ text: 'pick' }], buttons: [{ type: 'web_url', title: 'A', url: 'https://a.example.com' }] } },
      ],
    }])
    expect(result.nextDialogState).toBeNull()
  })

  it('setNextDialogState: the last call wins', async () => {
    const result = await run("ChatlayerResponseBuilder().setNextDialogState('ds-a').addMessage('x').setNextDialogState('ds-b').send()")
    expect(result.sends[0].action).toEqual({ nextDialogstate: 'ds-b' })
    expect(result.nextDialogState).toBe('ds-b')
  })

  it('helpers.makeButtonLink returns {type:"web_url", title:text, url}', async () => {
    const result = await run("console.log(JSON.stringify(ChatlayerResponseBuilder.helpers.makeButtonLink({ url: 'https://example.com/x', text: 'Open' })))")
    expect(JSON.parse(texts(result)[0])).toEqual({ type: 'web_url', title: 'Open', url: 'https://example.com/x' })
  })

  it('helpers.makeQuickReply returns {title:text, payload}', async () => {
    const result = await run("console.log(JSON.stringify(ChatlayerResponseBuilder.helpers.makeQuickReply({ text: 'Yes', payload: { nextDialogstateId: 'ds-yes', params: [] } })))")
    expect(JSON.parse(texts(result)[0])).toEqual({ title: 'Yes', payload: { nextDialogstateId: 'ds-yes', params: [] } })
  })

  it.each(['addTyping', 'addImage', 'addButtons', 'addQuickReply'])('%s does not exist: calling it throws TypeError "<callee> is not a function"', async (method) => {
    const result = await run(`const b = ChatlayerResponseBuilder()\nb.${method}({})`)
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe(`TypeError: b.${method} is not a function`)
    expect(result.error?.stack).toBe(`TypeError: b.${method} is not a function\n    at action.js:2:3`)
  })
})

describe('ChatlayerResponseBuilder: session variables', () => {
  async function sessionOf (source: string): Promise<unknown> {
    const result = await run(`const b = ChatlayerResponseBuilder()\n${source}\nb.send()`)
    expect(result.error).toBeNull()
    return result.sends[0].session
  }

  it('addSessionVariable trims the namespace, splits on "." and nests the data under the rest', async () => {
    expect(await sessionOf("b.addSessionVariable('  user.address.city ', 'Gent')")).toEqual([
      { namespace: 'user', data: { address: { city: 'Gent' } } },
    ])
  })

  it('addSessionVariable with a bare namespace writes the data itself', async () => {
    expect(await sessionOf("b.addSessionVariable('ticket', { id: 35436, status: 'new' })")).toEqual([
      { namespace: 'ticket', data: { id: 35436, status: 'new' } },
    ])
  })

  it('addSessionVariable appends one {namespace, data} per call', async () => {
    expect(await sessionOf("b.addSessionVariable('a.x', 1).addSessionVariable('b', [1, 2]).addSessionVariable('a.y', null)")).toEqual([
      { namespace: 'a', data: { x: 1 } },
      { namespace: 'b', data: [1, 2] },
      { namespace: 'a', data: { y: null } },
    ])
  })

  it('addSessionVariable nests numeric segments as arrays, like lodash set', async () => {
    expect(await sessionOf("b.addSessionVariable('cart.items.0.sku', 'A1').addSessionVariable('cart.lines.1', 'second')")).toEqual([
      { namespace: 'cart', data: { items: [{ sku: 'A1' }] } },
      { namespace: 'cart', data: { lines: [null, 'second'] } },
    ])
  })

  it('addSessionVariable sets a numeric first segment as a key of {} (lodash set on {})', async () => {
    expect(await sessionOf("b.addSessionVariable('cart.0.sku', 'A1')")).toEqual([
      { namespace: 'cart', data: { 0: { sku: 'A1' } } },
    ])
  })

  it.each([
    ["''", 'invalid session namespace ""'],
    ["'   '", 'invalid session namespace "   "'],
    ['42', 'invalid session namespace "42"'],
    ['undefined', 'invalid session namespace "undefined"'],
    ['null', 'invalid session namespace "null"'],
  ])('addSessionVariable(%s) throws Error %s', async (ns, message) => {
    const result = await run(`try { ChatlayerResponseBuilder().addSessionVariable(${ns}, 1) } catch (e) { console.log(e.constructor === Error, e.message) }`)
    expect(texts(result)).toEqual([`true ${message}`])
  })

  it.each(["'internal'", "'internal.user.firstName'", "'  internal.channel'"])('addSessionVariable(%s) throws can\'t modify internal session namespace', async (ns) => {
    const result = await run(`ChatlayerResponseBuilder().addSessionVariable(${ns}, 'x')`)
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe("Error: can't modify internal session namespace")
  })

  it('addSessionVariable accepts a namespace that only starts with "internal"', async () => {
    expect(await sessionOf("b.addSessionVariable('internalNotes', 'ok')")).toEqual([{ namespace: 'internalNotes', data: 'ok' }])
  })

  it('setSessionVariable replaces the whole list: only the last call survives', async () => {
    expect(await sessionOf("b.addSessionVariable('kept', 1).setSessionVariable('a.x', 1).setSessionVariable('b.y', 2)")).toEqual([
      { namespace: 'b', data: { y: 2 } },
    ])
  })

  it('setSessionVariable neither trims nor validates the namespace', async () => {
    expect(await sessionOf("b.setSessionVariable(' user.name ', 'Ann')")).toEqual([{ namespace: ' user', data: { 'name ': 'Ann' } }])
    expect(await sessionOf("b.setSessionVariable('', 1)")).toEqual([{ namespace: '', data: 1 }])
  })

  it('setSessionVariable throws a TypeError when the namespace is not a string', async () => {
    const result = await run(`
      for (const ns of [5, undefined, null, { a: 1 }]) {
        try { ChatlayerResponseBuilder().setSessionVariable(ns, 1); console.log('no error') } catch (e) { console.log(e instanceof TypeError) }
      }`)
    expect(texts(result)).toEqual(['true', 'true', 'true', 'true'])
  })

  it('setSessionVariable to internal is sent but dropped when applied, with a warning', async () => {
    const result = await run("ChatlayerResponseBuilder().setSessionVariable('internal.channel', 'hacked').send()", {
      session: { internal: { channel: 'web' } },
    })
    expect(result.error).toBeNull()
    expect(result.sends[0].session).toEqual([{ namespace: 'internal', data: { channel: 'hacked' } }])
    expect(result.session).toEqual({ internal: { channel: 'web' } })
    expect(result.sessionChanges).toEqual([])
    expect(result.warnings).toEqual(['a session write to "internal" was dropped: the internal namespace is read-only'])
  })
})

describe('send(): how the platform applies the payload', () => {
  it('deep-merges a plain object into the namespace and replaces arrays', async () => {
    const result = await run("ChatlayerResponseBuilder().addSessionVariable('user', { address: { city: 'Brussel' }, tags: ['c'] }).send()", {
      session: { user: { name: 'Ann', address: { city: 'Gent', zip: '9000' }, tags: ['a', 'b'] } },
    })
    expect(result.session).toEqual({ user: { name: 'Ann', address: { city: 'Brussel', zip: '9000' }, tags: ['c'] } })
    expect(result.sessionChanges).toEqual([
      { path: 'user.address.city', before: 'Gent', after: 'Brussel' },
      { path: 'user.tags', before: ['a', 'b'], after: ['c'] },
    ])
  })

  it('replaces a namespace with a value that is not a plain object, and a scalar with an object', async () => {
    const result = await run("ChatlayerResponseBuilder().addSessionVariable('user', 'gone').addSessionVariable('count', { n: 1 }).send()", {
      session: { user: { name: 'Ann' }, count: 3 },
    })
    expect(result.session).toEqual({ user: 'gone', count: { n: 1 } })
  })

  it('applies the writes of one send in order', async () => {
    const result = await run("ChatlayerResponseBuilder().addSessionVariable('a', { x: 1, keep: true }).addSessionVariable('a.x', 2).addSessionVariable('a.y', 3).send()")
    expect(result.session).toEqual({ a: { x: 2, keep: true, y: 3 } })
  })

  it('applies several sends in order: every write, every message, and the last jump', async () => {
    const result = await run(`
      ChatlayerResponseBuilder().addMessage('first').addSessionVariable('a', { x: 1 }).setNextDialogState('ds-1').send()
      ChatlayerResponseBuilder().addMessage('second').addSessionVariable('a', { x: 2 }).setNextDialogState('ds-2').send()
      ChatlayerResponseBuilder().addMessage('third').send()`)
    expect(result.response).toEqual({
      action: { nextDialogstate: 'ds-2' },
      messages: ['first', 'second', 'third'].map(text => ({ type: 'text', config: { textMessages: [{ text }] } })),
      session: [{ namespace: 'a', data: { x: 1 } }, { namespace: 'a', data: { x: 2 } }],
    })
    expect(result.session).toEqual({ a: { x: 2 } })
    expect(result.nextDialogState).toBe('ds-2')
    expect(result.messages).toHaveLength(3)
  })

  it('accepts the API-plugin form: session as one {namespace, data} object is a list of one', async () => {
    const result = await run(`
      const b = ChatlayerResponseBuilder().addMessage('ok')
      b.toJSON().session = { namespace: 'order', data: { id: 7 } }
      b.send()`, { session: { order: { status: 'open' } } })
    expect(result.error).toBeNull()
    expect(result.sends[0].session).toEqual({ namespace: 'order', data: { id: 7 } })
    expect(result.response?.session).toEqual([{ namespace: 'order', data: { id: 7 } }])
    expect(result.session).toEqual({ order: { status: 'open', id: 7 } })
  })

  it('without a jump nextDialogState is null and the dialog keeps its own Go To', async () => {
    const result = await run("ChatlayerResponseBuilder().addMessage('x').send()")
    expect(result.nextDialogState).toBeNull()
    expect(result.response).toEqual({ messages: [{ type: 'text', config: { textMessages: [{ text: 'x' }] } }] })
  })
})

describe('builder: captured built-ins', () => {
  it('addSessionVariable validates with the trim it captured, whatever the action did to String.prototype.trim', async () => {
    const result = await runAction("String.prototype.trim = () => ''\nChatlayerResponseBuilder().addSessionVariable('user.ok', true).send()", {})
    expect(result.error).toBeNull()
    expect(result.session).toEqual({ user: { ok: true } })
  })
})

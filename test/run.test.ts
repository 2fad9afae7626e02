import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { runAction } from '../runner/index.ts'

describe('runAction', () => {
  it('runs a pasted body and reports the merged response, session and jump', async () => {
    const result = await runAction(
      "ChatlayerResponseBuilder().addMessage('hi ' + args.name).addSessionVariable('user.greeted', true).setNextDialogState(args.next).send()",
      { session: { user: { name: 'Ann' } }, args: { name: { variable: 'user.name' }, next: { dialogstate: 'ds-1' } } },
    )
    expect(result.error).toBeNull()
    expect(result.nextDialogState).toBe('ds-1')
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'hi Ann' }] } }])
    expect(result.session).toEqual({ user: { name: 'Ann', greeted: true } })
    expect(result.sessionChanges).toEqual([{ path: 'user.greeted', before: null, after: true }])
  })

  it('applies nothing when the action throws after send()', async () => {
    const result = await runAction("ChatlayerResponseBuilder().addSessionVariable('a', 1).send()\nthrow new Error('boom')", {})
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('Error: boom')
    expect(result.error?.stack).toBe('Error: boom\n    at action.js:2:7')
    expect(result.response).toBeNull()
    expect(result.session).toEqual({})
    expect(result.sends).toHaveLength(1)
  })

  it('a program that runs an action and never closes the pool still exits by itself', () => {
    // The idle sandbox process, its IPC channel and its stderr pipe are unreferenced; the stderr
    // pipe used to keep the program alive until it was killed.
    const child = spawnSync(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'test/helpers/idle-exit.ts'], { encoding: 'utf8', timeout: 30_000 })
    expect(child.signal, 'killed: the program did not exit by itself').toBeNull()
    expect(child.status, child.stderr).toBe(0)
    expect(child.stdout).toBe('true\n')
  })
})

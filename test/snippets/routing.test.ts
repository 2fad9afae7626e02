import { afterAll } from 'vitest'
import { closeSharedPool } from '../../runner/index.ts'
import { describeSnippetFamily } from './harness.ts'

afterAll(() => closeSharedPool())

describeSnippetFamily('routing')

import { describeSnippetFamily } from './harness.ts'

describeSnippetFamily('routing')

import { describeSnippetFamily } from './harness.ts'

describeSnippetFamily('http')

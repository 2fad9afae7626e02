import { describeSnippetFamily } from './harness.ts'

describeSnippetFamily('zendesk')

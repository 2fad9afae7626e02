import { expect, it } from 'vitest'
import { buildSnippet } from '../../runner/build.ts'
import { runAction } from '../../runner/index.ts'
import { describeSnippetFamily } from './harness.ts'

describeSnippetFamily('airtable')

it('airtable/list-records: a query over 16,000 characters goes to POST .../listRecords with the same parameters', async () => {
  const { code } = await buildSnippet('airtable/list-records')
  const long = 'x'.repeat(17000)
  const result = await runAction({ source: code, name: 'airtable/list-records' }, {
    session: { search: { text: long } },
    args: {
      apiKey: { text: 'patTEST.123' }, baseId: { text: 'appTESTbase000001' }, table: { text: 'Notes' },
      filterField: { text: 'Body' }, filterValue: { variable: 'search.text' }, sort: { text: '-Date' },
      foundDialogState: { dialogstate: 'ds-found' }, noneDialogState: { dialogstate: 'ds-none' },
    },
    http: [{
      request: {
        method: 'POST',
        url: 'https://api.airtable.com/v0/appTESTbase000001/Notes/listRecords',
        json: { filterByFormula: `{Body} = "${long}"`, maxRecords: 20, pageSize: 20, sort: [{ field: 'Date', direction: 'desc' }] },
      },
      response: { json: { records: [] } },
    }],
  })
  expect(result.error).toBeNull()
  expect(result.nextDialogState).toBe('ds-none')
  expect(result.requests.map(r => r.method)).toEqual(['POST'])
})

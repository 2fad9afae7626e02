// Runs one action through the shared pool and never closes it: the process must still exit by
// itself, since an idle sandbox process is unreferenced (test/run.test.ts).
import { runAction } from '../../runner/index.ts'

const result = await runAction('ChatlayerResponseBuilder().addMessage("done").send()', {})
process.stdout.write(`${result.ok}\n`)

import { SourceMap } from 'node:module'
import { resolve } from 'node:path'
import { displayPath } from './fixtures/load.ts'

/** Maps `line:column` in the executed action text to where a reader should look. */
export type PositionMapper = (line: number, column: number) => string

/** Positions in a pasted body: the file itself, or `action.js` for source text. */
export function plainMapper (name: string): PositionMapper {
  return (line, column) => `${name}:${line}:${column}`
}

/** Positions in a bundle mapped back to the TypeScript source through its source map. */
export function sourceMapMapper (mapJson: string, bundleName: string, mapDir: string): PositionMapper {
  const map = new SourceMap(JSON.parse(mapJson))
  return (line, column) => {
    const entry: any = map.findEntry(line - 1, column - 1)
    if (!entry || entry.originalSource === undefined) return `${bundleName}:${line}:${column}`
    return `${displayPath(resolve(mapDir, entry.originalSource))}:${entry.originalLine + 1}:${entry.originalColumn + 1}`
  }
}

/** Rewrites an isolate stack: action frames mapped, the runtime's own frames removed. */
export function mapStack (stack: string, mapper: PositionMapper): string {
  const lines = stack.split('\n')
  const out: string[] = []
  for (const line of lines) {
    const isFrame = /^\s+at /.test(line)
    if (!isFrame) { out.push(line); continue }
    if (!/action\.js:\d+:\d+/.test(line)) continue
    out.push(line.replace(/action\.js:(\d+):(\d+)/g, (_, l, c) => mapper(Number(l), Number(c))))
  }
  return out.join('\n')
}

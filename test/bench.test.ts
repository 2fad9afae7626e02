// `npm run bench` at its smallest scale (--smoke): the JSON shape of issue 5 and the table. The
// figures themselves are measured by the bench, never asserted here (timed assertions in unit
// tests would only measure the machine).
import { spawn } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'

interface Ran { code: number | null, stdout: string, stderr: string }

function run (command: string, args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    // npm is npm.cmd on Windows, which only a shell runs.
    const child = spawn(command, args, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' && command === 'npm' })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => { stdout += chunk })
    child.stderr.on('data', chunk => { stderr += chunk })
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout, stderr }))
  })
}

let json: Ran
let table: Ran
beforeAll(async () => {
  // The exact command of the issue, through npm: its banner must not reach stdout (.npmrc).
  ;[json, table] = await Promise.all([
    run('npm', ['run', 'bench', '--', '--json', '--smoke']),
    run(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'bench/index.ts', '--smoke']),
  ])
}, 60_000)

const SHAPE = {
  floor: ['freshIsolateMs', 'warmContextMs', 'suiteRunsPerSec'],
  reference: ['nodeVmMs', 'directCallMs'],
  runner: ['freshMs', 'pooledMs'],
  ratios: ['fresh', 'pooled', 'suite'],
  suite: ['cases', 'wallMs', 'runsPerSec'],
  memory: ['runs', 'warmupRuns', 'rssStartMb', 'rssEndMb', 'rssGrowthMb', 'parentGrowthMb', 'sandboxGrowthMb'],
  build: ['snippets', 'wallMs'],
}

describe('npm run bench', () => {
  it('--json prints exactly one JSON object on stdout, with every key of the issue', () => {
    expect(json.code, json.stderr).toBe(0)
    const report = JSON.parse(json.stdout)
    expect(json.stdout.trim().split('\n')).toHaveLength(1)
    expect(Object.keys(report)).toEqual(['node', 'cores', ...Object.keys(SHAPE)])
    expect(report.node).toBe(process.version)
    expect(report.cores).toBeGreaterThan(0)
    for (const [section, keys] of Object.entries(SHAPE)) {
      expect(Object.keys(report[section]), section).toEqual(keys)
      for (const key of keys) expect(Number.isFinite(report[section][key]), `${section}.${key}`).toBe(true)
    }
  })

  it('--json derives its ratios, rate and growth from the figures it reports', () => {
    const r = JSON.parse(json.stdout)
    for (const value of [r.floor.freshIsolateMs, r.floor.warmContextMs, r.runner.freshMs, r.runner.pooledMs, r.suite.wallMs]) expect(value).toBeGreaterThan(0)
    // The ratios are rounded from the unrounded medians: within rounding of the printed ones.
    expect(r.ratios.fresh).toBeCloseTo(r.runner.freshMs / r.floor.freshIsolateMs, 1)
    expect(r.ratios.pooled).toBeCloseTo(r.runner.pooledMs / r.floor.warmContextMs, 1)
    expect(r.suite.cases).toBe(40)
    expect(r.suite.runsPerSec).toBeCloseTo(r.suite.cases / (r.suite.wallMs / 1000), 0)
    expect(r.floor.suiteRunsPerSec).toBeGreaterThan(0)
    expect(r.ratios.suite).toBeCloseTo(r.suite.runsPerSec / r.floor.suiteRunsPerSec, 1)
    expect(r.memory.runs).toBe(40)
    expect(r.memory.rssGrowthMb).toBeCloseTo(r.memory.rssEndMb - r.memory.rssStartMb, 0)
    expect(r.memory.rssGrowthMb).toBeCloseTo(r.memory.parentGrowthMb + r.memory.sandboxGrowthMb, 0)
    expect(r.build.snippets).toBeGreaterThanOrEqual(12)
  })

  it('--help prints the usage without loading isolated-vm', async () => {
    // Reports, at exit, whether the isolated-vm addon is mapped into the process (Linux only).
    const probe = "data:text/javascript,import{existsSync,readFileSync}from'node:fs';process.on('exit',()=>{if(existsSync('/proc/self/maps'))process.stderr.write('isolated-vm loaded: '+readFileSync('/proc/self/maps','utf8').includes('isolated_vm'))})"
    const help = await run(process.execPath, ['--import', probe, '--no-node-snapshot', '--import', 'tsx', 'bench/index.ts', '--help'])
    expect(help.code, help.stderr).toBe(0)
    expect(help.stdout).toMatch(/^Usage: npm run bench/)
    if (process.platform === 'linux') expect(help.stderr).toContain('isolated-vm loaded: false')
  })

  it('without --json prints the table with each target met or missed', () => {
    expect(table.code, table.stderr).toBe(0)
    const lines = table.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^\| metric +\| value \|$/)
    for (const target of ['ratios.fresh', 'ratios.pooled', 'suite.runsPerSec', 'memory.rssGrowthMb']) {
      expect(lines.find(l => l.startsWith(`| ${target} `)), target).toMatch(/\((target [<>]= [\d.]+)\) (met|MISSED) \|$/)
    }
    // Progress goes to stderr, so the table can be piped.
    expect(table.stderr).toMatch(/suite: 40 fixture runs, and its floor/)
    expect(lines.find(l => l.startsWith('| floor.suiteRunsPerSec ')), 'floor.suiteRunsPerSec').toMatch(/\| [\d.]+ \|$/)
  })
})

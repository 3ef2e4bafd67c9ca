import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { jest } from '@jest/globals'
import { parseGithubOutput } from '../../sandbox/outputs.js'
import { inputDefaults, inputVariable } from '../../sandbox/runner.js'
import { DraftClipClient } from '../../src/draftclip/client.js'
import type { DraftClip, Clock } from '../../src/model/ports.js'
import { DEFAULT_TIMINGS, type Timings } from '../../src/draftclip/retry-policy.js'
import { run } from '../../src/main.js'
import type { RunDeps } from '../../src/pipeline.js'
import type { ActionRun } from './action.js'

/** Short timings for tests against the loopback sandbox; the defaults (60 s stall, 2 s backoff) are for real networks. */
export const TEST_TIMINGS: Timings = {
  ...DEFAULT_TIMINGS,
  stallMs: 1500,
  backoffBaseMs: 50,
  maxDelayMs: 3000,
  rateWindowMs: 500,
  connectMs: 2000
}

const SUMMARY_FILE = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-summary-')), 'summary')

export interface InProcessOptions {
  env?: Record<string, string>
  timings?: Timings
  clock?: Clock
  client?: (real: DraftClip) => DraftClip
  /** Everything else of RunDeps. */
  deps?: Partial<RunDeps>
}

/**
 * Runs src/main.ts's run() in this process as the runner would start the
 * bundle: INPUT_* from action.yml's defaults and the inputs, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE. Returns what the runner would see.
 */
export async function runInProcess(ws: string, inputs: Record<string, string>, options: InProcessOptions = {}): Promise<ActionRun> {
  const runnerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-runner-'))
  const outputFile = path.join(runnerDir, 'output')
  // @actions/core keeps the summary file's path once it has seen it: one file for the process, emptied each run.
  const summaryFile = SUMMARY_FILE
  fs.writeFileSync(outputFile, '')
  fs.writeFileSync(summaryFile, '')
  const env: Record<string, string> = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: ws }
  // Tests poll the loopback sandbox fast; the shared budget is tested where it matters.
  for (const [name, value] of Object.entries({ ...inputDefaults(), 'max-polls-per-minute': '600000', ...inputs }))
    env[inputVariable(name)] = value
  Object.assign(env, options.env)
  const saved = { out: process.env.GITHUB_OUTPUT, summary: process.env.GITHUB_STEP_SUMMARY }
  process.env.GITHUB_OUTPUT = outputFile
  process.env.GITHUB_STEP_SUMMARY = summaryFile
  process.exitCode = undefined
  let stdout = ''
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString()
    return true
  })
  let code: number
  try {
    const wrap = options.client
    await run(env, {
      timings: options.timings ?? TEST_TIMINGS,
      signals: false,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(wrap ? { client: o => wrap(new DraftClipClient(o)) } : {}),
      ...options.deps
    })
  } finally {
    write.mockRestore()
    code = Number(process.exitCode ?? 0)
    process.exitCode = undefined
    process.env.GITHUB_OUTPUT = saved.out
    process.env.GITHUB_STEP_SUMMARY = saved.summary
  }
  const outputs = parseGithubOutput(fs.readFileSync(outputFile, 'utf8'))
  const summary = fs.readFileSync(summaryFile, 'utf8')
  fs.rmSync(runnerDir, { recursive: true, force: true })
  return {
    code,
    signal: null,
    stdout,
    stderr: '',
    outputs,
    summary,
    results: outputs.results ? (JSON.parse(outputs.results) as Record<string, unknown>[]) : [],
    workspace: ws
  }
}

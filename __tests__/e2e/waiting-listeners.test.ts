import * as fs from 'node:fs'
import * as path from 'node:path'
import { expect, it } from '@jest/globals'
import { startAction } from '../../sandbox/runner.js'
import type { Sandbox } from '../../sandbox/server.js'
import { sandboxPerTest } from '../support/sandbox.js'
import { API_KEY, DIST, workspace, writeMp4 } from '../support/action.js'

/**
 * Node 20 (a developer's machine, a self-hosted runner that sets it) printed
 * "MaxListenersExceededWarning: ... 11 abort listeners added to [AbortSignal]"
 * from nine waiting videos. The bundle of the current source, on the Node
 * running these tests (20 here and in CI's Node 20 job), as the runner starts it.
 */

let sandbox: Sandbox | undefined
const startSandbox = sandboxPerTest()

it(`twelve videos waiting together on Node ${process.versions.node}: no MaxListenersExceededWarning`, async () => {
  sandbox = await startSandbox({ pollsToComplete: 8 })
  const ws = workspace()
  try {
    for (let i = 0; i < 12; i++) writeMp4(path.join(ws, 'v', `clip-${String(i).padStart(2, '0')}.mp4`), 4096 + i)
    const run = await startAction({
      node: process.execPath,
      entry: DIST,
      workspace: ws,
      inputs: {
        'api-key': API_KEY,
        'base-url': sandbox.url,
        videos: 'v/*.mp4',
        description: 'x',
        'poll-interval': '0.05',
        'max-polls-per-minute': '600000',
        concurrency: '4'
      }
    }).done
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.results).map((r: { status: string }) => r.status)).toEqual(Array(12).fill('PUBLISH_COMPLETE'))
    expect(run.stderr).not.toContain('MaxListenersExceededWarning')
  } finally {
    fs.rmSync(ws, { recursive: true, force: true })
  }
})

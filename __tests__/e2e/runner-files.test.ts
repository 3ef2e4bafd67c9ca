import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { runAction, workspace, writeMp4, type ActionRun } from '../support/action.js'

/**
 * The runner's files unusable (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY unset or in
 * a folder that is gone): a clear message instead of a Node stack trace, and
 * the results still in the log. The bundle on Node 24, as the runner starts it.
 */

let sandbox: Sandbox | undefined
const folders: string[] = []
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
  for (const f of folders.splice(0)) fs.rmSync(f, { recursive: true, force: true })
})

async function publishOne(env: Record<string, string>): Promise<{ run: ActionRun; publishId: string; ws: string }> {
  sandbox = await startSandbox({ pollsToComplete: 1 })
  const ws = workspace()
  folders.push(ws)
  writeMp4(path.join(ws, 'v/a.mp4'))
  const run = await runAction(
    ws,
    { 'api-key': 'ttapi_sandbox_key', 'base-url': sandbox.url, videos: 'v/*.mp4', description: 'x', wait: 'false' },
    // The workspace's path, so the messages can be checked to the letter.
    Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('WS', ws)]))
  )
  expect(sandbox.uploads).toHaveLength(1)
  return { run, publishId: sandbox.uploads[0].publishId, ws }
}

const noStackTrace = (run: ActionRun): void => {
  expect(run.stderr).not.toMatch(/\n\s+at |Error:/)
}

describe("the runner's files unusable", () => {
  it('GITHUB_OUTPUT in a folder that is gone: the step fails saying so, and every output is in the log', async () => {
    const { run, publishId, ws } = await publishOne({ GITHUB_OUTPUT: 'WS/gone/output' })
    noStackTrace(run)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `::error::GITHUB_OUTPUT (${ws}/gone/output) cannot be written: its folder ${ws}/gone does not exist, so later steps cannot read this step's outputs; they are in the log above.`
    )
    expect(run.stdout).toContain(`\npublish-ids=["${publishId}"]\n`)
    expect(run.stdout).toMatch(new RegExp(`\\nresults=\\[\\{"file":"v/a.mp4",.*"publish_id":"${publishId}","status":"PROCESSING_UPLOAD"`))
    // The summary, written where it could be, still has the video.
    expect(run.summary).toContain(publishId)
  })

  it('GITHUB_OUTPUT unset on a runner: the same, and no deprecated ::set-output command', async () => {
    const { run, publishId } = await publishOne({ GITHUB_OUTPUT: '' })
    noStackTrace(run)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      "::error::GITHUB_OUTPUT is not set, so later steps cannot read this step's outputs; they are in the log above."
    )
    expect(run.stdout).toContain(`\npublish-id=${publishId}\n`)
    expect(run.stdout).not.toContain('::set-output')
  })

  it('GITHUB_STEP_SUMMARY in a folder that is gone: a warning naming it, the summary in the log, the outputs written, the step passes', async () => {
    const { run, publishId, ws } = await publishOne({ GITHUB_STEP_SUMMARY: 'WS/gone/summary.md' })
    noStackTrace(run)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(
      `::warning::The job summary could not be written to GITHUB_STEP_SUMMARY (${ws}/gone/summary.md): its folder ${ws}/gone does not exist. It follows in the log.`
    )
    expect(run.stdout).toMatch(new RegExp(`\\n\\| .* \\| v/a\\.mp4 \\| .* \\| PROCESSING_UPLOAD \\| ${publishId} \\|`))
    expect(run.outputs['publish-id']).toBe(publishId)
  })

  it('GITHUB_STEP_SUMMARY unset on a runner: a warning, and the summary in the log', async () => {
    const { run, publishId } = await publishOne({ GITHUB_STEP_SUMMARY: '' })
    noStackTrace(run)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('::warning::GITHUB_STEP_SUMMARY is not set, so there is no job summary. It follows in the log.')
    expect(run.stdout).toContain(`| PROCESSING_UPLOAD | ${publishId} |`)
    expect(run.outputs['publish-id']).toBe(publishId)
  })
})

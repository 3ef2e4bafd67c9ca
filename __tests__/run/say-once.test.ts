import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import type { Sandbox } from '../../sandbox/server.js'
import { ledgerRunInputs, sandboxPerTest } from '../support/sandbox.js'
import { API_KEY, workspace, writeMp4 } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

/** What the log and the summary say is true, and each thing is said once. */

let sandbox: Sandbox | undefined
const startSandbox = sandboxPerTest()

const inputs = (url: string, more: Record<string, string> = {}): Record<string, string> => ledgerRunInputs(API_KEY, url, more)
/** The workflow commands the runner turns into annotations. */
const annotations = (stdout: string): string[] => stdout.split('\n').filter(l => /^::(warning|error)\b/.test(l))

describe('each thing said once, truly', () => {
  it('a refused key is one error, not a warning and two errors', async () => {
    sandbox = await startSandbox({ apiKeys: ['some_other_key'] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    writeMp4(path.join(ws, 'v/b.mp4'), 5000)
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.code).toBe(1)
    const said = annotations(run.stdout)
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(/^::error::DraftClip refused the API key \(DraftClip answered HTTP 401: Invalid or missing API key\)/)
    expect(said[0]).toContain('v/a.mp4: UPLOAD_FAILED')
    expect(said[0]).toContain('v/b.mp4: NOT_ATTEMPTED')
    expect(run.summary.split('Invalid or missing API key')).toHaveLength(2)
  })

  it('a video that failed is one error, on its file', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1, files: { 'b.mp4': { final: 'FAILED', failReason: 'duration_check_failed' } } })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    writeMp4(path.join(ws, 'v/b.mp4'), 5000)
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.code).toBe(1)
    const said = annotations(run.stdout).filter(l => l.includes('duration_check_failed'))
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(/^::error [^:]*file=v\/b\.mp4::/)
    expect(run.stdout).toContain('::error::1 of 2 videos did not publish%0A  - v/b.mp4: FAILED')
  })

  it('when the ledger skips everything: the log does not say "to publish", and the title does not say "Published"', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    writeMp4(path.join(ws, 'v/b.mp4'), 5000)
    expect((await runInProcess(ws, inputs(sandbox.url))).summary).toMatch(/^## Published to TikTok with DraftClip\n/)
    const again = await runInProcess(ws, inputs(sandbox.url))
    expect(again.code).toBe(0)
    expect(again.results.map(r => r.status)).toEqual(['SKIPPED', 'SKIPPED'])
    expect(again.stdout).toContain('2 videos found: v/a.mp4, v/b.mp4')
    expect(again.stdout).not.toContain('to publish')
    expect(again.summary).toMatch(/^## Nothing was published to TikTok by this run\n/)
    expect(sandbox.uploads).toHaveLength(2)
  })
})

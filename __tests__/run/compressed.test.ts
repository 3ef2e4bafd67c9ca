import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import type { Sandbox } from '../../sandbox/server.js'
import { ledgerRunInputs, sandboxPerTest } from '../support/sandbox.js'
import { API_KEY, workspace, writeMp4 } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

/** DraftClip (or a proxy before it) compressing answers nobody asked to be compressed: the ids inside must not be lost. */

let sandbox: Sandbox | undefined
const startSandbox = sandboxPerTest()

const inputs = (url: string, more: Record<string, string> = {}): Record<string, string> => ledgerRunInputs(API_KEY, url, more)

describe('answers compressed unasked', () => {
  it.each(['gzip', 'deflate', 'br'] as const)('%s: the publish id and the post id come through, once', async encoding => {
    sandbox = await startSandbox({ pollsToComplete: 1, contentEncoding: encoding })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    // Public: only a public post gets a post ID.
    const run = await runInProcess(ws, inputs(sandbox.url, { 'privacy-level': 'PUBLIC_TO_EVERYONE' }))
    expect(run.code).toBe(0)
    expect(run.results[0]).toMatchObject({ status: 'PUBLISH_COMPLETE', publish_id: sandbox.uploads[0].publishId })
    expect(run.results[0].post_id).toMatch(/^\d{19}$/)
    expect(sandbox.uploads).toHaveLength(1)
    const ledger = JSON.parse(fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')) as { videos: Record<string, { publish_id: string }> }
    expect(Object.values(ledger.videos)[0].publish_id).toBe(sandbox.uploads[0].publishId)
  })

  it('a huge compressed answer keeps the publish id at its head', async () => {
    const body = `{"success":true,"data":{"publish_id":"v_head_of_a_big_gzip","status":"PROCESSING_UPLOAD"},"debug":"${'x'.repeat(8 * 1024 * 1024)}"}`
    sandbox = await startSandbox({ contentEncoding: 'gzip', uploadFaults: [{ type: 'respond', status: 200, body }] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const run = await runInProcess(ws, inputs(sandbox.url, { wait: 'false' }))
    expect(run.results[0]).toMatchObject({ status: 'UNCONFIRMED', publish_id: 'v_head_of_a_big_gzip' })
    expect(sandbox.requests.filter(r => r.path === '/api/upload.php')).toHaveLength(1)
  })

  it('a compressed refusal is read as DraftClip wrote it', async () => {
    sandbox = await startSandbox({ contentEncoding: 'br', apiKeys: ['another_key'] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.code).toBe(1)
    expect(String(run.results[0].error)).toContain('DraftClip answered HTTP 401: Invalid or missing API key')
  })
})

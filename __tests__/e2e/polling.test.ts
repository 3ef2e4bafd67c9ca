import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import type { Sandbox } from '../../sandbox/server.js'
import { sandboxPerTest } from '../support/sandbox.js'
import { API_KEY, runAction, workspace, writeMp4 } from '../support/action.js'

let sandbox: Sandbox | undefined
const startSandbox = sandboxPerTest()

const base = (url: string): Record<string, string> => ({ 'api-key': API_KEY, 'base-url': url, 'poll-interval': '0.05' })

/** What the sandbox saw, by endpoint: the `requests` output must say the same. */
function seen(s: Sandbox): { upload: number; status: number } {
  return {
    upload: s.requests.filter(r => r.path === '/api/upload.php').length,
    status: s.requests.filter(r => r.path === '/api/video_status.php').length
  }
}

// TikTok gives a post id only to public posts: the sandbox's `postIdDelay` past any wait plays a private one.
const NO_POST_ID = 1_000_000

describe('a private video (the bundle, as the runner starts it)', () => {
  it('a SELF_ONLY video ends at PUBLISH_COMPLETE at once, without waiting out wait-timeout, and without a warning', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1, files: { 'private.mp4': { postIdDelay: NO_POST_ID } } })
    const ws = workspace()
    writeMp4(path.join(ws, 'private.mp4'))
    const started = Date.now()
    const run = await runAction(ws, {
      ...base(sandbox.url),
      videos: 'private.mp4',
      description: 'x',
      'privacy-level': 'SELF_ONLY',
      'wait-timeout': '120'
    })
    expect(run.code).toBe(0)
    // Far from the 120 s wait-timeout: the wait ended at PUBLISH_COMPLETE.
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(run.results[0]).toMatchObject({ status: 'PUBLISH_COMPLETE', post_id: null, error: null })
    expect(run.outputs['post-id']).toBe('')
    expect(run.stdout).not.toContain('::warning')
    expect(run.stdout).not.toContain('still not complete')
    // PROCESSING_UPLOAD, then PUBLISH_COMPLETE: not one request more.
    expect(seen(sandbox)).toEqual({ upload: 1, status: 2 })
    expect(JSON.parse(run.outputs.requests)).toEqual({ upload: 1, status: 2 })
    expect(run.summary).toContain('**DraftClip requests:** 3 (1 upload request, retries included; 2 status requests)')
  })

  it("a later run with the ledger does not follow an earlier run's private PUBLISH_COMPLETE", async () => {
    sandbox = await startSandbox({ pollsToComplete: 1, files: { 'private.mp4': { postIdDelay: NO_POST_ID } } })
    const ws = workspace()
    writeMp4(path.join(ws, 'private.mp4'))
    const inputs = { ...base(sandbox.url), videos: 'private.mp4', description: 'x', ledger: 'ledger.json', 'wait-timeout': '120' }
    const first = await runAction(ws, inputs)
    expect(first.results[0]).toMatchObject({ status: 'PUBLISH_COMPLETE', post_id: null })
    const before = sandbox.requests.length
    const second = await runAction(ws, inputs)
    expect(second.code).toBe(0)
    expect(second.results[0]).toMatchObject({ status: 'SKIPPED', post_id: null })
    expect(sandbox.requests.length).toBe(before)
    expect(JSON.parse(second.outputs.requests)).toEqual({ upload: 0, status: 0 })
  })

  it('a public video whose post id does not come says it was published and the post id comes after moderation', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1, files: { 'public.mp4': { postIdDelay: NO_POST_ID } } })
    const ws = workspace()
    writeMp4(path.join(ws, 'public.mp4'))
    const run = await runAction(ws, {
      ...base(sandbox.url),
      videos: 'public.mp4',
      description: 'x',
      'privacy-level': 'PUBLIC_TO_EVERYONE',
      'wait-timeout': '2'
    })
    expect(run.code).toBe(0)
    expect(run.results[0]).toMatchObject({ status: 'PUBLISH_COMPLETE', post_id: null })
    expect(run.stdout).toContain('TikTok gives its post ID after moderation')
    expect(run.stdout).not.toContain('still not complete')
    expect(JSON.parse(run.outputs.requests)).toEqual(seen(sandbox))
  })
})

describe('the requests output (the bundle, as the runner starts it)', () => {
  it('counts every request the sandbox saw: upload retries, failed polls, several videos', async () => {
    sandbox = await startSandbox({
      pollsToComplete: 2,
      files: { 'b.mp4': { postIdDelay: 2 } },
      // The first upload is refused for the quota and retried; two status requests fail.
      uploadFaults: [{ type: 'respond', status: 429, body: '{"error":"Quota exceeded"}', headers: { 'Retry-After': '0' } }],
      statusFaults: [null, { type: 'respond', status: 503, body: 'busy' }, { type: 'respond', status: 500, body: '{"error":"oops"}' }]
    })
    const ws = workspace()
    writeMp4(path.join(ws, 'a.mp4'))
    writeMp4(path.join(ws, 'b.mp4'), 8192)
    const run = await runAction(ws, {
      ...base(sandbox.url),
      videos: '*.mp4',
      description: 'x',
      'privacy-level': 'PUBLIC_TO_EVERYONE',
      concurrency: '2'
    })
    expect(run.code).toBe(0)
    expect(run.results.map(r => r.status)).toEqual(['PUBLISH_COMPLETE', 'PUBLISH_COMPLETE'])
    const counted = seen(sandbox)
    expect(counted.upload).toBe(3)
    // Each video: PROCESSING_UPLOAD, PROCESSING, then PUBLISH_COMPLETE (b twice more for its post id); plus the failed ones.
    expect(counted.status).toBe(3 + 5 + 2)
    expect(sandbox.requests).toHaveLength(counted.upload + counted.status)
    expect(JSON.parse(run.outputs.requests)).toEqual(counted)
    expect(run.summary).toContain(`**DraftClip requests:** 13 (3 upload requests, retries included; 10 status requests)`)
  })

  it('is written when the step fails, with what was sent', async () => {
    sandbox = await startSandbox({ apiKeys: ['ttapi_other'] })
    const ws = workspace()
    writeMp4(path.join(ws, 'a.mp4'))
    writeMp4(path.join(ws, 'b.mp4'), 8192)
    const run = await runAction(ws, { ...base(sandbox.url), videos: '*.mp4', description: 'x' })
    expect(run.code).not.toBe(0)
    // The 401 stops the run: b.mp4 is never sent.
    expect(seen(sandbox)).toEqual({ upload: 1, status: 0 })
    expect(JSON.parse(run.outputs.requests)).toEqual({ upload: 1, status: 0 })
  })
})

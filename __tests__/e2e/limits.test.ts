import * as net from 'node:net'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import type { Sandbox } from '../../sandbox/server.js'
import { sandboxPerTest } from '../support/sandbox.js'
import { API_KEY, runAction, startAction, workspace, writeMp4 } from '../support/action.js'

/** A spent quota and an unreachable DraftClip, through the bundle as the runner starts it (task E). */

let sandbox: Sandbox | undefined
const startSandbox = sandboxPerTest()

const base = (url: string): Record<string, string> => ({ 'api-key': API_KEY, 'base-url': url, 'poll-interval': '0.05', description: 'x' })
const uploadsSeen = (s: Sandbox): number => s.requests.filter(r => r.path === '/api/upload.php').length
const statusesSeen = (s: Sandbox): number => s.requests.filter(r => r.path === '/api/video_status.php').length
const annotations = (stdout: string, kind: 'warning' | 'error'): string[] => stdout.split('\n').filter(l => l.startsWith(`::${kind}`))

function videos(ws: string, n: number): void {
  for (let i = 1; i <= n; i++) writeMp4(path.join(ws, `v${i}.mp4`), 4096 + i)
}

/** A loopback port with nothing listening on it: every connection is refused. */
async function deadPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

describe('a spent quota (the sandbox --daily-limit)', () => {
  it('--daily-limit 3:3600 and 6 videos: no upload is sent after the first 429, the rest NOT_ATTEMPTED with when it resets', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1, dailyLimit: 3, dailyLimitRetryAfter: 3600 })
    const ws = workspace()
    videos(ws, 6)
    const started = Date.now()
    const run = await runAction(ws, { ...base(sandbox.url), videos: '*.mp4' })
    // Before: 7 upload requests and "attempt 2 of 4 starts in 120.0 s", three times (6 minutes).
    expect(uploadsSeen(sandbox)).toBe(4)
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(run.code).toBe(1)
    expect(run.results.map(r => r.status)).toEqual([
      'PUBLISH_COMPLETE',
      'PUBLISH_COMPLETE',
      'PUBLISH_COMPLETE',
      'UPLOAD_FAILED',
      'NOT_ATTEMPTED',
      'NOT_ATTEMPTED'
    ])
    expect(String(run.results[4].error)).toMatch(
      /^not attempted: DraftClip's quota is used up \(.*DraftClip says it resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ.*\); the remaining videos were not sent, and the next run picks them up/
    )
    expect(run.stdout).not.toContain('starts in')
    // The videos taken were polled to the end: the status requests are not the upload quota.
    expect(statusesSeen(sandbox)).toBeGreaterThanOrEqual(3)
    expect(JSON.parse(run.outputs.requests)).toEqual({ upload: 4, status: statusesSeen(sandbox) })
  })
})

describe('DraftClip cannot be reached', () => {
  it('a base-url with nothing listening: one video uses its retries, the others are not sent, and no request counts as the plan', async () => {
    const port = await deadPort()
    const ws = workspace()
    videos(ws, 3)
    const run = await runAction(ws, { ...base(`http://127.0.0.1:${port}`), videos: '*.mp4', retries: '1' })
    expect(run.code).toBe(1)
    expect(run.results.map(r => r.status)).toEqual(['UPLOAD_FAILED', 'NOT_ATTEMPTED', 'NOT_ATTEMPTED'])
    // Before: {"upload":6} (2 attempts a video), and a warning for each video's retry.
    expect(JSON.parse(run.outputs.requests)).toEqual({ upload: 0, status: 0 })
    expect(run.summary).toContain('2 more requests never reached DraftClip (no connection could be made)')
    expect(annotations(run.stdout, 'warning')).toHaveLength(1)
    expect(annotations(run.stdout, 'error').join('\n')).toContain(
      `DraftClip could not be reached (could not connect to http://127.0.0.1:${port} (ECONNREFUSED); gave up after 2 attempts)`
    )
  })

  it('DraftClip gone during the polls: the step passes (the uploads were taken), and the outputs say how it ended is not known', async () => {
    sandbox = await startSandbox({ files: { '*': { never: true } } })
    const ws = workspace()
    videos(ws, 2)
    const started = startAction(ws, { ...base(sandbox.url), videos: '*.mp4', concurrency: '2', 'wait-timeout': '4' })
    while (sandbox.uploads.length < 2 || statusesSeen(sandbox) < 2) await new Promise(resolve => setTimeout(resolve, 20))
    await sandbox.close()
    const reached = statusesSeen(sandbox)
    const run = await started.done
    expect(run.code).toBe(0)
    for (const r of run.results) {
      // Taken by DraftClip, last seen still processing.
      expect(r.status).toMatch(/^PROCESSING/)
      expect(String(r.error)).toMatch(
        /still not complete after 4 s: .*could not connect to http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\).*A later run with a ledger learns how it ended/
      )
    }
    // Only the status requests that reached the sandbox are the plan's; the refused ones are said apart.
    expect(JSON.parse(run.outputs.requests)).toEqual({ upload: 2, status: reached })
    expect(run.summary).toMatch(/more requests? never reached DraftClip/)
  })
})

import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { API_KEY, workspace, writeMp4 } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

/**
 * A queue folder run on a schedule with wait: false: a later run asks once about each video an
 * earlier run uploaded whose outcome is not known yet (one status request, no waiting).
 */

let sandbox: Sandbox | undefined
const folders: string[] = []
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
  for (const f of folders.splice(0)) fs.rmSync(f, { recursive: true, force: true })
})

const inputs = (url: string, wait: 'true' | 'false' = 'false'): Record<string, string> => ({
  'base-url': url,
  'api-key': API_KEY,
  videos: 'v/*.mp4',
  description: 'a video',
  ledger: 'ledger.json',
  wait,
  'poll-interval': '0.05',
  'max-poll-interval': '0.05',
  'wait-timeout': '3'
})

const statusRequests = (s: Sandbox): number => s.requests.filter(r => r.path === '/api/video_status.php').length
const ledgerStatuses = (ws: string): string[] =>
  Object.values(
    (JSON.parse(fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')) as { videos: Record<string, { status: string }> }).videos
  )
    .map(e => e.status)
    .sort()

async function queue(files: Parameters<typeof startSandbox>[0]): Promise<{ s: Sandbox; ws: string }> {
  const s = await startSandbox(files)
  sandbox = s
  const ws = workspace()
  folders.push(ws)
  writeMp4(path.join(ws, 'v', 'a.mp4'), 4096)
  writeMp4(path.join(ws, 'v', 'b.mp4'), 8192)
  return { s, ws }
}

describe('wait: false, a later run', () => {
  it('asks once about each pending video: one TikTok refused is reported FAILED (the step fails), and the next run publishes it again', async () => {
    const { s, ws } = await queue({ pollsToComplete: 0, files: { 'a.mp4': { final: 'FAILED', failReason: 'duration_check_failed' } } })
    const first = await runInProcess(ws, inputs(s.url))
    expect(first.code).toBe(0)
    expect(first.results.map(r => r.status)).toEqual(['PROCESSING_UPLOAD', 'PROCESSING_UPLOAD'])
    expect(statusRequests(s)).toBe(0)

    const second = await runInProcess(ws, inputs(s.url))
    expect(statusRequests(s)).toBe(2)
    expect(JSON.parse(second.outputs.requests)).toEqual({ upload: 0, status: 2 })
    expect(s.uploads).toHaveLength(2)
    expect(second.code).toBe(1)
    expect(second.results.map(r => r.status)).toEqual(['FAILED', 'SKIPPED'])
    expect(second.results[0]).toMatchObject({ fail_reason: 'duration_check_failed' })
    expect(String(second.results[0].error)).toMatch(/ended FAILED: duration_check_failed; the next run will publish it again/)
    expect(second.stdout).toContain('uploaded by an earlier run, its outcome not known yet (ledger: PROCESSING_UPLOAD')
    expect(second.stdout).not.toContain('already published (ledger: PROCESSING_UPLOAD')
    expect(second.stdout).toContain('asked once (wait: false): PUBLISH_COMPLETE')
    expect(ledgerStatuses(ws)).toEqual(['FAILED', 'PUBLISH_COMPLETE'])

    // A published one is settled: no request about it again. The refused one is uploaded again, once.
    const third = await runInProcess(ws, inputs(s.url))
    expect(statusRequests(s)).toBe(2)
    expect(s.uploads.map(u => u.filename)).toEqual(['a.mp4', 'b.mp4', 'a.mp4'])
    expect(third.results.map(r => r.status)).toEqual(['PROCESSING_UPLOAD', 'SKIPPED'])
    expect(third.code).toBe(0)
  })

  it('one still processing: SKIPPED with a true message, one request each run, no waiting, and the step passes', async () => {
    const { s, ws } = await queue({ pollsToComplete: 100 })
    await runInProcess(ws, inputs(s.url))
    for (const run of [1, 2]) {
      const later = await runInProcess(ws, inputs(s.url))
      expect(statusRequests(s)).toBe(2 * run)
      expect(later.code).toBe(0)
      expect(later.results.map(r => r.status)).toEqual(['SKIPPED', 'SKIPPED'])
      expect(later.stdout).toMatch(/v\/b\.mp4: asked once \(wait: false\): PROCESSING(_UPLOAD)?; a later run asks again/)
    }
    expect(s.uploads).toHaveLength(2)
    for (const status of ledgerStatuses(ws)) expect(status).toMatch(/^PROCESSING/)
  })

  it('the dry run says what the run would do, and asks nothing', async () => {
    const { s, ws } = await queue({ pollsToComplete: 100 })
    await runInProcess(ws, inputs(s.url))
    const dry = await runInProcess(ws, { ...inputs(s.url), 'dry-run': 'true' })
    expect(statusRequests(s)).toBe(0)
    expect(dry.stdout).toContain(
      'v/a.mp4: would skip (uploaded by an earlier run, its outcome not known yet) and ask DraftClip once for its status'
    )
  })
})

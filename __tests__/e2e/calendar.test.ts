import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { type Sandbox, type SandboxOptions } from '../../sandbox/server.js'
import { sandboxPerTest } from '../support/sandbox.js'
import { API_KEY, runAction, workspace, writeMp4 } from '../support/action.js'

/** The content calendar, run as the runner runs the bundle. Times are far past or far future: the bundle's clock is real. */

let sandbox: Sandbox | undefined
const startSandbox = sandboxPerTest()

const PAST = '2001-01-01T00:00:00Z'
const FUTURE = '2999-12-24T18:00:00+01:00'

async function queue(files: Record<string, string | undefined>, options: SandboxOptions = {}): Promise<string> {
  sandbox = await startSandbox({ pollsToComplete: 1, ...options })
  const ws = workspace()
  for (const [name, at] of Object.entries(files)) {
    writeMp4(path.join(ws, 'videos', name))
    const sidecar: Record<string, string> = { description: `${name} #calendar` }
    if (at) sidecar.publish_at = at
    fs.writeFileSync(path.join(ws, 'videos', `${name}.draftclip.json`), JSON.stringify(sidecar, null, 2))
  }
  return ws
}
const inputs = (more: Record<string, string> = {}): Record<string, string> => ({
  'api-key': API_KEY,
  'base-url': sandbox!.url,
  videos: 'videos/*.mp4',
  'poll-interval': '0.05',
  ledger: '.draftclip/ledger.json',
  ...more
})
const statuses = (run: { results: Record<string, unknown>[] }): unknown[] => run.results.map(r => r.status)

describe('a content calendar', () => {
  it('a video before its publish_at is SCHEDULED and the step passes; one past it is published', async () => {
    const ws = await queue({ 'a-due.mp4': PAST, 'b-later.mp4': FUTURE })
    const run = await runAction(ws, inputs())
    expect(run.code).toBe(0)
    expect(statuses(run)).toEqual(['PUBLISH_COMPLETE', 'SCHEDULED'])
    expect(run.results.map(r => r.publish_at)).toEqual(['2001-01-01T00:00:00.000Z', '2999-12-24T17:00:00.000Z'])
    expect(sandbox!.uploads.map(u => u.filename)).toEqual(['a-due.mp4'])
    expect(run.outputs['next-publish-at']).toBe('2999-12-24T17:00:00.000Z')
    expect(run.summary).toContain('### Calendar')
    expect(run.summary).toContain('| 2999-12-24 17:00 UTC | videos/b-later.mp4 |')
    expect(run.stdout).toContain('videos/b-later.mp4: scheduled for 2999-12-24T17:00:00.000Z')
  })

  it('a publish_at that is not a date-time with an offset fails the step before any upload, naming the sidecar, the line and publish_at', async () => {
    const ws = await queue({ 'a.mp4': '2026-12-24T18:00:00', 'b.mp4': undefined })
    const run = await runAction(ws, inputs())
    expect(run.code).toBe(1)
    expect(sandbox!.requests).toHaveLength(0)
    expect(run.stdout).toContain(
      'videos/a.mp4.draftclip.json: line 3: publish_at must be an RFC 3339 (ISO 8601) date-time with an offset or Z'
    )
  })

  it('max-uploads takes the due videos in order (none first, then publish_at, then path) and queues the rest; reruns drain the queue', async () => {
    const ws = await queue({ 'a.mp4': '2001-06-01T00:00:00Z', 'b.mp4': '2001-01-01T00:00:00Z', 'c.mp4': undefined, 'd.mp4': FUTURE })
    const first = await runAction(ws, inputs({ 'max-uploads': '2' }))
    expect(first.code).toBe(0)
    // Results stay in file order.
    expect(statuses(first)).toEqual(['QUEUED', 'PUBLISH_COMPLETE', 'PUBLISH_COMPLETE', 'SCHEDULED'])
    // Uploaded in calendar order: c (no publish_at) first, then b.
    expect(sandbox!.uploads.map(u => u.filename)).toEqual(['c.mp4', 'b.mp4'])
    expect(first.results[0].error).toBe('queued: max-uploads (2) is reached for this run; a later run publishes it')

    const second = await runAction(ws, inputs({ 'max-uploads': '2' }))
    expect(statuses(second)).toEqual(['PUBLISH_COMPLETE', 'SKIPPED', 'SKIPPED', 'SCHEDULED'])
    expect(sandbox!.uploads.map(u => u.filename)).toEqual(['c.mp4', 'b.mp4', 'a.mp4'])
  })

  it('due videos are uploaded in calendar order, not path order', async () => {
    const ws = await queue({ 'a-launch.mp4': '2001-06-01T00:00:00Z', 'b-teaser.mp4': '2001-01-01T00:00:00Z' })
    const run = await runAction(ws, inputs({ 'max-uploads': '5' }))
    expect(run.code).toBe(0)
    expect(sandbox!.uploads.map(u => u.filename)).toEqual(['b-teaser.mp4', 'a-launch.mp4'])
    expect(run.results.map(r => r.file)).toEqual(['videos/a-launch.mp4', 'videos/b-teaser.mp4'])
  })

  it('max-uploads without a ledger is refused before anything is sent', async () => {
    const ws = await queue({ 'a.mp4': undefined })
    const run = await runAction(ws, inputs({ 'max-uploads': '1', ledger: '' }))
    expect(run.code).toBe(1)
    expect(sandbox!.requests).toHaveLength(0)
    expect(run.summary).toContain("Input 'max-uploads' needs a ledger ('ledger-branch' or 'ledger')")
  })

  it('with max-uploads, a spent quota leaves what was not sent QUEUED, with a warning, and the step passes', async () => {
    const ws = await queue({ 'a.mp4': undefined, 'b.mp4': undefined, 'c.mp4': undefined }, { dailyLimit: 1 })
    const run = await runAction(ws, inputs({ 'max-uploads': '10', retries: '0' }))
    expect(run.code).toBe(0)
    expect(statuses(run)).toEqual(['PUBLISH_COMPLETE', 'QUEUED', 'QUEUED'])
    expect(run.stdout).toMatch(/::warning::DraftClip's quota is used up .*The videos not sent are QUEUED for a later run/)
    expect(run.summary).toContain("DraftClip's quota is used up")
  })

  it('without max-uploads, a spent quota fails the step as before', async () => {
    const ws = await queue({ 'a.mp4': undefined, 'b.mp4': undefined, 'c.mp4': undefined }, { dailyLimit: 1 })
    const run = await runAction(ws, inputs({ retries: '0' }))
    expect(run.code).toBe(1)
    expect(statuses(run)).toEqual(['PUBLISH_COMPLETE', 'UPLOAD_FAILED', 'NOT_ATTEMPTED'])
  })

  it("with max-uploads, TikTok's spam_risk_too_many_posts queues the video and stops the uploads; the next run publishes it again", async () => {
    // b's upload is slow, so a's status (the daily cap) comes back while b is being sent and c waits for the slot.
    const ws = await queue(
      { 'a.mp4': undefined, 'b.mp4': undefined, 'c.mp4': undefined },
      { files: { 'a.mp4': { final: 'FAILED', failReason: 'spam_risk_too_many_posts' } }, uploadFaults: [null, { type: 'delay', ms: 1000 }] }
    )
    const run = await runAction(ws, inputs({ 'max-uploads': '5' }))
    expect(run.code).toBe(0)
    expect(statuses(run)).toEqual(['QUEUED', 'PUBLISH_COMPLETE', 'QUEUED'])
    expect(run.results[0].fail_reason).toBe('spam_risk_too_many_posts')
    expect(sandbox!.uploads.map(u => u.filename)).toEqual(['a.mp4', 'b.mp4'])

    sandbox!.setFile('a.mp4', {})
    const again = await runAction(ws, inputs({ 'max-uploads': '5' }))
    expect(statuses(again)).toEqual(['PUBLISH_COMPLETE', 'SKIPPED', 'PUBLISH_COMPLETE'])
    expect(sandbox!.uploads.map(u => u.filename)).toEqual(['a.mp4', 'b.mp4', 'a.mp4', 'c.mp4'])
  })

  it('the dry run follows the same rules: due DRY_RUN, future SCHEDULED, past max-uploads QUEUED', async () => {
    const ws = await queue({ 'a.mp4': PAST, 'b.mp4': undefined, 'c.mp4': FUTURE })
    const dry = await runAction(ws, { ...inputs({ 'max-uploads': '1', 'dry-run': 'true' }), 'api-key': '' })
    expect(dry.code).toBe(0)
    expect(sandbox!.requests).toHaveLength(0)
    expect(statuses(dry)).toEqual(['QUEUED', 'DRY_RUN', 'SCHEDULED'])
    expect(dry.summary).toContain('wait: scheduled for 2999-12-24 17:00 UTC')
    const real = await runAction(ws, inputs({ 'max-uploads': '1' }))
    expect(statuses(real)).toEqual(['QUEUED', 'PUBLISH_COMPLETE', 'SCHEDULED'])
  })
})

import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import type { Sandbox } from '../../sandbox/server.js'
import { fixture, workspace } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'
import { sandboxPerTest } from '../support/sandbox.js'

/**
 * Media is read before anything is sent, but judged after the ledger: a video
 * the ledger already holds never blocks a later run when it breaks a media rule
 * (a lower max-duration, or one published under media-check: warn or off).
 * A video this run or a later one uploads is still refused (error) or warned (warn).
 */

const KEY = 'ttapi_media_after_ledger_key'
const FUTURE = '2999-12-24T17:00:00Z'
const startSandbox = sandboxPerTest()
const workspaces: string[] = []
afterEach(() => {
  for (const ws of workspaces.splice(0)) fs.rmSync(ws, { recursive: true, force: true })
})

const OLD_TOO_LONG = 'v/old.mov: it lasts 2 s, over max-duration 1.5 s'
const NEW_TOO_LONG = 'v/new.mp4: it lasts 2 s, over max-duration 1.5 s'

const inputs = (sandbox: Sandbox, more: Record<string, string> = {}): Record<string, string> => ({
  'api-key': KEY,
  'base-url': sandbox.url,
  videos: 'v/*',
  description: 'media {name}',
  'poll-interval': '0.05',
  ledger: 'ledger.json',
  ...more
})

/** Run 1 publishes v/old.mov (2 s, within the default max-duration) into the ledger; then `name` is added as v/new.mp4. */
async function publishedOldThenNew(sandbox: Sandbox, name: string, publishAt?: string): Promise<string> {
  const ws = workspace()
  workspaces.push(ws)
  fs.mkdirSync(path.join(ws, 'v'))
  fs.copyFileSync(fixture('clip.mov'), path.join(ws, 'v', 'old.mov'))
  const first = await runInProcess(ws, inputs(sandbox))
  expect(first.code).toBe(0)
  expect(first.results).toMatchObject([{ file: 'v/old.mov', status: 'PUBLISH_COMPLETE' }])
  fs.copyFileSync(fixture(name), path.join(ws, 'v', 'new.mp4'))
  if (publishAt) fs.writeFileSync(path.join(ws, 'v', 'new.mp4.draftclip.json'), JSON.stringify({ publish_at: publishAt }))
  return ws
}

describe('a media problem of a video the ledger holds is a notice, not a refusal', () => {
  it.each(['error', 'warn'])('media-check: %s: the published old.mov is skipped with a notice and new.mp4 is published', async mode => {
    const sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
    const ws = await publishedOldThenNew(sandbox, 'tiny.mp4')
    const plan = await runInProcess(ws, inputs(sandbox, { 'max-duration': '1.5', 'media-check': mode, 'dry-run': 'true' }))
    expect(plan.code).toBe(0)
    expect(plan.results.map(r => [r.file, r.status])).toEqual([
      ['v/new.mp4', 'DRY_RUN'],
      ['v/old.mov', 'SKIPPED']
    ])
    const run = await runInProcess(ws, inputs(sandbox, { 'max-duration': '1.5', 'media-check': mode }))
    expect(run.code).toBe(0)
    expect(run.results.map(r => [r.file, r.status])).toEqual([
      ['v/new.mp4', 'PUBLISH_COMPLETE'],
      ['v/old.mov', 'SKIPPED']
    ])
    for (const r of [plan, run]) {
      expect(r.stdout).toContain(`${OLD_TOO_LONG}; not refused: the ledger says it is already published, and this run does not upload it.`)
      expect(r.stdout).not.toContain('uploaded anyway')
      expect(r.stdout).not.toContain('::error')
      expect(r.stdout).not.toMatch(/::warning[^\n]*old\.mov/)
    }
  })
})

describe('a media problem of a video this run or a later one uploads still refuses the step before any request', () => {
  it.each([
    ['a new video', undefined],
    ['a scheduled video (a later run uploads it)', FUTURE]
  ])('%s: refused under error, listing only it, in the dry run too', async (_, publishAt) => {
    const sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
    const ws = await publishedOldThenNew(sandbox, 'h264-faststart.mp4', publishAt)
    const sent = sandbox.requests.length
    for (const dryRun of ['true', 'false']) {
      const run = await runInProcess(ws, inputs(sandbox, { 'max-duration': '1.5', 'dry-run': dryRun }))
      expect(run.code).toBe(1)
      expect(run.stdout).toContain('1 file cannot be published, so nothing was uploaded')
      expect(run.stdout).toContain(`file=v/new.mp4::it lasts 2 s, over max-duration 1.5 s`)
      expect(run.stdout).toContain(`${OLD_TOO_LONG}; not refused: the ledger says it is already published`)
      expect(run.stdout).not.toContain('file=v/old.mov::')
      expect(run.summary).toContain(NEW_TOO_LONG)
    }
    expect(sandbox.requests.length).toBe(sent)
  })

  it('under warn, a new video is uploaded anyway with the warning, and a scheduled one is warned about now', async () => {
    const sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
    const ws = await publishedOldThenNew(sandbox, 'h264-faststart.mp4')
    const run = await runInProcess(ws, inputs(sandbox, { 'max-duration': '1.5', 'media-check': 'warn' }))
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`::warning file=v/new.mp4::${NEW_TOO_LONG}; it is uploaded anyway (media-check: warn)`)
    expect(run.results.map(r => r.file)).toEqual(['v/new.mp4', 'v/old.mov'])
    expect(run.results[1]).toMatchObject({ status: 'SKIPPED' })

    fs.copyFileSync(fixture('clip.avi'), path.join(ws, 'v', 'later.avi'))
    fs.writeFileSync(path.join(ws, 'v', 'later.avi.draftclip.json'), JSON.stringify({ publish_at: FUTURE }))
    const later = await runInProcess(ws, inputs(sandbox, { 'max-duration': '1.5', 'media-check': 'warn' }))
    expect(later.code).toBe(0)
    expect(later.results.map(r => [r.file, r.status])).toEqual([
      ['v/later.avi', 'SCHEDULED'],
      ['v/new.mp4', 'SKIPPED'],
      ['v/old.mov', 'SKIPPED']
    ])
    expect(later.stdout).toMatch(
      /::warning file=v\/later\.avi::v\/later\.avi: it lasts [^\n]*; a later run uploads it anyway \(media-check: warn\)/
    )
    expect(later.stdout).not.toContain('uploaded anyway (media-check: warn), and TikTok will likely refuse it (duration')
  })
})

describe('other problems still refuse the step before the ledger, listing every problem as before', () => {
  it('a caption problem beside a held video: both listed, nothing sent', async () => {
    const sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
    const ws = await publishedOldThenNew(sandbox, 'tiny.mp4')
    fs.writeFileSync(path.join(ws, 'v', 'new.mp4.draftclip.json'), '{ "description": 3 }')
    const sent = sandbox.requests.length
    const run = await runInProcess(ws, inputs(sandbox, { 'max-duration': '1.5' }))
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('file=v/new.mp4.draftclip.json,line=1::line 1:')
    expect(run.stdout).toContain(`file=v/old.mov::it lasts 2 s, over max-duration 1.5 s`)
    expect(sandbox.requests.length).toBe(sent)
  })
})

import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { fixture, workspace } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'
import { sandboxPerTest } from '../support/sandbox.js'

/**
 * One refused video fails the step and nothing is sent, as before; but every
 * video is in `results` and the summary: the refused one REFUSED with its media
 * and the rule it broke, the others what they would have got before anything
 * was sent (SKIPPED, SCHEDULED, QUEUED; DRY_RUN in a dry run), else
 * NOT_ATTEMPTED. Under media-check: warn, a video's warnings are in its result.
 */

const KEY = 'ttapi_refused_key'
const FUTURE = '2999-12-24T17:00:00Z'
const startSandbox = sandboxPerTest()
const workspaces: string[] = []
afterEach(() => {
  for (const ws of workspaces.splice(0)) fs.rmSync(ws, { recursive: true, force: true })
})

/** A folder of real videos: `names` maps each file in v/ to its fixture. */
function folder(names: Record<string, string>): string {
  const ws = workspace()
  workspaces.push(ws)
  fs.mkdirSync(path.join(ws, 'v'))
  for (const [name, from] of Object.entries(names)) fs.copyFileSync(fixture(from), path.join(ws, 'v', name))
  return ws
}

const inputs = (url: string, more: Record<string, string> = {}): Record<string, string> => ({
  'api-key': KEY,
  'base-url': url,
  videos: 'v/*.mp4\nv/*.mov\nv/*.avi',
  description: 'caption {name}',
  'poll-interval': '0.05',
  ...more
})

const FPS_RULE = 'its frame rate is 5 fps: TikTok takes 23 to 60 fps'

describe('a refused run lists every video', () => {
  it('the refused one REFUSED with its media and rule, a scheduled one SCHEDULED, the rest not sent; nothing is sent', async () => {
    const sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
    const ws = folder({ 'a.mp4': 'h264-faststart.mp4', 'b.mp4': '5fps.mp4', 'c.mov': 'clip.mov', 'd.mp4': 'hevc.mp4' })
    fs.writeFileSync(path.join(ws, 'v', 'd.mp4.draftclip.json'), JSON.stringify({ publish_at: FUTURE }))
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.code).toBe(1)
    expect(sandbox.requests).toEqual([])
    expect(run.results.map(r => [r.file, r.status, r.error])).toEqual([
      ['v/a.mp4', 'NOT_ATTEMPTED', 'not sent: another video was refused'],
      [
        'v/b.mp4',
        'REFUSED',
        expect.stringMatching(new RegExp(`^${FPS_RULE}; to fix it: ffmpeg -i v/b\\.mp4 -vf fps=30 .* v/b\\.tiktok\\.mp4$`))
      ],
      ['v/c.mov', 'NOT_ATTEMPTED', 'not sent: another video was refused'],
      ['v/d.mp4', 'SCHEDULED', null]
    ])
    expect(run.results[1].media).toEqual({ duration: 2, width: 360, height: 640, fps: 5, codec: 'h264', audio: false })
    expect(run.results.every(r => Array.isArray(r.warnings) && r.warnings.length === 0)).toBe(true)
    // The summary: the problem above, then a row for every video.
    expect(run.summary).toContain(`>   - v/b.mp4: ${FPS_RULE}`)
    for (const [file, status] of [
      ['v/a.mp4', 'NOT_ATTEMPTED'],
      ['v/b.mp4', 'REFUSED'],
      ['v/d.mp4', 'SCHEDULED']
    ])
      expect(run.summary).toMatch(new RegExp(`\\| ${file.replace('.', '\\.')} \\| [^|]+ \\| ${status} \\|`))
    expect(run.summary).toContain('🚫')
    // Annotated once, on its file, with the step's failure.
    expect(run.stdout.split('\n').filter(l => l.startsWith('::error') && l.includes(FPS_RULE))).toHaveLength(2)
  })

  it('in a dry run: the others are DRY_RUN, and the step still fails', async () => {
    const sandbox = await startSandbox({ apiKeys: [KEY] })
    const ws = folder({ 'a.mp4': 'h264-faststart.mp4', 'b.mp4': '5fps.mp4' })
    const run = await runInProcess(ws, inputs(sandbox.url, { 'dry-run': 'true' }))
    expect(run.code).toBe(1)
    expect(run.results.map(r => [r.file, r.status])).toEqual([
      ['v/a.mp4', 'DRY_RUN'],
      ['v/b.mp4', 'REFUSED']
    ])
    expect(run.summary).toMatch(/\| v\/a\.mp4 \|[^\n]*\| upload \|/)
    expect(sandbox.requests).toEqual([])
  })

  it('a caption problem refuses its video before the ledger; what the ledger holds stays SKIPPED', async () => {
    const sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
    const ws = folder({ 'a.mp4': 'h264-faststart.mp4' })
    const first = await runInProcess(ws, inputs(sandbox.url, { ledger: 'ledger.json' }))
    expect(first.results.map(r => r.status)).toEqual(['PUBLISH_COMPLETE'])
    fs.copyFileSync(fixture('clip.mov'), path.join(ws, 'v', 'b.mov'))
    fs.writeFileSync(path.join(ws, 'v', 'b.mov.draftclip.json'), JSON.stringify({ description: 'x'.repeat(2201) }))
    const sent = sandbox.requests.length
    const run = await runInProcess(ws, inputs(sandbox.url, { ledger: 'ledger.json' }))
    expect(run.code).toBe(1)
    expect(sandbox.requests.length).toBe(sent)
    expect(run.results.map(r => [r.file, r.status, r.error])).toEqual([
      ['v/a.mp4', 'SKIPPED', null],
      [
        'v/b.mov',
        'REFUSED',
        'v/b.mov.draftclip.json: line 1: the caption is 2201 UTF-16 code units long; TikTok allows 2200 (an emoji counts 2)'
      ]
    ])
    expect(run.results[1].media).toMatchObject({ codec: 'h264', fps: 24 })
  })

  it('a file that cannot even be read is a row of its own', async () => {
    const sandbox = await startSandbox({ apiKeys: [KEY] })
    const ws = folder({ 'a.mp4': 'h264-faststart.mp4' })
    fs.symlinkSync('gone.mp4', path.join(ws, 'v', 'link.mp4'))
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.code).toBe(1)
    expect(run.results.map(r => [r.file, r.status, r.size, r.error])).toEqual([
      ['v/a.mp4', 'NOT_ATTEMPTED', 5543, 'not sent: another video was refused'],
      ['v/link.mp4', 'REFUSED', 0, 'it is a broken symbolic link (its target does not exist)']
    ])
  })
})

describe('media-check: warn', () => {
  it("a video's warnings are in its result; the dry run says it would be uploaded anyway", async () => {
    const sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
    const ws = folder({ 'a.mp4': 'h264-faststart.mp4', 'b.mp4': '5fps.mp4', 'c.avi': 'clip.avi' })
    const plan = await runInProcess(ws, inputs(sandbox.url, { 'media-check': 'warn', 'dry-run': 'true' }))
    expect(plan.code).toBe(0)
    expect(plan.results.map(r => [r.file, r.status, r.warnings])).toEqual([
      ['v/a.mp4', 'DRY_RUN', []],
      [
        'v/b.mp4',
        'DRY_RUN',
        [
          expect.stringMatching(
            new RegExp(`^${FPS_RULE}; it would be uploaded anyway \\(media-check: warn\\), and TikTok will likely refuse it`)
          )
        ]
      ],
      ['v/c.avi', 'DRY_RUN', [expect.stringContaining('AVI is a container DraftClip takes')]]
    ])
    expect(plan.stdout).not.toContain('it is uploaded anyway')
    const run = await runInProcess(ws, inputs(sandbox.url, { 'media-check': 'warn' }))
    expect(run.results.map(r => [r.status, (r.warnings as string[]).length])).toEqual([
      ['PUBLISH_COMPLETE', 0],
      ['FAILED', 1],
      ['PUBLISH_COMPLETE', 1]
    ])
    expect((run.results[1].warnings as string[])[0]).toMatch(new RegExp(`^${FPS_RULE}; it is uploaded anyway`))
  })

  it('on a run another video refuses, nothing is uploaded: the warning says it would be uploaded anyway, not that it is', async () => {
    const sandbox = await startSandbox({ apiKeys: [KEY] })
    const ws = folder({ 'a.mp4': '5fps.mp4', 'b.mov': 'clip.mov' })
    fs.writeFileSync(path.join(ws, 'v', 'b.mov.draftclip.json'), JSON.stringify({ description: 'x'.repeat(2201) }))
    const run = await runInProcess(ws, inputs(sandbox.url, { 'media-check': 'warn' }))
    expect(run.code).toBe(1)
    expect(sandbox.requests).toEqual([])
    expect(run.results.map(r => [r.file, r.status, r.error, r.warnings])).toEqual([
      [
        'v/a.mp4',
        'NOT_ATTEMPTED',
        'not sent: another video was refused',
        [
          expect.stringMatching(
            new RegExp(`^${FPS_RULE}; it would be uploaded anyway \\(media-check: warn\\), and TikTok will likely refuse it`)
          )
        ]
      ],
      ['v/b.mov', 'REFUSED', expect.stringContaining('the caption is 2201 UTF-16 code units long'), []]
    ])
    expect(run.stdout).not.toContain('it is uploaded anyway')
  })
})

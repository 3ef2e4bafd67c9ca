import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { API_KEY, fixture, runAction, workspace } from '../support/action.js'

let sandbox: Sandbox | undefined
const workspaces: string[] = []
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
  for (const ws of workspaces.splice(0)) fs.rmSync(ws, { recursive: true, force: true })
})

/** A workspace with these fixtures copied into v/. */
function withVideos(...names: string[]): string {
  const ws = workspace()
  workspaces.push(ws)
  fs.mkdirSync(path.join(ws, 'v'))
  for (const name of names) fs.copyFileSync(fixture(name), path.join(ws, 'v', name))
  return ws
}

const base = (url: string): Record<string, string> => ({
  'api-key': API_KEY,
  'base-url': url,
  'poll-interval': '0.05',
  description: 'media {name}'
})

describe("TikTok's media rules, before the first byte (media-check: error)", () => {
  it.each([
    ['12min.mp4', 'it lasts 720 s, over max-duration 600 s'],
    ['5fps.mp4', 'its frame rate is 5 fps: TikTok takes 23 to 60 fps'],
    ['100x100.mp4', 'its picture is 100x100 px: TikTok takes a width and a height each from 360 to 4096 px'],
    ['audio-only.mp4', 'it has no video track (audio only): TikTok takes only videos'],
    ['cut-no-moov.mp4', "it is incomplete or damaged: it has no 'moov' box"],
    // Cut downloads whose metadata survived: their own tables say the data goes on past the end.
    ['cut-half-moov-first.mp4', 'cut off: 2.7 KB of its video data are missing; to fix it: download or render it again'],
    ['cut.avi', 'cut off: 2.0 KB of its video data are missing'],
    ['cut-fragmented.mp4', 'cut off: '],
    ['mpeg4-part2.mp4', 'its video codec is mpeg4 (MPEG-4 Part 2): TikTok takes H.264, H.265/HEVC, VP8 or VP9'],
    ['prores.mov', 'its video codec is prores (ProRes)'],
    ['mjpeg.mov', 'its video codec is mjpeg (Motion JPEG)'],
    ['lfs-pointer.mp4', 'it is a Git LFS pointer, not the video: check the repository out with `lfs: true`']
  ])('refuses %s, naming the file, the rule and the value, and sends nothing', async (name, problem) => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = withVideos(name, 'h264-faststart.mp4')
    const run = await runAction(ws, { ...base(sandbox.url), videos: 'v/*' })
    expect(run.code).toBe(1)
    expect(sandbox.requests).toEqual([])
    expect(run.stdout).toContain(`file=v/${name}::${problem}`)
    expect(run.stdout).toContain(`v/${name}: ${problem}`)
    expect(run.summary).toContain(`v/${name}: ${problem.replace(/`/g, '\\`')}`)
  })

  it('passes a video exactly max-duration long, and refuses it under a shorter one', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = withVideos('clip.mov')
    const exact = await runAction(ws, { ...base(sandbox.url), videos: 'v/*', 'max-duration': '2', 'dry-run': 'true' })
    expect(exact.code).toBe(0)
    expect(exact.results[0]).toMatchObject({ status: 'DRY_RUN', media: { duration: 2 } })
    const under = await runAction(ws, { ...base(sandbox.url), videos: 'v/*', 'max-duration': '1.999' })
    expect(under.code).toBe(1)
    expect(under.stdout).toContain('v/clip.mov: it lasts 2 s, over max-duration 1.999 s')
    expect(sandbox.requests).toEqual([])
  })

  it('publishes what passes, with each media in results, the plan and the summary', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const names = ['clip.mov', 'fragmented.mp4', 'h264-faststart.mp4', 'h264-moov-at-end.mp4', 'hevc.mp4', 'rotated.mp4', 'vp9.mp4']
    const ws = withVideos(...names)
    const plan = await runAction(ws, { ...base(sandbox.url), videos: 'v/*', 'dry-run': 'true' })
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain(
      'v/rotated.mp4: would upload, 2.5 KB, SELF_ONLY, caption: "media rotated.mp4"; 2 s, 360x640 px, 30 fps, h264, no audio'
    )
    expect(plan.summary).toContain('| Plan | Media |')
    expect(plan.summary).toContain('| upload | 2 s, 360x640 px, 25 fps, hevc, no audio |')
    const run = await runAction(ws, { ...base(sandbox.url), videos: 'v/*' })
    expect(run.code).toBe(0)
    expect(run.results.map(r => r.status)).toEqual(names.map(() => 'PUBLISH_COMPLETE'))
    expect(run.results.map(r => r.media)).toEqual([
      { duration: 2, width: 360, height: 640, fps: 24, codec: 'h264', audio: false },
      // Fragmented (frag_keyframe+empty_moov): read from its moofs, and published.
      { duration: 1, width: 360, height: 640, fps: 30, codec: 'h264', audio: false },
      { duration: 2, width: 360, height: 640, fps: 30, codec: 'h264', audio: true },
      { duration: 2, width: 360, height: 640, fps: 30, codec: 'h264', audio: false },
      { duration: 2, width: 360, height: 640, fps: 25, codec: 'hevc', audio: false },
      { duration: 2, width: 360, height: 640, fps: 30, codec: 'h264', audio: false },
      { duration: 2, width: 360, height: 640, fps: 25, codec: 'vp9', audio: false }
    ])
    expect(run.summary).toContain('| Error | Media |')
    expect(run.summary).toContain('2 s, 360x640 px, 25 fps, vp9, no audio |')
  })

  it('uploads an AVI with a warning that TikTok does not list it', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = withVideos('clip.avi')
    const run = await runAction(ws, { ...base(sandbox.url), videos: 'v/*' })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /::warning file=v\/clip\.avi::v\/clip\.avi: AVI is a container DraftClip takes but TikTok's docs do not list/
    )
    expect(run.results[0]).toMatchObject({ status: 'PUBLISH_COMPLETE', media: { codec: 'h264', fps: 25, width: 360, height: 640 } })
  })
})

describe('media-check: warn and off, and what TikTok then does', () => {
  it.each([
    ['5fps.mp4', 'frame_rate_check_failed'],
    ['100x100.mp4', 'picture_size_check_failed'],
    ['12min.mp4', 'duration_check_failed'],
    ['audio-only.mp4', 'file_format_check_failed']
  ])('warn: %s is uploaded with a warning on the file, and ends FAILED with %s', async (name, reason) => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = withVideos(name)
    const run = await runAction(ws, { ...base(sandbox.url), videos: 'v/*', 'media-check': 'warn' })
    expect(run.stdout).toContain(`::warning file=v/${name}::v/${name}: `)
    expect(run.stdout).toContain(`it is uploaded anyway (media-check: warn), and TikTok will likely refuse it (${reason})`)
    expect(sandbox.uploads).toHaveLength(1)
    expect(run.results[0]).toMatchObject({ status: 'FAILED', fail_reason: reason })
    expect(run.code).toBe(1)
  })

  it('off: nothing is read, media is null, and TikTok refuses the video after the upload', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = withVideos('5fps.mp4')
    const run = await runAction(ws, { ...base(sandbox.url), videos: 'v/*', 'media-check': 'off' })
    expect(run.results[0]).toMatchObject({ status: 'FAILED', fail_reason: 'frame_rate_check_failed', media: null })
    expect(run.stdout).not.toContain('its frame rate')
    expect(run.summary).not.toContain('Media |')
  })

  it('off still names a Git LFS pointer as one', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = withVideos('lfs-pointer.mp4')
    const run = await runAction(ws, { ...base(sandbox.url), videos: 'v/*', 'media-check': 'off' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('v/lfs-pointer.mp4: it is a Git LFS pointer, not the video')
    expect(sandbox.requests).toEqual([])
  })

  it('refuses a bad media-check or max-duration before anything', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = withVideos('clip.mov')
    const run = await runAction(ws, { ...base(sandbox.url), videos: 'v/*', 'media-check': 'loud', 'max-duration': '0' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("Input 'media-check' must be one of error, warn, off, got 'loud'.")
    expect(run.stdout).toContain("Input 'max-duration' must be a number of seconds from 1 to 3600, got '0'.")
  })
})

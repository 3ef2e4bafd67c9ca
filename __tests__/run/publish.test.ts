import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { type Sandbox, type SandboxOptions } from '../../sandbox/server.js'
import { sandboxPerTest } from '../support/sandbox.js'
import { API_KEY, outputsOf, runAction, workspace, writeAvi, writeMp4, type ActionRun } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

let sandbox: Sandbox | undefined
const startSandbox = sandboxPerTest()

async function sandboxWith(options: SandboxOptions = {}): Promise<Sandbox> {
  sandbox = await startSandbox({ pollsToComplete: 1, ...options })
  return sandbox
}

const fast = (url: string): Record<string, string> => ({ 'base-url': url, 'poll-interval': '0.05', 'api-key': API_KEY })

// The headline runs go both ways: run() from source, and the bundle started as the runner starts it.
const runners: [string, (ws: string, inputs: Record<string, string>) => Promise<ActionRun>][] = [
  ['run() in-process', (ws, inputs) => runInProcess(ws, inputs)],
  ['the bundle, as the runner starts it', (ws, inputs) => runAction(ws, inputs)]
]

describe.each(runners)('publishing end to end (%s, against the sandbox)', (_how, runWith) => {
  it('publishes videos across folders with an exclusion, in sorted order, and waits for their post ids', async () => {
    const s = await sandboxWith({ files: { 'b.avi': { postIdAsArray: true } } })
    const ws = workspace()
    writeMp4(path.join(ws, 'release/a.mp4'))
    writeAvi(path.join(ws, 'release/b.avi'))
    writeMp4(path.join(ws, 'extra/c.MOV'))
    writeMp4(path.join(ws, 'release/draft-skip.mp4'))
    fs.writeFileSync(path.join(ws, 'release/notes.txt'), 'not matched')

    const run = await runWith(ws, {
      ...fast(s.url),
      videos: 'release/*.mp4\nrelease/*.avi\nextra/**\n!release/draft-*',
      description: '{stem} ({index}/{count}) from {name} {unknown}',
      'privacy-level': 'public_to_everyone',
      title: 'Launch {stem}'
    })

    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.results.map(r => r.file)).toEqual(['extra/c.MOV', 'release/a.mp4', 'release/b.avi'])
    expect(run.results.map(r => r.status)).toEqual(['PUBLISH_COMPLETE', 'PUBLISH_COMPLETE', 'PUBLISH_COMPLETE'])
    expect(s.uploads.map(u => u.filename)).toEqual(['c.MOV', 'a.mp4', 'b.avi'])
    expect(s.uploads.map(u => u.fields.description)).toEqual([
      'c (1/3) from c.MOV {unknown}',
      'a (2/3) from a.mp4 {unknown}',
      'b (3/3) from b.avi {unknown}'
    ])
    expect(s.uploads.every(u => u.fields.privacy_level === 'PUBLIC_TO_EVERYONE')).toBe(true)
    expect(s.uploads[1].fields.title).toBe('Launch a')
    expect(s.uploads.map(u => u.contentType)).toEqual(['video/quicktime', 'video/mp4', 'video/x-msvideo'])
    expect(s.uploads[1].sha256).toBe(
      (await import('node:crypto'))
        .createHash('sha256')
        .update(fs.readFileSync(path.join(ws, 'release/a.mp4')))
        .digest('hex')
    )

    const { publishIds, postIds } = outputsOf(run)
    expect(publishIds).toEqual(s.uploads.map(u => u.publishId))
    expect(postIds).toHaveLength(3)
    for (const id of postIds) expect(id).toMatch(/^\d{19}$/)
    expect(run.outputs['publish-id']).toBe(publishIds[0])
    expect(run.outputs['post-id']).toBe(postIds[0])
    expect(run.results.map(r => r.post_id)).toEqual(postIds)
    expect(run.results.every(r => r.error === null)).toBe(true)

    expect(run.summary).toContain('| ✅ | release/a.mp4 |')
    expect(run.summary).toContain(postIds[2])
    expect(run.stdout).toContain('::group::release/a.mp4: PUBLISH_COMPLETE')
    // Every request carried a Content-Length, none was chunked.
    expect(s.requests.filter(r => r.method === 'POST').every(r => r.contentLength !== undefined && !r.chunked)).toBe(true)
  })

  it('stops at a 401 with a message about the secret, and never retries it', async () => {
    const s = await sandboxWith()
    const ws = workspace()
    writeMp4(path.join(ws, 'a.mp4'))
    writeMp4(path.join(ws, 'b.mp4'))
    const run = await runWith(ws, { ...fast(s.url), videos: '*.mp4', description: 'x', 'api-key': 'ttapi_wrong' })
    expect(run.code).toBe(1)
    expect(s.requests).toHaveLength(1)
    expect(s.uploads).toHaveLength(0)
    expect(run.results.map(r => r.status)).toEqual(['UPLOAD_FAILED', 'NOT_ATTEMPTED'])
    expect(run.stdout).toContain("Check the secret passed as 'api-key'")
  })
})

describe('publishing end to end (run() in-process, against the sandbox)', () => {
  it('publishes a file once when a symbolic link beside it matches too', async () => {
    const s = await sandboxWith()
    const ws = workspace()
    writeMp4(path.join(ws, 'videos/2026-11-25.mp4'))
    fs.symlinkSync('2026-11-25.mp4', path.join(ws, 'videos/latest.mp4'))
    const run = await runInProcess(ws, { ...fast(s.url), videos: 'videos/*.mp4', description: 'x', wait: 'false' })
    expect(run.code).toBe(0)
    expect(s.uploads).toHaveLength(1)
    expect(run.results.map(r => r.file)).toEqual(['videos/2026-11-25.mp4'])
    expect(run.stdout).toContain('videos/latest.mp4 is the same file as videos/2026-11-25.mp4; it is published once')
  })

  it('with wait off, reports the upload status and sends no status request', async () => {
    const s = await sandboxWith()
    const ws = workspace()
    writeMp4(path.join(ws, 'v/one.mp4'))
    const run = await runInProcess(ws, { ...fast(s.url), videos: 'v/*.mp4', description: 'hello', wait: 'false' })
    expect(run.code).toBe(0)
    expect(run.results[0]).toMatchObject({ status: 'PROCESSING_UPLOAD', post_id: null, error: null })
    expect(run.outputs['publish-id']).toBe(s.uploads[0].publishId)
    expect(run.outputs['post-ids']).toBe('[]')
    expect(s.requests.filter(r => r.path === '/api/video_status.php')).toHaveLength(0)
  })

  it('fails the step for a video TikTok refused, after handling the others, with every output set', async () => {
    const s = await sandboxWith({ files: { 'bad.mp4': { final: 'FAILED', failReason: 'duration_check_failed' } } })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/bad.mp4'))
    writeMp4(path.join(ws, 'v/good.mp4'))
    const run = await runInProcess(ws, { ...fast(s.url), videos: 'v/*', description: 'x', 'privacy-level': 'PUBLIC_TO_EVERYONE' })
    expect(run.code).toBe(1)
    expect(run.results.map(r => r.status)).toEqual(['FAILED', 'PUBLISH_COMPLETE'])
    expect(run.results[0]).toMatchObject({ fail_reason: 'duration_check_failed' })
    expect(String(run.results[0].error)).toContain('duration_check_failed')
    expect(outputsOf(run).publishIds).toHaveLength(2)
    expect(outputsOf(run).postIds).toHaveLength(1)
    expect(run.stdout).toMatch(/::error [^:]*file=v\/bad\.mp4::.*duration_check_failed/)
    expect(run.stdout).toContain('::error::1 of 2 videos did not publish')
  })

  it('treats SEND_TO_USER_INBOX as done, without a post id', async () => {
    const s = await sandboxWith({ files: { 'draft.mp4': { final: 'SEND_TO_USER_INBOX' } } })
    const ws = workspace()
    writeMp4(path.join(ws, 'draft.mp4'))
    const run = await runInProcess(ws, { ...fast(s.url), videos: 'draft.mp4', description: 'x' })
    expect(run.code).toBe(0)
    expect(run.results[0]).toMatchObject({ status: 'SEND_TO_USER_INBOX', post_id: null, error: null })
    expect(run.outputs['post-id']).toBe('')
  })

  it('keeps polling a published public video until its post id arrives', async () => {
    const s = await sandboxWith({ files: { 'late.mp4': { postIdDelay: 3 } } })
    const ws = workspace()
    writeMp4(path.join(ws, 'late.mp4'))
    // Public: TikTok gives a post id only to public posts, after moderation.
    const run = await runInProcess(ws, { ...fast(s.url), videos: 'late.mp4', description: 'x', 'privacy-level': 'PUBLIC_TO_EVERYONE' })
    expect(run.code).toBe(0)
    expect(run.outputs['post-id']).toMatch(/^\d{19}$/)
    // 1 processing poll, 3 complete polls without the id, then the one with it.
    expect(s.requests.filter(r => r.path === '/api/video_status.php')).toHaveLength(5)
  })

  it('a SELF_ONLY video is done at PUBLISH_COMPLETE: no post id awaited, no warning, no further poll', async () => {
    const s = await sandboxWith({ files: { 'late.mp4': { postIdDelay: 3 } } })
    const ws = workspace()
    writeMp4(path.join(ws, 'late.mp4'))
    const run = await runInProcess(ws, { ...fast(s.url), videos: 'late.mp4', description: 'x', 'privacy-level': 'SELF_ONLY' })
    expect(run.code).toBe(0)
    expect(run.results[0]).toMatchObject({ status: 'PUBLISH_COMPLETE', post_id: null, error: null })
    expect(run.outputs['post-id']).toBe('')
    expect(run.stdout).not.toContain('::warning')
    // 1 processing poll, then the PUBLISH_COMPLETE one: the end.
    expect(s.requests.filter(r => r.path === '/api/video_status.php')).toHaveLength(2)
    expect(JSON.parse(run.outputs.requests)).toEqual({ upload: 1, status: 2 })
  })

  it('warns on a wait timeout, naming the video and its last status, without failing', async () => {
    const s = await sandboxWith({ files: { 'slow.mp4': { never: true } } })
    const ws = workspace()
    writeMp4(path.join(ws, 'slow.mp4'))
    const run = await runInProcess(ws, {
      ...fast(s.url),
      videos: 'slow.mp4',
      description: 'x',
      'wait-timeout': '1',
      'poll-interval': '0.2'
    })
    expect(run.code).toBe(0)
    expect(run.results[0]).toMatchObject({ status: 'PROCESSING', error: null })
    expect(run.outputs['publish-id']).toBe(s.uploads[0].publishId)
    expect(run.stdout).toMatch(/::warning file=slow\.mp4::slow\.mp4: still not complete after 1 s: its last status was PROCESSING/)
  })
})

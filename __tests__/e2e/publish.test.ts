import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server.js'
import { API_KEY, outputsOf, runAction, workspace, writeAvi, writeMp4 } from '../support/action.js'

let sandbox: Sandbox | undefined
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

async function sandboxWith(options: SandboxOptions = {}): Promise<Sandbox> {
  sandbox = await startSandbox({ pollsToComplete: 1, ...options })
  return sandbox
}

const fast = (url: string): Record<string, string> => ({ 'base-url': url, 'poll-interval': '0.05', 'api-key': API_KEY })

describe('publishing end to end (dist/index.js against the sandbox)', () => {
  it('publishes videos across folders with an exclusion, in sorted order, and waits for their post ids', async () => {
    const s = await sandboxWith({ files: { 'b.avi': { postIdAsArray: true } } })
    const ws = workspace()
    writeMp4(path.join(ws, 'release/a.mp4'))
    writeAvi(path.join(ws, 'release/b.avi'))
    writeMp4(path.join(ws, 'extra/c.MOV'))
    writeMp4(path.join(ws, 'release/draft-skip.mp4'))
    fs.writeFileSync(path.join(ws, 'release/notes.txt'), 'not matched')

    const run = await runAction(ws, {
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
    const run = await runAction(ws, { ...fast(s.url), videos: '*.mp4', description: 'x', 'api-key': 'ttapi_wrong' })
    expect(run.code).toBe(1)
    expect(s.requests).toHaveLength(1)
    expect(s.uploads).toHaveLength(0)
    expect(run.results.map(r => r.status)).toEqual(['UPLOAD_FAILED', 'NOT_ATTEMPTED'])
    expect(run.stdout).toContain("Check the secret passed as 'api-key'")
  })
})

import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { API_KEY, FAST, runAction, workspace, writeMp4 } from '../support/action.js'

let sandbox: Sandbox | undefined
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
  for (const close of closers.splice(0)) await close()
})

const base = (url: string): Record<string, string> => ({ 'api-key': API_KEY, 'base-url': url, 'poll-interval': '0.05' })

describe('per-video sidecars', () => {
  it('override the caption, privacy and title of their own video only', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = workspace()
    writeMp4(path.join(ws, 'queue/one.mp4'))
    writeMp4(path.join(ws, 'queue/two.mp4'))
    fs.writeFileSync(
      path.join(ws, 'queue/two.mp4.draftclip.json'),
      JSON.stringify({ description: 'Two, in its own words #{stem}', privacy_level: 'mutual_follow_friends', title: 'Second' }, null, 2)
    )
    const run = await runAction(ws, { ...base(sandbox.url), videos: 'queue/*', description: 'default for {name}' })
    expect(run.code).toBe(0)
    expect(run.results.map(r => r.file)).toEqual(['queue/one.mp4', 'queue/two.mp4'])
    expect(sandbox.uploads.map(u => u.fields)).toEqual([
      { description: 'default for one.mp4', privacy_level: 'SELF_ONLY' },
      { description: 'Two, in its own words #two', privacy_level: 'MUTUAL_FOLLOW_FRIENDS', title: 'Second' }
    ])
  })

  it('a bad sidecar fails the step before any upload, naming the file and the line', async () => {
    sandbox = await startSandbox()
    const ws = workspace()
    writeMp4(path.join(ws, 'queue/one.mp4'))
    writeMp4(path.join(ws, 'queue/two.mp4'))
    fs.writeFileSync(path.join(ws, 'queue/two.mp4.draftclip.json'), '{\n  "description": "ok",\n  "privacy": "PUBLIC"\n}\n')
    const run = await runAction(ws, { ...base(sandbox.url), videos: 'queue/*', description: 'x' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("queue/two.mp4.draftclip.json: line 3: unknown key 'privacy'")
    expect(sandbox.requests).toHaveLength(0)
  })

  it('a video with no caption anywhere is refused before any upload', async () => {
    sandbox = await startSandbox()
    const ws = workspace()
    writeMp4(path.join(ws, 'a.mp4'))
    const run = await runAction(ws, { ...base(sandbox.url), videos: 'a.mp4' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      'a.mp4: it has no caption: set the \'description\' input, or "description" in a.mp4.draftclip.json beside it'
    )
    expect(sandbox.requests).toHaveLength(0)
  })
})

describe('workflow context in captions', () => {
  it('fills {repo}, {sha}, {ref}, {tag} and {run_url} from the run', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = workspace()
    writeMp4(path.join(ws, 'trailer.mp4'))
    const event = path.join(ws, 'event.json')
    fs.writeFileSync(event, JSON.stringify({ release: { id: 7, tag_name: 'v2.0.0' } }))
    const run = await runAction(
      ws,
      { ...base(sandbox.url), videos: 'trailer.mp4', description: '{repo}@{sha} {ref} {tag} {run_url} {nope}', wait: 'false' },
      {
        GITHUB_REPOSITORY: 'acme/rocket',
        GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
        GITHUB_REF: 'refs/tags/v2.0.0',
        GITHUB_EVENT_NAME: 'release',
        GITHUB_EVENT_PATH: event,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '991'
      }
    )
    expect(run.code).toBe(0)
    expect(sandbox.uploads[0].fields.description).toBe(
      'acme/rocket@0123456 v2.0.0 v2.0.0 https://github.com/acme/rocket/actions/runs/991 {nope}'
    )
  })
})

describe('dry run', () => {
  it('prints the plan, sends nothing, needs no key, and sets DRY_RUN outputs', async () => {
    sandbox = await startSandbox()
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'), 3 * 1024 * 1024)
    writeMp4(path.join(ws, 'v/b.mp4'))
    const run = await runAction(ws, {
      'base-url': sandbox.url,
      videos: 'v/*.mp4',
      description: 'Hello {stem}',
      'dry-run': 'true',
      'api-key': ''
    })
    expect(run.code).toBe(0)
    expect(sandbox.requests).toHaveLength(0)
    expect(run.results.map(r => [r.file, r.status, r.description])).toEqual([
      ['v/a.mp4', 'DRY_RUN', 'Hello a'],
      ['v/b.mp4', 'DRY_RUN', 'Hello b']
    ])
    expect(run.stdout).toContain('v/a.mp4: would upload, 3.0 MB, SELF_ONLY, caption: "Hello a"')
    expect(run.summary).toContain('dry run: nothing was sent')
    expect(run.summary).toContain('| 📝 | v/a.mp4 | 3.0 MB | SELF_ONLY | Hello a | upload |')
  })

  it('shows what the ledger would skip', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const inputs = { ...base(sandbox.url), videos: 'v/*.mp4', description: 'x', ledger: 'ledger.json' }
    const first = await runAction(ws, inputs, FAST)
    expect(first.code).toBe(0)
    writeMp4(path.join(ws, 'v/b.mp4'))
    const dry = await runAction(ws, { ...inputs, 'dry-run': 'true' }, FAST)
    expect(dry.code).toBe(0)
    expect(sandbox.uploads).toHaveLength(1)
    expect(dry.stdout).toContain('v/a.mp4: would skip (already published)')
    expect(dry.stdout).toContain('v/b.mp4: would upload')
    expect(dry.results[0].publish_id).toBe(first.outputs['publish-id'])
  })
})

describe('release notes', () => {
  /** A stand-in for the GitHub REST API on loopback: one release whose body the action edits. */
  async function fakeGitHub(release: { id: number; tag_name: string; body: string }) {
    const calls: { method: string; url: string; auth: string | undefined }[] = []
    const server = http.createServer((req, res) => {
      let body = ''
      req.on('data', c => (body += c))
      req.on('end', () => {
        calls.push({ method: req.method!, url: req.url!, auth: req.headers.authorization })
        if (req.url === `/repos/acme/rocket/releases/${release.id}`) {
          if (req.method === 'PATCH') release.body = (JSON.parse(body) as { body: string }).body
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end(JSON.stringify(release))
        } else {
          res.writeHead(404, { 'content-type': 'application/json' })
          res.end('{"message":"Not Found"}')
        }
      })
    })
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    closers.push(() => new Promise(r => server.close(() => r())))
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, release }
  }

  it('adds a "Published on TikTok" section once, and updates it on reruns', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const github = await fakeGitHub({ id: 42, tag_name: 'v2', body: 'Release notes written by hand.' })
    const ws = workspace()
    writeMp4(path.join(ws, 'release/trailer.mp4'))
    const event = path.join(ws, 'event.json')
    fs.writeFileSync(event, JSON.stringify({ release: { id: 42, tag_name: 'v2' } }))
    const env = {
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: 'acme/rocket',
      GITHUB_EVENT_NAME: 'release',
      GITHUB_EVENT_PATH: event
    }
    const inputs = {
      ...base(sandbox.url),
      videos: 'release/*.mp4',
      description: 'x',
      'release-notes': 'true',
      'github-token': 'ghs_faketoken'
    }

    const first = await runAction(ws, inputs, env)
    expect(first.code).toBe(0)
    const postId = first.outputs['post-id']
    expect(github.release.body).toBe(
      'Release notes written by hand.\n\n<!-- draftclip-publish:start -->\n### Published on TikTok\n\n' +
        `- release/trailer.mp4: [${postId}](https://www.tiktok.com/@/video/${postId})\n<!-- draftclip-publish:end -->`
    )
    expect(github.calls.find(c => c.method === 'PATCH')?.auth).toBe('token ghs_faketoken')

    // A rerun (here a new upload of a new file) replaces the section instead of adding a second one.
    writeMp4(path.join(ws, 'release/teaser.mp4'))
    const second = await runAction(ws, inputs, env)
    expect(second.code).toBe(0)
    expect(github.release.body.match(/Published on TikTok/g)).toHaveLength(1)
    expect(github.release.body.startsWith('Release notes written by hand.\n\n<!-- draftclip-publish:start -->')).toBe(true)
    expect(github.release.body).toContain('release/teaser.mp4')
  })

  it('does nothing outside a release event', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const github = await fakeGitHub({ id: 1, tag_name: 'v1', body: '' })
    const ws = workspace()
    writeMp4(path.join(ws, 'a.mp4'))
    const run = await runAction(
      ws,
      { ...base(sandbox.url), videos: 'a.mp4', description: 'x', 'release-notes': 'true', 'github-token': 'ghs_x' },
      { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/rocket', GITHUB_EVENT_NAME: 'push' }
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("release-notes: this run was triggered by 'push', not a release; nothing to link.")
    expect(github.calls).toHaveLength(0)
  })
})

describe('concurrency', () => {
  it('keeps results in file order whatever finishes first, with several uploads in flight', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1, uploadFaults: [{ type: 'delay', ms: 600 }, null, null, null] })
    const ws = workspace()
    for (const n of ['1', '2', '3', '4']) writeMp4(path.join(ws, `v/${n}.mp4`))
    const run = await runAction(ws, { ...base(sandbox.url), videos: 'v/*.mp4', description: 'x', concurrency: '4' })
    expect(run.code).toBe(0)
    // The first upload was answered last (so the others were in flight beside it), yet comes first.
    const answered = (n: string): number => run.stdout.indexOf(`v/${n}.mp4: uploaded: publish ID`)
    expect(answered('4')).toBeGreaterThan(0)
    expect(answered('1')).toBeGreaterThan(answered('4'))
    expect(run.results.map(r => r.file)).toEqual(['v/1.mp4', 'v/2.mp4', 'v/3.mp4', 'v/4.mp4'])
    expect(JSON.parse(run.outputs['publish-ids'])).toEqual(
      ['1.mp4', '2.mp4', '3.mp4', '4.mp4'].map(f => sandbox!.uploads.find(u => u.filename === f)!.publishId)
    )
  })
})

import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { API_KEY, runAction, workspace, writeMp4 } from '../support/action.js'

let sandbox: Sandbox | undefined
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
  for (const close of closers.splice(0)) await close()
})

const base = (url: string): Record<string, string> => ({ 'api-key': API_KEY, 'base-url': url, 'poll-interval': '0.05' })

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
      'github-token': 'ghs_faketoken',
      // Public: only a public post gets a post ID to link.
      'privacy-level': 'PUBLIC_TO_EVERYONE'
    }

    const first = await runAction(ws, inputs, env)
    expect(first.code).toBe(0)
    const postId = first.outputs['post-id']
    expect(github.release.body).toBe(
      'Release notes written by hand.\n\n<!-- draftclip-publish:start -->\n### Published on TikTok\n\n' +
        `- \`release/trailer.mp4\`: [\`${postId}\`](https://www.tiktok.com/share/video/${postId})\n<!-- draftclip-publish:end -->`
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

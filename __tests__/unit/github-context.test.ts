import { describe, expect, it, jest } from '@jest/globals'
import type { GitHubClient } from '../../src/github/client.js'
import type { VideoResult } from '../../src/model/result.js'

/**
 * The two modules that read @actions/github's context, which it builds once per
 * process from the runner's variables: here it is given, so each case can be a
 * different event. (The e2e suites run them against a loopback GitHub API.)
 */

const context = {
  eventName: 'release',
  sha: '0123456789abcdef0123456789abcdef01234567',
  ref: 'refs/tags/v2.0.0',
  payload: { release: { id: 7, tag_name: 'v2.0.0' } } as Record<string, unknown>,
  serverUrl: 'https://github.com',
  runId: 991
}
const calls: string[] = []
let body = 'Written by hand.'
/** The run's GitHub client, faked: the release's GET and PATCH, recorded. */
const client = (token: string): GitHubClient =>
  ({
    call: (method: string, route: string, sent?: { body: string }) => {
      if (!calls.length) calls.push(`token ${token}`)
      const [, owner, repo, id] = /^\/repos\/([^/]+)\/([^/]+)\/releases\/(\d+)$/.exec(route) ?? []
      if (method === 'GET') calls.push(`get ${owner}/${repo}#${id}`)
      else {
        calls.push('update')
        body = sent!.body
      }
      return Promise.resolve({ status: 200, json: { body, tag_name: 'v2.0.0' }, message: '' })
    }
  }) as unknown as GitHubClient
jest.unstable_mockModule('@actions/github', () => ({ context }))
const { updateReleaseNotes } = await import('../../src/github/release-notes.js')
const { loadRunInfo } = await import('../../src/github/run-context.js')

const published: VideoResult = {
  file: 'release/trailer.mp4',
  size: 1,
  publish_id: 'v_1',
  status: 'PUBLISH_COMPLETE',
  post_id: '7123456789012345678',
  error: null,
  fail_reason: null,
  description: 'c',
  privacy_level: 'SELF_ONLY',
  sha256: null,
  publish_at: null
}

describe('updateReleaseNotes', () => {
  it('adds the section to the triggering release once, and says so', async () => {
    const env = { GITHUB_REPOSITORY: 'acme/rocket' }
    expect(await updateReleaseNotes(client('t0ken'), [published], env, undefined, ['t0ken'])).toBe(
      'release-notes: linked the TikTok posts in release v2.0.0.'
    )
    expect(calls).toEqual(['token t0ken', 'get acme/rocket#7', 'update'])
    expect(body).toContain('- `release/trailer.mp4`: [`7123456789012345678`](https://www.tiktok.com/share/video/7123456789012345678)')
    calls.length = 0
    expect(await updateReleaseNotes(client('t0ken'), [published], env, undefined, ['t0ken'])).toBe(
      'release-notes: release v2.0.0 already links these posts.'
    )
    expect(calls).toEqual(['token t0ken', 'get acme/rocket#7'])
  })

  it('leaves the release alone when nothing was published', async () => {
    expect(
      await updateReleaseNotes(client('t'), [{ ...published, publish_id: null, post_id: null, status: 'UPLOAD_FAILED' }], {}, undefined, [])
    ).toBe('release-notes: no video was published; the release was left as it is.')
  })

  it('does nothing outside a release event', async () => {
    context.eventName = 'push'
    try {
      expect(await updateReleaseNotes(client('t'), [published], {}, undefined, [])).toBe(
        "release-notes: this run was triggered by 'push', not a release; nothing to link."
      )
    } finally {
      context.eventName = 'release'
    }
  })
})

describe('loadRunInfo', () => {
  it('gives the placeholders and the event from the context', async () => {
    expect(await loadRunInfo({ GITHUB_REPOSITORY: 'acme/rocket' })).toEqual({
      vars: {
        repo: 'acme/rocket',
        run_url: 'https://github.com/acme/rocket/actions/runs/991',
        sha: '0123456',
        ref: 'v2.0.0',
        tag: 'v2.0.0'
      },
      event: 'release'
    })
  })

  it('leaves out what the run does not have', async () => {
    expect((await loadRunInfo({})).vars).toEqual({ sha: '0123456', ref: 'v2.0.0', tag: 'v2.0.0' })
  })
})

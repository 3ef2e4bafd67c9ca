import { describe, expect, it } from '@jest/globals'
import { deploymentBody, statusBody, type DeploymentTarget } from '../../src/github/deployments.js'
import { cut, deploymentStatus, DESCRIPTION_MAX, type DeploymentFacts } from '../../src/model/deployment.js'
import type { DeploymentStatus } from '../../src/model/deployment.js'
import { DeploymentRecorder, refusalReason, type DeploymentsClient } from '../../src/publish/deployments.js'
import { initialResult } from '../../src/publish/lifecycle.js'

const facts = (over: Partial<DeploymentFacts>): DeploymentFacts => ({
  status: 'PUBLISH_COMPLETE',
  publish_id: 'p_1',
  post_id: null,
  ...over
})
const LINK = 'https://www.tiktok.com/share/video/71'

describe('deploymentStatus: the issue table', () => {
  it.each<[string, Partial<DeploymentFacts>, string | null, string | undefined, RegExp | undefined]>([
    ['upload starts', { status: 'UPLOADING', publish_id: null }, null, 'in_progress', /uploading/],
    ['still processing', { status: 'PROCESSING' }, null, 'in_progress', /p_1/],
    ['published with a post ID', { post_id: '71', privacy_level: 'PUBLIC_TO_EVERYONE' }, LINK, 'success', /post 71 \(publish ID p_1\)/],
    ['published, no post ID yet', { privacy_level: 'PUBLIC_TO_EVERYONE' }, null, 'success', /moderation/],
    ['published privately', { privacy_level: 'SELF_ONLY' }, null, 'success', /SELF_ONLY.*only public/],
    ['sent to the inbox', { status: 'SEND_TO_USER_INBOX' }, null, 'success', /^sent to the inbox as a draft/],
    ['refused by TikTok', { status: 'FAILED', fail_reason: 'spam_risk' }, null, 'failure', /spam_risk/],
    ['upload failed', { status: 'UPLOAD_FAILED', publish_id: null, error: 'HTTP 400' }, null, 'failure', /HTTP 400/],
    ['unconfirmed', { status: 'UNCONFIRMED', error: 'no answer' }, null, 'error', /^unconfirmed/],
    ['not attempted', { status: 'NOT_ATTEMPTED', error: 'not attempted: the job was cancelled' }, null, 'error', /^not uploaded: the job/],
    [
      'cancelled before the whole video was sent',
      { status: 'NOT_ATTEMPTED', error: 'not sent: the job was cancelled before the whole video was sent' },
      null,
      'error',
      /^not uploaded: the job was cancelled before/
    ],
    ['skipped', { status: 'SKIPPED' }, null, undefined, undefined],
    ['a dry run', { status: 'DRY_RUN' }, null, undefined, undefined]
  ])('%s', (_, over, link, state, words) => {
    const status = deploymentStatus(facts(over), link)
    expect(status?.state).toBe(state)
    if (words) expect(status!.description).toMatch(words)
  })

  it('a URL only with the post link: never a link without a post ID', () => {
    expect(deploymentStatus(facts({ post_id: '71' }), LINK)?.environmentUrl).toBe(LINK)
    for (const status of ['PUBLISH_COMPLETE', 'SEND_TO_USER_INBOX', 'FAILED', 'UNCONFIRMED'])
      expect(deploymentStatus(facts({ status }), null)?.environmentUrl).toBeUndefined()
  })
})

describe('cut', () => {
  it("keeps GitHub's 140 characters, whole code points, on one line", () => {
    expect(cut('short')).toBe('short')
    expect([...cut('é'.repeat(200))]).toHaveLength(DESCRIPTION_MAX)
    expect(cut('😀'.repeat(200)).endsWith('😀…')).toBe(true)
    expect(cut('a\nb\r\nc')).toBe('a b c')
  })

  it('is at most 140 however GitHub counts: UTF-16 units as well as code points, never half an emoji', () => {
    // A reason or a file name of emoji: 140 code points are 280 UTF-16 units, which the stand-in (as JavaScript counts) refuses.
    const text = `TikTok refused it: ${'😀'.repeat(200)}`
    expect(cut(text).length).toBeLessThanOrEqual(DESCRIPTION_MAX)
    expect(cut(text).endsWith('😀…')).toBe(true)
    expect(cut('a'.repeat(139) + '😀')).toBe(`${'a'.repeat(139)}…`)
    expect(cut('a'.repeat(138) + '😀')).toBe(`${'a'.repeat(138)}😀`)
    const body = statusBody(
      { repository: 'acme/rocket', environment: 'tiktok', sha: 'abc', runUrl: undefined },
      { state: 'failure', description: text },
      []
    )
    expect((body.description as string).length).toBeLessThanOrEqual(DESCRIPTION_MAX)
  })
})

describe('the bodies sent to GitHub', () => {
  const target: DeploymentTarget = {
    repository: 'acme/rocket',
    environment: 'tiktok',
    sha: 'abc',
    runUrl: 'https://github.com/acme/rocket/actions/runs/1'
  }
  const key = 'ttapi_0123456789abcdef'

  it('a deployment names the file (scrubbed, cut) and its SHA-256', () => {
    const file = `v/${key}-${'x'.repeat(300)}.mp4`
    const body = deploymentBody(target, file, 'f'.repeat(64), [key])
    expect(body).toMatchObject({
      ref: 'abc',
      environment: 'tiktok',
      task: 'publish',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false
    })
    expect(JSON.stringify(body)).not.toContain('0123456789')
    expect([...(body.description as string)].length).toBeLessThanOrEqual(DESCRIPTION_MAX)
    expect(body.payload).toEqual({ file: expect.stringMatching(/^v\/\*\*\*/), sha256: 'f'.repeat(64) })
  })

  it('a status carries the run as its log, never marks others inactive, and is cut to 140 characters', () => {
    const status: DeploymentStatus = { state: 'failure', description: `upload failed: ${'y'.repeat(300)} ${key}` }
    const body = statusBody(target, status, [key])
    expect(body).toMatchObject({ state: 'failure', log_url: target.runUrl, auto_inactive: false })
    expect(body).not.toHaveProperty('environment_url')
    expect([...(body.description as string)].length).toBe(DESCRIPTION_MAX)
    expect(statusBody(target, { state: 'success', description: 'ok', environmentUrl: LINK }, [])).toMatchObject({ environment_url: LINK })
  })
})

describe('DeploymentRecorder', () => {
  /** A client whose creations answer only when the test says so. */
  function heldClient(): {
    client: DeploymentsClient
    creations: string[]
    statuses: string[]
    answer: (a: Awaited<ReturnType<DeploymentsClient['create']>>) => void
  } {
    const creations: string[] = []
    const statuses: string[] = []
    const waiting: ((a: Awaited<ReturnType<DeploymentsClient['create']>>) => void)[] = []
    return {
      creations,
      statuses,
      client: {
        create: file => {
          creations.push(file)
          return new Promise(resolve => waiting.push(resolve))
        },
        addStatus: async (id, status) => {
          statuses.push(`${id} ${status.state}`)
          return undefined
        }
      },
      answer: a => waiting.shift()!(a)
    }
  }
  const told = (): { warn: () => void; notes: string[] } => ({ warn: () => undefined, notes: [] })

  it('every other upload waits for the first creation; refused, none of them creates anything', async () => {
    const held = heldClient()
    const recorder = new DeploymentRecorder(held.client, { environment: 'tiktok' }, told())
    const first = recorder.start(0, 'a.mp4', 'h')
    const second = recorder.start(1, 'b.mp4', 'h')
    await Promise.resolve()
    expect(held.creations).toEqual(['a.mp4'])
    held.answer({ kind: 'refused', status: 403, message: 'Resource not accessible by integration' })
    const reason = refusalReason('tiktok', 403, 'Resource not accessible by integration')
    expect(await first).toBe(reason)
    expect(await second).toBe(reason)
    expect(held.creations).toEqual(['a.mp4'])
    expect(reason).toContain("'permissions: deployments: write'")
  })

  it('a refusal after the first creation is a note, not a stop; a status is sent only when it says something new', async () => {
    const held = heldClient()
    const notes = told()
    const recorder = new DeploymentRecorder(held.client, { environment: 'tiktok' }, notes)
    const first = recorder.start(0, 'a.mp4', 'h')
    held.answer({ kind: 'created', id: 7 })
    expect(await first).toBeUndefined()
    const second = recorder.start(1, 'b.mp4', 'h')
    await Promise.resolve()
    held.answer({ kind: 'refused', status: 403, message: 'no' })
    expect(await second).toBeUndefined()
    expect(notes.notes).toEqual([expect.stringContaining('b.mp4: no GitHub Deployment was made for it (403: no)')])
    const r = { ...initialResult({ file: 'a.mp4', size: 1, description: 'c', privacyLevel: 'SELF_ONLY' }), publish_id: 'p' }
    recorder.finish(0, 'a.mp4', { ...r, status: 'PROCESSING' }, undefined)
    recorder.finish(0, 'a.mp4', { ...r, status: 'PUBLISH_COMPLETE' }, undefined)
    recorder.finish(0, 'a.mp4', { ...r, status: 'PUBLISH_COMPLETE' }, undefined)
    recorder.finish(1, 'b.mp4', { ...r, status: 'PUBLISH_COMPLETE' }, undefined)
    await recorder.settled()
    // The processing one is news (its publish ID), the second PUBLISH_COMPLETE is not.
    expect(held.statuses).toEqual(['7 in_progress', '7 in_progress', '7 success'])
    expect(recorder.entryId(0)).toEqual({ id: 7 })
    expect(recorder.entryId(1)).toEqual({ id: undefined })
    expect(recorder.entryId(2)).toBeUndefined()
  })
})

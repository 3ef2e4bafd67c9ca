import { describe, it, expect } from '@jest/globals'
import { initialResults, Status, stepFailure, type VideoResult } from '../../src/publish.js'
import type { Video } from '../../src/videos.js'

const result = (file: string, status: string, error: string | null = null): VideoResult => ({
  file,
  size: 1,
  publish_id: null,
  status,
  post_id: null,
  error,
  fail_reason: null,
  description: 'c',
  privacy_level: 'SELF_ONLY',
  sha256: null
})

describe('Status', () => {
  it('has the documented spellings', () => {
    expect(Status).toEqual({
      NotAttempted: 'NOT_ATTEMPTED',
      UploadFailed: 'UPLOAD_FAILED',
      Unconfirmed: 'UNCONFIRMED',
      Skipped: 'SKIPPED',
      DryRun: 'DRY_RUN',
      Failed: 'FAILED'
    })
  })
})

describe('stepFailure', () => {
  it.each(['PUBLISH_COMPLETE', 'SEND_TO_USER_INBOX', Status.Skipped, Status.DryRun, 'PROCESSING', 'PROCESSING_UPLOAD'])(
    'does not fail for %s (a wait timeout is not a failure)',
    status => {
      expect(stepFailure([result('a.mp4', status)], undefined)).toBeUndefined()
    }
  )

  it('does not fail for an empty run', () => {
    expect(stepFailure([], undefined)).toBeUndefined()
  })

  it.each([Status.Failed, Status.UploadFailed, Status.Unconfirmed, Status.NotAttempted])('fails for %s and names the file', status => {
    expect(stepFailure([result('ok.mp4', 'PUBLISH_COMPLETE'), result('bad.mp4', status, 'why')], undefined)).toBe(
      `1 of 2 videos did not publish\n  - bad.mp4: ${status} - why`
    )
  })

  it('lists every failing file, in order, with and without an error', () => {
    const results = [
      result('a.mp4', Status.Failed, 'TikTok could not publish it: spam_risk'),
      result('b.mp4', 'PUBLISH_COMPLETE'),
      result('c.mp4', Status.Unconfirmed, 'no answer'),
      result('d.mp4', Status.NotAttempted)
    ]
    expect(stepFailure(results, undefined)).toBe(
      [
        '3 of 4 videos did not publish',
        '  - a.mp4: FAILED - TikTok could not publish it: spam_risk',
        '  - c.mp4: UNCONFIRMED - no answer',
        '  - d.mp4: NOT_ATTEMPTED'
      ].join('\n')
    )
  })

  it('says "video" for a run of one', () => {
    expect(stepFailure([result('a.mp4', Status.UploadFailed)], undefined)).toBe('1 of 1 video did not publish\n  - a.mp4: UPLOAD_FAILED')
  })

  it('puts the stop reason first, then the failing files', () => {
    const results = [result('a.mp4', Status.UploadFailed, 'HTTP 401'), result('b.mp4', Status.NotAttempted, 'not attempted: key refused')]
    expect(stepFailure(results, 'DraftClip refused the API key')).toBe(
      'DraftClip refused the API key\n  - a.mp4: UPLOAD_FAILED - HTTP 401\n  - b.mp4: NOT_ATTEMPTED - not attempted: key refused'
    )
  })

  it('fails on a stop reason even when every video ended well', () => {
    expect(stepFailure([result('a.mp4', 'PUBLISH_COMPLETE')], 'DraftClip refused the API key while polling')).toBe(
      'DraftClip refused the API key while polling'
    )
  })
})

describe('initialResults', () => {
  const video = (i: number, over: Partial<Video> = {}): Video => ({
    index: i,
    path: `/ws/v${i}.mp4`,
    file: `v${i}.mp4`,
    name: `v${i}.mp4`,
    size: 100 * i,
    contentType: 'video/mp4',
    description: `caption ${i}`,
    privacyLevel: 'SELF_ONLY',
    title: undefined,
    sidecar: undefined,
    ...over
  })

  it('starts every video as NOT_ATTEMPTED with its file, size, caption and privacy', () => {
    expect(initialResults([video(1), video(2, { privacyLevel: 'PUBLIC_TO_EVERYONE' })], undefined)).toEqual([
      {
        file: 'v1.mp4',
        size: 100,
        publish_id: null,
        status: 'NOT_ATTEMPTED',
        post_id: null,
        error: null,
        fail_reason: null,
        description: 'caption 1',
        privacy_level: 'SELF_ONLY',
        sha256: null
      },
      {
        file: 'v2.mp4',
        size: 200,
        publish_id: null,
        status: 'NOT_ATTEMPTED',
        post_id: null,
        error: null,
        fail_reason: null,
        description: 'caption 2',
        privacy_level: 'PUBLIC_TO_EVERYONE',
        sha256: null
      }
    ])
  })

  it('takes each hash by absolute path, null where unknown', () => {
    const hashes = new Map([['/ws/v2.mp4', 'b'.repeat(64)]])
    expect(initialResults([video(1), video(2)], hashes).map(r => r.sha256)).toEqual([null, 'b'.repeat(64)])
  })

  it('gives fresh objects for every call', () => {
    const a = initialResults([video(1)], undefined)
    const b = initialResults([video(1)], undefined)
    a[0].status = 'X'
    expect(b[0].status).toBe('NOT_ATTEMPTED')
  })

  it('is empty for no videos', () => {
    expect(initialResults([], new Map())).toEqual([])
  })
})

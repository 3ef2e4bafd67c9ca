import { describe, it, expect } from '@jest/globals'
import { isFinalStatus, isSettled, Status } from '../../src/model/status.js'
import type { VideoStatus } from '../../src/draftclip/answers.js'
import type { LedgerEntry } from '../../src/model/ports.js'
import {
  decideAdmission,
  admitted,
  askedOnce,
  crashed,
  initialResult,
  interrupted,
  ledgerUnwritable,
  notAttempted,
  notSentBeside,
  planned,
  releaseEntryHint,
  statusSeen,
  twinDone,
  uploadEnded,
  uploadStarting,
  waitEnded,
  type Admission,
  type LedgerRef
} from '../../src/publish/lifecycle.js'
import { stepFailure, type VideoResult } from '../../src/model/result.js'
import type { Video } from '../../src/model/video.js'

const PUBLIC = 'PUBLIC_TO_EVERYONE'
const H = 'a'.repeat(64)
const REF: LedgerRef = { shownAs: '.draftclip/ledger.json', hash: H }
const HINT = `If it is not on TikTok (check the account and DraftClip's dashboard), delete the entry "${H}" from .draftclip/ledger.json and run again.`

const result = (over: Partial<VideoResult> = {}): VideoResult => ({
  ...initialResult({ file: 'a.mp4', size: 1, description: 'c', privacyLevel: 'SELF_ONLY' }),
  ...over
})

const entry = (over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  file: 'videos/a.mp4',
  status: 'PUBLISH_COMPLETE',
  publish_id: 'v_pub',
  post_id: '7123456789012345678',
  fail_reason: null,
  updated_at: '2030-01-01T00:00:00.000Z',
  ...over
})

const seen = (over: Partial<VideoStatus> = {}): VideoStatus => ({
  status: 'PROCESSING',
  isComplete: false,
  postId: undefined,
  failReason: undefined,
  description: undefined,
  ...over
})

describe('Status', () => {
  // Changed: the action's own statuses and DraftClip's documented ones are now named in one place.
  it('has the documented spellings', () => {
    expect(Status).toEqual({
      NotAttempted: 'NOT_ATTEMPTED',
      Uploading: 'UPLOADING',
      ProcessingUpload: 'PROCESSING_UPLOAD',
      Processing: 'PROCESSING',
      PublishComplete: 'PUBLISH_COMPLETE',
      SentToInbox: 'SEND_TO_USER_INBOX',
      Failed: 'FAILED',
      UploadFailed: 'UPLOAD_FAILED',
      Unconfirmed: 'UNCONFIRMED',
      Skipped: 'SKIPPED',
      DryRun: 'DRY_RUN',
      Scheduled: 'SCHEDULED',
      Queued: 'QUEUED',
      Refused: 'REFUSED'
    })
  })
})

describe('releaseEntryHint', () => {
  it('names the entry and the ledger file', () => {
    expect(releaseEntryHint('.draftclip/ledger.json', H)).toBe(HINT)
  })
})

describe('stepFailure', () => {
  it.each(['PUBLISH_COMPLETE', 'SEND_TO_USER_INBOX', Status.Skipped, Status.DryRun, 'PROCESSING', 'PROCESSING_UPLOAD'])(
    'does not fail for %s (a wait timeout is not a failure)',
    status => {
      expect(stepFailure([result({ file: 'a.mp4', status })], undefined)).toBeUndefined()
    }
  )

  it('does not fail for an empty run', () => {
    expect(stepFailure([], undefined)).toBeUndefined()
  })

  it.each([
    [Status.Failed, ''],
    [Status.UploadFailed, ''],
    [Status.Unconfirmed, ''],
    [Status.NotAttempted, ' - why'],
    [Status.Uploading, ' - why']
  ])('fails for %s and names the file; the error only where no annotation on the file says it', (status, said) => {
    expect(
      stepFailure([result({ file: 'ok.mp4', status: 'PUBLISH_COMPLETE' }), result({ file: 'bad.mp4', status, error: 'why' })], undefined)
    ).toBe(`1 of 2 videos did not publish\n  - bad.mp4: ${status}${said}`)
  })

  it('lists every failing file, in order, with and without an error', () => {
    const results = [
      result({ file: 'a.mp4', status: Status.Failed, error: 'TikTok could not publish it: spam_risk' }),
      result({ file: 'b.mp4', status: 'PUBLISH_COMPLETE' }),
      result({ file: 'c.mp4', status: Status.Unconfirmed, error: 'no answer' }),
      result({ file: 'd.mp4', status: Status.NotAttempted })
    ]
    expect(stepFailure(results, undefined)).toBe(
      ['3 of 4 videos did not publish', '  - a.mp4: FAILED', '  - c.mp4: UNCONFIRMED', '  - d.mp4: NOT_ATTEMPTED'].join('\n')
    )
  })

  it('says "video" for a run of one', () => {
    expect(stepFailure([result({ status: Status.UploadFailed })], undefined)).toBe('1 of 1 video did not publish\n  - a.mp4: UPLOAD_FAILED')
  })

  it('puts the stop reason first, then the failing files', () => {
    const results = [
      result({ file: 'a.mp4', status: Status.UploadFailed, error: 'HTTP 401' }),
      result({ file: 'b.mp4', status: Status.NotAttempted, error: 'not attempted: key refused' })
    ]
    expect(stepFailure(results, 'DraftClip refused the API key')).toBe(
      'DraftClip refused the API key\n  - a.mp4: UPLOAD_FAILED\n  - b.mp4: NOT_ATTEMPTED - not attempted: key refused'
    )
  })

  it('does not repeat the stop reason for each video it stopped', () => {
    const stop =
      "DraftClip refused the API key (DraftClip answered HTTP 401: Invalid or missing API key). Check the secret passed as 'api-key'."
    const results = [
      result({ file: 'a.mp4', status: Status.UploadFailed, error: 'DraftClip answered HTTP 401: Invalid or missing API key' }),
      result({ file: 'b.mp4', status: Status.NotAttempted, error: `not attempted: ${stop}` })
    ]
    expect(stepFailure(results, stop)).toBe(`${stop}\n  - a.mp4: UPLOAD_FAILED\n  - b.mp4: NOT_ATTEMPTED`)
  })

  it('fails on a stop reason even when every video ended well', () => {
    expect(stepFailure([result({ status: 'PUBLISH_COMPLETE' })], 'DraftClip refused the API key while polling')).toBe(
      'DraftClip refused the API key while polling'
    )
  })

  it('a dry run never fails on statuses, only on a stop reason', () => {
    const results = [
      result({ file: 'a.mp4', status: Status.Unconfirmed, error: 'an earlier run...' }),
      result({ file: 'b.mp4', status: Status.NotAttempted }),
      result({ file: 'c.mp4', status: Status.Failed })
    ]
    expect(stepFailure(results, undefined, true)).toBeUndefined()
    expect(stepFailure(results, 'cancelled', true)).toBe('cancelled')
    expect(stepFailure(results, undefined, false)).toBe(
      '3 of 3 videos did not publish\n  - a.mp4: UNCONFIRMED\n  - b.mp4: NOT_ATTEMPTED\n  - c.mp4: FAILED'
    )
  })
})

describe('initialResult', () => {
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
    publishAt: undefined,
    ...over
  })

  it('starts a video as NOT_ATTEMPTED with its file, size, caption and privacy, and only the result fields', () => {
    expect(initialResult(video(2, { privacyLevel: 'PUBLIC_TO_EVERYONE' }))).toEqual({
      file: 'v2.mp4',
      size: 200,
      publish_id: null,
      status: 'NOT_ATTEMPTED',
      post_id: null,
      error: null,
      fail_reason: null,
      description: 'caption 2',
      privacy_level: 'PUBLIC_TO_EVERYONE',
      sha256: null,
      publish_at: null,
      media: null,
      warnings: []
    })
  })

  it('shows publish_at as an ISO instant in UTC', () => {
    expect(initialResult(video(1, { publishAt: Date.parse('2026-12-24T18:00:00+01:00') })).publish_at).toBe('2026-12-24T17:00:00.000Z')
  })

  it('keeps the hash when there is one, null when not', () => {
    expect(initialResult({ ...video(1), sha256: 'b'.repeat(64) }).sha256).toBe('b'.repeat(64))
    expect(initialResult({ ...video(1), sha256: undefined }).sha256).toBeNull()
  })

  it('gives a fresh object for every call', () => {
    const a = initialResult(video(1))
    const b = initialResult(video(1))
    a.status = 'X'
    expect(b.status).toBe('NOT_ATTEMPTED')
  })
})

describe('isSettled: nothing more to learn', () => {
  const settled = (status: string, postId: string | null, privacy: string): boolean =>
    isSettled({ status, isComplete: isFinalStatus(status), postId }, privacy)

  it.each([
    ['SEND_TO_USER_INBOX', null, true],
    ['FAILED', null, true],
    ['PUBLISH_COMPLETE', '7123', true],
    ['PUBLISH_COMPLETE', null, false],
    ['PROCESSING', '7123', false],
    ['PROCESSING_UPLOAD', null, false],
    ['UNCONFIRMED', null, false],
    ['SOMETHING_NEW', null, false]
  ])('a public video: %s with post id %j -> %s', (status, postId, expected) => {
    expect(settled(status, postId, PUBLIC)).toBe(expected)
  })

  // TikTok gives a post ID only to public posts (after moderation): PUBLISH_COMPLETE is final for the others.
  it.each([
    ['SELF_ONLY', 'PUBLISH_COMPLETE', true],
    ['MUTUAL_FOLLOW_FRIENDS', 'PUBLISH_COMPLETE', true],
    ['SELF_ONLY', 'PROCESSING', false],
    ['MUTUAL_FOLLOW_FRIENDS', 'PROCESSING_UPLOAD', false],
    ['SELF_ONLY', 'FAILED', true]
  ])('a %s video: %s without a post id -> %s', (privacy, status, expected) => {
    expect(settled(status, null, privacy)).toBe(expected)
  })

  it('a status the doc does not name is final when DraftClip says is_complete', () => {
    expect(isSettled({ status: 'SOMETHING_NEW', isComplete: true, postId: undefined }, PUBLIC)).toBe(true)
    expect(isSettled({ status: 'SOMETHING_NEW', isComplete: false, postId: undefined }, 'SELF_ONLY')).toBe(false)
  })
})

describe('decideAdmission', () => {
  it('uploads a video with no entry', () => {
    expect(decideAdmission(undefined, undefined, true, PUBLIC)).toEqual({ kind: 'upload' })
    expect(decideAdmission(undefined, undefined, false, PUBLIC)).toEqual({ kind: 'upload' })
  })

  it('uploads again a video TikTok refused (FAILED), even with a publish id', () => {
    expect(decideAdmission(entry({ status: 'FAILED', fail_reason: 'duration_check_failed' }), undefined, true, PUBLIC)).toEqual({
      kind: 'upload'
    })
  })

  // Changed: UPLOADING/UNCONFIRMED with a publish id used to be skipped; now DraftClip is asked about the id.
  it.each([Status.Uploading, Status.Unconfirmed])('asks DraftClip to confirm a %s entry with a publish id', status => {
    const e = entry({ status, post_id: null })
    expect(decideAdmission(e, undefined, true, PUBLIC)).toEqual({ kind: 'confirm', entry: e })
    expect(decideAdmission(e, undefined, false, PUBLIC)).toEqual({ kind: 'confirm', entry: e })
  })

  it.each([Status.Uploading, Status.Unconfirmed, 'PROCESSING', 'PUBLISH_COMPLETE'])(
    'holds back a %s entry without a publish id as unconfirmed',
    status => {
      const e = entry({ status, publish_id: null, post_id: null })
      expect(decideAdmission(e, undefined, true, PUBLIC)).toEqual({ kind: 'unconfirmed', entry: e })
    }
  )

  // Changed: with wait: false, an entry with more to learn is asked about once (askOnce) instead of not at all.
  it.each([
    ['PUBLISH_COMPLETE', '7123456789012345678', true, false, undefined],
    ['PUBLISH_COMPLETE', null, true, true, undefined],
    ['PUBLISH_COMPLETE', null, false, false, true],
    ['SEND_TO_USER_INBOX', null, true, false, undefined],
    ['SEND_TO_USER_INBOX', null, false, false, undefined],
    ['PROCESSING_UPLOAD', null, true, true, undefined],
    ['PROCESSING_UPLOAD', null, false, false, true],
    ['PROCESSING', null, true, true, undefined],
    ['SOMETHING_NEW', null, true, true, undefined]
  ])('skips a %s entry (post id %j, wait %s), following it: %s, asking once: %s', (status, postId, wait, follow, askOnce) => {
    const e = entry({ status, post_id: postId })
    const admission = decideAdmission(e, undefined, wait, PUBLIC)
    expect(admission).toEqual({ kind: 'skip', entry: e, follow, askOnce })
    expect('askOnce' in admission).toBe(askOnce === true)
  })

  it.each([
    ['SELF_ONLY', false],
    ['MUTUAL_FOLLOW_FRIENDS', false],
    [PUBLIC, true]
  ])("an earlier run's PUBLISH_COMPLETE entry without a post id, %s: followed %s", (privacy, follow) => {
    const e = entry({ status: 'PUBLISH_COMPLETE', post_id: null })
    expect(decideAdmission(e, undefined, true, privacy)).toEqual({ kind: 'skip', entry: e, follow })
  })

  it('a twin comes first, whatever its ledger entry says', () => {
    expect(decideAdmission(undefined, 'videos/a.mp4', true, PUBLIC)).toEqual({ kind: 'twin', of: 'videos/a.mp4' })
    expect(decideAdmission(entry(), 'videos/a.mp4', true, PUBLIC)).toEqual({ kind: 'twin', of: 'videos/a.mp4' })
    expect(decideAdmission(entry({ status: Status.Unconfirmed, publish_id: null }), 'x.mp4', false, PUBLIC)).toEqual({
      kind: 'twin',
      of: 'x.mp4'
    })
  })
})

describe('admitted', () => {
  const r = result({ file: 'videos/a.mp4' })

  it('an upload starts as it is', () => {
    expect(admitted(r, { kind: 'upload' }, REF)).toEqual({ result: r })
  })

  it('a twin is SKIPPED, saying which video it copies', () => {
    expect(admitted(r, { kind: 'twin', of: 'videos/b.mp4' }, REF)).toEqual({
      result: { ...r, status: 'SKIPPED' },
      log: { level: 'info', line: 'same content as videos/b.mp4; skipped so TikTok does not get it twice' }
    })
  })

  it("a skip is SKIPPED with the ledger's ids", () => {
    const e = entry({ status: 'SEND_TO_USER_INBOX', publish_id: 'p_old', post_id: null, fail_reason: undefined })
    expect(admitted(r, { kind: 'skip', entry: e, follow: false }, REF)).toEqual({
      result: { ...r, status: 'SKIPPED', publish_id: 'p_old', post_id: null, fail_reason: null },
      log: { level: 'info', line: 'already published (ledger: SEND_TO_USER_INBOX, publish ID p_old); not uploaded again' }
    })
  })

  it('a skip whose outcome is still to come says so, not "already published"', () => {
    const e = entry({ status: 'PROCESSING_UPLOAD', publish_id: 'p_old', post_id: null })
    for (const admission of [decideAdmission(e, undefined, false, PUBLIC), decideAdmission(e, undefined, true, PUBLIC)]) {
      expect(admitted(r, admission, REF).log).toEqual({
        level: 'info',
        line: 'uploaded by an earlier run, its outcome not known yet (ledger: PROCESSING_UPLOAD, publish ID p_old); not uploaded again'
      })
    }
  })

  it('a confirm is UNCONFIRMED with the publish id, and says how to release it', () => {
    const e = entry({ status: Status.Uploading, publish_id: 'p_old', post_id: null })
    const admission: Admission = { kind: 'confirm', entry: { ...e, publish_id: 'p_old' } }
    const error =
      'an earlier run (2030-01-01T00:00:00.000Z) uploaded it and got publish ID p_old, but no status answer has confirmed it; it was not uploaded again.'
    expect(admitted(r, admission, REF)).toEqual({
      result: { ...r, status: 'UNCONFIRMED', publish_id: 'p_old', post_id: null, error: `${error} ${HINT}` },
      log: { level: 'info', line: 'the ledger holds publish ID p_old unconfirmed; asking DraftClip about it' }
    })
    expect(admitted(r, admission, undefined).result.error).toBe(error)
  })

  it('an unconfirmed entry is UNCONFIRMED with a warning', () => {
    const e = entry({ status: Status.Uploading, publish_id: null, post_id: null })
    const error = `an earlier run (2030-01-01T00:00:00.000Z) started uploading this video and never learned whether DraftClip took it, so it was not uploaded again. ${HINT}`
    expect(admitted(r, { kind: 'unconfirmed', entry: e }, REF)).toEqual({
      result: { ...r, status: 'UNCONFIRMED', error },
      log: { level: 'info', line: error }
    })
  })

  it('never writes the ledger nor halts the run', () => {
    const admissions: Admission[] = [
      { kind: 'upload' },
      { kind: 'twin', of: 'b.mp4' },
      { kind: 'skip', entry: entry(), follow: true },
      { kind: 'confirm', entry: { ...entry({ status: Status.Unconfirmed }), publish_id: 'v_pub' } },
      { kind: 'unconfirmed', entry: entry({ publish_id: null }) }
    ]
    for (const a of admissions) {
      const step = admitted(r, a, REF)
      expect(step.ledger).toBeUndefined()
      expect(step.halt).toBeUndefined()
    }
  })
})

describe('planned (the dry run)', () => {
  const r = result({ file: 'videos/a.mp4' })
  const confirmEntry = { ...entry({ status: Status.Unconfirmed, post_id: null }), publish_id: 'v_pub' }
  const cases: [Admission, string, string][] = [
    [{ kind: 'upload' }, 'DRY_RUN', 'would upload'],
    [{ kind: 'twin', of: 'videos/b.mp4' }, 'SKIPPED', 'would skip (same content as videos/b.mp4)'],
    [{ kind: 'skip', entry: entry(), follow: true }, 'SKIPPED', 'would skip (already published)'],
    [
      { kind: 'confirm', entry: confirmEntry },
      'UNCONFIRMED',
      'would ask DraftClip about the unconfirmed publish ID in the ledger, and not upload'
    ],
    [
      { kind: 'unconfirmed', entry: entry({ status: Status.Uploading, publish_id: null }) },
      'UNCONFIRMED',
      'would not upload (an earlier upload is unconfirmed)'
    ]
  ]

  it.each(cases)('%j -> %s', (admission, status, line) => {
    const step = planned(r, admission, REF)
    expect(step.result.status).toBe(status)
    expect(step.log).toEqual({ level: 'info', line })
    expect(step.ledger).toBeUndefined()
    expect(step.halt).toBeUndefined()
  })

  it.each(cases.filter(([a]) => a.kind !== 'upload'))('%j gives the same result as the run would', admission => {
    expect(planned(r, admission, REF).result).toEqual(admitted(r, admission, REF).result)
  })

  it('an upload differs from the run only by its status', () => {
    expect(planned(r, { kind: 'upload' }, REF).result).toEqual({ ...r, status: 'DRY_RUN' })
  })

  it('says what the run would do about an earlier upload whose outcome is still to come', () => {
    const e = entry({ status: 'PROCESSING', post_id: null })
    const line = (wait: boolean): string | undefined => planned(r, decideAdmission(e, undefined, wait, PUBLIC), REF).log?.line
    expect(line(false)).toBe('would skip (uploaded by an earlier run, its outcome not known yet) and ask DraftClip once for its status')
    expect(line(true)).toBe('would skip (uploaded by an earlier run, its outcome not known yet) and poll its status')
  })

  it('takes the same admission as the run for the same entry', () => {
    const e = entry({ status: Status.Uploading, publish_id: 'p1', post_id: null })
    const admission = decideAdmission(e, undefined, true, PUBLIC)
    expect(admission.kind).toBe('confirm')
    expect(planned(r, admission, REF).result).toMatchObject({ status: 'UNCONFIRMED', publish_id: 'p1' })
  })
})

describe('twinDone / notAttempted', () => {
  it("a twin takes the original's ids", () => {
    const twin = result({ file: 'b.mp4', status: Status.Skipped })
    const original = result({ publish_id: 'p', post_id: '7', status: 'PUBLISH_COMPLETE' })
    expect(twinDone(twin, original)).toEqual({ result: { ...twin, publish_id: 'p', post_id: '7' } })
  })

  it('a video uploads never reached is NOT_ATTEMPTED, saying why', () => {
    expect(notAttempted(result(), 'the quota is used up')).toEqual({
      result: result({ status: 'NOT_ATTEMPTED', error: 'not attempted: the quota is used up' })
    })
  })
})

describe('uploadStarting', () => {
  it('records UPLOADING in the ledger before the first byte', () => {
    const r = result({ file: 'videos/a.mp4' })
    expect(uploadStarting(r)).toEqual({
      result: { ...r, status: 'UPLOADING' },
      ledger: {
        kind: 'record',
        entry: {
          file: 'videos/a.mp4',
          status: 'UPLOADING',
          publish_id: null,
          post_id: null,
          fail_reason: null,
          privacy_level: r.privacy_level
        }
      }
    })
  })
})

describe('uploadEnded', () => {
  const r = result({ file: 'videos/a.mp4', status: Status.Uploading })

  it('accepted: the status and publish id, recorded', () => {
    expect(uploadEnded(r, { kind: 'accepted', publishId: 'p1', status: 'PROCESSING_UPLOAD' }, REF)).toEqual({
      result: { ...r, status: 'PROCESSING_UPLOAD', publish_id: 'p1' },
      ledger: {
        kind: 'record',
        entry: {
          file: 'videos/a.mp4',
          status: 'PROCESSING_UPLOAD',
          publish_id: 'p1',
          post_id: null,
          fail_reason: null,
          privacy_level: r.privacy_level
        }
      },
      log: { level: 'info', line: 'uploaded: publish ID p1' }
    })
  })

  const unconfirmedError = (reason: string, ref: boolean): string =>
    `${reason}. DraftClip may have published it, so it was not sent again. ` +
    `Check the TikTok account (and DraftClip's dashboard) before publishing it again.${ref ? ` ${HINT}` : ''}`

  it('unconfirmed with a publish id: UNCONFIRMED, the id kept and recorded', () => {
    const step = uploadEnded(r, { kind: 'unconfirmed', reason: 'DraftClip answered HTTP 502', publishId: 'p2' }, REF)
    const error = unconfirmedError('DraftClip answered HTTP 502', true)
    expect(step).toEqual({
      result: { ...r, status: 'UNCONFIRMED', publish_id: 'p2', error },
      ledger: {
        kind: 'record',
        entry: {
          file: 'videos/a.mp4',
          status: 'UNCONFIRMED',
          publish_id: 'p2',
          post_id: null,
          fail_reason: null,
          privacy_level: r.privacy_level
        }
      },
      log: { level: 'info', line: error }
    })
  })

  it('unconfirmed without a publish id: UNCONFIRMED, recorded with no id', () => {
    const step = uploadEnded(r, { kind: 'unconfirmed', reason: 'no answer came' }, undefined)
    const error = unconfirmedError('no answer came', false)
    expect(step).toEqual({
      result: { ...r, status: 'UNCONFIRMED', publish_id: null, error },
      ledger: {
        kind: 'record',
        entry: {
          file: 'videos/a.mp4',
          status: 'UNCONFIRMED',
          publish_id: null,
          post_id: null,
          fail_reason: null,
          privacy_level: r.privacy_level
        }
      },
      log: { level: 'info', line: error }
    })
  })

  it('rejected: UPLOAD_FAILED, forgotten so a later run may try again, the run goes on', () => {
    expect(uploadEnded(r, { kind: 'rejected', reason: 'DraftClip answered HTTP 400: bad' }, REF)).toEqual({
      result: { ...r, status: 'UPLOAD_FAILED', error: 'DraftClip answered HTTP 400: bad' },
      ledger: { kind: 'forget' },
      log: { level: 'info', line: 'DraftClip answered HTTP 400: bad' }
    })
  })

  it('unauthorized: UPLOAD_FAILED, forgotten, and everything halts', () => {
    expect(uploadEnded(r, { kind: 'unauthorized', reason: 'DraftClip answered HTTP 401: Invalid API key' }, REF)).toEqual({
      result: { ...r, status: 'UPLOAD_FAILED', error: 'DraftClip answered HTTP 401: Invalid API key' },
      ledger: { kind: 'forget' },
      log: { level: 'info', line: 'DraftClip answered HTTP 401: Invalid API key' },
      halt: {
        scope: 'everything',
        reason:
          "DraftClip refused the API key (DraftClip answered HTTP 401: Invalid API key). Check the secret passed as 'api-key': it must be a current key from your DraftClip dashboard."
      }
    })
  })

  it('rate-limited: UPLOAD_FAILED, forgotten, and uploads halt (polls go on)', () => {
    const step = uploadEnded(r, { kind: 'rate-limited', reason: 'HTTP 429; gave up after 4 attempts' }, REF)
    expect(step.result).toEqual({ ...r, status: 'UPLOAD_FAILED', error: 'HTTP 429; gave up after 4 attempts' })
    expect(step.ledger).toEqual({ kind: 'forget' })
    expect(step.halt).toEqual({
      scope: 'uploads',
      quota: true,
      reason:
        "DraftClip's quota is used up (HTTP 429; gave up after 4 attempts); the remaining videos were not sent, and the next run picks them up. TikTok allows about 15 posts a day per account."
    })
  })

  it('rate-limited in a queue (max-uploads): QUEUED, forgotten, and uploads halt', () => {
    const step = uploadEnded(r, { kind: 'rate-limited', reason: 'HTTP 429; gave up after 4 attempts' }, REF, true)
    expect(step.result).toEqual({ ...r, status: 'QUEUED', error: 'queued: HTTP 429; gave up after 4 attempts' })
    expect(step.ledger).toEqual({ kind: 'forget' })
    expect(step.halt).toMatchObject({ scope: 'uploads', quota: true })
  })

  it('stopped by a spent quota in a queue: QUEUED; stopped otherwise (or not a queue): NOT_ATTEMPTED', () => {
    const stopped = { kind: 'stopped' as const, reason: 'quota' }
    expect(uploadEnded(r, stopped, REF, true, true).result.status).toBe('QUEUED')
    expect(uploadEnded(r, stopped, REF, true, false).result.status).toBe('NOT_ATTEMPTED')
    expect(uploadEnded(r, stopped, REF, false, true).result.status).toBe('NOT_ATTEMPTED')
  })

  it('stopped while UPLOADING: NOT_ATTEMPTED, its UPLOADING entry forgotten', () => {
    expect(uploadEnded(r, { kind: 'stopped', reason: 'the job was cancelled' }, REF)).toEqual({
      result: { ...r, status: 'NOT_ATTEMPTED', error: 'not attempted: the job was cancelled' },
      ledger: { kind: 'forget' }
    })
  })

  it('stopped before UPLOADING was recorded: NOT_ATTEMPTED, the ledger left alone', () => {
    const before = result({ status: Status.NotAttempted })
    const step = uploadEnded(before, { kind: 'stopped', reason: 'the job was cancelled' }, REF)
    expect(step.result).toEqual({ ...before, status: 'NOT_ATTEMPTED', error: 'not attempted: the job was cancelled' })
    expect(step.ledger).toBeUndefined()
    expect(step.halt).toBeUndefined()
  })
})

describe('statusSeen', () => {
  it('this run: takes the status and post id, and records them', () => {
    const r = result({ status: 'PROCESSING_UPLOAD', publish_id: 'p' })
    expect(statusSeen(r, seen({ status: 'PUBLISH_COMPLETE', isComplete: true, postId: '7123' }), false)).toEqual({
      result: { ...r, status: 'PUBLISH_COMPLETE', post_id: '7123', fail_reason: null, error: null },
      ledger: {
        kind: 'record',
        entry: {
          file: 'a.mp4',
          status: 'PUBLISH_COMPLETE',
          publish_id: 'p',
          post_id: '7123',
          fail_reason: null,
          privacy_level: r.privacy_level
        }
      }
    })
  })

  it('this run: keeps a post id seen before when a later answer has none', () => {
    const r = result({ status: 'PUBLISH_COMPLETE', publish_id: 'p', post_id: '7123' })
    expect(statusSeen(r, seen({ status: 'PUBLISH_COMPLETE', isComplete: true }), false).result.post_id).toBe('7123')
  })

  it("this run's UNCONFIRMED upload confirmed as FAILED says why, as a warning", () => {
    const r = result({ status: Status.Unconfirmed, publish_id: 'p', error: 'DraftClip answered HTTP 500' })
    const step = statusSeen(r, seen({ status: 'FAILED', isComplete: true, failReason: 'spam_risk' }), false)
    expect(step.result).toMatchObject({ status: 'FAILED', fail_reason: 'spam_risk', error: 'TikTok could not publish it: spam_risk' })
    expect(step.log).toEqual({ level: 'info', line: 'TikTok could not publish it: spam_risk' })
  })

  it('this run: FAILED says TikTok could not publish it, as a warning', () => {
    const r = result({ status: 'PROCESSING', publish_id: 'p' })
    const step = statusSeen(r, seen({ status: 'FAILED', isComplete: true, failReason: 'spam_risk' }), false)
    expect(step).toEqual({
      result: { ...r, status: 'FAILED', fail_reason: 'spam_risk', error: 'TikTok could not publish it: spam_risk' },
      ledger: {
        kind: 'record',
        entry: { file: 'a.mp4', status: 'FAILED', publish_id: 'p', post_id: null, fail_reason: 'spam_risk', privacy_level: r.privacy_level }
      },
      log: { level: 'info', line: 'TikTok could not publish it: spam_risk' }
    })
  })

  it("an earlier run's upload stays SKIPPED, the ledger gets DraftClip's status", () => {
    const r = result({ status: Status.Skipped, publish_id: 'p' })
    expect(statusSeen(r, seen({ status: 'PUBLISH_COMPLETE', isComplete: true, postId: '7123' }), true)).toEqual({
      result: { ...r, status: 'SKIPPED', post_id: '7123', fail_reason: null, error: null },
      ledger: {
        kind: 'record',
        entry: {
          file: 'a.mp4',
          status: 'PUBLISH_COMPLETE',
          publish_id: 'p',
          post_id: '7123',
          fail_reason: null,
          privacy_level: r.privacy_level
        }
      }
    })
  })

  it("an earlier run's upload that ended FAILED is FAILED, saying the next run publishes it again", () => {
    const r = result({ status: Status.Skipped, publish_id: 'p' })
    const error = 'the upload an earlier run made (publish ID p) ended FAILED: duration_check_failed; the next run will publish it again'
    expect(statusSeen(r, seen({ status: 'FAILED', isComplete: true, failReason: 'duration_check_failed' }), true)).toEqual({
      result: { ...r, status: 'FAILED', fail_reason: 'duration_check_failed', error },
      ledger: {
        kind: 'record',
        entry: {
          file: 'a.mp4',
          status: 'FAILED',
          publish_id: 'p',
          post_id: null,
          fail_reason: 'duration_check_failed',
          privacy_level: r.privacy_level
        }
      },
      log: { level: 'info', line: error }
    })
  })

  it('an earlier FAILED without a reason says so', () => {
    const r = result({ status: Status.Skipped, publish_id: 'p' })
    expect(statusSeen(r, seen({ status: 'FAILED', isComplete: true }), true).result.error).toBe(
      'the upload an earlier run made (publish ID p) ended FAILED: no reason given; the next run will publish it again'
    )
  })

  it('this run: an UNCONFIRMED upload confirmed by a status loses its error and says it was confirmed', () => {
    const r = result({ status: Status.Unconfirmed, publish_id: 'p', error: 'DraftClip answered HTTP 502...' })
    expect(statusSeen(r, seen({ status: 'PROCESSING' }), false)).toEqual({
      result: { ...r, status: 'PROCESSING', error: null, fail_reason: null },
      ledger: {
        kind: 'record',
        entry: { file: 'a.mp4', status: 'PROCESSING', publish_id: 'p', post_id: null, fail_reason: null, privacy_level: r.privacy_level }
      },
      log: { level: 'info', line: 'DraftClip confirmed publish ID p: PROCESSING' }
    })
  })

  it("an earlier run's UNCONFIRMED entry confirmed by a status becomes SKIPPED", () => {
    const r = result({ status: Status.Unconfirmed, publish_id: 'p', error: 'an earlier run...' })
    expect(statusSeen(r, seen({ status: 'PUBLISH_COMPLETE', isComplete: true, postId: '9' }), true)).toEqual({
      result: { ...r, status: 'SKIPPED', post_id: '9', error: null, fail_reason: null },
      ledger: {
        kind: 'record',
        entry: {
          file: 'a.mp4',
          status: 'PUBLISH_COMPLETE',
          publish_id: 'p',
          post_id: '9',
          fail_reason: null,
          privacy_level: r.privacy_level
        }
      },
      log: { level: 'info', line: 'DraftClip confirmed publish ID p: PUBLISH_COMPLETE' }
    })
  })
})

describe('waitEnded', () => {
  const r = result({ status: 'PROCESSING', publish_id: 'p' })

  it('timeout: a warning with the last status and the last problem; the result stays', () => {
    const step = waitEnded(r, { kind: 'timeout', status: seen({ status: 'PROCESSING' }), lastProblem: 'HTTP 503' }, 300)
    expect(step).toEqual({
      result: r,
      log: {
        level: 'warn',
        line: 'still not complete after 300 s: its last status was PROCESSING (the last status request failed: HTTP 503). It was uploaded (publish ID p); TikTok may still publish it.'
      }
    })
    expect(step.result).toBe(r)
  })

  it('timeout without any status read', () => {
    expect(waitEnded(r, { kind: 'timeout', status: undefined, lastProblem: undefined }, 60).log?.line).toBe(
      'still not complete after 60 s: no status was read. It was uploaded (publish ID p); TikTok may still publish it.'
    )
  })

  it('timeout of a public video published without its post id: published, the post id comes after moderation; no warning', () => {
    const p = result({ status: 'PUBLISH_COMPLETE', publish_id: 'p', privacy_level: PUBLIC })
    const step = waitEnded(
      p,
      { kind: 'timeout', status: seen({ status: 'PUBLISH_COMPLETE', isComplete: true }), lastProblem: undefined },
      300
    )
    expect(step).toEqual({
      result: p,
      log: {
        level: 'info',
        line: 'published (PUBLISH_COMPLETE, publish ID p); TikTok gives its post ID after moderation, which had not ended after 300 s. A later run with a ledger learns it.'
      }
    })
    expect(step.log?.line).not.toContain('still not complete')
  })

  it('timeout of a public video still PROCESSING: still not complete', () => {
    const p = result({ status: 'PROCESSING', publish_id: 'p', privacy_level: PUBLIC })
    const step = waitEnded(p, { kind: 'timeout', status: seen({ status: 'PROCESSING' }), lastProblem: undefined }, 300)
    expect(step.log).toEqual({
      level: 'warn',
      line: 'still not complete after 300 s: its last status was PROCESSING. It was uploaded (publish ID p); TikTok may still publish it.'
    })
  })

  it('timeout of an UNCONFIRMED video: it stays UNCONFIRMED', () => {
    const u = result({ status: Status.Unconfirmed, publish_id: 'p', error: 'e' })
    expect(waitEnded(u, { kind: 'timeout', status: undefined, lastProblem: 'no answer (TIMEOUT)' }, 30)).toEqual({
      result: u,
      log: {
        level: 'warn',
        line: 'DraftClip did not confirm publish ID p within 30 s (the last status request failed: no answer (TIMEOUT)); it stays UNCONFIRMED'
      }
    })
  })

  it('unknown: the error says DraftClip does not know the id', () => {
    const u = result({ status: Status.Unconfirmed, publish_id: 'p', error: 'an earlier run...' })
    expect(waitEnded(u, { kind: 'unknown', reason: 'HTTP 400: Unknown publish_id' }, 30)).toEqual({
      result: { ...u, error: "an earlier run... DraftClip's status endpoint does not know publish ID p (HTTP 400: Unknown publish_id)." },
      log: { level: 'info', line: 'DraftClip does not know publish ID p (HTTP 400: Unknown publish_id); it stays UNCONFIRMED' }
    })
    expect(waitEnded({ ...u, error: null }, { kind: 'unknown', reason: 'HTTP 404' }, 30).result.error).toBe(
      "DraftClip's status endpoint does not know publish ID p (HTTP 404)."
    )
  })

  it('unauthorized: everything halts', () => {
    expect(waitEnded(r, { kind: 'unauthorized', reason: 'HTTP 401', status: undefined }, 30)).toEqual({
      result: r,
      halt: { scope: 'everything', reason: "DraftClip refused the API key while polling (HTTP 401). Check the secret passed as 'api-key'." }
    })
  })

  it('stopped: nothing changes', () => {
    expect(waitEnded(r, { kind: 'stopped', reason: 'cancelled', status: undefined }, 30)).toEqual({ result: r })
  })
})

describe('interrupted', () => {
  // Changed: the ledger now learns UNCONFIRMED too (it kept UPLOADING, which a branch ledger reads as a run still at it).
  it('an upload whose last bytes may have left becomes UNCONFIRMED, in the ledger too, saying how to release it', () => {
    const r = result({ status: Status.Uploading })
    const unconfirmed = {
      ...r,
      status: 'UNCONFIRMED',
      error: `the job was cancelled during its upload; DraftClip may or may not have taken it. Check the TikTok account before publishing it again. ${HINT}`
    }
    expect(interrupted(r, 'the job was cancelled', REF)).toEqual({
      result: unconfirmed,
      ledger: {
        kind: 'record',
        entry: { file: 'a.mp4', status: 'UNCONFIRMED', publish_id: null, post_id: null, fail_reason: null, privacy_level: 'SELF_ONLY' }
      }
    })
    expect(interrupted(r, 'the job was cancelled', REF, 'may-have-left')).toEqual(interrupted(r, 'the job was cancelled', REF))
    expect(interrupted(r, 'x', undefined).result.error).toBe(
      'x during its upload; DraftClip may or may not have taken it. Check the TikTok account before publishing it again.'
    )
  })

  it('an upload whose last bytes the client held back was not sent: NOT_ATTEMPTED, its entry let go, as after a reset before the body finished', () => {
    const r = result({ status: Status.Uploading })
    const error = 'not sent: the job was cancelled before the whole video was sent, so DraftClip did not take it; a later run uploads it'
    expect(interrupted(r, 'the job was cancelled', REF, 'held-back')).toEqual({
      result: { ...r, status: 'NOT_ATTEMPTED', error },
      ledger: { kind: 'forget' },
      log: { level: 'info', line: error }
    })
  })

  it('an upload with no attempt out (claimed, or between attempts) is NOT_ATTEMPTED, its entry let go', () => {
    const r = result({ status: Status.Uploading })
    expect(interrupted(r, 'the job was cancelled', REF, 'none-out')).toEqual({
      result: { ...r, status: 'NOT_ATTEMPTED', error: 'not attempted: the job was cancelled' },
      ledger: { kind: 'forget' }
    })
  })

  it.each([Status.NotAttempted, 'PROCESSING_UPLOAD', Status.Unconfirmed, Status.Skipped, Status.UploadFailed, 'PUBLISH_COMPLETE'])(
    'leaves a %s video as it is',
    status => {
      const r = result({ status, publish_id: 'p' })
      const step = interrupted(r, 'cancelled', REF)
      expect(step).toEqual({ result: r })
      expect(step.result).toBe(r)
    }
  )
})

describe('askedOnce (wait: false, an earlier upload with more to learn)', () => {
  const r = result({ status: Status.Skipped, publish_id: 'p_old', privacy_level: PUBLIC })
  const status = (over: Partial<VideoStatus>) => ({ kind: 'status' as const, status: seen(over) })

  it('FAILED after all: reported FAILED (the step fails), and the ledger keeps FAILED so the next run publishes it again', () => {
    const step = askedOnce(r, status({ status: 'FAILED', isComplete: true, failReason: 'duration_check_failed' }))
    const error =
      'the upload an earlier run made (publish ID p_old) ended FAILED: duration_check_failed; the next run will publish it again'
    expect(step.result).toMatchObject({ status: 'FAILED', error, fail_reason: 'duration_check_failed' })
    expect(step.ledger).toEqual({ kind: 'record', entry: expect.objectContaining({ status: 'FAILED', publish_id: 'p_old' }) })
    expect(step.log).toEqual({ level: 'info', line: error })
    expect(stepFailure([step.result], undefined)).toBeDefined()
  })

  it('still processing: SKIPPED, the ledger learns the status, and the log says a later run asks again', () => {
    const step = askedOnce(r, status({ status: 'PROCESSING' }))
    expect(step.result).toMatchObject({ status: 'SKIPPED', error: null })
    expect(step.ledger).toEqual({ kind: 'record', entry: expect.objectContaining({ status: 'PROCESSING' }) })
    expect(step.log).toEqual({ level: 'info', line: 'asked once (wait: false): PROCESSING; a later run asks again' })
  })

  it('its post ID: SKIPPED with it, nothing more to ask', () => {
    const step = askedOnce(r, status({ status: 'PUBLISH_COMPLETE', isComplete: true, postId: '7123' }))
    expect(step.result).toMatchObject({ status: 'SKIPPED', post_id: '7123' })
    expect(step.log).toEqual({ level: 'info', line: 'asked once (wait: false): PUBLISH_COMPLETE, post ID 7123' })
  })

  it('no answer, or not asked: SKIPPED as it was, for a later run to ask', () => {
    for (const answer of [
      { kind: 'transient' as const, reason: 'HTTP 503', retryAfter: undefined },
      { kind: 'unknown' as const, reason: 'HTTP 404' },
      { kind: 'not-asked' as const, reason: 'the job was cancelled' }
    ]) {
      expect(askedOnce(r, answer)).toEqual({
        result: r,
        log: { level: 'info', line: `its status was not learned (${answer.reason}); a later run asks again` }
      })
    }
  })

  it('a refused key stops the run, as in a wait', () => {
    expect(askedOnce(r, { kind: 'unauthorized', reason: 'HTTP 401' }).halt).toMatchObject({ scope: 'everything' })
  })
})

describe('ledgerUnwritable', () => {
  it('UPLOADING never reached the ledger, so nothing was sent: NOT_ATTEMPTED, the entry dropped, and uploads halt', () => {
    const step = ledgerUnwritable(
      result({ status: Status.Uploading }),
      'The ledger l.json could not be written: the disk is full (ENOSPC).'
    )
    expect(step.result).toEqual(
      result({ status: 'NOT_ATTEMPTED', error: 'not attempted: The ledger l.json could not be written: the disk is full (ENOSPC).' })
    )
    expect(step.ledger).toEqual({ kind: 'forget' })
    expect(step.halt).toEqual({
      scope: 'uploads',
      reason: 'The ledger l.json could not be written: the disk is full (ENOSPC). No upload was started after that.'
    })
  })
})

describe('crashed', () => {
  it('an upload under way is UNCONFIRMED (it may be on TikTok)', () => {
    expect(crashed(result({ status: Status.Uploading }), 'ENOSPC').result).toEqual(result({ status: 'UNCONFIRMED', error: 'ENOSPC' }))
  })

  it('a video never sent is UPLOAD_FAILED', () => {
    expect(crashed(result(), 'ENOSPC').result).toEqual(result({ status: 'UPLOAD_FAILED', error: 'ENOSPC' }))
  })

  it('a video with a publish id keeps its status; the errors are joined', () => {
    expect(crashed(result({ status: 'PROCESSING', publish_id: 'p', error: 'first' }), 'ENOSPC').result).toEqual(
      result({ status: 'PROCESSING', publish_id: 'p', error: 'first; ENOSPC' })
    )
  })

  it('an UNCONFIRMED video without an id stays UNCONFIRMED', () => {
    expect(crashed(result({ status: Status.Unconfirmed, error: 'e' }), 'boom').result).toEqual(
      result({ status: 'UNCONFIRMED', error: 'e; boom' })
    )
  })
})

describe('a video beside a refused one (nothing of the run is sent)', () => {
  it('an unconfirmed publish ID in the ledger is UNCONFIRMED, and the log does not say DraftClip is asked about it', () => {
    const e = { ...entry({ status: Status.Unconfirmed, post_id: null }), publish_id: 'v_pub_1' }
    const step = notSentBeside(result(), { kind: 'confirm', entry: e }, REF, false)
    expect(step.result.status).toBe(Status.Unconfirmed)
    expect(step.log).toEqual({
      level: 'info',
      line: 'the ledger holds publish ID v_pub_1 unconfirmed; not asked about: another video was refused'
    })
  })

  it('one this run would upload is NOT_ATTEMPTED', () => {
    expect(notSentBeside(result(), { kind: 'upload' }, REF, false).result).toMatchObject({
      status: Status.NotAttempted,
      error: 'not sent: another video was refused'
    })
  })
})

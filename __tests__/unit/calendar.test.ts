import { describe, expect, it } from '@jest/globals'
import { applyCalendar, dueOrder } from '../../src/publish/calendar.js'
import { nextPublishAt } from '../../src/model/result.js'
import { releaseSection } from '../../src/github/release-notes.js'
import { Board } from '../../src/publish/board.js'
import { admitted, planned, initialResult, statusSeen, twinDone, type Admission } from '../../src/publish/lifecycle.js'
import { parseInstant, parseSidecar } from '../../src/videos/sidecar.js'

const NOW = Date.parse('2026-12-24T17:00:00Z')
const upload: Admission = { kind: 'upload' }
const video = (path: string, at?: string): { path: string; publishAt: number | undefined } => ({
  path,
  publishAt: at === undefined ? undefined : Date.parse(at)
})

describe('parseInstant: ISO 8601 with an offset or Z, nothing else', () => {
  it.each([
    ['2026-12-24T18:00:00+01:00', '2026-12-24T17:00:00.000Z'],
    ['2026-12-24T17:00:00Z', '2026-12-24T17:00:00.000Z'],
    ['2026-12-24T17:00Z', '2026-12-24T17:00:00.000Z'],
    ['2026-12-24T12:30:15.25-04:30', '2026-12-24T17:00:15.250Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z']
  ])('%s is %s', (text, iso) => {
    expect(new Date(parseInstant(text) as number).toISOString()).toBe(iso)
  })

  it.each([
    ['2026-12-24T18:00:00', 'must be an RFC 3339 (ISO 8601) date-time with an offset or Z, such as 2026-12-24T18:00:00+01:00'],
    ['2026-12-24', 'must be an RFC 3339 (ISO 8601) date-time with an offset or Z, such as 2026-12-24T18:00:00+01:00'],
    ['next friday', 'must be an RFC 3339 (ISO 8601) date-time with an offset or Z, such as 2026-12-24T18:00:00+01:00'],
    ['2026-02-29T00:00:00Z', 'is not a real date and time'],
    ['2026-02-30T00:00:00Z', 'is not a real date and time'],
    ['2026-13-01T00:00:00Z', 'is not a real date and time'],
    ['2026-12-24T24:00:00Z', 'is not a real date and time'],
    ['2026-12-24T18:00:00+25:00', 'is not a real date and time']
  ])('%s is refused: %s', (text, problem) => {
    expect(parseInstant(text)).toBe(problem)
  })

  it('a sidecar names the line and publish_at', () => {
    const { problems, sidecar } = parseSidecar('{\n  "description": "x",\n  "publish_at": "2026-12-24 18:00"\n}')
    expect(problems).toEqual([
      "line 3: publish_at must be an RFC 3339 (ISO 8601) date-time with an offset or Z, such as 2026-12-24T18:00:00+01:00, got '2026-12-24 18:00'"
    ])
    expect(sidecar).toEqual({ description: 'x' })
    expect(parseSidecar('{"publish_at": "2026-12-24T17:00:00Z"}').sidecar).toEqual({ publish_at: NOW })
  })
})

describe('applyCalendar', () => {
  it('due at the very instant; a millisecond later is still scheduled', () => {
    const videos = [video('a', '2026-12-24T17:00:00Z'), video('b', '2026-12-24T17:00:00.001Z')]
    expect(applyCalendar([upload, upload], videos, NOW, undefined)).toEqual([upload, { kind: 'scheduled', at: NOW + 1 }])
  })

  it('max-uploads takes due videos by publish_at (none first), then path; the rest are queued', () => {
    const videos = [
      video('z-late', '2026-12-24T16:00:00Z'),
      video('b-none'),
      video('a-early', '2026-12-01T00:00:00Z'),
      video('a-none'),
      video('future', '2027-01-01T00:00:00Z')
    ]
    const out = applyCalendar([upload, upload, upload, upload, upload], videos, NOW, 3)
    expect(out.map(a => a.kind)).toEqual(['queued', 'upload', 'upload', 'upload', 'scheduled'])
    expect(out[0]).toEqual({ kind: 'queued', reason: 'max-uploads (3) is reached for this run; a later run publishes it' })
  })

  it('videos the ledger or a twin account for are neither counted nor scheduled', () => {
    const skip: Admission = { kind: 'twin', of: 'a' }
    const out = applyCalendar([skip, upload, upload], [video('a'), video('b'), video('c', '2030-01-01T00:00:00Z')], NOW, 1)
    expect(out).toEqual([skip, upload, { kind: 'scheduled', at: Date.parse('2030-01-01T00:00:00Z') }])
  })

  it('max-uploads 0 queues every due video', () => {
    expect(applyCalendar([upload, upload], [video('a'), video('b')], NOW, 0).map(a => a.kind)).toEqual(['queued', 'queued'])
  })

  it('dueOrder is plain UTF-16 order on paths at equal times', () => {
    expect(
      ['b', 'B', 'a']
        .map(p => video(p))
        .sort(dueOrder)
        .map(v => v.path)
    ).toEqual(['B', 'a', 'b'])
  })

  it('nextPublishAt: the earliest SCHEDULED one, none otherwise', () => {
    expect(nextPublishAt([{ status: 'QUEUED', publish_at: '2026-01-01T00:00:00.000Z' }])).toBeUndefined()
    expect(
      nextPublishAt([
        { status: 'SCHEDULED', publish_at: '2027-01-01T00:00:00.000Z' },
        { status: 'SCHEDULED', publish_at: '2026-12-31T00:00:00.000Z' }
      ])
    ).toBe('2026-12-31T00:00:00.000Z')
  })
})

describe('SCHEDULED and QUEUED in the lifecycle', () => {
  const r = initialResult({ file: 'a.mp4', size: 1, description: 'c', privacyLevel: 'SELF_ONLY', publishAt: NOW })

  it('the run and the dry run agree', () => {
    const scheduled: Admission = { kind: 'scheduled', at: NOW }
    expect(admitted(r, scheduled, undefined).result.status).toBe('SCHEDULED')
    expect(planned(r, scheduled, undefined)).toEqual({
      result: { ...r, status: 'SCHEDULED' },
      log: { level: 'info', line: 'would wait: scheduled for 2026-12-24T17:00:00.000Z' }
    })
    const queued: Admission = { kind: 'queued', reason: 'max-uploads (1) is reached' }
    expect(admitted(r, queued, undefined).result).toEqual({ ...r, status: 'QUEUED', error: 'queued: max-uploads (1) is reached' })
    expect(planned(r, queued, undefined).result).toEqual(admitted(r, queued, undefined).result)
  })

  it("TikTok's daily cap halts the uploads; in a queue the video is QUEUED and the ledger keeps FAILED", () => {
    const up = { ...r, status: 'PROCESSING_UPLOAD', publish_id: 'p' }
    const cap = { status: 'FAILED', isComplete: true, postId: undefined, failReason: 'spam_risk_too_many_posts', description: undefined }
    const queued = statusSeen(up, cap, false, true)
    expect(queued.result.status).toBe('QUEUED')
    expect(queued.halt).toMatchObject({ scope: 'uploads', quota: true })
    expect(queued.ledger).toMatchObject({ kind: 'record', entry: { status: 'FAILED', fail_reason: 'spam_risk_too_many_posts' } })
    const failed = statusSeen(up, cap, false, false)
    expect(failed.result.status).toBe('FAILED')
    expect(failed.halt).toMatchObject({ quota: true })
  })
})

describe('after review', () => {
  it('years below 100 are not read as 19xx, and an instant past 9999 in UTC is refused', () => {
    expect(new Date(parseInstant('0050-06-01T00:00:00Z') as number).toISOString()).toBe('0050-06-01T00:00:00.000Z')
    expect(parseInstant('0000-02-29T00:00:00Z')).toBe(Date.parse('0000-02-29T00:00:00Z'))
    expect(parseInstant('9999-12-31T23:30:00-01:00')).toBe('is out of range (years 0000 to 9999 in UTC)')
  })

  it('a twin of a SCHEDULED or QUEUED video waits with it', () => {
    const original = {
      ...initialResult({ file: 'a.mp4', size: 1, description: 'c', privacyLevel: 'SELF_ONLY', publishAt: NOW }),
      status: 'SCHEDULED'
    }
    const twin = initialResult({ file: 'b.mp4', size: 1, description: 'c', privacyLevel: 'SELF_ONLY' })
    expect(twinDone(twin, original).result).toMatchObject({
      status: 'SCHEDULED',
      publish_at: '2026-12-24T17:00:00.000Z',
      error: 'same content as a.mp4, which is SCHEDULED'
    })
    expect(twinDone(twin, { ...original, status: 'PUBLISH_COMPLETE', publish_id: 'p' }).result).toMatchObject({
      status: 'NOT_ATTEMPTED',
      publish_id: 'p'
    })
  })

  it('a refused key outranks a spent quota as the reason the run stopped', () => {
    const board = new Board([], [], undefined)
    board.halt({ scope: 'uploads', quota: true, reason: 'quota' })
    expect(board.runHalt()).toMatchObject({ reason: 'quota' })
    board.halt({ scope: 'everything', reason: 'key' })
    expect(board.runHalt()).toMatchObject({ reason: 'key' })
    expect(board.uploadsHalt()).toMatchObject({ reason: 'quota' })
  })

  it("the release notes leave out a video queued after TikTok's daily cap", () => {
    const queued = {
      ...initialResult({ file: 'a.mp4', size: 1, description: 'c', privacyLevel: 'SELF_ONLY' }),
      status: 'QUEUED',
      publish_id: 'p'
    }
    expect(releaseSection([queued])).toBeUndefined()
  })
})

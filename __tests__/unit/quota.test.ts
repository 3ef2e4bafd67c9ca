import { describe, expect, it } from '@jest/globals'
import { counting, type RequestCount } from '../../src/draftclip/client.js'
import { PollBudget } from '../../src/draftclip/poll-budget.js'
import { DEFAULT_TIMINGS } from '../../src/draftclip/retry-policy.js'
import type { Attempt, DraftClip, UploadRequest } from '../../src/model/ports.js'
import { Status } from '../../src/model/status.js'
import { Board } from '../../src/publish/board.js'
import { publishAll, type PublishSettings } from '../../src/publish/send.js'
import { FakeClock } from '../support/fake-clock.js'
import { jsonAnswer } from '../support/fake-draftclip.js'
import { keptLog, testVideo } from '../support/video.js'

/**
 * The run-wide stops of task E, through the real driver with a fake DraftClip
 * and the fake clock: a 429 is waited out once by every upload together, a
 * spent quota or an unreachable host stops the uploads, and nothing is sent
 * only to be refused again.
 */

const START = Date.parse('2026-12-07T12:00:00Z')
const ORIGIN = 'https://drafttok.app'

const SETTINGS: PublishSettings = {
  concurrency: 1,
  retries: 3,
  wait: true,
  waitTimeoutMs: 600_000,
  pollIntervalMs: 1000,
  maxPollIntervalMs: 5000,
  maxUploads: undefined
}

const tooMany = (retryAfter?: string): Attempt => ({
  kind: 'answer',
  httpStatus: 429,
  json: { error: 'Quota exceeded' },
  text: '{"error":"Quota exceeded"}',
  retryAfter,
  bodySent: true
})
const refused: Attempt = {
  kind: 'no-answer',
  code: 'ECONNREFUSED',
  message: 'connect ECONNREFUSED',
  bodySent: false,
  stalled: false,
  origin: ORIGIN
}
const accepted = (name: string): Attempt => jsonAnswer({ success: true, data: { publish_id: `p-${name}`, status: 'PROCESSING_UPLOAD' } })
const complete = (id: string): Attempt =>
  jsonAnswer({ success: true, data: { publish_id: id, status: 'PUBLISH_COMPLETE', publicaly_available_post_id: '' } })

interface Call {
  name: string
  at: number
}

/** A DraftClip that answers uploads by `answer(n, name)` (n counts from 1) and status requests by `status`; it records when each came. */
function scripted(
  clock: FakeClock,
  answer: (n: number, name: string) => Attempt | Promise<Attempt>,
  status: (n: number, id: string) => Attempt = (_n, id) => complete(id)
): DraftClip & { uploads: Call[]; polls: Call[] } {
  const uploads: Call[] = []
  const polls: Call[] = []
  return {
    uploads,
    polls,
    // The bytes are not read: the fake clock runs the driver, and real file reads would race it.
    async upload(video: UploadRequest) {
      uploads.push({ name: video.name, at: clock.now() - START })
      return answer(uploads.length, video.name)
    },
    async status(id: string) {
      polls.push({ name: id, at: clock.now() - START })
      return status(polls.length, id)
    },
    close: () => Promise.resolve()
  }
}

async function publish(names: string[], client: DraftClip, clock: FakeClock, settings: Partial<PublishSettings> = {}) {
  const board = new Board(
    names.map(n => testVideo(n)),
    names.map(() => undefined),
    undefined
  )
  const log = keptLog()
  const count: RequestCount = { upload: 0, status: 0, unreached: 0 }
  const deps = {
    client: counting(client, count),
    clock,
    budget: new PollBudget(30, clock, DEFAULT_TIMINGS),
    timings: DEFAULT_TIMINGS,
    logFor: log.logFor
  }
  const halt = await clock.run(publishAll(board, { ...SETTINGS, ...settings }, deps))
  return { board, halt, lines: log.lines, count, statuses: board.results.map(r => r.status), errors: board.results.map(r => r.error) }
}

const SIX = ['a.mp4', 'b.mp4', 'c.mp4', 'd.mp4', 'e.mp4', 'f.mp4']

describe('a 429 on an upload', () => {
  it('a daily cap without Retry-After (the sandbox --daily-limit 3, 6 videos): one waited retry, then no upload is sent again', async () => {
    const clock = new FakeClock(START)
    const client = scripted(clock, (n, name) => (n <= 3 ? accepted(name) : tooMany()))
    const run = await publish(SIX, client, clock)
    // Before: d.mp4 was tried 4 times (3 wasted requests), 14 s of backoff.
    expect(client.uploads.map(u => u.name)).toEqual(['a.mp4', 'b.mp4', 'c.mp4', 'd.mp4', 'd.mp4'])
    // The one retry comes after one rate window (TikTok's one-minute sliding window).
    expect(client.uploads[4].at - client.uploads[3].at).toBe(DEFAULT_TIMINGS.rateWindowMs)
    expect(run.statuses).toEqual([
      Status.PublishComplete,
      Status.PublishComplete,
      Status.PublishComplete,
      Status.UploadFailed,
      Status.NotAttempted,
      Status.NotAttempted
    ])
    expect(run.errors[3]).toContain("the account's upload quota is spent (DraftClip did not say when it resets)")
    expect(run.errors[4]).toMatch(/^not attempted: DraftClip's quota is used up .*the next run picks them up/)
    expect(run.halt).toMatchObject({ scope: 'uploads', quota: true })
    // The videos taken are still polled: status requests are not the upload quota.
    expect(client.polls.map(p => p.name)).toEqual(['p-a.mp4', 'p-b.mp4', 'p-c.mp4'])
    expect(run.count).toEqual({ upload: 5, status: 3, unreached: 0 })
  })

  it('Retry-After: 3600 is a spent quota at once: no retry, no 120 s wait, and the message says when it resets', async () => {
    const clock = new FakeClock(START)
    const client = scripted(clock, (n, name) => (n === 1 ? accepted(name) : tooMany('3600')))
    const run = await publish(['a.mp4', 'b.mp4', 'c.mp4'], client, clock, { wait: false })
    // Before: "attempt 2 of 4 starts in 120.0 s", three more requests and 6 minutes.
    expect(client.uploads.map(u => u.name)).toEqual(['a.mp4', 'b.mp4'])
    expect(clock.now() - START).toBeLessThan(1000)
    expect(run.statuses).toEqual([Status.ProcessingUpload, Status.UploadFailed, Status.NotAttempted])
    const resets = new Date(START + 3_600_000).toISOString().replace(/\.000Z$/, 'Z')
    expect(run.errors[1]).toContain(`DraftClip says it resets at ${resets}`)
    expect(run.errors[2]).toContain(`DraftClip says it resets at ${resets}`)
    expect(run.lines.filter(l => l.includes('starts in'))).toEqual([])
  })

  it('an HTTP-date Retry-After within the cap is waited out; a second 429 after it is a spent quota', async () => {
    const clock = new FakeClock(START)
    const soon = new Date(START + 30_000).toUTCString()
    const client = scripted(clock, () => tooMany(soon))
    const run = await publish(['a.mp4', 'b.mp4'], client, clock)
    expect(client.uploads.map(u => [u.name, u.at])).toEqual([
      ['a.mp4', 0],
      ['a.mp4', 30_000]
    ])
    expect(run.statuses).toEqual([Status.UploadFailed, Status.NotAttempted])
    expect(run.lines).toContain(
      'a.mp4: warning: DraftClip answered HTTP 429: Quota exceeded; DraftClip did not take it, so attempt 2 of 4 starts in 30.0 s, and every other upload waits as long'
    )
  })

  it('uploads in flight wait on one gate: after the window one goes alone, and the others follow its answer', async () => {
    const clock = new FakeClock(START)
    // The first three (all in flight at once) are told to wait 10 s; after that DraftClip takes everything.
    const client = scripted(clock, (n, name) => (n <= 3 ? tooMany('10') : accepted(name)))
    let inFlight = 0
    let most = 0
    const upload = client.upload.bind(client)
    client.upload = async video => {
      most = Math.max(most, ++inFlight)
      // Each request takes 100 ms, so requests let through together overlap.
      await clock.sleep(100)
      const attempt = await upload(video)
      inFlight--
      return attempt
    }
    const run = await publish(['a.mp4', 'b.mp4', 'c.mp4'], client, clock, { concurrency: 3, wait: false })
    expect(run.statuses).toEqual([Status.ProcessingUpload, Status.ProcessingUpload, Status.ProcessingUpload])
    const retries = client.uploads.slice(3)
    expect(retries).toHaveLength(3)
    // The first after the window went alone (10 s after the 429s came at 100 ms); the others after its answer.
    expect(retries[0].at).toBe(10_200)
    expect(retries[1].at).toBeGreaterThanOrEqual(10_300)
    expect(most).toBe(3)
  })

  it('when the one sent after the window is refused again, the others are not sent: NOT_ATTEMPTED, the quota is spent', async () => {
    const clock = new FakeClock(START)
    const client = scripted(clock, () => tooMany('10'))
    const upload = client.upload.bind(client)
    client.upload = async video => {
      await clock.sleep(100)
      return upload(video)
    }
    const run = await publish(['a.mp4', 'b.mp4', 'c.mp4'], client, clock, { concurrency: 3 })
    // Three at first, then one alone after the window: not three more.
    expect(client.uploads).toHaveLength(4)
    expect(run.statuses.filter(s => s === Status.UploadFailed)).toHaveLength(1)
    expect(run.statuses.filter(s => s === Status.NotAttempted)).toHaveLength(2)
  })

  it("with max-uploads, the videos not sent are QUEUED (the README's rule for a spent quota in a queue), and the step passes", async () => {
    const clock = new FakeClock(START)
    const client = scripted(clock, (n, name) => (n === 1 ? accepted(name) : tooMany('7200')))
    const run = await publish(['a.mp4', 'b.mp4', 'c.mp4'], client, clock, { maxUploads: 10 })
    expect(run.statuses).toEqual([Status.PublishComplete, Status.Queued, Status.Queued])
  })
})

describe('DraftClip cannot be reached', () => {
  it('once one video has used its retries on refused connections, no other upload is sent, and none counts as the plan', async () => {
    const clock = new FakeClock(START)
    const client = scripted(clock, () => refused)
    const run = await publish(['a.mp4', 'b.mp4', 'c.mp4'], client, clock)
    // Before: 12 upload requests (4 per video), and `requests` said {"upload":12}.
    expect(client.uploads.map(u => u.name)).toEqual(['a.mp4', 'a.mp4', 'a.mp4', 'a.mp4'])
    expect(run.statuses).toEqual([Status.UploadFailed, Status.NotAttempted, Status.NotAttempted])
    expect(run.halt?.reason).toBe(
      `DraftClip could not be reached (could not connect to ${ORIGIN} (ECONNREFUSED); gave up after 4 attempts), so no further upload was sent this run. Check 'base-url' and whether the host is up; the next run sends the videos not sent.`
    )
    expect(run.errors[1]).toContain('not attempted: DraftClip could not be reached')
    expect(run.count).toEqual({ upload: 0, status: 0, unreached: 4 })
    expect(run.lines.filter(l => l.includes('warning:'))).toHaveLength(3)
  })

  it('a host that stops answering during the polls: the uploads were taken, the result says its end is unknown, and no refused poll counts', async () => {
    const clock = new FakeClock(START)
    const client = scripted(
      clock,
      (_n, name) => accepted(name),
      () => refused
    )
    const run = await publish(['a.mp4'], client, clock, { waitTimeoutMs: 60_000 })
    // Green, as a video still processing at the timeout is: it was taken, and failing would invite a re-run that posts it twice.
    expect(run.halt).toBeUndefined()
    expect(run.statuses).toEqual([Status.ProcessingUpload])
    expect(run.errors[0]).toMatch(
      /still not complete after 60 s: .*could not connect to https:\/\/drafttok\.app \(ECONNREFUSED\).*A later run with a ledger learns how it ended/
    )
    expect(run.count.status).toBe(0)
    expect(run.count.unreached).toBe(client.polls.length)
  })
})

describe('a 429 on a status request', () => {
  it('Retry-After: 3600: no status request is sent again this run; the video says its end is unknown, and the step does not fail', async () => {
    const clock = new FakeClock(START)
    const client = scripted(
      clock,
      (_n, name) => accepted(name),
      () => tooMany('3600')
    )
    const run = await publish(['a.mp4', 'b.mp4'], client, clock, { concurrency: 2 })
    // Before: every poll was held for the hour, until wait-timeout (600 s), then a timeout.
    expect(client.polls.length).toBeLessThanOrEqual(2)
    expect(clock.now() - START).toBeLessThan(30_000)
    expect(run.halt).toBeUndefined()
    expect(run.statuses).toEqual([Status.ProcessingUpload, Status.ProcessingUpload])
    expect(run.errors[0]).toMatch(
      /its status could not be read: .*HTTP 429: Quota exceeded: the account's status quota is spent \(DraftClip says it resets at /
    )
  })

  it('a 429 without a hint holds every poll one rate window; a 429 after it ends the polls', async () => {
    const clock = new FakeClock(START)
    const client = scripted(
      clock,
      (_n, name) => accepted(name),
      () => tooMany()
    )
    const run = await publish(['a.mp4'], client, clock)
    expect(client.polls).toHaveLength(2)
    expect(client.polls[1].at - client.polls[0].at).toBe(DEFAULT_TIMINGS.rateWindowMs)
    expect(run.errors[0]).toContain("the account's status quota is spent (DraftClip did not say when it resets)")
  })

  it('a short Retry-After is waited out and the polls go on (pacing as before)', async () => {
    const clock = new FakeClock(START)
    const client = scripted(
      clock,
      (_n, name) => accepted(name),
      (n, id) => (n === 1 ? tooMany('20') : complete(id))
    )
    const run = await publish(['a.mp4'], client, clock)
    expect(run.statuses).toEqual([Status.PublishComplete])
    expect(client.polls[1].at - client.polls[0].at).toBe(20_000)
  })
})

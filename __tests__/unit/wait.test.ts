import { describe, it, expect, jest } from '@jest/globals'
import type { VideoStatus } from '../../src/draftclip/answers.js'
import type { Attempt, DraftClip } from '../../src/model/ports.js'
import { PollBudget } from '../../src/draftclip/poll-budget.js'
import { waitForVideo, type WaitContext, type WaitOutcome } from '../../src/draftclip/wait.js'
import { FakeClock } from '../support/fake-clock.js'

const ORIGIN = 'https://drafttok.app'

const answer = (httpStatus: number, json: unknown, retryAfter?: string): Attempt => ({
  kind: 'answer',
  httpStatus,
  json,
  text: JSON.stringify(json),
  retryAfter,
  bodySent: true
})

const statusAnswer = (status: string, extra: Record<string, unknown> = {}): Attempt =>
  answer(200, { success: true, data: { publish_id: 'p', status, ...extra } })

const COMPLETE = statusAnswer('PUBLISH_COMPLETE', { is_complete: true, publicaly_available_post_id: '7123456789012345678' })

interface Call {
  publishId: string
  timeoutMs: number
  at: number
}

/** A DraftClip whose status answers are given in turn (the last one repeats); uploads are not used here. */
function fakeClient(clock: FakeClock, answers: ((call: Call, signal?: AbortSignal) => Promise<Attempt>)[]): DraftClip & { calls: Call[] } {
  const calls: Call[] = []
  return {
    calls,
    upload: async () => {
      throw new Error('no upload in these tests')
    },
    status: (publishId, timeoutMs, signal) => {
      const call = { publishId, timeoutMs, at: clock.now() }
      calls.push(call)
      return answers[Math.min(calls.length - 1, answers.length - 1)](call, signal)
    },
    close: async () => undefined
  }
}

const now = (attempt: Attempt) => async (): Promise<Attempt> => attempt

/** Never answers: ends only when the request's own timeout (or the signal) ends it, as the real client does. */
const silent =
  (clock: FakeClock) =>
  async (call: Call, signal?: AbortSignal): Promise<Attempt> => {
    await clock.sleep(call.timeoutMs, signal)
    return { kind: 'no-answer', code: 'TIMEOUT', message: 'no answer in time', bodySent: true, stalled: false, origin: ORIGIN }
  }

function context(
  clock: FakeClock,
  client: DraftClip,
  over: Partial<WaitContext> = {}
): WaitContext & { statuses: VideoStatus[]; lines: string[] } {
  const statuses: VideoStatus[] = []
  const lines: string[] = []
  return {
    client,
    clock,
    budget: new PollBudget(60, clock),
    deadline: clock.now() + 300_000,
    intervalMs: 5_000,
    // A fixed pace (the ceiling is the first gap) and a public video, as these tests were written for;
    // the growing schedule and the privacy rule have their own tests below.
    maxIntervalMs: 5_000,
    privacyLevel: 'PUBLIC_TO_EVERYONE',
    requestMs: 60_000,
    log: line => lines.push(line),
    onStatus: async status => {
      statuses.push(status)
    },
    stopped: () => undefined,
    statuses,
    lines,
    ...over
  }
}

/** Runs a wait to its end on the fake clock; `at` is when it ended. */
async function run(clock: FakeClock, ctx: WaitContext, limit = 3_600_000): Promise<{ outcome: WaitOutcome; at: number }> {
  let ended: { outcome: WaitOutcome; at: number } | undefined
  void waitForVideo('p', ctx).then(outcome => (ended = { outcome, at: clock.now() }))
  while (!ended && clock.now() < limit) await clock.advance(100)
  if (!ended) throw new Error('the wait did not end')
  return ended
}

describe('waitForVideo', () => {
  it('polls at the interval until the video is complete', async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [now(statusAnswer('PROCESSING_UPLOAD')), now(statusAnswer('PROCESSING')), now(COMPLETE)])
    const ctx = context(clock, client)
    const { outcome, at } = await run(clock, ctx)
    expect(outcome).toEqual({
      kind: 'complete',
      status: { status: 'PUBLISH_COMPLETE', isComplete: true, postId: '7123456789012345678', failReason: undefined, description: undefined }
    })
    expect(client.calls.map(c => c.at)).toEqual([5_000, 10_000, 15_000])
    expect(client.calls.map(c => c.publishId)).toEqual(['p', 'p', 'p'])
    expect(at).toBe(15_000)
    expect(ctx.statuses.map(s => s.status)).toEqual(['PROCESSING_UPLOAD', 'PROCESSING', 'PUBLISH_COMPLETE'])
    expect(ctx.lines).toEqual(['PROCESSING_UPLOAD', 'PROCESSING', 'PUBLISH_COMPLETE, post ID 7123456789012345678'])
  })

  it('keeps polling PUBLISH_COMPLETE until the post id appears', async () => {
    const clock = new FakeClock()
    const bare = statusAnswer('PUBLISH_COMPLETE', { is_complete: true })
    const client = fakeClient(clock, [now(bare), now(bare), now(bare), now(COMPLETE)])
    const ctx = context(clock, client)
    const { outcome } = await run(clock, ctx)
    expect(outcome.kind).toBe('complete')
    expect((outcome as { status: VideoStatus }).status.postId).toBe('7123456789012345678')
    expect(client.calls).toHaveLength(4)
    // The status is recorded when it changes: first without, then with the post id.
    expect(ctx.statuses.map(s => s.postId)).toEqual([undefined, '7123456789012345678'])
  })

  it('a complete status other than PUBLISH_COMPLETE ends the wait without a post id', async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [now(statusAnswer('FAILED', { fail_reason: 'spam_risk' }))])
    const { outcome } = await run(clock, context(clock, client))
    expect(outcome).toMatchObject({ kind: 'complete', status: { status: 'FAILED', failReason: 'spam_risk', isComplete: true } })
    expect(client.calls).toHaveLength(1)
  })

  it('gives a status request that never answers a timeout no later than the deadline, and ends at the deadline', async () => {
    const clock = new FakeClock(1_000)
    const client = fakeClient(clock, [silent(clock)])
    const deadline = 1_000 + 32_000
    const ctx = context(clock, client, { deadline, intervalMs: 5_000, requestMs: 60_000 })
    const { outcome, at } = await run(clock, ctx)
    expect(client.calls).toHaveLength(1)
    const [call] = client.calls
    expect(call.at).toBe(6_000)
    expect(call.timeoutMs).toBeLessThanOrEqual(deadline - call.at)
    expect(call.timeoutMs).toBe(27_000)
    expect(at).toBe(deadline)
    expect(outcome).toEqual({ kind: 'timeout', status: undefined, lastProblem: 'no answer (TIMEOUT)' })
  })

  it('each request gets at most requestMs, and never more than is left before the deadline', async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [silent(clock)])
    const deadline = 100_000
    const ctx = context(clock, client, { deadline, intervalMs: 5_000, requestMs: 20_000 })
    const { outcome, at } = await run(clock, ctx)
    for (const call of client.calls) expect(call.timeoutMs).toBeLessThanOrEqual(Math.min(20_000, deadline - call.at))
    expect(client.calls.map(c => [c.at, c.timeoutMs])).toEqual([
      [5_000, 20_000],
      [30_000, 20_000],
      [55_000, 20_000],
      [80_000, 20_000]
    ])
    expect(at).toBe(deadline)
    expect(outcome.kind).toBe('timeout')
  })

  it('a timeout reports the last status seen', async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [now(statusAnswer('PROCESSING'))])
    const { outcome, at } = await run(clock, context(clock, client, { deadline: 21_000 }))
    expect(outcome).toMatchObject({ kind: 'timeout', status: { status: 'PROCESSING' }, lastProblem: undefined })
    expect(at).toBe(21_000)
    expect(client.calls.map(c => c.at)).toEqual([5_000, 10_000, 15_000, 20_000])
  })

  it("untilKnown: 'known' at the first status, asked at once with askNow", async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [now(statusAnswer('PROCESSING'))])
    const ctx = context(clock, client, { untilKnown: true, askNow: true })
    const { outcome, at } = await run(clock, ctx)
    expect(outcome).toEqual({
      kind: 'known',
      status: { status: 'PROCESSING', isComplete: false, postId: undefined, failReason: undefined, description: undefined }
    })
    expect(at).toBe(0)
    expect(client.calls).toHaveLength(1)
    expect(ctx.statuses).toHaveLength(1)
  })

  it.each([400, 404])("untilKnown: 'unknown' on a %d", async httpStatus => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [now(answer(httpStatus, { error: 'Unknown publish_id' }))])
    const { outcome } = await run(clock, context(clock, client, { untilKnown: true, askNow: true }))
    expect(outcome).toEqual({ kind: 'unknown', reason: `HTTP ${httpStatus}: Unknown publish_id` })
    expect(client.calls).toHaveLength(1)
  })

  it('without untilKnown, a 400 is a failed poll and the wait goes on', async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [now(answer(400, { error: 'Unknown publish_id' })), now(COMPLETE)])
    const ctx = context(clock, client)
    const { outcome } = await run(clock, ctx)
    expect(outcome.kind).toBe('complete')
    expect(ctx.lines[0]).toBe('status request 1 failed (HTTP 400: Unknown publish_id); asking again')
  })

  it('Retry-After on a 429 holds the budget for every poll, and the next poll waits for it', async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [now(answer(429, { error: 'slow down' }, '30')), now(COMPLETE)])
    const ctx = context(clock, client)
    const hold = jest.spyOn(ctx.budget, 'holdUntil')
    const { outcome } = await run(clock, ctx)
    expect(hold).toHaveBeenCalledTimes(1)
    expect(hold).toHaveBeenCalledWith(35_000)
    expect(client.calls.map(c => c.at)).toEqual([5_000, 35_000])
    expect(outcome.kind).toBe('complete')
    expect(ctx.lines[0]).toBe('status request 1 failed (HTTP 429: slow down); every poll waits 30.0 s as DraftClip asked')
  })

  // Changed (task E): a 429 without Retry-After holds every poll for one rate window (TikTok's one minute), once.
  it('a 429 without Retry-After holds the budget for one rate window', async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [now(answer(429, { error: 'slow down' })), now(COMPLETE)])
    const ctx = context(clock, client)
    const hold = jest.spyOn(ctx.budget, 'holdUntil')
    await run(clock, ctx)
    expect(hold).toHaveBeenCalledWith(65_000)
    expect(client.calls.map(c => c.at)).toEqual([5_000, 65_000])
  })

  it('a 401 ends the wait as unauthorized, with the last status', async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [now(statusAnswer('PROCESSING')), now(answer(401, { error: 'Invalid API key' }))])
    const { outcome } = await run(clock, context(clock, client))
    expect(outcome).toMatchObject({ kind: 'unauthorized', reason: 'HTTP 401: Invalid API key', status: { status: 'PROCESSING' } })
  })

  it('an answer about another publish id is not taken for ours', async () => {
    const clock = new FakeClock()
    const other = answer(200, {
      success: true,
      data: { publish_id: 'other', status: 'PUBLISH_COMPLETE', publicaly_available_post_id: '1' }
    })
    const client = fakeClient(clock, [now(other), now(COMPLETE)])
    const ctx = context(clock, client)
    const { outcome } = await run(clock, ctx)
    expect((outcome as { status: VideoStatus }).status.postId).toBe('7123456789012345678')
    expect(ctx.statuses.map(s => s.postId)).toEqual(['7123456789012345678'])
    expect(ctx.lines[0]).toBe('status request 1 failed (the answer was about another publish id); asking again')
  })

  it('a stop ends the wait, and a request under way is abandoned through the signal', async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [silent(clock)])
    const abort = new AbortController()
    const halted: { why?: string } = {}
    const ctx = context(clock, client, { signal: abort.signal, stopped: () => halted.why })
    let outcome: WaitOutcome | undefined
    void waitForVideo('p', ctx).then(o => (outcome = o))
    await clock.advanceTo(6_000)
    expect(client.calls).toHaveLength(1)
    halted.why = 'the job was cancelled'
    abort.abort()
    await clock.advance(0)
    expect(outcome).toEqual({ kind: 'stopped', reason: 'the job was cancelled', status: undefined })
    expect(clock.now()).toBe(6_000)
  })
})

/** A DraftClip that answers by the time on the clock: each phase's status from its start (ms after 0). */
function timeline(clock: FakeClock, phases: [number, Attempt][]): DraftClip & { calls: Call[] } {
  return fakeClient(clock, [
    async () => {
      const now = clock.now()
      return phases.filter(([from]) => from <= now).at(-1)![1]
    }
  ])
}

const BARE = statusAnswer('PUBLISH_COMPLETE', { is_complete: true })
const SCHEDULE = { maxIntervalMs: 20_000 }

describe('waitForVideo: the schedule (5 s first, doubling while nothing changes, 20 s at most)', () => {
  it('asks less and less often while the status stays the same', async () => {
    const clock = new FakeClock()
    const client = timeline(clock, [
      [0, statusAnswer('PROCESSING')],
      [205_000, COMPLETE]
    ])
    const { outcome, at } = await run(clock, context(clock, client, SCHEDULE))
    expect(outcome.kind).toBe('complete')
    // 5 s; the first status is news, so 5 s again; then 10 s, then every 20 s.
    expect(client.calls.map(c => c.at)).toEqual([
      5_000, 10_000, 20_000, 40_000, 60_000, 80_000, 100_000, 120_000, 140_000, 160_000, 180_000, 200_000, 220_000
    ])
    expect(at).toBe(220_000)
  })

  it("an answer that repeats the status known before the wait (the upload's) is no news", async () => {
    const clock = new FakeClock()
    const client = timeline(clock, [
      [0, statusAnswer('PROCESSING_UPLOAD')],
      [50_000, COMPLETE]
    ])
    await run(clock, context(clock, client, { ...SCHEDULE, knownStatus: 'PROCESSING_UPLOAD' }))
    expect(client.calls.map(c => c.at)).toEqual([5_000, 15_000, 35_000, 55_000])
  })

  it('a status that changed is asked about again after poll-interval', async () => {
    const clock = new FakeClock()
    const client = timeline(clock, [
      [0, statusAnswer('PROCESSING_UPLOAD')],
      [40_000, statusAnswer('PROCESSING')],
      [80_000, COMPLETE]
    ])
    const ctx = context(clock, client, SCHEDULE)
    await run(clock, ctx)
    expect(client.calls.map(c => c.at)).toEqual([
      5_000,
      10_000,
      20_000,
      40_000, // PROCESSING at 40 s: news
      45_000,
      55_000,
      75_000,
      95_000 // PUBLISH_COMPLETE with its post id
    ])
    expect(ctx.statuses.map(s => s.status)).toEqual(['PROCESSING_UPLOAD', 'PROCESSING', 'PUBLISH_COMPLETE'])
  })

  it('failed requests do not reset the pace', async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [
      now(statusAnswer('PROCESSING')),
      now(answer(503, { error: 'busy' })),
      now(answer(503, { error: 'busy' })),
      now(COMPLETE)
    ])
    await run(clock, context(clock, client, SCHEDULE))
    expect(client.calls.map(c => c.at)).toEqual([5_000, 10_000, 20_000, 40_000])
  })

  it('Retry-After holds the next poll past the gap the schedule gives', async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [now(answer(429, { error: 'slow down' }, '60')), now(COMPLETE)])
    const ctx = context(clock, client, SCHEDULE)
    await run(clock, ctx)
    expect(client.calls.map(c => c.at)).toEqual([5_000, 65_000])
  })
})

describe('waitForVideo: privacy (TikTok gives a post id only to public posts, after moderation)', () => {
  it.each(['SELF_ONLY', 'MUTUAL_FOLLOW_FRIENDS'])(
    'a %s video is done at PUBLISH_COMPLETE: no more polls, no post id awaited',
    async privacy => {
      const clock = new FakeClock()
      const client = fakeClient(clock, [now(BARE)])
      const ctx = context(clock, client, { ...SCHEDULE, privacyLevel: privacy })
      const { outcome, at } = await run(clock, ctx)
      expect(outcome).toMatchObject({ kind: 'complete', status: { status: 'PUBLISH_COMPLETE', postId: undefined } })
      expect(at).toBe(5_000)
      // Not one request after the one that saw it, however long the clock runs on.
      await clock.advance(600_000)
      expect(client.calls).toHaveLength(1)
      expect(clock.pending()).toBe(0)
      expect(ctx.statuses.map(s => s.status)).toEqual(['PUBLISH_COMPLETE'])
    }
  )

  it('a private video still processing is polled until PUBLISH_COMPLETE, then not again', async () => {
    const clock = new FakeClock()
    const client = timeline(clock, [
      [0, statusAnswer('PROCESSING')],
      [60_000, BARE]
    ])
    const { outcome } = await run(clock, context(clock, client, { ...SCHEDULE, privacyLevel: 'SELF_ONLY' }))
    expect(outcome.kind).toBe('complete')
    expect(client.calls.filter(c => c.at >= 60_000)).toHaveLength(1)
  })

  it('a public video is polled after PUBLISH_COMPLETE until its post id, from the shortest gap again', async () => {
    const clock = new FakeClock()
    const client = timeline(clock, [
      [0, statusAnswer('PROCESSING')],
      [20_000, BARE],
      [70_000, COMPLETE]
    ])
    const ctx = context(clock, client, { ...SCHEDULE, privacyLevel: 'PUBLIC_TO_EVERYONE' })
    const { outcome, at } = await run(clock, ctx)
    expect(outcome).toMatchObject({ kind: 'complete', status: { postId: '7123456789012345678' } })
    // PUBLISH_COMPLETE is news at 20 s: 5 s, then doubling again, until the post id at 75 s.
    expect(client.calls.map(c => c.at)).toEqual([5_000, 10_000, 20_000, 25_000, 35_000, 55_000, 75_000])
    expect(at).toBe(75_000)
    expect(ctx.statuses.map(s => [s.status, s.postId])).toEqual([
      ['PROCESSING', undefined],
      ['PUBLISH_COMPLETE', undefined],
      ['PUBLISH_COMPLETE', '7123456789012345678']
    ])
  })

  it('a public video whose post id does not come by the deadline ends in a timeout at PUBLISH_COMPLETE', async () => {
    const clock = new FakeClock()
    const client = fakeClient(clock, [now(BARE)])
    const { outcome, at } = await run(clock, context(clock, client, { ...SCHEDULE, deadline: 120_000 }))
    expect(outcome).toMatchObject({ kind: 'timeout', status: { status: 'PUBLISH_COMPLETE', postId: undefined } })
    expect(at).toBe(120_000)
  })
})

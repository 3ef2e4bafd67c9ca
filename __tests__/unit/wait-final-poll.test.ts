import { describe, expect, it } from '@jest/globals'
import type { Attempt, DraftClip } from '../../src/model/ports.js'
import { PollBudget } from '../../src/draftclip/poll-budget.js'
import { waitForVideo, type WaitContext, type WaitOutcome } from '../../src/draftclip/wait.js'
import { FakeClock } from '../support/fake-clock.js'

/** The last stretch before wait-timeout is asked about: a long gap is cut short so one poll lands before the deadline. */

const statusAnswer = (status: string, extra: Record<string, unknown> = {}): Attempt => {
  const json = { success: true, data: { publish_id: 'p', status, ...extra } }
  return { kind: 'answer', httpStatus: 200, json, text: JSON.stringify(json), retryAfter: undefined, bodySent: true }
}
const PROCESSING = statusAnswer('PROCESSING')
const COMPLETE = statusAnswer('PUBLISH_COMPLETE', { is_complete: true, publicaly_available_post_id: '7123456789012345678' })

/** A DraftClip whose video completes at `doneAt` (fake clock); it records when and with what ceiling it was asked. */
function video(clock: FakeClock, doneAt: number): DraftClip & { calls: { at: number; timeoutMs: number }[] } {
  const calls: { at: number; timeoutMs: number }[] = []
  return {
    calls,
    upload: async () => {
      throw new Error('no upload here')
    },
    status: async (_id, timeoutMs) => {
      calls.push({ at: clock.now(), timeoutMs })
      return clock.now() >= doneAt ? COMPLETE : PROCESSING
    },
    close: async () => undefined
  }
}

function context(clock: FakeClock, client: DraftClip, over: Partial<WaitContext>): WaitContext {
  return {
    client,
    clock,
    budget: new PollBudget(600, clock),
    deadline: 0,
    intervalMs: 5_000,
    maxIntervalMs: 120_000,
    privacyLevel: 'PUBLIC_TO_EVERYONE',
    requestMs: 60_000,
    log: () => undefined,
    onStatus: async () => undefined,
    stopped: () => undefined,
    ...over
  }
}

async function run(clock: FakeClock, ctx: WaitContext): Promise<{ outcome: WaitOutcome; at: number }> {
  let ended: { outcome: WaitOutcome; at: number } | undefined
  void waitForVideo('p', ctx).then(outcome => (ended = { outcome, at: clock.now() }))
  while (!ended && clock.now() < 3_600_000) await clock.advance(100)
  if (!ended) throw new Error('the wait did not end')
  return ended
}

describe('waitForVideo: the final poll before the deadline', () => {
  it('cuts the gap that would pass the deadline, so a video done in the last stretch is seen', async () => {
    const clock = new FakeClock()
    // Gaps 5, 5, 10, 20, 40, 80 s (ceiling 120 s): polls at 5, 10, 20, 40, 80 s; the next one (160 s) is past 150 s.
    const client = video(clock, 130_000)
    const { outcome, at } = await run(clock, context(clock, client, { deadline: 150_000 }))
    expect(outcome.kind).toBe('complete')
    // The last poll is one shortest gap before the deadline.
    expect(client.calls.map(c => c.at)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 145_000])
    expect(client.calls.at(-1)!.timeoutMs).toBe(5_000)
    expect(at).toBe(145_000)
  })

  it('asks once more, and only once, before timing out when nothing changes', async () => {
    const clock = new FakeClock()
    const client = video(clock, Infinity)
    const { outcome, at } = await run(clock, context(clock, client, { deadline: 150_000 }))
    expect(outcome.kind).toBe('timeout')
    expect(client.calls.map(c => c.at)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 145_000])
    expect(at).toBe(150_000)
  })

  it('never asks sooner than the shortest gap after the poll before, even near the deadline', async () => {
    const clock = new FakeClock()
    const client = video(clock, Infinity)
    // Polls at 5, 10, 20 s; the 40 s gap passes 27 s, and 27 - 5 = 22 s is sooner than 20 + 5 s: the final poll waits the shortest gap.
    const { at } = await run(clock, context(clock, client, { deadline: 27_000 }))
    expect(client.calls.map(c => c.at)).toEqual([5_000, 10_000, 20_000, 25_000])
    expect(client.calls.at(-1)!.timeoutMs).toBe(2_000)
    expect(at).toBe(27_000)
  })

  it('a request ceiling shorter than the shortest gap is all the final poll is given', async () => {
    const clock = new FakeClock()
    const client = video(clock, Infinity)
    await run(clock, context(clock, client, { deadline: 150_000, requestMs: 2_000 }))
    expect(client.calls.map(c => c.at)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 148_000])
  })
})

// The polling model of `npm run bench`: the action's own waiting code
// (src/draftclip/wait.ts with its schedule, the isSettled rule, the shared
// PollBudget, and the request counter of client.ts) against a DraftClip
// stand-in that answers by the time on a fake clock, beside the doc's example
// client on the same clock. Nothing really waits: a run of 200 waits takes
// well under a second. bench.js transpiles this file and what it imports (the
// tests' FakeClock among them) into bench/.work/, so the model always runs the
// current src/.

import { counting, type RequestCount } from '../src/draftclip/client.js'
import type { Attempt, DraftClip } from '../src/model/ports.js'
import { FakeClock } from '../__tests__/support/fake-clock.js'
import { PollBudget } from '../src/draftclip/poll-budget.js'
import { waitForVideo } from '../src/draftclip/wait.js'

/** One video as TikTok handles it (times in ms after the upload's answer). */
export interface ModelVideo {
  /** When processing ends: PUBLISH_COMPLETE from then on. */
  doneMs: number
  /** PROCESSING_UPLOAD until then, PROCESSING after. */
  uploadedMs: number
  privacyLevel: string
  /** Public only: when the post id appears (after moderation). */
  postIdMs?: number
}

export interface ModelSettings {
  pollIntervalMs: number
  maxPollIntervalMs: number
  maxPollsPerMinute: number
  waitTimeoutMs: number
  /** The doc's example: one request at once, then one every this long until is_complete. */
  docIntervalMs: number
}

export interface VideoOutcome {
  /** Status requests sent for the video. */
  requests: number
  /** Of those, the ones sent at or after PUBLISH_COMPLETE. */
  requestsAfterDone: number
  /** From PUBLISH_COMPLETE to the request that saw it; undefined if none did. */
  completeDelayMs: number | undefined
  /** Public: from the post id's appearance to the request that saw it; undefined if none did. */
  postIdDelayMs: number | undefined
  /** How the wait ended. */
  ended: string
}

/** DraftClip as the doc shows it, answering about `video` by the clock's time; each request's time is noted. */
function standIn(clock: FakeClock, video: ModelVideo, asked: number[]): DraftClip {
  return {
    upload: () => Promise.reject(new Error('the model uploads nothing')),
    status: publishId => {
      const now = clock.now()
      asked.push(now)
      const status = now < video.uploadedMs ? 'PROCESSING_UPLOAD' : now < video.doneMs ? 'PROCESSING' : 'PUBLISH_COMPLETE'
      const data: Record<string, unknown> = { publish_id: publishId, status, is_complete: status === 'PUBLISH_COMPLETE' }
      if (video.postIdMs !== undefined && now >= video.postIdMs) data.publicaly_available_post_id = '7123456789012345678'
      const json = { success: true, data }
      const answer: Attempt = { kind: 'answer', httpStatus: 200, json, text: JSON.stringify(json), retryAfter: undefined, bodySent: true }
      return Promise.resolve(answer)
    },
    close: () => Promise.resolve()
  }
}

function outcome(
  video: ModelVideo,
  asked: number[],
  seen: { complete?: number; postId?: number },
  count: RequestCount,
  ended: string
): VideoOutcome {
  return {
    requests: count.status,
    requestsAfterDone: asked.filter(t => t >= video.doneMs).length,
    completeDelayMs: seen.complete === undefined ? undefined : seen.complete - video.doneMs,
    postIdDelayMs: seen.postId === undefined || video.postIdMs === undefined ? undefined : seen.postId - video.postIdMs,
    ended
  }
}

/** The action's wait for one video, alone in its run (its own poll budget), from the upload's answer at 0. */
export async function actionWait(video: ModelVideo, settings: ModelSettings): Promise<VideoOutcome> {
  const clock = new FakeClock()
  const asked: number[] = []
  const count: RequestCount = { upload: 0, status: 0 }
  const client = counting(standIn(clock, video, asked), count)
  const seen: { complete?: number; postId?: number } = {}
  const result = await clock.run(
    waitForVideo('v_model', {
      client,
      clock,
      budget: new PollBudget(settings.maxPollsPerMinute, clock),
      deadline: settings.waitTimeoutMs,
      intervalMs: settings.pollIntervalMs,
      maxIntervalMs: settings.maxPollIntervalMs,
      privacyLevel: video.privacyLevel,
      // What the upload's answer said.
      knownStatus: 'PROCESSING_UPLOAD',
      requestMs: 60_000,
      log: () => undefined,
      onStatus: status => {
        if (status.status === 'PUBLISH_COMPLETE') seen.complete ??= clock.now()
        if (status.postId) seen.postId ??= clock.now()
        return Promise.resolve()
      },
      stopped: () => undefined
    })
  )
  return outcome(video, asked, seen, count, result.kind)
}

/** The doc's example client: a request at once, then one every docIntervalMs until is_complete (no cap). */
export async function docWait(video: ModelVideo, settings: ModelSettings): Promise<VideoOutcome> {
  const clock = new FakeClock()
  const asked: number[] = []
  const count: RequestCount = { upload: 0, status: 0 }
  const client = counting(standIn(clock, video, asked), count)
  const seen: { complete?: number; postId?: number } = {}
  await clock.run(
    (async () => {
      for (;;) {
        const attempt = await client.status('v_model', 60_000)
        const data = (attempt as { json: { data: { status: string; is_complete: boolean; publicaly_available_post_id?: string } } }).json
          .data
        if (data.publicaly_available_post_id) seen.postId ??= clock.now()
        if (data.is_complete) {
          seen.complete ??= clock.now()
          return
        }
        await clock.sleep(settings.docIntervalMs)
      }
    })()
  )
  return outcome(video, asked, seen, count, 'complete')
}

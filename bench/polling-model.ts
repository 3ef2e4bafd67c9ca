// The polling model of `npm run bench`: the action's own waiting code
// (src/draftclip/wait.ts with its schedule, the isSettled rule, the shared
// PollBudget, and the request counter of client.ts) against a DraftClip
// stand-in that answers by the time on a fake clock, beside the doc's example
// client on the same clock. Nothing really waits: a run of 200 waits takes
// well under a second. bench.js bundles this file with ncc (as dist/ is
// bundled) into bench/.work/, so the model always runs the current src/.

import { counting, type RequestCount } from '../src/draftclip/client.js'
import type { Attempt, Clock, DraftClip } from '../src/model/ports.js'
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

/** A clock whose time moves from one timer to the next as soon as nothing else can run. */
class ModelClock implements Clock {
  private time = 0
  private timers: { at: number; seq: number; fire: () => void }[] = []
  private seq = 0

  now = (): number => this.time
  random = (): number => 0.5

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>(resolve => {
      if (signal?.aborted) return resolve()
      const timer = { at: this.time + Math.ceil(Math.max(0, ms)), seq: this.seq++, fire: () => undefined as void }
      const done = (): void => {
        this.timers = this.timers.filter(t => t !== timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      timer.fire = done
      signal?.addEventListener('abort', done, { once: true })
      this.timers.push(timer)
    })

  /** Runs `task` to its end, moving time only when every promise chain that can run has run. */
  async run<T>(task: Promise<T>): Promise<T> {
    let ended = false
    const result = task.finally(() => (ended = true))
    for (;;) {
      for (let i = 0; i < 5; i++) await new Promise<void>(resolve => setImmediate(resolve))
      if (ended) return result
      const next = this.timers.reduce<(typeof this.timers)[number] | undefined>(
        (a, t) => (!a || t.at < a.at || (t.at === a.at && t.seq < a.seq) ? t : a),
        undefined
      )
      if (!next) throw new Error('the model stalled: nothing to wait for, and the wait did not end')
      this.time = Math.max(this.time, next.at)
      next.fire()
    }
  }
}

/** DraftClip as the doc shows it, answering about `video` by the clock's time; each request's time is noted. */
function standIn(clock: ModelClock, video: ModelVideo, asked: number[]): DraftClip {
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
  const clock = new ModelClock()
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
  const clock = new ModelClock()
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

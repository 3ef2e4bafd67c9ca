import { setTimeout as sleep } from 'node:timers/promises'
import type { DraftClipClient, VideoStatus } from './draftclip.js'
import { judgeStatus } from './retry-policy.js'

export interface WaitContext {
  client: DraftClipClient
  timeoutMs: number
  intervalMs: number
  log: (line: string) => void
  /** Called on every status change, so the ledger learns it at once. */
  onStatus: (status: VideoStatus) => Promise<void>
  /** Why the run stopped, if it did: the wait ends early. */
  stopped: () => string | undefined
  now?: () => number
}

export type WaitOutcome =
  | { kind: 'complete'; status: VideoStatus }
  /** The timeout came first: `status` is the last one seen, if any. */
  | { kind: 'timeout'; status: VideoStatus | undefined; lastProblem: string | undefined }
  | { kind: 'unauthorized'; reason: string; status: VideoStatus | undefined }
  | { kind: 'stopped'; reason: string; status: VideoStatus | undefined }

/**
 * Polls a video's status until it is complete. Failed polls are retried at
 * the same pace until the timeout; a published video is polled on until its
 * post id appears, since TikTok often gives it a few polls later.
 */
export async function waitForVideo(publishId: string, ctx: WaitContext): Promise<WaitOutcome> {
  const now = ctx.now ?? Date.now
  const deadline = now() + ctx.timeoutMs
  let last: VideoStatus | undefined
  let lastProblem: string | undefined
  let polls = 0

  for (;;) {
    const left = deadline - now()
    if (left <= 0) return { kind: 'timeout', status: last, lastProblem }
    await sleep(Math.min(ctx.intervalMs, left))
    const stop = ctx.stopped()
    if (stop) return { kind: 'stopped', reason: stop, status: last }

    polls++
    const verdict = judgeStatus(await ctx.client.status(publishId))
    if (verdict.kind === 'unauthorized') return { kind: 'unauthorized', reason: verdict.reason, status: last }
    if (verdict.kind === 'transient') {
      lastProblem = verdict.reason
      ctx.log(`status request ${polls} failed (${verdict.reason}); asking again`)
      continue
    }
    const status = verdict.status
    lastProblem = undefined
    if (status.status !== last?.status || status.postId !== last?.postId) {
      ctx.log(`${status.status}${status.postId ? `, post ID ${status.postId}` : ''}${status.failReason ? `: ${status.failReason}` : ''}`)
      last = status
      await ctx.onStatus(status)
    }
    if (status.isComplete && (status.status !== 'PUBLISH_COMPLETE' || status.postId)) return { kind: 'complete', status }
  }
}

import { isSettled } from '../model/status.js'
import type { VideoStatus } from './answers.js'
import type { DraftClip, Clock } from '../model/ports.js'
import type { PollBudget } from './poll-budget.js'
import { nextGap } from './poll-schedule.js'
import { judgeStatus, neverReached, parseRetryAfter } from './retry-policy.js'

export interface WaitContext {
  client: DraftClip
  clock: Clock
  budget: PollBudget
  /** When the wait ends, whatever happens (the clock's time): no request outlives it. */
  deadline: number
  /** The first and shortest gap between two status requests (see poll-schedule.ts). */
  intervalMs: number
  /** The longest gap: gaps grow up to it while the status stays the same. */
  maxIntervalMs: number
  /** The video's privacy level: only a public video gets a post ID to wait for. */
  privacyLevel: string
  /** The status known before the wait (the upload's answer, the ledger's): an answer that repeats it is no news. */
  knownStatus?: string
  /** Ceiling for one status request. */
  requestMs: number
  /** Ask at once rather than after one interval (confirming an earlier run's upload). */
  askNow?: boolean
  /** Stop at the first status DraftClip gives (it confirms the publish id); a 400/404 ends the wait. */
  untilKnown?: boolean
  log: (line: string) => void
  /** Called on every status change, so the ledger learns it at once. */
  onStatus: (status: VideoStatus) => Promise<void>
  /** Why the run stopped, if it did: the wait ends early. */
  stopped: () => string | undefined
  /** Aborted when the run stops (a cancelled job): sleeps and requests end at once. */
  signal?: AbortSignal
}

export type WaitOutcome =
  | { kind: 'complete'; status: VideoStatus }
  /** With untilKnown: DraftClip gave a status for the publish id. */
  | { kind: 'known'; status: VideoStatus }
  /** With untilKnown: DraftClip answered that it does not know the publish id. */
  | { kind: 'unknown'; reason: string }
  /** The deadline came first: `status` is the last one seen, if any. */
  | { kind: 'timeout'; status: VideoStatus | undefined; lastProblem: string | undefined; unreachable?: true }
  | { kind: 'unauthorized'; reason: string; status: VideoStatus | undefined }
  /** The runner does not trust the host's certificate: no status request can reach DraftClip. */
  | { kind: 'untrusted'; reason: string; status: VideoStatus | undefined }
  | { kind: 'stopped'; reason: string; status: VideoStatus | undefined }
  /** DraftClip's status quota is spent (a 429 the poll budget judged so): no status request goes this run. */
  | { kind: 'spent'; reason: string; status: VideoStatus | undefined }

/**
 * Polls a video's status until there is nothing more to learn (isSettled):
 * a public video is polled on after PUBLISH_COMPLETE until its post ID
 * appears, which TikTok gives after moderation; a private one never gets one.
 * The gaps follow poll-schedule.ts; failed polls are asked again until the
 * deadline. The last poll comes no later than one shortest gap (or one request
 * ceiling, if shorter) before the deadline, never sooner than the shortest gap.
 */
export async function waitForVideo(publishId: string, ctx: WaitContext): Promise<WaitOutcome> {
  const { clock } = ctx
  let last: VideoStatus | undefined
  let lastProblem: string | undefined
  /** The last status request never reached DraftClip (no connection). */
  let unreachable: true | undefined
  const pace = { firstMs: ctx.intervalMs, ceilingMs: ctx.maxIntervalMs }
  let gap: number | undefined
  let changed = false
  /** The last status known, for the schedule: a change is asked about again soon. */
  let known = ctx.knownStatus
  for (let polls = 1; ; polls++) {
    gap = nextGap(pace, gap, changed)
    changed = false
    let pause = polls === 1 && ctx.askNow ? 0 : gap
    const timeout = (): WaitOutcome => ({ kind: 'timeout', status: last, lastProblem, ...(unreachable ? { unreachable } : {}) })
    // A gap that runs past the last moment to ask is cut short, so the final stretch still gets its answer.
    const lastAsk = ctx.deadline - Math.min(ctx.requestMs, ctx.intervalMs)
    if (clock.now() + pause > lastAsk) pause = Math.max(Math.min(pause, ctx.intervalMs), lastAsk - clock.now())
    if (clock.now() + pause >= ctx.deadline) {
      await clock.sleep(Math.max(0, ctx.deadline - clock.now()), ctx.signal)
      return ctx.stopped() ? stopped(ctx, last) : timeout()
    }
    await clock.sleep(pause, ctx.signal)
    if (ctx.stopped()) return stopped(ctx, last)
    if (!(await ctx.budget.take(ctx.deadline, ctx.signal))) return ctx.stopped() ? stopped(ctx, last) : ended(ctx, last, timeout)

    const sentAt = clock.now()
    const left = ctx.deadline - sentAt
    const attempt = await ctx.client.status(publishId, Math.min(ctx.requestMs, left), ctx.signal)
    if (ctx.stopped()) return stopped(ctx, last)
    const verdict = judgeStatus(attempt, publishId)
    if (verdict.kind === 'transient' && verdict.rateLimited) ctx.budget.limited(verdict.retryAfter, sentAt, verdict.reason)
    else if (attempt.kind === 'answer') ctx.budget.passed(sentAt)
    if (ctx.budget.spent) return ended(ctx, last, timeout)
    if (verdict.kind === 'unauthorized') return { kind: 'unauthorized', reason: verdict.reason, status: last }
    if (verdict.kind === 'untrusted') return { kind: 'untrusted', reason: verdict.reason, status: last }
    if (verdict.kind === 'unknown' && ctx.untilKnown) return { kind: 'unknown', reason: verdict.reason }
    if (verdict.kind !== 'status') {
      lastProblem = verdict.reason
      unreachable = neverReached(attempt) ? true : undefined
      pollFailed(ctx, polls, verdict)
      continue
    }
    const status = verdict.status
    lastProblem = undefined
    unreachable = undefined
    changed = status.status !== known || status.postId !== last?.postId
    known = status.status
    if (status.status !== last?.status || status.postId !== last?.postId) {
      ctx.log(`${status.status}${status.postId ? `, post ID ${status.postId}` : ''}${status.failReason ? `: ${status.failReason}` : ''}`)
      last = status
      await ctx.onStatus(status)
    }
    if (ctx.untilKnown) return { kind: 'known', status }
    if (isSettled(status, ctx.privacyLevel)) return { kind: 'complete', status }
  }
}

/** A status request that told nothing: a 503's Retry-After holds every poll as asked (a 429's window is the budget's), and the log says so. */
function pollFailed(
  ctx: WaitContext,
  polls: number,
  verdict: { kind: string; reason: string; retryAfter?: string; rateLimited?: true }
): void {
  const now = ctx.clock.now()
  const asked = verdict.kind === 'transient' && !verdict.rateLimited ? parseRetryAfter(verdict.retryAfter, now) : undefined
  if (asked !== undefined) ctx.budget.holdUntil(now + asked)
  const held = verdict.rateLimited ? ctx.budget.nextSlot() - now : asked
  const then = held !== undefined && held > 0 ? `every poll waits ${(held / 1000).toFixed(1)} s as DraftClip asked` : 'asking again'
  ctx.log(`status request ${polls} failed (${verdict.reason}); ${then}`)
}

/** The budget gave no turn: the status quota is spent, or the deadline came. */
function ended(ctx: WaitContext, last: VideoStatus | undefined, timeout: () => WaitOutcome): WaitOutcome {
  return ctx.budget.spent ? { kind: 'spent', reason: ctx.budget.spent, status: last } : timeout()
}

function stopped(ctx: WaitContext, last: VideoStatus | undefined): WaitOutcome {
  return { kind: 'stopped', reason: ctx.stopped() ?? 'the run stopped', status: last }
}

import type { Attempt, Clock, DraftClip, UploadRequest } from '../model/ports.js'
import { progressTracker } from './progress.js'
import type { RateGate } from './rate-gate.js'
import { judgeUpload, quotaResets, retryDelayMs, type Timings } from './retry-policy.js'

export type UploadOutcome =
  | { kind: 'accepted'; publishId: string; status: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'unconfirmed'; reason: string; publishId?: string }
  | { kind: 'unauthorized'; reason: string }
  /** The runner does not trust the host's certificate: nothing was sent, and no request can be. */
  | { kind: 'untrusted'; reason: string }
  /** The account's quota is spent (judgeRateLimit): the rest of the batch would be refused too. */
  | { kind: 'rate-limited'; reason: string }
  /** Every attempt failed to connect (refused, DNS): nothing reached DraftClip, and the next video would fare the same. */
  | { kind: 'unreachable'; reason: string }
  /** Uploads were stopped (another video's 401 or 429, or a cancelled job) before this video's next attempt; `quota` when by a spent quota. */
  | { kind: 'stopped'; reason: string; quota?: boolean }

interface UploadContext {
  client: DraftClip
  clock: Clock
  retries: number
  timings: Pick<Timings, 'backoffBaseMs' | 'maxDelayMs'>
  /** The run's one gate for 429s: every upload waits out a rate window together, and none goes once the quota is spent. */
  gate: RateGate
  log: (line: string) => void
  warn: (line: string) => void
  /** Why the run stopped, if it did: checked before every attempt. */
  stopped: () => string | undefined
  /** Aborted when the job is cancelled: a wait between attempts ends at once (the next attempt is then stopped). */
  signal?: AbortSignal
}

/** Uploads one video, retrying only while DraftClip certainly has not taken it. */
export async function uploadVideo(video: Omit<UploadRequest, 'onProgress'>, ctx: UploadContext): Promise<UploadOutcome> {
  for (let attempt = 1; ; attempt++) {
    const pass = await ctx.gate.enter(ctx.signal)
    const stop = ctx.stopped()
    if (stop) {
      if ('done' in pass) pass.done()
      return { kind: 'stopped', reason: stop }
    }
    if ('spent' in pass) return { kind: 'stopped', reason: pass.spent, quota: true }

    const verdict = await sendOnce(video, ctx, pass.sentAt).finally(pass.done)
    if (verdict.kind === 'accepted') return verdict
    if (verdict.kind === 'final') return verdict.outcome
    if (verdict.kind === 'spent') return { kind: 'rate-limited', reason: verdict.reason }
    // A cancelled job (which may have cut this attempt short): no attempt follows, and this one was certainly not taken.
    if (ctx.signal?.aborted) return { kind: 'stopped', reason: ctx.stopped() ?? 'the job was cancelled' }

    const tried = `${attempt} attempt${attempt === 1 ? '' : 's'}`
    if (attempt > ctx.retries) {
      const reason = `${verdict.reason}; gave up after ${tried}`
      if (verdict.kind === 'rate-window') return { kind: 'rate-limited', reason }
      return verdict.unreachable ? { kind: 'unreachable', reason } : { kind: 'rejected', reason }
    }
    const next = `DraftClip did not take it, so attempt ${attempt + 1} of ${ctx.retries + 1} starts in`
    if (verdict.kind === 'rate-window') {
      // The gate holds this upload and every other one: no sleep of its own.
      const seconds = (Math.max(0, verdict.until - ctx.clock.now()) / 1000).toFixed(1)
      ctx.warn(`${verdict.reason}; ${next} ${seconds} s, and every other upload waits as long`)
      continue
    }
    const delay = retryDelayMs(attempt, verdict.retryAfter, ctx.clock.now(), ctx.clock.random(), ctx.timings)
    ctx.warn(`${verdict.reason}; ${next} ${(delay / 1000).toFixed(1)} s`)
    await ctx.clock.sleep(delay, ctx.signal)
  }
}

type AttemptVerdict =
  | { kind: 'accepted'; publishId: string; status: string }
  /** Decided: no other attempt. */
  | { kind: 'final'; outcome: UploadOutcome }
  /** A 429 in a rate window: the gate holds every upload until `until`. */
  | { kind: 'rate-window'; reason: string; until: number }
  /** A 429 that means the quota is spent. */
  | { kind: 'spent'; reason: string }
  /** Certainly not taken, worth another attempt after a backoff. */
  | { kind: 'retry'; reason: string; retryAfter: string | undefined; unreachable: boolean }

/** One attempt, judged; the gate learns of a 429 (or that a wait is over) before the next upload goes. */
async function sendOnce(video: Omit<UploadRequest, 'onProgress'>, ctx: UploadContext, sentAt: number): Promise<AttemptVerdict> {
  const progress = progressTracker(video.size, ctx.clock.now)
  const result: Attempt = await ctx.client.upload({
    ...video,
    onProgress: sent => {
      const line = progress(sent)
      if (line) ctx.log(line)
    }
  })
  const verdict = judgeUpload(result)
  if (result.kind === 'answer' && !(verdict.kind === 'retry' && verdict.rateLimited)) ctx.gate.passed(sentAt)
  if (verdict.kind === 'accepted') return verdict
  if (verdict.kind !== 'retry') return { kind: 'final', outcome: verdict }
  if (!verdict.rateLimited)
    return { kind: 'retry', reason: verdict.reason, retryAfter: verdict.retryAfter, unreachable: verdict.unreachable === true }
  const spent = (resetsAt: number | undefined): string =>
    `${verdict.reason}: the account's upload quota is spent (${quotaResets(resetsAt)}), so no further upload is sent this run`
  const rate = ctx.gate.limited(verdict.retryAfter, sentAt, spent)
  if (rate.kind === 'wait') return { kind: 'rate-window', reason: verdict.reason, until: rate.until }
  return { kind: 'spent', reason: ctx.gate.spent ?? spent(rate.resetsAt) }
}

import type { Clock, DraftClip, UploadRequest } from '../model/ports.js'
import { progressTracker } from './progress.js'
import { judgeUpload, retryDelayMs, type Timings } from './retry-policy.js'

export type UploadOutcome =
  | { kind: 'accepted'; publishId: string; status: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'unconfirmed'; reason: string; publishId?: string }
  | { kind: 'unauthorized'; reason: string }
  /** The runner does not trust the host's certificate: nothing was sent, and no request can be. */
  | { kind: 'untrusted'; reason: string }
  /** 429 after every retry: the account's quota is spent, the rest of the batch would be refused too. */
  | { kind: 'rate-limited'; reason: string }
  /** Uploads were stopped (another video's 401 or 429, or a cancelled job) before this video's next attempt. */
  | { kind: 'stopped'; reason: string }

interface UploadContext {
  client: DraftClip
  clock: Clock
  retries: number
  timings: Pick<Timings, 'backoffBaseMs' | 'maxDelayMs'>
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
    const stop = ctx.stopped()
    if (stop) return { kind: 'stopped', reason: stop }

    const progress = progressTracker(video.size, ctx.clock.now)
    const result = await ctx.client.upload({
      ...video,
      onProgress: sent => {
        const line = progress(sent)
        if (line) ctx.log(line)
      }
    })
    const verdict = judgeUpload(result)
    if (verdict.kind !== 'retry') return verdict
    // A cancelled job (which may have cut this attempt short): no attempt follows, and this one was certainly not taken.
    if (ctx.signal?.aborted) return { kind: 'stopped', reason: ctx.stopped() ?? 'the job was cancelled' }

    if (attempt > ctx.retries) {
      const reason = `${verdict.reason}; gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}`
      return verdict.rateLimited ? { kind: 'rate-limited', reason } : { kind: 'rejected', reason }
    }
    const delay = retryDelayMs(attempt, verdict.retryAfter, ctx.clock.now(), ctx.clock.random(), ctx.timings)
    ctx.warn(
      `${verdict.reason}; DraftClip did not take it, so attempt ${attempt + 1} of ${ctx.retries + 1} starts in ${(delay / 1000).toFixed(1)} s`
    )
    await ctx.clock.sleep(delay, ctx.signal)
  }
}

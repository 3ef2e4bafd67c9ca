import { setTimeout as sleep } from 'node:timers/promises'
import type { DraftClipClient } from './draftclip.js'
import type { Timings } from './inputs.js'
import { progressTracker } from './progress.js'
import { judgeUpload, retryDelayMs } from './retry-policy.js'
import type { Video } from './videos.js'

export type UploadOutcome =
  | { kind: 'accepted'; publishId: string; status: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'unconfirmed'; reason: string; publishId?: string }
  | { kind: 'unauthorized'; reason: string }
  /** 429 after every retry: the account's quota is spent, the rest of the batch would be refused too. */
  | { kind: 'rate-limited'; reason: string }
  /** Uploads were stopped (another video's 401 or 429, or a cancelled job) before this video's next attempt. */
  | { kind: 'stopped'; reason: string }

export interface UploadContext {
  client: DraftClipClient
  retries: number
  timings: Timings
  log: (line: string) => void
  warn: (line: string) => void
  /** Why the run stopped, if it did: checked before every attempt. */
  stopped: () => string | undefined
  now?: () => number
  random?: () => number
}

/** Uploads one video, retrying only while DraftClip certainly has not taken it. */
export async function uploadVideo(video: Video, ctx: UploadContext): Promise<UploadOutcome> {
  const now = ctx.now ?? Date.now
  const fields: Record<string, string> = { description: video.description, privacy_level: video.privacyLevel }
  if (video.title !== undefined) fields.title = video.title

  for (let attempt = 1; ; attempt++) {
    const stop = ctx.stopped()
    if (stop) return { kind: 'stopped', reason: stop }

    const progress = progressTracker(video.size, now)
    const result = await ctx.client.upload({
      path: video.path,
      name: video.name,
      size: video.size,
      contentType: video.contentType,
      fields,
      onProgress: sent => {
        const line = progress(sent)
        if (line) ctx.log(line)
      }
    })
    const verdict = judgeUpload(result)
    if (verdict.kind !== 'retry') return verdict

    if (attempt > ctx.retries) {
      const reason = `${verdict.reason}; gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}`
      return verdict.rateLimited ? { kind: 'rate-limited', reason } : { kind: 'rejected', reason }
    }
    const delay = retryDelayMs(attempt, verdict.retryAfter, now(), (ctx.random ?? Math.random)(), ctx.timings)
    ctx.warn(
      `${verdict.reason}; DraftClip did not take it, so attempt ${attempt + 1} of ${ctx.retries + 1} starts in ${(delay / 1000).toFixed(1)} s`
    )
    await sleep(delay)
  }
}

import type { Clock } from '../model/ports.js'
import { judgeRateLimit, type RateLimitVerdict, type Timings } from './retry-policy.js'

/**
 * What a run knows of one endpoint's 429s: the end of the rate window it waits out, until a
 * request sent after it is answered otherwise, and why the quota is spent once it is. The rule is
 * judgeRateLimit's; the uploads' gate and the polls' budget each keep one of these.
 */
export class RateWindow {
  private heldUntil: number | undefined
  private spentReason: string | undefined

  constructor(
    private readonly clock: Clock,
    private readonly timings: Pick<Timings, 'maxDelayMs' | 'rateWindowMs'>
  ) {}

  /** The end of the window being waited out, if one is. */
  get until(): number | undefined {
    return this.heldUntil
  }

  /** Why no request may go any more this run (the quota is spent), if so. */
  get spent(): string | undefined {
    return this.spentReason
  }

  /** A 429 answered the request sent at `sentAt`: a window to wait out, or the quota spent (said by `spentReason`, the first time). */
  limited(retryAfter: string | undefined, sentAt: number, spentReason: (resetsAt: number | undefined) => string): RateLimitVerdict {
    const verdict = judgeRateLimit({ retryAfter, sentAt, now: this.clock.now() }, this.heldUntil, this.timings)
    if (verdict.kind === 'wait') this.heldUntil = verdict.until
    else this.spentReason ??= spentReason(verdict.resetsAt)
    return verdict
  }

  /** Anything but a 429 answered the request sent at `sentAt`: a window it was sent after is over. */
  passed(sentAt: number): void {
    if (this.heldUntil !== undefined && sentAt >= this.heldUntil) this.heldUntil = undefined
  }
}

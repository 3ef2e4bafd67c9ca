import type { Clock } from '../model/ports.js'
import type { RateLimitVerdict, Timings } from './retry-policy.js'
import { RateWindow } from './rate-window.js'

/** A request let through the gate: when it went, and `done` once its answer was judged. */
export interface Pass {
  sentAt: number
  done: () => void
}

/**
 * The run's uploads share one gate for DraftClip's 429s: a rate window holds
 * every upload (each video's next attempt, and every video not yet started)
 * until it has passed; then one upload goes alone, and the others follow its
 * answer. A spent quota closes the gate for the rest of the run. The rule is
 * judgeRateLimit's; this only keeps its state.
 */
export class RateGate {
  private readonly window: RateWindow
  /** The one request sent after a wait, while it is in flight. */
  private probe: Promise<void> | undefined

  constructor(
    private readonly clock: Clock,
    timings: Pick<Timings, 'maxDelayMs' | 'rateWindowMs'>
  ) {
    this.window = new RateWindow(clock, timings)
  }

  /** Why no request may go any more this run (the quota is spent), if so. */
  get spent(): string | undefined {
    return this.window.spent
  }

  /** Resolves when a request may go (or `signal` aborted: the caller's own stop check follows); `{ spent }` when none may. */
  async enter(signal?: AbortSignal): Promise<Pass | { spent: string }> {
    for (;;) {
      const { spent, until } = this.window
      if (spent !== undefined) return { spent }
      const now = this.clock.now()
      if (signal?.aborted) return { sentAt: now, done: () => undefined }
      if (until !== undefined && now < until) {
        await this.clock.sleep(until - now, signal)
        continue
      }
      if (this.probe) {
        await this.probe
        continue
      }
      if (until === undefined) return { sentAt: now, done: () => undefined }
      // The first request after a wait goes alone: if the window has not passed, only it is refused.
      let release = (): void => undefined
      this.probe = new Promise<void>(resolve => (release = resolve))
      return {
        sentAt: now,
        done: () => {
          this.probe = undefined
          release()
        }
      }
    }
  }

  /** A 429 answered the request sent at `sentAt`: every request of the run waits, or none goes again. */
  limited(retryAfter: string | undefined, sentAt: number, spentReason: (resetsAt: number | undefined) => string): RateLimitVerdict {
    return this.window.limited(retryAfter, sentAt, spentReason)
  }

  /** Anything but a 429 answered the request sent at `sentAt`: a wait it was sent after is over. */
  passed(sentAt: number): void {
    this.window.passed(sentAt)
  }
}

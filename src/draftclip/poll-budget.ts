import { whenAborted } from './clock.js'
import type { Clock } from '../model/ports.js'
import { DEFAULT_TIMINGS, quotaResets, type Timings } from './retry-policy.js'
import { RateWindow } from './rate-window.js'

interface Turn {
  deadline: number
  granted: (ok: boolean) => void
  done: boolean
  giveUp: AbortController
}

/**
 * The run's status requests share one budget: at most `perMinute` a minute,
 * spaced evenly, taken in turn by the videos that wait (first come, first
 * served), and all held while the server's Retry-After runs.
 */
export class PollBudget {
  private readonly spacingMs: number
  private last = -Infinity
  private heldUntil = -Infinity
  private readonly queue: Turn[] = []
  private pumping = false
  /** What the run knows of the status endpoint's 429s. */
  private readonly window: RateWindow

  constructor(
    readonly perMinute: number,
    private readonly clock: Clock,
    limits: Pick<Timings, 'maxDelayMs' | 'rateWindowMs'> = DEFAULT_TIMINGS
  ) {
    this.spacingMs = 60_000 / perMinute
    this.window = new RateWindow(clock, limits)
  }

  /** Why no status request may go any more this run (the status quota is spent), if so. */
  get spent(): string | undefined {
    return this.window.spent
  }

  /** Resolves true when a status request may be sent now; false when `deadline` (or `signal`) comes first, or the quota is spent. */
  take(deadline: number, signal?: AbortSignal): Promise<boolean> {
    if (this.window.spent !== undefined) return Promise.resolve(false)
    return new Promise(resolve => {
      const giveUp = new AbortController()
      const turn: Turn = { deadline, granted: resolve, done: false, giveUp }
      this.queue.push(turn)
      const stop = (): void => {
        giveUp.abort()
        if (turn.done) return
        turn.done = true
        resolve(false)
      }
      // Forgotten once the turn ends, whichever way: a listener left per poll would pile up on the run's signal.
      const forget = signal ? whenAborted(signal, stop) : undefined
      void this.clock
        .sleep(Math.max(0, deadline - this.clock.now()), giveUp.signal)
        .then(stop)
        .finally(forget)
      void this.pump()
    })
  }

  /** The server asked for a pause (Retry-After on a status answer): no poll of any video before `until`. */
  holdUntil(until: number): void {
    this.heldUntil = Math.max(this.heldUntil, until)
  }

  /**
   * A 429 answered the status request sent at `sentAt`: a rate window holds
   * every poll of the run once; a long ask, or another 429 after the wait,
   * means the status quota is spent and every waiting poll ends.
   */
  limited(retryAfter: string | undefined, sentAt: number, said: string): void {
    const verdict = this.window.limited(
      retryAfter,
      sentAt,
      resetsAt => `${said}: the account's status quota is spent (${quotaResets(resetsAt)}), so no further status request is sent this run`
    )
    if (verdict.kind === 'wait') {
      this.holdUntil(verdict.until)
      return
    }
    for (const turn of this.queue) turn.giveUp.abort()
  }

  /** Anything but a 429 answered the status request sent at `sentAt`: a rate window it was sent after is over. */
  passed(sentAt: number): void {
    this.window.passed(sentAt)
  }

  /** When the next request may go. */
  nextSlot(): number {
    return Math.max(this.last + this.spacingMs, this.heldUntil)
  }

  private async pump(): Promise<void> {
    if (this.pumping) return
    this.pumping = true
    try {
      while (this.queue.length > 0) {
        const turn = this.queue[0]
        if (turn.done) {
          this.queue.shift()
          continue
        }
        const wait = this.nextSlot() - this.clock.now()
        if (wait > 0) {
          await this.clock.sleep(Math.min(wait, Math.max(0, turn.deadline - this.clock.now()) + 1))
          continue
        }
        this.queue.shift()
        turn.done = true
        this.last = this.clock.now()
        turn.giveUp.abort()
        turn.granted(true)
      }
    } finally {
      this.pumping = false
    }
  }
}

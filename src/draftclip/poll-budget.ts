import { whenAborted } from './clock.js'
import type { Clock } from '../model/ports.js'

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

  constructor(
    readonly perMinute: number,
    private readonly clock: Clock
  ) {
    this.spacingMs = 60_000 / perMinute
  }

  /** Resolves true when a status request may be sent now; false when `deadline` (or `signal`) comes first. */
  take(deadline: number, signal?: AbortSignal): Promise<boolean> {
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

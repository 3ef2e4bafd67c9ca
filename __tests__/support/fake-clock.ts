import type { Clock } from '../../src/model/ports.js'

interface Timer {
  at: number
  seq: number
  fire: () => void
}

/** Lets every promise chain that can run, run (microtasks and the callbacks they queue). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>(resolve => setImmediate(resolve))
}

/**
 * A property's driver: runs fast-check's scheduled steps one at a time, in the order it chooses, and moves the fake
 * clock to its next timer only when no step is waiting, until `done()`. `realMs`: how long real I/O (a file's read or
 * write, which neither can see) may take in all before the work counts as stalled.
 */
export async function driveInterleaved(
  s: { count(): number; waitOne(): Promise<void> },
  clock: FakeClock,
  done: () => boolean,
  stalled: string,
  realMs = 0
): Promise<void> {
  for (let idle = 0; !done();) {
    await settle(10)
    if (done()) break
    if (s.count() > 0) {
      idle = 0
      await s.waitOne()
      continue
    }
    const at = clock.nextAt()
    if (at !== undefined) {
      idle = 0
      await clock.advanceTo(at)
      continue
    }
    if (++idle <= 20) continue
    if (idle > 20 + realMs) throw new Error(`stalled: ${stalled}`)
    await new Promise(resolve => setTimeout(resolve, 1))
  }
}

/**
 * A clock whose time moves only when a test says so, in whole milliseconds. sleep() registers a
 * timer; advance() fires the timers in time order (ties in the order they
 * were set), letting the code they wake run before the next one fires. A
 * sleep ends early when its signal aborts, as realClock's does.
 */
export class FakeClock implements Clock {
  time: number
  private timers: Timer[] = []
  private seq = 0

  constructor(start = 0) {
    this.time = start
  }

  now = (): number => this.time

  random = (): number => 0.5

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>(resolve => {
      if (signal?.aborted) return resolve()
      // Whole milliseconds, as Date.now() gives (a real timer never fires before its time).
      const timer: Timer = { at: this.time + Math.ceil(Math.max(0, ms)), seq: this.seq++, fire: () => undefined }
      const done = (): void => {
        this.timers = this.timers.filter(t => t !== timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      timer.fire = done
      signal?.addEventListener('abort', done, { once: true })
      this.timers.push(timer)
    })

  /** Runs `task` to its end, moving time to the next timer whenever nothing else can run (the bench's polling model). */
  async run<T>(task: Promise<T>): Promise<T> {
    let ended = false
    const result = task.finally(() => (ended = true))
    for (;;) {
      await settle()
      if (ended) return result
      const next = [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (!next) throw new Error('the clock stalled: nothing to wait for, and the task did not end')
      this.time = Math.max(this.time, next.at)
      next.fire()
    }
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.time + ms)
  }

  async advanceTo(end: number): Promise<void> {
    for (;;) {
      await settle()
      const due = this.timers.filter(t => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (!due) break
      this.time = Math.max(this.time, due.at)
      due.fire()
    }
    this.time = Math.max(this.time, end)
    await settle()
  }

  /** When the next timer fires, if one is set. */
  nextAt(): number | undefined {
    return this.timers.reduce<number | undefined>((at, t) => (at === undefined || t.at < at ? t.at : at), undefined)
  }

  /** Timers not fired yet. */
  pending(): number {
    return this.timers.length
  }
}

/**
 * Time that only moves when slept through: a wait (a rate limit, a backoff) costs nothing, and each is recorded.
 * `holdMs`: a sleep of exactly that long (the ledger's lazy write, which a test's steps all happen well within) is
 * held until its signal aborts or release() ends it, as that much real time would be.
 */
export function instantClock(options: { holdMs?: number } = {}): Clock & { slept: number[]; held: () => number; release: () => void } {
  let now = Date.parse('2026-12-03T12:00:00Z')
  const slept: number[] = []
  const holding = new Set<() => void>()
  return {
    slept,
    now: () => now,
    sleep: (ms, signal) => {
      slept.push(ms)
      if (ms !== options.holdMs || signal?.aborted) {
        now += ms
        return Promise.resolve()
      }
      return new Promise<void>(resolve => {
        const end = (): void => {
          holding.delete(end)
          signal?.removeEventListener('abort', end)
          resolve()
        }
        holding.add(end)
        signal?.addEventListener('abort', end, { once: true })
      })
    },
    random: () => 0.5,
    held: () => holding.size,
    release: () => {
      if (options.holdMs !== undefined && holding.size > 0) now += options.holdMs
      for (const end of [...holding]) end()
    }
  }
}

import { setTimeout as wait } from 'node:timers/promises'

/** Time and chance, injected so that tests run the real logic in milliseconds. */
export interface Clock {
  now: () => number
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  random: () => number
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    if (signal?.aborted) return
    await wait(ms, undefined, { signal }).catch(() => undefined)
  },
  random: () => Math.random()
}

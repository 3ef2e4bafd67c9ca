import type { Clock } from '../model/ports.js'

interface Waiters {
  callbacks: Set<() => void>
  fire: () => void
}

/** The callbacks waiting on each signal, behind the one listener that signal gets from here. */
const waiting = new WeakMap<AbortSignal, Waiters>()

/**
 * Calls `onAbort` once when `signal` aborts; the returned function forgets it.
 * Every waiting video shares the run's one signal: a listener per sleep (Node 20
 * warns past 10) would pile up. Here a signal gets one listener, removed as
 * soon as nothing waits on it.
 */
export function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
  let waiters = waiting.get(signal)
  if (!waiters) {
    const callbacks = new Set<() => void>()
    const fire = (): void => {
      waiting.delete(signal)
      for (const callback of callbacks) callback()
    }
    waiters = { callbacks, fire }
    waiting.set(signal, waiters)
    signal.addEventListener('abort', fire, { once: true })
  }
  const mine = waiters
  const { callbacks, fire } = mine
  callbacks.add(onAbort)
  return () => {
    if (!callbacks.delete(onAbort) || callbacks.size > 0 || waiting.get(signal) !== mine) return
    waiting.delete(signal)
    signal.removeEventListener('abort', fire)
  }
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>(resolve => {
      if (signal?.aborted) return resolve()
      const done = (): void => {
        clearTimeout(timer)
        forget?.()
        resolve()
      }
      const timer = setTimeout(done, ms)
      const forget = signal ? whenAborted(signal, done) : undefined
    }),
  random: () => Math.random()
}

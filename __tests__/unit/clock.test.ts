import { getEventListeners } from 'node:events'
import { describe, expect, it } from '@jest/globals'
import type { Attempt, DraftClip } from '../../src/model/ports.js'
import { realClock } from '../../src/draftclip/clock.js'
import { PollBudget } from '../../src/draftclip/poll-budget.js'
import { waitForVideo } from '../../src/draftclip/wait.js'

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length

const processing: Attempt = {
  kind: 'answer',
  httpStatus: 200,
  json: { success: true, data: { publish_id: 'p', status: 'PROCESSING' } },
  text: '',
  retryAfter: undefined,
  bodySent: true
}

describe('the run signal keeps one abort listener however many videos wait (Node 20 warned at 11)', () => {
  it('concurrent sleeps share one listener, and none is left once they end', async () => {
    const run = new AbortController()
    const sleeps = Array.from({ length: 25 }, () => realClock.sleep(5, run.signal))
    expect(listeners(run.signal)).toBeLessThanOrEqual(1)
    await Promise.all(sleeps)
    expect(listeners(run.signal)).toBe(0)
  })

  it('an abort still ends every sleep at once', async () => {
    const run = new AbortController()
    const started = Date.now()
    const sleeps = Array.from({ length: 12 }, () => realClock.sleep(60_000, run.signal))
    run.abort()
    await Promise.all(sleeps)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(listeners(run.signal)).toBe(0)
  })

  it('twelve videos waiting through many polls on the real clock and budget leave no listener behind', async () => {
    const run = new AbortController()
    const client: DraftClip = {
      upload: () => Promise.reject(new Error('unused')),
      status: async () => processing,
      close: async () => undefined
    }
    const budget = new PollBudget(600_000, realClock)
    let most = 0
    const probe = setInterval(() => (most = Math.max(most, listeners(run.signal))), 1)
    const waits = Array.from({ length: 12 }, (_, i) =>
      waitForVideo(`p${i}`, {
        client,
        clock: realClock,
        budget,
        deadline: Date.now() + 300,
        intervalMs: 5,
        maxIntervalMs: 5,
        privacyLevel: 'PUBLIC_TO_EVERYONE',
        requestMs: 1000,
        log: () => undefined,
        onStatus: async () => undefined,
        stopped: () => undefined,
        signal: run.signal
      })
    )
    const outcomes = await Promise.all(waits)
    clearInterval(probe)
    expect(outcomes.every(o => o.kind === 'timeout')).toBe(true)
    expect(most).toBeLessThanOrEqual(2)
    expect(listeners(run.signal)).toBe(0)
  })
})

import { expect, it } from '@jest/globals'
import fc from 'fast-check'
import { RateGate } from '../../src/draftclip/rate-gate.js'
import type { RateLimitVerdict } from '../../src/draftclip/retry-policy.js'
import { driveInterleaved, FakeClock } from '../support/fake-clock.js'

/**
 * The uploads' shared 429 gate (src/draftclip/rate-gate.ts) as a property: two to six uploads at once, each
 * answered in an order fast-check chooses, after a latency on the fake clock, with 429s scripted (no hint, a short
 * Retry-After, one past the ceiling). The uploads use the gate as send.ts's sendOnce does. What the README promises
 * of a 429 must hold in every interleaving:
 * - once a wait is decided, no request starts before its end;
 * - after the wait, one request goes alone: no other starts before its answer;
 * - a 429 to a request sent after a wait ended means the quota is spent;
 * - once the quota is spent, no request starts;
 * - every upload ends (nothing waits for ever).
 * DRAFTCLIP_PROPERTY_SEED replays a case (its seed is printed on failure).
 */

const seed = process.env.DRAFTCLIP_PROPERTY_SEED ? Number(process.env.DRAFTCLIP_PROPERTY_SEED) : Date.now() ^ (Math.random() * 2 ** 31)
const TIMINGS = { maxDelayMs: 120_000, rateWindowMs: 60_000 }
const RETRIES = 3

interface Answer {
  latencyMs: number
  /** undefined: taken; otherwise a 429 with this Retry-After ('' for none). */
  retryAfter: string | undefined
}

const answer: fc.Arbitrary<Answer> = fc.record({
  latencyMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 90_000 })),
  retryAfter: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constantFrom('', '1', '30', '120', '121', '3600') }
  )
})

type Event =
  | { kind: 'start'; upload: number; at: number }
  | { kind: 'answer'; upload: number; at: number; sentAt: number; verdict?: RateLimitVerdict; asked?: number }

async function runUploads(uploads: number, answers: Answer[], s: fc.Scheduler): Promise<{ events: Event[]; ended: number }> {
  const clock = new FakeClock(Date.parse('2026-12-07T12:00:00Z'))
  const gate = new RateGate(clock, TIMINGS)
  const events: Event[] = []
  let next = 0
  let ended = 0
  const upload = async (id: number): Promise<void> => {
    for (let attempt = 1; attempt <= RETRIES + 1; attempt++) {
      const pass = await gate.enter()
      if ('spent' in pass) return
      events.push({ kind: 'start', upload: id, at: clock.now() })
      const said = answers[next++ % answers.length]
      if (said.latencyMs > 0) await clock.sleep(said.latencyMs)
      await s.schedule(Promise.resolve(), `upload ${id} answered ${said.retryAfter === undefined ? 'taken' : `429 '${said.retryAfter}'`}`)
      try {
        if (said.retryAfter === undefined) {
          gate.passed(pass.sentAt)
          events.push({ kind: 'answer', upload: id, at: clock.now(), sentAt: pass.sentAt })
          return
        }
        const verdict = gate.limited(said.retryAfter || undefined, pass.sentAt, () => 'spent')
        const asked = said.retryAfter === '' ? undefined : Number(said.retryAfter)
        events.push({ kind: 'answer', upload: id, at: clock.now(), sentAt: pass.sentAt, verdict, asked })
        if (verdict.kind === 'spent') return
      } finally {
        pass.done()
      }
    }
  }
  let done = false
  const all = Promise.all(Array.from({ length: uploads }, (_, i) => upload(i).finally(() => ended++))).finally(() => (done = true))
  await driveInterleaved(s, clock, () => done, 'an upload waits on the gate, and nothing is left to answer or to wait for')
  await all
  return { events, ended }
}

/** Every promise of the gate the events break, in words. */
export function gateViolations(events: Event[]): string[] {
  const found: string[] = []
  events.forEach((e, i) => {
    if (e.kind !== 'answer' || !e.verdict) return
    const later = events.slice(i + 1)
    if (e.verdict.kind === 'spent') {
      const start = later.find(l => l.kind === 'start')
      if (start) found.push(`upload ${start.upload} started at ${start.at} after the quota was spent`)
      return
    }
    const until = e.verdict.until
    const early = later.find(l => l.kind === 'start' && l.at < until)
    if (early) found.push(`upload ${early.upload} started at ${early.at}, before the wait decided at ${e.at} ended (${until})`)
    // The first request after the wait goes alone until its answer.
    const probeAt = later.findIndex(l => l.kind === 'start')
    if (probeAt < 0) return
    const probe = later[probeAt] as Event & { kind: 'start' }
    const rest = later.slice(probeAt + 1)
    const answeredAt = rest.findIndex(l => l.kind === 'answer' && l.upload === probe.upload)
    const alongside = rest.slice(0, answeredAt < 0 ? undefined : answeredAt).find(l => l.kind === 'start')
    if (alongside) found.push(`upload ${alongside.upload} started beside upload ${probe.upload}, the first request after a wait`)
  })
  // The rule itself, as the README states it, followed along the answers: a wait holds until its end (a later 429
  // from a request sent earlier may move that end on); an answer to a request sent after the end clears it. A 429
  // to a request sent at or after the end, or one asking longer than 2 minutes, means the quota is spent.
  let hold: number | undefined
  for (const e of events) {
    if (e.kind !== 'answer') continue
    if (!e.verdict) {
      if (hold !== undefined && e.sentAt >= hold) hold = undefined
      continue
    }
    const mustSpend = (hold !== undefined && e.sentAt >= hold) || (e.asked !== undefined && e.asked > 120)
    if (mustSpend && e.verdict.kind !== 'spent')
      found.push(
        `upload ${e.upload}'s 429 (sent at ${e.sentAt}, the wait ended at ${hold}, asked ${e.asked ?? 'nothing'}) was judged another wait`
      )
    if (!mustSpend && e.verdict.kind === 'spent') found.push(`upload ${e.upload}'s 429 inside a wait was judged a spent quota`)
    if (e.verdict.kind === 'wait') hold = Math.max(hold ?? -Infinity, e.verdict.until)
  }
  return found
}

it('the 429 gate: no request before a wait ends, one alone after it, none once the quota is spent, and every upload ends', async () => {
  let cases = 0
  const result = await fc.check(
    fc.asyncProperty(
      fc.integer({ min: 2, max: 6 }),
      fc.array(answer, { minLength: 1, maxLength: 24 }),
      fc.scheduler(),
      async (uploads, answers, s) => {
        cases++
        const { events, ended } = await runUploads(uploads, answers, s)
        const found = gateViolations(events)
        if (ended !== uploads) found.push(`${uploads - ended} of ${uploads} uploads never ended`)
        if (found.length > 0) throw new Error(found.join('\n'))
      }
    ),
    { seed, numRuns: Number(process.env.DRAFTCLIP_PROPERTY_RUNS ?? 2000), interruptAfterTimeLimit: 10_000, markInterruptAsFailure: false }
  )
  console.log(`429 gate property: ${cases} cases, seed ${seed} (DRAFTCLIP_PROPERTY_SEED to replay)`)
  if (result.failed)
    throw new Error(`${fc.defaultReportMessage(result)}\n\nBroken:\n${(result.errorInstance as Error | undefined)?.message}`)
  expect(cases).toBeGreaterThan(0)
}, 60_000)

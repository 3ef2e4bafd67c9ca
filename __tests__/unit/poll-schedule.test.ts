import { describe, it, expect } from '@jest/globals'
import { GROWTH, nextGap, type PollPace } from '../../src/draftclip/poll-schedule.js'

const pace: PollPace = { firstMs: 5_000, ceilingMs: 20_000 }

/** The gaps of a wait whose status never changes after the first answer. */
function gaps(p: PollPace, n: number): number[] {
  const out: number[] = []
  let gap: number | undefined
  for (let i = 0; i < n; i++) {
    // The first answer is a change (nothing was seen before); the rest are the same status.
    gap = nextGap(p, gap, i === 1)
    out.push(gap)
  }
  return out
}

describe('nextGap', () => {
  it('starts at poll-interval, doubles while the status stays, and stops at the ceiling', () => {
    expect(GROWTH).toBe(2)
    expect(gaps(pace, 7)).toEqual([5_000, 5_000, 10_000, 20_000, 20_000, 20_000, 20_000])
    expect(gaps({ firstMs: 5_000, ceilingMs: 60_000 }, 7)).toEqual([5_000, 5_000, 10_000, 20_000, 40_000, 60_000, 60_000])
  })

  it('a changed status is asked about again after the shortest gap, then the gaps grow again', () => {
    expect(nextGap(pace, 20_000, true)).toBe(5_000)
    expect(nextGap(pace, 5_000, false)).toBe(10_000)
  })

  it('a failed request (no status, so no change) does not reset the pace', () => {
    expect(nextGap(pace, 10_000, false)).toBe(20_000)
  })

  it('a ceiling below poll-interval is lifted to it: poll-interval is the shortest gap, and the pace is fixed', () => {
    const fixed = { firstMs: 10_000, ceilingMs: 2_000 }
    expect(gaps(fixed, 5)).toEqual([10_000, 10_000, 10_000, 10_000, 10_000])
  })

  it('a ceiling equal to poll-interval keeps the old fixed pace', () => {
    expect(gaps({ firstMs: 5_000, ceilingMs: 5_000 }, 4)).toEqual([5_000, 5_000, 5_000, 5_000])
  })

  it('whole milliseconds, for a short poll-interval too', () => {
    expect(gaps({ firstMs: 100, ceilingMs: 1_000 }, 7)).toEqual([100, 100, 200, 400, 800, 1_000, 1_000])
    expect(gaps({ firstMs: 3, ceilingMs: 20 }, 4)).toEqual([3, 3, 6, 12])
  })
})

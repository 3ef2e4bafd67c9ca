/**
 * When to ask about a video again. Every status request is one of the
 * DraftClip plan's requests (the free plan has 1,000 a month), and TikTok
 * takes from seconds to many minutes: so the first gap is the shortest, each
 * gap while nothing changes is GROWTH times the one before, up to a ceiling,
 * and a status that changed is asked about again after the shortest gap (the
 * next one, a post ID after PUBLISH_COMPLETE, often follows soon).
 *
 * Tuned by `npm run bench` (the polling model): doubling up to 20 s keeps the
 * delay to knowing under 10 s (median) and 30 s (95th percentile) at under a
 * third of the doc's every-5-s requests. A 60 s ceiling misses the 95th
 * percentile (a video done just after a poll waits up to a whole gap), and at
 * 25-30 s the median hovers at 10-12 s.
 */

export const GROWTH = 2

export interface PollPace {
  /** The first and shortest gap (poll-interval). */
  firstMs: number
  /** The longest gap (max-poll-interval); never below firstMs. */
  ceilingMs: number
}

/**
 * The gap before the next status request. `previousMs`: the gap before the
 * request just made (undefined before the first); `changed`: that request
 * saw a status unlike the last one seen. A failed request changes nothing:
 * the pace goes on growing, which is also gentler on a server in trouble.
 */
export function nextGap(pace: PollPace, previousMs: number | undefined, changed: boolean): number {
  if (previousMs === undefined || changed) return pace.firstMs
  return Math.round(Math.min(Math.max(pace.ceilingMs, pace.firstMs), Math.max(pace.firstMs, previousMs * GROWTH)))
}

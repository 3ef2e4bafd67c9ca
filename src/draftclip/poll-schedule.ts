/**
 * When to ask about a video again. Every status request is one of the
 * DraftClip plan's requests (the free plan has 1,000 a month), and TikTok
 * takes from seconds to many minutes: so the first gap is the shortest, each
 * gap while nothing changes is GROWTH times the one before, up to a ceiling,
 * and a status that changed is asked about again after the shortest gap (the
 * next one, a post ID after PUBLISH_COMPLETE, often follows soon).
 *
 * Tuned by `npm run bench` (the polling model): 1.5 and a 30 s ceiling keep
 * the wait's delay under 10 s (median) and 30 s (95th percentile) at about a
 * third of the doc's every-5-s requests; a 60 s ceiling missed the 30 s.
 */

export const GROWTH = 1.5

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

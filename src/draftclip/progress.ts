import { formatSize } from '../sizes.js'

/** Uploads smaller than this finish too fast for progress lines to help. */
export const PROGRESS_MIN_BYTES = 50 * 1024 * 1024
const STEP_FRACTION = 0.1
const STEP_MS = 5_000

interface ProgressMark {
  bytes: number
  at: number
}

/**
 * Whether to log a progress line: about every 10 % or every 5 s, whichever is
 * rarer, so a fast upload logs at most ten lines and a slow one one per 10 %.
 */
export function shouldReport(total: number, last: ProgressMark, sent: number, now: number): boolean {
  if (total < PROGRESS_MIN_BYTES || sent >= total) return false
  return sent - last.bytes >= total * STEP_FRACTION && now - last.at >= STEP_MS
}

export function progressLine(total: number, start: ProgressMark, sent: number, now: number): string {
  const percent = Math.floor((sent / total) * 100)
  const seconds = Math.max((now - start.at) / 1000, 0.001)
  const rate = (sent - start.bytes) / seconds
  return `${percent}% (${formatSize(sent)} of ${formatSize(total)}) at ${formatSize(rate)}/s`
}

/** Tracks one upload and returns a line when one is due. */
export function progressTracker(total: number, now: () => number): (sent: number) => string | undefined {
  const start = { bytes: 0, at: now() }
  let last = start
  return sent => {
    const at = now()
    if (!shouldReport(total, last, sent, at)) return undefined
    last = { bytes: sent, at }
    return progressLine(total, start, sent, at)
  }
}

/** DraftClip's limit, "500MB", in PHP's units (upload_max_filesize=500M). */
export const MAX_VIDEO_BYTES = 500 * 1024 * 1024

const UNITS = ['KB', 'MB', 'GB', 'TB']

/**
 * A size as a person reads it in the log and the summary: bytes below 1 KB,
 * then KB, MB, GB with one decimal (powers of 1024, as PHP counts its 500M).
 */
export function formatSize(bytes: number): string {
  if (Math.round(bytes) < 1024) return `${Math.round(bytes)} byte${Math.round(bytes) === 1 ? '' : 's'}`
  let value = bytes / 1024
  let unit = 0
  // 1023.96 KB would print as "1024.0 KB": move up once the rounded figure reaches 1024.
  while (Number(value.toFixed(1)) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`
}

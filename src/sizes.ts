/** DraftClip's limit, "500MB", in PHP's units (upload_max_filesize=500M). */
export const MAX_VIDEO_BYTES = 500 * 1024 * 1024

/** Sizes as the log and the summary show them: megabytes (MiB), two decimals below one. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024)
  return `${mb.toFixed(mb < 1 ? 2 : 1)} MB`
}

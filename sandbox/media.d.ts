/** What the sandbox's TikTok check read: the measured values, or `format` when the file is not a video TikTok takes. */
export type MediaReading = { format: string } | { format?: undefined; duration: number; fps: number; width: number; height: number }

export class MediaSniffer {
  constructor(filename: string, options?: { maxDuration?: number })
  /** The upload's next bytes, in order. */
  write(chunk: Buffer | Uint8Array): void
  reading(): MediaReading
  /** TikTok's fail_reason for it, or null when it passes. */
  failReason(): string | null
}

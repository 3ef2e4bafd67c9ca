import type { Reading } from './media.js'

/**
 * TikTok's media rules (Content Posting API, media transfer guide), judged on
 * what media.ts read. TikTok checks these only after the upload and the wait,
 * and each refusal costs a post of the day and an upload of the month.
 */
export const TIKTOK = {
  minFps: 23,
  maxFps: 60,
  minSide: 360,
  maxSide: 4096,
  codecs: ['h264', 'hevc', 'vp8', 'vp9']
} as const

const CODEC_NAMES: Record<string, string> = {
  mpeg4: 'MPEG-4 Part 2',
  prores: 'ProRes',
  mjpeg: 'Motion JPEG',
  av1: 'AV1',
  h263: 'H.263'
}

interface MediaFinding {
  /** What is wrong, for the user: the rule and the measured value. */
  problem: string
  /** TikTok's fail_reason for it. */
  failReason: string
}

/** What breaks TikTok's rules (refused under media-check: error), and what is only a warning (AVI). */
interface MediaJudgement {
  problems: MediaFinding[]
  warnings: MediaFinding[]
}

/** The rules, applied to one reading. Values are compared as shown (fps to two decimals, seconds to milliseconds), rounded once by media.ts. */
export function judgeMedia(reading: Reading, maxDuration: number): MediaJudgement {
  const problems: MediaFinding[] = []
  const warnings: MediaFinding[] = []
  if (reading.container === 'avi') {
    warnings.push({
      problem:
        "AVI is a container DraftClip takes but TikTok's docs do not list (MP4, MOV, WebM): TikTok may refuse it; MP4 is the safe choice",
      failReason: 'file_format_check_failed'
    })
  }
  if (reading.kind === 'unreadable') {
    problems.push({ problem: `it is incomplete or damaged: ${reading.why}`, failReason: 'file_format_check_failed' })
    return { problems, warnings }
  }
  if (reading.kind === 'no-video') {
    problems.push({
      problem: `it has no video track${reading.audio ? ' (audio only)' : ''}: TikTok takes only videos`,
      failReason: 'file_format_check_failed'
    })
    return { problems, warnings }
  }
  const { media } = reading
  if (!(TIKTOK.codecs as readonly string[]).includes(media.codec)) {
    const name = CODEC_NAMES[media.codec] ? `${media.codec} (${CODEC_NAMES[media.codec]})` : media.codec
    problems.push({
      problem: `its video codec is ${name}: TikTok takes H.264, H.265/HEVC, VP8 or VP9`,
      failReason: 'file_format_check_failed'
    })
  }
  if (media.duration > maxDuration) {
    problems.push({
      problem: `it lasts ${clock(media.duration)} (${media.duration} s), over max-duration ${maxDuration} s`,
      failReason: 'duration_check_failed'
    })
  }
  // Already rounded once, to two decimals, by media.ts: rounding again would move 60.0045 to 60.01.
  const { fps } = media
  if (fps < TIKTOK.minFps || fps > TIKTOK.maxFps) {
    problems.push({
      problem: `its frame rate is ${fps} fps: TikTok takes ${TIKTOK.minFps} to ${TIKTOK.maxFps} fps`,
      failReason: 'frame_rate_check_failed'
    })
  }
  const outside = (side: number): boolean => side < TIKTOK.minSide || side > TIKTOK.maxSide
  if (outside(media.width) || outside(media.height)) {
    problems.push({
      problem: `its picture is ${media.width}x${media.height} px: TikTok takes a width and a height each from ${TIKTOK.minSide} to ${TIKTOK.maxSide} px`,
      failReason: 'picture_size_check_failed'
    })
  }
  return { problems, warnings }
}

/** 720.5 -> "12:00" (whole seconds, as a player shows it). */
export function clock(seconds: number): string {
  const whole = Math.floor(seconds)
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`
}

/** A text file that Git LFS left in place of the video (a checkout without `lfs: true`). */
export function isLfsPointer(head: Buffer): boolean {
  return head.toString('latin1', 0, LFS_POINTER.length) === LFS_POINTER
}

const LFS_POINTER = 'version https://git-lfs.github.com/spec/v1'

export const LFS_PROBLEM =
  'it is a Git LFS pointer, not the video: check the repository out with `lfs: true` (actions/checkout) so the video itself is there'

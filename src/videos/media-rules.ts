import type { Media } from '../model/video.js'
import { formatSize } from '../sizes.js'
import { ffmpegFix, remuxFix } from './media-fixes.js'
import type { Reading } from './media-reading.js'

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

export interface MediaFinding {
  /** What is wrong, for the user: the rule and the measured value. */
  problem: string
  /** TikTok's fail_reason for it; none where the file could not be judged (TikTok may take it). */
  failReason?: string
  /** How to fix it: one ffmpeg command where there is one. */
  fix?: string
}

/** What breaks TikTok's rules (refused under media-check: error), and what is only a warning (AVI). */
interface MediaJudgement {
  problems: MediaFinding[]
  warnings: MediaFinding[]
}

/** A finding as one sentence: the problem, then its fix. */
export function findingText(finding: MediaFinding): string {
  return finding.fix ? `${finding.problem}; to fix it: ${finding.fix}` : finding.problem
}

/**
 * A broken rule under `media-check: warn`: uploaded anyway (in a dry run, would
 * be), what TikTok will likely say, then the fix.
 */
export function anywayText(finding: MediaFinding, dryRun: boolean): string {
  const verdict = finding.failReason ? `, and TikTok will likely refuse it (${finding.failReason})` : ''
  const fix = finding.fix ? `; to fix it: ${finding.fix}` : ''
  return `${finding.problem}; it ${dryRun ? 'would be' : 'is'} uploaded anyway (media-check: warn)${verdict}${fix}`
}

const AGAIN = 'download or render it again'
const REENCODE = '-c:v libx264 -crf 20 -pix_fmt yuv420p'

/**
 * The rules, applied to one reading. Values are compared as shown (fps to two decimals, seconds to
 * milliseconds), rounded once by media.ts. `file` is the video's path as the message shows it: each
 * fix is a command for that file.
 */
export function judgeMedia(reading: Reading, maxDuration: number, file: string): MediaJudgement {
  const problems: MediaFinding[] = []
  const warnings: MediaFinding[] = []
  if (reading.container === 'avi') {
    warnings.push({
      problem:
        "AVI is a container DraftClip takes but TikTok's docs do not list (MP4, MOV, WebM): TikTok may refuse it; MP4 is the safe choice",
      failReason: 'file_format_check_failed',
      fix: ffmpegFix(file, keep => keep.all)
    })
  }
  if (reading.kind === 'unreadable') {
    problems.push({ problem: `it is incomplete or damaged: ${reading.why}`, failReason: 'file_format_check_failed', fix: AGAIN })
    return { problems, warnings }
  }
  if (reading.kind === 'unjudged') {
    problems.push({ problem: `it could not be judged: ${reading.why}`, fix: remuxFix(file) })
    return { problems, warnings }
  }
  if (reading.kind === 'no-video') {
    problems.push({
      problem: `it has no video track${reading.audio ? ' (audio only)' : ''}: TikTok takes only videos`,
      failReason: 'file_format_check_failed'
    })
    return { problems, warnings }
  }
  if (reading.missingBytes !== undefined) problems.push(cutProblem(reading.container, reading.missingBytes, reading.fileBytes ?? 0))
  problems.push(...ruleProblems(reading.media, maxDuration, file))
  return { problems, warnings }
}

/**
 * TikTok's largest upload (media transfer guide: 4 GB). Tables that put a video's end past it do not tell
 * of a cut download but of a size field that lies (a 64-bit box size of 2^64 read as 16,777,216 TB missing).
 */
export const MAX_TIKTOK_BYTES = 4 * 1024 ** 3

/** A file that ends before its data: cut off by so much, or, past any size a video could have, damaged. */
function cutProblem(container: Reading['container'], missing: number, size: number): MediaFinding {
  const problem =
    size + missing > MAX_TIKTOK_BYTES
      ? `it is incomplete or damaged: its ${container === 'avi' ? 'chunks' : 'boxes'} claim more data than the file holds (the file is ${formatSize(size)})`
      : `cut off: ${formatSize(missing)} of its video data are missing`
  return { problem, failReason: 'file_format_check_failed', fix: AGAIN }
}

/** TikTok's rules on what was read: codec, duration, frame rate, picture size, each with its fix. */
function ruleProblems(media: Media, maxDuration: number, file: string): MediaFinding[] {
  const problems: MediaFinding[] = []
  if (!(TIKTOK.codecs as readonly string[]).includes(media.codec)) {
    const name = CODEC_NAMES[media.codec] ? `${media.codec} (${CODEC_NAMES[media.codec]})` : media.codec
    problems.push({
      problem: `its video codec is ${name}: TikTok takes H.264, H.265/HEVC, VP8 or VP9`,
      failReason: 'file_format_check_failed',
      fix: ffmpegFix(file, () => `${REENCODE} -c:a aac`)
    })
  }
  if (media.duration > maxDuration) {
    problems.push({
      problem: `it lasts ${media.duration} s, over max-duration ${maxDuration} s`,
      failReason: 'duration_check_failed',
      // Re-encoded: a stream copy cut with -t ends at a packet, not at the second (a 600 s cut of an H.264 file came out 602 s).
      fix: ffmpegFix(file, () => `-t ${maxDuration} ${REENCODE} -c:a aac`)
    })
  }
  // Already rounded once, to two decimals, by media.ts: rounding again would move 60.0045 to 60.01.
  const { fps } = media
  if (fps < TIKTOK.minFps || fps > TIKTOK.maxFps) {
    problems.push({
      problem: `its frame rate is ${fps} fps: TikTok takes ${TIKTOK.minFps} to ${TIKTOK.maxFps} fps`,
      failReason: 'frame_rate_check_failed',
      fix: ffmpegFix(file, keep => `-vf fps=${fps < TIKTOK.minFps ? 30 : TIKTOK.maxFps} ${REENCODE} ${keep.audio}`)
    })
  }
  const outside = (side: number): boolean => side < TIKTOK.minSide || side > TIKTOK.maxSide
  if (outside(media.width) || outside(media.height)) {
    problems.push({
      problem: `its picture is ${media.width}x${media.height} px: TikTok takes a width and a height each from ${TIKTOK.minSide} to ${TIKTOK.maxSide} px`,
      failReason: 'picture_size_check_failed',
      fix: ffmpegFix(file, keep => `-vf ${scaleFilter(media.width, media.height)} ${REENCODE} ${keep.audio}`)
    })
  }
  return problems
}

/** The scale filter that brings a picture's short side up to 360 px, or its long side down to 4096 px (the other side follows, even). */
export function scaleFilter(width: number, height: number): string {
  const wide = width >= height
  if (Math.min(width, height) < TIKTOK.minSide) return wide ? `scale=-2:${TIKTOK.minSide}` : `scale=${TIKTOK.minSide}:-2`
  return wide ? `scale=${TIKTOK.maxSide}:-2` : `scale=-2:${TIKTOK.maxSide}`
}

/** A text file that Git LFS left in place of the video (a checkout without `lfs: true`). */
export function isLfsPointer(head: Buffer): boolean {
  return head.toString('latin1', 0, LFS_POINTER.length) === LFS_POINTER
}

const LFS_POINTER = 'version https://git-lfs.github.com/spec/v1'

export const LFS_PROBLEM =
  'it is a Git LFS pointer, not the video: check the repository out with `lfs: true` (actions/checkout) so the video itself is there'

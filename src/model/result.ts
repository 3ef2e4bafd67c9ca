/** What the run learned of each video, as the outputs show it, and the rules read off it: pure, no I/O. */

import { meaningOf, Status } from './status.js'
import type { Media } from './video.js'

/** One video's outcome, as the `results` output shows it. */
export interface VideoResult {
  file: string
  size: number
  publish_id: string | null
  status: Status
  post_id: string | null
  error: string | null
  fail_reason: string | null
  description: string
  privacy_level: string
  sha256: string | null
  /** When the video may be published (its sidecar's publish_at), ISO 8601 in UTC. */
  publish_at: string | null
  /** What its container says (duration, display size, fps, codec, audio); null when it was not read (media-check: off). initialResult always sets it. */
  media?: Media | null
  /** What the checks warned about it (media-check: warn, an AVI): empty when nothing. initialResult always sets it. */
  warnings?: string[]
}

/**
 * Whether a status's error is reported as an annotation on the video's file
 * (report.ts). Said once: the video's log keeps it as a plain line, and the
 * step's failure names the file and status only.
 */
export const isAnnotated = (status: string): boolean => meaningOf(status).annotated

/** Whether a video's error only repeats why the run stopped (then the stop reason alone says it). */
export function saidByStop(error: string | null, stopReason: string | undefined): boolean {
  return error !== null && stopReason !== undefined && (stopReason.includes(error) || error.includes(stopReason))
}

/** The reason the step fails, or undefined when every video ended well (a wait timeout is not a failure; a dry run plans only). */
export function stepFailure(results: VideoResult[], stopReason: string | undefined, dryRun = false): string | undefined {
  if (dryRun) return stopReason
  const failed = results.filter(r => meaningOf(r.status).failsStep)
  if (failed.length === 0 && !stopReason) return undefined
  const lines = failed.map(r => {
    const said = !r.error || isAnnotated(r.status) || saidByStop(r.error, stopReason)
    return `${r.file}: ${r.status}${said ? '' : ` - ${r.error}`}`
  })
  const head = stopReason ?? `${failed.length} of ${results.length} video${results.length === 1 ? '' : 's'} did not publish`
  return [head, ...lines.map(l => `  - ${l}`)].join('\n')
}

/**
 * A post's link, built here and nowhere else (summary, release notes, outputs,
 * deployments): null without a post ID. With the account's handle, TikTok's one
 * documented form; without it, /share/video/<id>, which TikTok redirects to that
 * form (README, "Outputs", says why not `@/video/`).
 */
export function postUrl(postId: string | null, username?: string): string | null {
  if (!postId) return null
  const id = encodeURIComponent(postId)
  return username ? `https://www.tiktok.com/@${username}/video/${id}` : `https://www.tiktok.com/share/video/${id}`
}

/** A result as the `results` output shows it: its post's link beside its post ID. */
export function withPostUrl(r: VideoResult, username?: string): VideoResult & { post_url: string | null } {
  const { file, size, publish_id, status, post_id, ...rest } = r
  return { file, size, publish_id, status, post_id, post_url: postUrl(post_id, username), ...rest }
}

/** The earliest publish_at still to come, among the videos left SCHEDULED. */
export function nextPublishAt(results: { status: string; publish_at: string | null }[]): string | undefined {
  const times = results.filter(r => r.status === Status.Scheduled && r.publish_at).map(r => r.publish_at!)
  return times.sort((a, b) => Date.parse(a) - Date.parse(b))[0]
}

/**
 * What a run ends with, for the outputs, the annotations and the summary: the
 * results, why the run stopped early, notes, and the problem that failed it
 * before any video was sent.
 */
export interface RunOutcome {
  dryRun: boolean
  results: VideoResult[]
  /** Why the run stopped early (a refused key, a cancelled job...). */
  stopReason?: string
  /** Why the step failed before any video was looked at (bad inputs, a bad file, a corrupt ledger). */
  problem?: string
  /** The files the problem is about, each with its own words (an annotation on the file). */
  fileProblems?: { file: string; problem: string }[]
  /** Warnings about the run that did not fail it. */
  notes: string[]
  /** The words the step fails with, if it fails. */
  failure?: string
  /** DraftClip requests sent: the `requests` output. */
  requests: { upload: number; status: number }
  /** The account's handle (tiktok-username), for the post links. */
  username?: string
}

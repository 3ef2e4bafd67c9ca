/** A video as the checks found it, and the run it is published from: plain data, no I/O. */

/**
 * What a video's container says about it, read from box headers and the
 * metadata only: an ISO-BMFF walk (MP4, MOV) seeks past `mdat`, wherever the
 * `moov` is; an AVI's `hdrl` list is in its first few KB. The rules that judge
 * it are in media-rules.ts.
 */

/** The `media` of a result: what TikTok judges. */
export interface Media {
  /** Seconds. */
  duration: number
  /** Display width and height, in px, after the track's rotation. */
  width: number
  height: number
  /** Average frames per second. */
  fps: number
  /** Short name of the video codec: h264, hevc, vp8, vp9, av1, mpeg4, prores, mjpeg, or the sample entry's own name. */
  codec: string
  audio: boolean
}

/** One line for the log and the summary: "2 s, 360x640 px, 30 fps, h264". */
export function mediaText(media: Media): string {
  return `${media.duration} s, ${media.width}x${media.height} px, ${media.fps} fps, ${media.codec}${media.audio ? '' : ', no audio'}`
}

export const PRIVACY_LEVELS = ['SELF_ONLY', 'MUTUAL_FOLLOW_FRIENDS', 'PUBLIC_TO_EVERYONE'] as const

export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number]

/** Which file a path was when it was checked, and when that file was last written. */
export interface FileStamp {
  ino: number
  mtimeMs: number
}

/** Placeholders from the workflow run (see github/run-context.ts). */
export type RunVars = Partial<Record<(typeof RUN_PLACEHOLDERS)[number], string>>

export const RUN_PLACEHOLDERS = ['repo', 'sha', 'ref', 'tag', 'run_url'] as const

export interface Video {
  /** 1-based position in the sorted list. */
  index: number
  /** Absolute path. */
  path: string
  /** Path relative to the workspace, with forward slashes: what outputs and logs show. */
  file: string
  name: string
  size: number
  contentType: string
  description: string
  privacyLevel: PrivacyLevel
  title: string | undefined
  /** The sidecar that set this video's settings, relative to the workspace. */
  sidecar: string | undefined
  /** Its sidecar's publish_at: not published before this instant (milliseconds since the epoch). */
  publishAt: number | undefined
  /** The file as the check saw it: its upload stops if it is another file or was modified since. */
  stamp?: FileStamp
  /** What its container says (media-check), or null when it was not read. */
  media?: Media | null
  /** What the checks warned about it (a broken rule under media-check: warn, an AVI). */
  warnings?: string[]
}

/** The workflow run's placeholders, loaded only when a caption uses one; `event` names the trigger for messages. */
export interface RunInfo {
  vars: RunVars
  event: string
}

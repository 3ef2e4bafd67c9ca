/**
 * The ffmpeg commands that fix a video, copy-paste ready for its own file:
 * the input is the path the message names, the output a name beside it. A
 * file name is untrusted text, so each is one bash word that runs nothing
 * when pasted, whatever the name holds.
 */

/** Names bash and ffmpeg both take as they are. */
const PLAIN = /^[A-Za-z0-9_./-]+$/
/**
 * What the log, the annotations and the summary show as something else (printable() in github/log.ts:
 * controls, line and paragraph separators, bidi overrides and isolates): such a name is spelt in escapes,
 * so the command still names the file after the log has made them visible. A tab too (a pasted tab completes).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const SHOWN_OTHERWISE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

/**
 * A path as one bash word that ffmpeg reads as a file: bare when plain, else in single quotes (a quote
 * as '\''), or $'…' with escapes where the log would show a character otherwise. A relative name that
 * starts with '-' (an option to ffmpeg) or whose first part holds ':' (a protocol: 'pipe:1.mp4') gets './'.
 */
export function shellWord(file: string): string {
  const name = file.startsWith('-') || /^[^/]*:/.test(file) ? `./${file}` : file
  if (PLAIN.test(name)) return name
  if (!SHOWN_OTHERWISE.test(name)) return `'${name.replaceAll("'", `'\\''`)}'`
  let escaped = ''
  for (const c of name) {
    if (c === '\\' || c === "'") escaped += `\\${c}`
    else if (SHOWN_OTHERWISE.test(c)) for (const byte of Buffer.from(c, 'utf8')) escaped += `\\x${byte.toString(16).padStart(2, '0')}`
    else escaped += c
  }
  return `$'${escaped}'`
}

/**
 * Where a fix writes: beside the video, never over it ('videos/clip.mp4' -> 'videos/clip.tiktok.mp4').
 * A MOV stays a MOV (a stream copy keeps what MP4 may not hold, such as PCM sound); the rest become MP4.
 */
export function fixedPath(file: string): string {
  const slash = file.lastIndexOf('/')
  const dot = file.lastIndexOf('.')
  const stem = dot > slash + 1 ? file.slice(0, dot) : file
  const ext = stem === file ? '' : file.slice(dot).toLowerCase()
  return `${stem}.tiktok${ext === '.mov' ? '.mov' : '.mp4'}`
}

/** How the fixed copy keeps the streams a fix leaves alone: an AVI's sound becomes AAC (MP4 holds no PCM). */
export interface Keep {
  /** The sound: '-c:a copy', or '-c:a aac' from an AVI. */
  audio: string
  /** Every stream: '-c copy', or '-c:v copy -c:a aac' from an AVI. */
  all: string
}

/** One ffmpeg command from the video to its fixed copy, `flags` between them. */
export function ffmpegFix(file: string, flags: (keep: Keep) => string): string {
  const avi = /\.avi$/i.test(file)
  const keep = avi ? { audio: '-c:a aac', all: '-c:v copy -c:a aac' } : { audio: '-c:a copy', all: '-c copy' }
  return `ffmpeg -i ${shellWord(file)} ${flags(keep)} ${shellWord(fixedPath(file))}`
}

/** The fix for a file whose metadata the check cannot reach or add up: the same video, its metadata first and whole. */
export function remuxFix(file: string): string {
  return `remux it with its metadata first: ${ffmpegFix(file, keep => `${keep.all} -movflags +faststart`)}`
}

import { RUN_PLACEHOLDERS, type RunVars } from '../model/video.js'
/** TikTok counts a caption in UTF-16 code units: an emoji outside the BMP counts 2. */
export const MAX_CAPTION_UNITS = 2200

/** Placeholders filled per video. */
interface VideoVars {
  name: string
  stem: string
  index: number
  count: number
}

/** When each run placeholder has a value, for the message that says why one has none. */
export const PLACEHOLDER_SOURCES: Record<(typeof RUN_PLACEHOLDERS)[number], string> = {
  repo: 'set when GITHUB_REPOSITORY is',
  sha: 'set when the run has a commit',
  ref: 'set when the run has a branch or tag',
  tag: 'set on release events and tag pushes',
  run_url: 'set when the run has an id'
}

const PLACEHOLDER = /\{([a-z_]+)\}/g

/** Fills {name}, {stem}, {index}, {count} and run placeholders; anything else in braces stays as written. */
export function fillCaption(template: string, video: VideoVars, run: RunVars = {}): string {
  const values: Record<string, string | undefined> = {
    name: video.name,
    stem: video.stem,
    index: String(video.index),
    count: String(video.count),
    ...run
  }
  return template.replace(PLACEHOLDER, (whole, key: string) => (Object.hasOwn(values, key) ? (values[key] ?? whole) : whole))
}

/** Whether a template needs the workflow context (loading it costs start-up time). */
export function usesRunPlaceholders(template: string): boolean {
  return [...template.matchAll(PLACEHOLDER)].some(m => (RUN_PLACEHOLDERS as readonly string[]).includes(m[1]))
}

/** Run placeholders a template uses that have no value in this run: they would be posted literally. */
export function missingRunPlaceholders(template: string, run: RunVars): (typeof RUN_PLACEHOLDERS)[number][] {
  const isRun = (name: string): name is (typeof RUN_PLACEHOLDERS)[number] => (RUN_PLACEHOLDERS as readonly string[]).includes(name)
  const names = new Set([...template.matchAll(PLACEHOLDER)].map(m => m[1]))
  return [...names].filter(isRun).filter(n => run[n] === undefined)
}

/** Half of a surrogate pair on its own (from a sidecar's "\ud83d"): no UTF-8 can carry it, so it would arrive as U+FFFD. */
export function hasLoneSurrogate(text: string): boolean {
  return /\p{Cs}/u.test(text)
}

/** The problem with a caption, or undefined when TikTok will take it. */
export function captionProblem(caption: string): string | undefined {
  if (caption.trim() === '') return 'the caption is empty'
  if (hasLoneSurrogate(caption)) return 'the caption has a lone UTF-16 surrogate (half an emoji); DraftClip would get U+FFFD in its place'
  if (caption.length > MAX_CAPTION_UNITS) {
    return `the caption is ${caption.length} UTF-16 code units long; TikTok allows ${MAX_CAPTION_UNITS} (an emoji counts 2)`
  }
  return undefined
}

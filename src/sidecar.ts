import { PRIVACY_LEVELS, type PrivacyLevel } from './inputs.js'

/**
 * Per-video settings live beside the video in `<video file name>.draftclip.json`,
 * e.g. `trailer.mp4.draftclip.json`: the full video name plus a suffix no other
 * tool uses, so it cannot be mistaken for an unrelated file nor shared by
 * `trailer.mp4` and `trailer.mov`.
 */
export const SIDECAR_SUFFIX = '.draftclip.json'

export interface Sidecar {
  description?: string
  privacy_level?: PrivacyLevel
  title?: string
}

const KEYS = ['description', 'privacy_level', 'title'] as const

export function sidecarPathFor(videoPath: string): string {
  return videoPath + SIDECAR_SUFFIX
}

export function isSidecar(file: string): boolean {
  return file.toLowerCase().endsWith(SIDECAR_SUFFIX)
}

/** Parses a sidecar's text; problems read "line N: what is wrong". */
export function parseSidecar(text: string): { sidecar: Sidecar; problems: string[] } {
  let data: unknown
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    const message = (error as Error).message
    return { sidecar: {}, problems: [`line ${syntaxErrorLine(text, message)}: not valid JSON (${message})`] }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { sidecar: {}, problems: ['line 1: must be a JSON object such as {"description": "..."}'] }
  }
  const problems: string[] = []
  const sidecar: Sidecar = {}
  for (const [key, value] of Object.entries(data)) {
    const at = `line ${keyLine(text, key)}`
    if (!(KEYS as readonly string[]).includes(key)) {
      problems.push(`${at}: unknown key '${key}' (allowed: ${KEYS.join(', ')})`)
    } else if (typeof value !== 'string') {
      problems.push(`${at}: '${key}' must be a string`)
    } else if (key === 'privacy_level') {
      const level = value.trim().toUpperCase()
      if ((PRIVACY_LEVELS as readonly string[]).includes(level)) sidecar.privacy_level = level as PrivacyLevel
      else problems.push(`${at}: privacy_level must be one of ${PRIVACY_LEVELS.join(', ')}, got '${value}'`)
    } else {
      sidecar[key as 'description' | 'title'] = value
    }
  }
  return { sidecar, problems }
}

/** The 1-based line of a key in the JSON text (its first occurrence as a key). */
export function keyLine(text: string, key: string): number {
  const at = text.search(new RegExp(`"${escapeRegExp(JSON.stringify(key).slice(1, -1))}"\\s*:`))
  return at < 0 ? 1 : lineAt(text, at)
}

function syntaxErrorLine(text: string, message: string): number {
  const line = /line (\d+)/.exec(message)
  if (line) return Number(line[1])
  const position = /position (\d+)/.exec(message)
  if (position) return lineAt(text, Number(position[1]))
  return text.trim() === '' ? 1 : lineAt(text, text.length)
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

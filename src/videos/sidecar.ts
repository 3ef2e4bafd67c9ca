import { PRIVACY_LEVELS, type PrivacyLevel } from '../model/video.js'

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
  /** When the video may be published: an instant, in milliseconds since the epoch. */
  publish_at?: number
}

const KEYS = ['description', 'privacy_level', 'title', 'publish_at'] as const

export function sidecarPathFor(videoPath: string): string {
  return videoPath + SIDECAR_SUFFIX
}

export function isSidecar(file: string): boolean {
  // Exact case, as it is read: a sidecar spelled otherwise is matched as a file and reported, not silently ignored.
  return file.endsWith(SIDECAR_SUFFIX)
}

/** Parses a sidecar's text; problems read "line N: what is wrong". */
export function parseSidecar(text: string): { sidecar: Sidecar; problems: string[] } {
  if (text.trim() === '')
    return { sidecar: {}, problems: ['line 1: the file is empty; write a JSON object such as {"description": "..."}'] }
  let data: unknown
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    const message = (error as Error).message
    return { sidecar: {}, problems: [`line ${lineAt(text, jsonErrorOffset(text))}: not valid JSON (${message})`] }
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
    } else if (key === 'publish_at') {
      const instant = parseInstant(value)
      if (typeof instant === 'number') sidecar.publish_at = instant
      else problems.push(`${at}: publish_at ${instant}, got '${value}'`)
    } else {
      sidecar[key as 'description' | 'title'] = value
    }
  }
  return { sidecar, problems }
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/i

/**
 * An RFC 3339 date-time (ISO 8601 with an offset or Z), as milliseconds since
 * the epoch; otherwise what is wrong with it. No offset is refused: a runner's
 * local time zone is nobody's intent, and Date.parse would roll 30 February
 * into March.
 */
export function parseInstant(text: string): number | string {
  const m = INSTANT.exec(text.trim())
  if (!m) return 'must be an RFC 3339 (ISO 8601) date-time with an offset or Z, such as 2026-12-24T18:00:00+01:00'
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map(i => Number(m[i] ?? 0))
  const [offsetHours, offsetMinutes] = [Number(m[9] ?? 0), Number(m[10] ?? 0)]
  const date = new Date(0)
  // setUTCFullYear, not Date.UTC, which reads years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month, 0)
  const days = date.getUTCDate()
  const real = month >= 1 && month <= 12 && day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59
  if (!real || offsetHours > 23 || offsetMinutes > 59) return 'is not a real date and time'
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, Math.floor(Number(`0${m[7] ?? ''}`) * 1000))
  const sign = m[8].startsWith('-') ? -1 : 1
  const instant = date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000
  // Shown and compared as ISO text: it must stay within four-digit years in UTC.
  if (instant < FIRST_INSTANT || instant > LAST_INSTANT) return 'is out of range (years 0000 to 9999 in UTC)'
  return instant
}

const FIRST_INSTANT = Date.parse('0000-01-01T00:00:00.000Z')
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z')

/** The 1-based line of a key in the JSON text (its first occurrence as a key). */
export function keyLine(text: string, key: string): number {
  const at = text.search(new RegExp(`"${escapeRegExp(JSON.stringify(key).slice(1, -1))}"\\s*:`))
  return at < 0 ? 1 : lineAt(text, at)
}

/**
 * Where JSON text first goes wrong. V8's messages do not say on every Node
 * version (Node 20 quotes an excerpt, no position), so this walks the grammar.
 */
function jsonErrorOffset(text: string): number {
  const walk = new JsonWalk(text)
  try {
    walk.value()
    walk.space()
    if (walk.i < text.length) walk.fail()
  } catch (stop) {
    if (stop instanceof Stop) return Math.min(stop.at, text.length)
    throw stop
  }
  return text.length
}

class Stop extends Error {
  constructor(readonly at: number) {
    super(`invalid JSON at ${at}`)
  }
}

/** A cursor over JSON text that walks its grammar and throws a Stop where it goes wrong. */
class JsonWalk {
  i = 0
  constructor(private readonly text: string) {}

  fail(): never {
    throw new Stop(this.i)
  }

  space(): void {
    while (this.i < this.text.length && ' \t\r\n\uFEFF'.includes(this.text[this.i])) this.i++
  }

  value(): void {
    this.space()
    const c = this.text[this.i]
    if (c === '{' || c === '[') return this.container(c)
    if (c === '"') return this.string()
    if (c === 't') return this.literal('true')
    if (c === 'f') return this.literal('false')
    if (c === 'n') return this.literal('null')
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i))
    if (!number) this.fail()
    this.i += number[0].length
  }

  private container(open: '{' | '['): void {
    const close = open === '{' ? '}' : ']'
    this.i++
    this.space()
    if (this.text[this.i] === close) return void this.i++
    for (;;) {
      if (open === '{') this.key()
      this.value()
      this.space()
      if (this.text[this.i] === ',') this.i++
      else if (this.text[this.i] === close) return void this.i++
      else this.fail()
    }
  }

  private key(): void {
    this.space()
    if (this.text[this.i] !== '"') this.fail()
    this.string()
    this.space()
    if (this.text[this.i] !== ':') this.fail()
    this.i++
  }

  private literal(word: string): void {
    if (this.text.startsWith(word, this.i)) this.i += word.length
    else this.fail()
  }

  private string(): void {
    const text = this.text
    this.i++
    while (this.i < text.length && text[this.i] !== '"') {
      if (text.charCodeAt(this.i) < 0x20) this.fail()
      if (text[this.i] === '\\') this.escape()
      this.i++
    }
    if (text[this.i] !== '"') this.fail()
    this.i++
  }

  /** At a backslash: step onto the escape's last character, or fail on one JSON does not have. */
  private escape(): void {
    const text = this.text
    this.i++
    if (text[this.i] === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 1, this.i + 5))) this.fail()
      this.i += 4
    } else if (!'"\\/bfnrt'.includes(text[this.i] ?? 'x')) this.fail()
  }
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

import { COMPLETE_STATUSES, INCOMPLETE_STATUSES, Status } from '../model/status.js'
/**
 * What DraftClip's answers say, read defensively: the documented shapes, the
 * shapes TikTok's own API uses, and ids sent as JSON numbers (more digits than
 * a double keeps) are all read as text, digit for digit.
 */

/** The URL of an API endpoint below base-url (which may carry a path prefix). */
export function endpoint(baseUrl: URL, file: string): URL {
  const url = new URL(baseUrl.href)
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/${file}`
  return url
}

const ID_KEYS = 'publish_id|public(?:al|l)?y_available_post_id'

/** Ids sent as bare JSON numbers (alone or in an array), quoted so JSON.parse keeps every digit. */
export function quoteNumericIds(text: string): string {
  return text.replace(
    new RegExp(`("(?:${ID_KEYS})"\\s*:\\s*)(\\[[\\d\\s,]*\\]|\\d+(?=\\s*[,}\\]]))`, 'g'),
    (_all, key: string, value: string) => key + value.replace(/\d+/g, digits => `"${digits}"`)
  )
}

/** A body's JSON, with numeric ids kept as text; undefined when it is not JSON (or was cut short). */
export function parseBody(text: string): unknown {
  try {
    return JSON.parse(quoteNumericIds(text))
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim()
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value)
  return undefined
}

interface UploadAccepted {
  publishId: string
  status: string
}

/** Reads DraftClip's upload answer: only JSON with success true and a publish_id is an accepted upload. */
export function acceptedUpload(json: unknown): UploadAccepted | undefined {
  const data = isRecord(json) && json.success === true && isRecord(json.data) ? json.data : undefined
  const publishId = idText(data?.publish_id)
  if (!publishId) return undefined
  return { publishId, status: typeof data?.status === 'string' ? data.status : Status.ProcessingUpload }
}

/**
 * What an upload answer says, whatever its HTTP status: a publish id anywhere
 * means DraftClip took the video. A body that is not JSON (cut short at our
 * size cap, or a page around it) is searched for one too: an id that was there
 * must never be lost.
 */
export function uploadAnswer(json: unknown, text: string): { publishId: string | undefined; success: unknown; error: string | undefined } {
  if (!isRecord(json)) {
    const found = /"publish_id"\s*:\s*(?:"([^"\\]{1,200})"|(\d{1,40}))/.exec(text)
    return { publishId: found ? (found[1] ?? found[2]).trim() || undefined : undefined, success: undefined, error: undefined }
  }
  return {
    publishId: isRecord(json.data) ? idText(json.data.publish_id) : undefined,
    success: json.success,
    error: typeof json.error === 'string' && json.error.trim() !== '' ? json.error : undefined
  }
}

/** The server's own words for a message: its `error` (or `message`) field. */
export function serverError(json: unknown): string | undefined {
  if (!isRecord(json)) return undefined
  for (const key of ['error', 'message']) {
    const value = json[key]
    if (typeof value === 'string' && value.trim() !== '') return value
  }
  return undefined
}

export interface VideoStatus {
  status: string
  isComplete: boolean
  postId: string | undefined
  failReason: string | undefined
  /** The server's words for the status (status_description), if any. */
  description: string | undefined
}

/**
 * Reads a status answer about `publishId`; undefined when it is not the
 * documented shape, or when it names another video (its post id is not ours).
 */
export function readStatus(json: unknown, publishId: string): VideoStatus | undefined {
  if (!isRecord(json) || json.success !== true || !isRecord(json.data)) return undefined
  const data = json.data
  if (typeof data.status !== 'string') return undefined
  const about = idText(data.publish_id)
  if (about !== undefined && about !== publishId) return undefined
  const status = data.status.toUpperCase()
  return {
    status,
    // The doc's table decides for the statuses it names; is_complete only for one it does not.
    isComplete:
      (COMPLETE_STATUSES as readonly string[]).includes(status) || (!INCOMPLETE_STATUSES.includes(status) && data.is_complete === true),
    postId: postIdOf(data.publicaly_available_post_id) ?? postIdOf(data.publicly_available_post_id),
    failReason: typeof data.fail_reason === 'string' && data.fail_reason !== '' ? data.fail_reason : undefined,
    description: typeof data.status_description === 'string' && data.status_description !== '' ? data.status_description : undefined
  }
}

/** Whether a status answer names a publish id other than the one asked about. */
export function aboutAnotherVideo(json: unknown, publishId: string): boolean {
  if (!isRecord(json) || !isRecord(json.data)) return false
  const about = idText(json.data.publish_id)
  return about !== undefined && about !== publishId
}

/** DraftClip documents a string; TikTok's own API gives an array of ids. */
function postIdOf(value: unknown): string | undefined {
  return idText(Array.isArray(value) ? value[0] : value)
}

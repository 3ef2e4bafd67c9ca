import { acceptedUpload, readStatus, serverError, uploadAnswer, type Attempt, type VideoStatus } from './draftclip.js'
import type { Timings } from './inputs.js'

/**
 * The retry policy, written down once. An upload is not idempotent: it is
 * retried only when DraftClip certainly did not take it. When it may have,
 * the video is UNCONFIRMED and never sent again by this action.
 */

export type UploadVerdict =
  | { kind: 'accepted'; publishId: string; status: string }
  /** Certainly not taken, and another attempt may succeed. */
  | { kind: 'retry'; reason: string; retryAfter: string | undefined; rateLimited: boolean }
  /** Certainly not taken; another attempt would be refused the same way. */
  | { kind: 'rejected'; reason: string }
  /** Perhaps taken: the server may have published it. Never retried. A publish id, when one came, is kept. */
  | { kind: 'unconfirmed'; reason: string; publishId?: string }
  /** The key was refused: every further request would be too. */
  | { kind: 'unauthorized'; reason: string }

/** Network failures that happen before a single byte reached the server. */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNABORTED'
])

const LOCAL_FAILURES = new Set(['UND_ERR_INVALID_ARG', 'ENOENT', 'EACCES', 'EISDIR', 'EPERM'])

export function judgeUpload(attempt: Attempt): UploadVerdict {
  if (attempt.kind === 'no-answer') {
    // Whatever the error, once the whole body left, the server may have it.
    if (attempt.bodySent) {
      return { kind: 'unconfirmed', reason: `the whole video was sent but no answer came (${attempt.code}: ${attempt.message})` }
    }
    // Refused on this side (a header undici will not send, the file gone or unreadable): nothing to retry.
    if (LOCAL_FAILURES.has(attempt.code)) return { kind: 'rejected', reason: `could not be sent: ${attempt.message}` }
    if (NEVER_CONNECTED.has(attempt.code)) {
      return { kind: 'retry', reason: `could not connect (${attempt.code})`, retryAfter: undefined, rateLimited: false }
    }
    const what = attempt.stalled ? 'the upload stalled (no bytes moved)' : `the connection broke (${attempt.code})`
    return { kind: 'retry', reason: `${what} before the whole video was sent`, retryAfter: undefined, rateLimited: false }
  }

  const { httpStatus, json } = attempt
  const said = serverError(json)
  const quoted = said
    ? `: ${said}`
    : json === undefined
      ? ` (the answer was not JSON${attempt.text ? `: ${oneLine(attempt.text)}` : ''})`
      : ''
  const reason = `DraftClip answered HTTP ${httpStatus}${quoted}`

  const ok = httpStatus >= 200 && httpStatus < 300
  const accepted = ok ? acceptedUpload(json) : undefined
  if (accepted) return { kind: 'accepted', ...accepted }
  const answer = uploadAnswer(json)
  // A publish id means DraftClip took it, whatever else the answer says: never again, and keep the id.
  if (answer.publishId) return { kind: 'unconfirmed', reason, publishId: answer.publishId }
  // DraftClip's own refusal: its JSON `error`, not claiming success.
  const refused = answer.success === false || (answer.error !== undefined && answer.success !== true)

  if (ok) {
    if (refused) return { kind: 'rejected', reason }
    // A success without a publish id, or a body we cannot read, may hide a published video.
    return {
      kind: 'unconfirmed',
      reason: json === undefined ? reason : `DraftClip answered HTTP ${httpStatus} without a publish_id${said ? `: ${said}` : ''}`
    }
  }
  if (httpStatus === 401) return { kind: 'unauthorized', reason }
  if (httpStatus === 429) return { kind: 'retry', reason, retryAfter: attempt.retryAfter, rateLimited: true }
  if (httpStatus === 503) return { kind: 'retry', reason, retryAfter: attempt.retryAfter, rateLimited: false }
  // The doc defines 500 as "Upload failed": with DraftClip's own JSON error it was refused, not half-done.
  // Any other 500 (a framework's {"message": "Server Error"}, a PHP fatal after output) may follow a publish.
  if (httpStatus === 500 && answer.error !== undefined && answer.success !== true)
    return { kind: 'retry', reason, retryAfter: attempt.retryAfter, rateLimited: false }
  // A proxy's timeout may come after the server took the upload (a peer tool posted 4 times after a 408).
  if (httpStatus === 408) return { kind: 'unconfirmed', reason }
  if (httpStatus >= 300 && httpStatus < 500) return { kind: 'rejected', reason }
  // 502, 504, a 5xx page from a proxy: the server behind it may have published.
  return { kind: 'unconfirmed', reason }
}

export type StatusVerdict =
  { kind: 'status'; status: VideoStatus } | { kind: 'transient'; reason: string } | { kind: 'unauthorized'; reason: string }

/** Status requests are GETs: anything but a readable status or a 401 is worth asking again. */
export function judgeStatus(attempt: Attempt): StatusVerdict {
  if (attempt.kind === 'no-answer') return { kind: 'transient', reason: `no answer (${attempt.code})` }
  const said = serverError(attempt.json)
  const reason = `HTTP ${attempt.httpStatus}${said ? `: ${said}` : attempt.json === undefined ? ' (not JSON)' : ''}`
  if (attempt.httpStatus === 401) return { kind: 'unauthorized', reason }
  const status = attempt.httpStatus === 200 ? readStatus(attempt.json) : undefined
  return status ? { kind: 'status', status } : { kind: 'transient', reason }
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  // An HTTP date (IMF-fixdate, RFC 850 or asctime); Date.parse alone takes '1.5' or '-1' for dates.
  if (
    !/^[A-Za-z]{3,9},? +\d{1,2}[ -][A-Za-z]{3}[ -]\d{2,4} \d{2}:\d{2}:\d{2} GMT$|^[A-Za-z]{3} [A-Za-z]{3} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}$/.test(
      value
    )
  ) {
    return undefined
  }
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * How long to wait before retry number `retry` (1-based): Retry-After when the
 * server gave one, else exponential backoff with jitter; never above the cap.
 */
export function retryDelayMs(retry: number, retryAfter: string | undefined, now: number, random: number, timings: Timings): number {
  const asked = parseRetryAfter(retryAfter, now)
  if (asked !== undefined) return Math.min(asked, timings.maxDelayMs)
  const exponential = timings.backoffBaseMs * 2 ** (retry - 1)
  return Math.round(Math.min(exponential * (0.5 + random / 2), timings.maxDelayMs))
}

function oneLine(text: string): string {
  const flat = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat
}

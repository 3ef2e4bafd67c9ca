import { aboutAnotherVideo, acceptedUpload, readStatus, serverError, uploadAnswer, type VideoStatus } from './answers.js'
import type { Answer, Attempt, NoAnswer } from '../model/ports.js'

/**
 * The retry policy, written down once. An upload is not idempotent: it is
 * retried only when DraftClip certainly did not take it. When it may have,
 * the video is UNCONFIRMED and never sent again by this action.
 */

type UploadVerdict =
  | { kind: 'accepted'; publishId: string; status: string }
  /** Certainly not taken, and another attempt may succeed. */
  | { kind: 'retry'; reason: string; retryAfter: string | undefined; rateLimited: boolean; unreachable?: boolean }
  /** Certainly not taken; another attempt would be refused the same way. */
  | { kind: 'rejected'; reason: string }
  /** Perhaps taken: the server may have published it. Never retried. A publish id, when one came, is kept. */
  | { kind: 'unconfirmed'; reason: string; publishId?: string }
  /** The key was refused: every further request would be too. */
  | { kind: 'unauthorized'; reason: string }
  /** This runner does not trust the host's certificate: nothing was sent, and every further request would fail the same way. */
  | { kind: 'untrusted'; reason: string }

/** Timings of the transport and the retries; tests shorten them. */
export interface Timings {
  /** No body bytes moving for this long before the upload is complete: the attempt is abandoned. */
  stallMs: number
  /** How long to wait for a TCP (and TLS) connection. */
  connectMs: number
  /** Base of the exponential backoff between attempts. */
  backoffBaseMs: number
  /** Ceiling for one wait between attempts. A 429 that asks for longer is a spent quota, not a rate window (judgeRateLimit). */
  maxDelayMs: number
  /** The wait after a 429 without Retry-After: one of TikTok's rate windows (a one-minute sliding window). */
  rateWindowMs: number
  /** Ceiling for one status request (it also ends at the video's wait deadline). */
  statusRequestMs: number
}

export const DEFAULT_TIMINGS: Timings = {
  stallMs: 60_000,
  connectMs: 30_000,
  backoffBaseMs: 2_000,
  maxDelayMs: 120_000,
  rateWindowMs: 60_000,
  statusRequestMs: 60_000
}

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

/** The request provably never reached DraftClip (no connection, or a certificate refused before any byte): it cost none of the plan's requests. */
export function neverReached(attempt: Attempt): boolean {
  return attempt.kind === 'no-answer' && (attempt.untrustedCertificate === true || NEVER_CONNECTED.has(attempt.code))
}

export function judgeUpload(attempt: Attempt): UploadVerdict {
  return attempt.kind === 'no-answer' ? judgeNoAnswer(attempt) : judgeAnswer(attempt)
}

/** No HTTP answer came: whether DraftClip may have the video turns on how far the body got. */
function judgeNoAnswer(attempt: NoAnswer): UploadVerdict {
  // The handshake came before any byte of the request: certainly not taken, and permanent until the runner trusts the CA.
  if (attempt.untrustedCertificate) return { kind: 'untrusted', reason: untrustedReason(attempt) }
  // Whatever the error, once the whole body left, the server may have it.
  if (attempt.bodySent) {
    return { kind: 'unconfirmed', reason: `the whole video was sent but no answer came (${attempt.code}: ${attempt.message})` }
  }
  // Stopped before its last bytes (a body cut short is refused): another attempt would send a video nobody checked.
  if (attempt.code === 'FILE_CHANGED')
    return {
      kind: 'rejected',
      reason: `${attempt.message}; it was stopped before its last bytes, so DraftClip did not take it. Publish it in a run that starts once the file is final`
    }
  // Refused on this side (a header undici will not send, the file gone or unreadable): nothing to retry.
  if (LOCAL_FAILURES.has(attempt.code)) return { kind: 'rejected', reason: `could not be sent: ${attempt.message}` }
  if (neverReached(attempt)) {
    return {
      kind: 'retry',
      reason: `could not connect to ${attempt.origin} (${attempt.code})`,
      retryAfter: undefined,
      rateLimited: false,
      unreachable: true
    }
  }
  const what = attempt.stalled ? 'the upload stalled (no bytes moved)' : `the connection broke (${attempt.code})`
  return { kind: 'retry', reason: `${what} before the whole video was sent`, retryAfter: undefined, rateLimited: false }
}

/** An HTTP answer came: its status and DraftClip's JSON decide. */
function judgeAnswer(attempt: Answer): UploadVerdict {
  const { httpStatus, json } = attempt
  const said = serverError(json)
  const quoted = said
    ? `: ${oneLine(said)}`
    : json === undefined
      ? ` (the answer was not JSON${attempt.text ? `: ${oneLine(attempt.text)}` : ''})`
      : ''
  const reason = `DraftClip answered HTTP ${httpStatus}${quoted}`

  const ok = httpStatus >= 200 && httpStatus < 300
  const accepted = ok ? acceptedUpload(json) : undefined
  if (accepted) return { kind: 'accepted', ...accepted }
  const answer = uploadAnswer(json, attempt.text)
  // A publish id means DraftClip took it, whatever else the answer says: never again, and keep the id.
  if (answer.publishId) return { kind: 'unconfirmed', reason, publishId: answer.publishId }
  // DraftClip's own refusal: its JSON `error`, not claiming success.
  const refused = answer.success === false || (answer.error !== undefined && answer.success !== true)

  if (ok) {
    if (refused) return { kind: 'rejected', reason }
    // A success without a publish id, or a body we cannot read, may hide a published video.
    return {
      kind: 'unconfirmed',
      reason: json === undefined ? reason : `DraftClip answered HTTP ${httpStatus} without a publish_id${said ? `: ${oneLine(said)}` : ''}`
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
  // A redirect after the whole video (Post/Redirect/Get) may follow a publish; it is never followed with the key.
  if (httpStatus >= 300 && httpStatus < 400) {
    if (attempt.bodySent) return { kind: 'unconfirmed', reason: `${reason}, a redirect after the whole video was sent` }
    return { kind: 'rejected', reason: `${reason}, a redirect before the whole video was sent` }
  }
  if (httpStatus >= 300 && httpStatus < 500) return { kind: 'rejected', reason }
  // 502, 504, a 5xx page from a proxy: the server behind it may have published.
  return { kind: 'unconfirmed', reason }
}

/** What to say when the runner refused the host's certificate, and how to let it trust a private CA. */
function untrustedReason(attempt: { origin: string; code: string; message: string }): string {
  return (
    `this runner does not trust the TLS certificate of ${attempt.origin} (${attempt.code}: ${attempt.message}), so nothing was sent. ` +
    'If a proxy inspects HTTPS on this runner, or the host uses a private CA, give Node that CA: set NODE_EXTRA_CA_CERTS ' +
    "to the path of its PEM file in the job's env. Check the base-url's host name too"
  )
}

type StatusVerdict =
  | { kind: 'status'; status: VideoStatus }
  /** Worth asking again; `retryAfter` when the server said when. */
  | { kind: 'transient'; reason: string; retryAfter: string | undefined; rateLimited?: true }
  /** The server answered that it does not know the publish id (400, 404). */
  | { kind: 'unknown'; reason: string }
  | { kind: 'unauthorized'; reason: string }
  /** This runner does not trust the host's certificate: asking again cannot help. */
  | { kind: 'untrusted'; reason: string }

/** Status requests are GETs: anything but a readable status, an unknown id, a 401 or a refused certificate is worth asking again. */
export function judgeStatus(attempt: Attempt, publishId: string): StatusVerdict {
  if (attempt.kind === 'no-answer') {
    if (attempt.untrustedCertificate) return { kind: 'untrusted', reason: untrustedReason(attempt) }
    const what = neverReached(attempt) ? `could not connect to ${attempt.origin} (${attempt.code})` : `no answer (${attempt.code})`
    return { kind: 'transient', reason: what, retryAfter: undefined }
  }
  const said = serverError(attempt.json)
  const reason = `HTTP ${attempt.httpStatus}${said ? `: ${oneLine(said)}` : attempt.json === undefined ? ' (not JSON)' : ''}`
  if (attempt.httpStatus === 401) return { kind: 'unauthorized', reason }
  if (attempt.httpStatus === 400 || attempt.httpStatus === 404) return { kind: 'unknown', reason }
  if (attempt.httpStatus === 200 && aboutAnotherVideo(attempt.json, publishId)) {
    return { kind: 'transient', reason: 'the answer was about another publish id', retryAfter: undefined }
  }
  const status = attempt.httpStatus === 200 ? readStatus(attempt.json, publishId) : undefined
  if (status) return { kind: 'status', status }
  // A 429 is judged with every status request of the run (judgeRateLimit, in the poll budget).
  if (attempt.httpStatus === 429) return { kind: 'transient', reason, retryAfter: attempt.retryAfter, rateLimited: true }
  return { kind: 'transient', reason, retryAfter: attempt.httpStatus === 503 ? attempt.retryAfter : undefined }
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
export function retryDelayMs(
  retry: number,
  retryAfter: string | undefined,
  now: number,
  random: number,
  timings: Pick<Timings, 'backoffBaseMs' | 'maxDelayMs'>
): number {
  const asked = parseRetryAfter(retryAfter, now)
  if (asked !== undefined) return Math.min(asked, timings.maxDelayMs)
  const exponential = timings.backoffBaseMs * 2 ** (retry - 1)
  return Math.round(Math.min(exponential * (0.5 + random / 2), timings.maxDelayMs))
}

export type RateLimitVerdict =
  /** A rate window: no request of this kind (any video's) goes before `until`. */
  | { kind: 'wait'; until: number }
  /** The quota is spent: no more requests of this kind this run. `resetsAt` when the server said. */
  | { kind: 'spent'; resetsAt: number | undefined }

/**
 * A 429, for every request of its kind at once (uploads, or status requests).
 * A short ask (up to maxDelayMs), or none (one rate window), is waited out
 * once; an ask longer than that, or a 429 for a request sent after such a wait
 * ended, means the quota is spent: another request would only be refused
 * again, and each refused one is a request of the month's plan.
 * `heldUntil`: the end of the wait already decided, if any (undefined once a
 * request after it went through).
 */
export function judgeRateLimit(
  asked: { retryAfter: string | undefined; sentAt: number; now: number },
  heldUntil: number | undefined,
  timings: Pick<Timings, 'maxDelayMs' | 'rateWindowMs'>
): RateLimitVerdict {
  const askedMs = parseRetryAfter(asked.retryAfter, asked.now)
  const resetsAt = askedMs === undefined ? undefined : asked.now + askedMs
  if (askedMs !== undefined && askedMs > timings.maxDelayMs) return { kind: 'spent', resetsAt }
  if (heldUntil !== undefined && asked.sentAt >= heldUntil) return { kind: 'spent', resetsAt }
  return { kind: 'wait', until: Math.max(heldUntil ?? -Infinity, asked.now + (askedMs ?? timings.rateWindowMs)) }
}

/** What a spent quota's message says of its end: the time the server gave, if it gave one. */
export function quotaResets(resetsAt: number | undefined): string {
  return resetsAt === undefined
    ? 'DraftClip did not say when it resets'
    : `DraftClip says it resets at ${new Date(resetsAt).toISOString().replace(/\.\d{3}Z$/, 'Z')}`
}

/** Server text as one short line for a message (it is scrubbed of the key before it gets here). */
function oneLine(text: string): string {
  const flat = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat
}

import { describe, it, expect } from '@jest/globals'
import type { Answer, NoAnswer } from '../../src/model/ports.js'
import {
  judgeRateLimit,
  judgeStatus,
  judgeUpload,
  neverReached,
  parseRetryAfter,
  quotaResets,
  retryDelayMs,
  type Timings
} from '../../src/draftclip/retry-policy.js'

const answer = (httpStatus: number, body: unknown, over: Partial<Answer> = {}): Answer => {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  // An answer usually comes once the whole request is out; tests of an early answer say bodySent: false.
  return { kind: 'answer', httpStatus, json, text: text.slice(0, 300), retryAfter: undefined, bodySent: true, ...over }
}

const ORIGIN = 'https://drafttok.app'

const noAnswer = (code: string, bodySent: boolean, stalled = false): NoAnswer => ({
  kind: 'no-answer',
  code,
  message: `${code} happened`,
  bodySent,
  stalled,
  origin: ORIGIN
})

const ACCEPTED = {
  success: true,
  message: 'Video uploaded successfully',
  data: { publish_id: 'v_pub_1', description: 'x', status: 'PROCESSING_UPLOAD' }
}

describe('judgeUpload: HTTP answers', () => {
  it('200 with success and a publish_id is accepted', () => {
    expect(judgeUpload(answer(200, ACCEPTED))).toEqual({ kind: 'accepted', publishId: 'v_pub_1', status: 'PROCESSING_UPLOAD' })
  })

  it('201 with success and a publish_id is accepted too, status defaulted', () => {
    expect(judgeUpload(answer(201, { success: true, data: { publish_id: 'p' } }))).toEqual({
      kind: 'accepted',
      publishId: 'p',
      status: 'PROCESSING_UPLOAD'
    })
  })

  it('200 with success false and an error is rejected, quoting the error', () => {
    expect(judgeUpload(answer(200, { success: false, error: 'Description too long' }))).toEqual({
      kind: 'rejected',
      reason: 'DraftClip answered HTTP 200: Description too long'
    })
  })

  it('200 with success true but no publish_id is unconfirmed', () => {
    const verdict = judgeUpload(answer(200, { success: true, message: 'Video uploaded successfully', data: {} }))
    expect(verdict).toEqual({
      kind: 'unconfirmed',
      reason: 'DraftClip answered HTTP 200 without a publish_id: Video uploaded successfully'
    })
  })

  it('200 with an empty publish_id is unconfirmed', () => {
    expect(judgeUpload(answer(200, { success: true, data: { publish_id: '' } })).kind).toBe('unconfirmed')
  })

  // Changed: ids sent as JSON numbers are read as text now (answers.ts idText), so this is an accepted upload.
  it('200 with a numeric publish_id is accepted, the id read as text', () => {
    expect(judgeUpload(answer(200, { success: true, data: { publish_id: 12345 } }))).toEqual({
      kind: 'accepted',
      publishId: '12345',
      status: 'PROCESSING_UPLOAD'
    })
  })

  it('200 with an empty JSON object is unconfirmed (PHP over post_max_size answers 200)', () => {
    expect(judgeUpload(answer(200, {}))).toEqual({ kind: 'unconfirmed', reason: 'DraftClip answered HTTP 200 without a publish_id' })
  })

  it('200 that is not JSON is unconfirmed and quotes the body on one line', () => {
    const verdict = judgeUpload(answer(200, '<html>\n<body><h1>OK</h1>\n</body></html>'))
    expect(verdict).toEqual({ kind: 'unconfirmed', reason: 'DraftClip answered HTTP 200 (the answer was not JSON: OK)' })
  })

  it('200 with an empty body is unconfirmed', () => {
    expect(judgeUpload(answer(200, ''))).toEqual({ kind: 'unconfirmed', reason: 'DraftClip answered HTTP 200 (the answer was not JSON)' })
  })

  it('shortens a long non-JSON body to 120 characters', () => {
    const verdict = judgeUpload(answer(502, 'x'.repeat(500)))
    expect(verdict.kind).toBe('unconfirmed')
    const reason = (verdict as { reason: string }).reason
    expect(reason).toBe(`DraftClip answered HTTP 502 (the answer was not JSON: ${'x'.repeat(117)}...)`)
  })

  it('401 is unauthorized', () => {
    expect(judgeUpload(answer(401, { error: 'Invalid API key' }))).toEqual({
      kind: 'unauthorized',
      reason: 'DraftClip answered HTTP 401: Invalid API key'
    })
  })

  it('429 is a rate-limited retry carrying Retry-After', () => {
    expect(judgeUpload(answer(429, { error: 'Quota exceeded' }, { retryAfter: '30' }))).toEqual({
      kind: 'retry',
      reason: 'DraftClip answered HTTP 429: Quota exceeded',
      retryAfter: '30',
      rateLimited: true
    })
  })

  it('503 is a retry that is not rate limiting, HTML or not', () => {
    expect(judgeUpload(answer(503, '<h1>Service Unavailable</h1>', { retryAfter: '5' }))).toEqual({
      kind: 'retry',
      reason: 'DraftClip answered HTTP 503 (the answer was not JSON: Service Unavailable)',
      retryAfter: '5',
      rateLimited: false
    })
  })

  it("500 with DraftClip's JSON error is a retry", () => {
    expect(judgeUpload(answer(500, { error: 'Upload failed' }))).toEqual({
      kind: 'retry',
      reason: 'DraftClip answered HTTP 500: Upload failed',
      retryAfter: undefined,
      rateLimited: false
    })
  })

  // A framework's {"message": "Server Error"} usually comes after the handler ran: the upload may be taken.
  it('500 with only a JSON message (no error key) is unconfirmed', () => {
    expect(judgeUpload(answer(500, { message: 'Server Error' })).kind).toBe('unconfirmed')
  })

  it.each([500, 502, 503, 429, 200])('any answer carrying a publish_id is never retried, and keeps the id (HTTP %i)', status => {
    const body = { success: status === 200 ? 'yes' : true, message: 'Video uploaded successfully', data: { publish_id: 'v_taken' } }
    expect(judgeUpload(answer(status, body))).toMatchObject({ kind: 'unconfirmed', publishId: 'v_taken' })
  })

  it.each([
    ['HTML', '<html><body>Internal Server Error</body></html>'],
    ['JSON without an error', { success: false }],
    ['JSON with a blank error', { error: '   ' }]
  ])('500 with %s is unconfirmed', (_what, body) => {
    expect(judgeUpload(answer(500, body)).kind).toBe('unconfirmed')
  })

  it.each([502, 504, 520, 599])('%d is unconfirmed (a proxy may stand before a server that took it)', status => {
    expect(judgeUpload(answer(status, '<h1>Bad Gateway</h1>')).kind).toBe('unconfirmed')
    expect(judgeUpload(answer(status, { error: 'gateway' })).kind).toBe('unconfirmed')
  })

  it.each([400, 403, 404, 405, 409, 413, 415, 422])('%d is rejected', status => {
    expect(judgeUpload(answer(status, { error: 'bad' }))).toEqual({ kind: 'rejected', reason: `DraftClip answered HTTP ${status}: bad` })
  })

  it('413 from a proxy (HTML) is rejected', () => {
    expect(judgeUpload(answer(413, '<h1>413 Request Entity Too Large</h1>')).kind).toBe('rejected')
  })

  it('408 is unconfirmed, never retried', () => {
    expect(judgeUpload(answer(408, { error: 'timeout' })).kind).toBe('unconfirmed')
  })

  // Changed: a redirect is rejected only when it came before the whole video was sent.
  it.each([301, 302, 307, 308])('redirect %d before the whole video was sent is rejected', status => {
    expect(judgeUpload(answer(status, '', { bodySent: false }))).toEqual({
      kind: 'rejected',
      reason: `DraftClip answered HTTP ${status} (the answer was not JSON), a redirect before the whole video was sent`
    })
  })

  it.each([301, 302, 303, 307, 308])('redirect %d after the whole video was sent is unconfirmed', status => {
    expect(judgeUpload(answer(status, '', { bodySent: true }))).toEqual({
      kind: 'unconfirmed',
      reason: `DraftClip answered HTTP ${status} (the answer was not JSON), a redirect after the whole video was sent`
    })
  })

  // Questionable: `message` counts as an error, so a 2xx JSON body without
  // `success: true` but WITH a publish_id (e.g. success sent as the string "true")
  // is "certainly not taken": rejected, the ledger entry forgotten, and a later run
  // may upload the video again. A body carrying a publish_id should never be "rejected".
  it('200 with a publish_id but success "true" (a string) is not rejected (BUG)', () => {
    const body = { success: 'true', message: 'Video uploaded successfully', data: { publish_id: 'v_pub_2' } }
    expect(judgeUpload(answer(200, body)).kind).not.toBe('rejected')
  })
})

describe('judgeUpload: no answer', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])(
    '%s (never connected) is a retry',
    code => {
      expect(judgeUpload(noAnswer(code, false))).toEqual({
        kind: 'retry',
        // Changed: the message names where it could not connect.
        reason: `could not connect to ${ORIGIN} (${code})`,
        retryAfter: undefined,
        rateLimited: false,
        // Changed (task E): it provably never reached DraftClip, so a video that exhausts its retries so stops the uploads.
        unreachable: true
      })
    }
  )

  it('a reset before the whole body was sent is a retry', () => {
    expect(judgeUpload(noAnswer('ECONNRESET', false))).toEqual({
      kind: 'retry',
      reason: 'the connection broke (ECONNRESET) before the whole video was sent',
      retryAfter: undefined,
      rateLimited: false
    })
  })

  it('a stalled upload is a retry', () => {
    expect(judgeUpload(noAnswer('STALLED', false, true))).toEqual({
      kind: 'retry',
      reason: 'the upload stalled (no bytes moved) before the whole video was sent',
      retryAfter: undefined,
      rateLimited: false
    })
  })

  it.each(['ECONNRESET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_SOCKET', 'EPIPE', 'UNKNOWN'])(
    '%s after the whole body was sent is unconfirmed',
    code => {
      expect(judgeUpload(noAnswer(code, true))).toEqual({
        kind: 'unconfirmed',
        reason: `the whole video was sent but no answer came (${code}: ${code} happened)`
      })
    }
  )

  // Questionable: the NEVER_CONNECTED check comes before the bodySent check, so a
  // code from that list after the whole body was sent is retried. ECONNABORTED in
  // particular is not a connect-time error ("software caused connection abort").
  it('ECONNABORTED after the whole body was sent is unconfirmed (BUG: retried)', () => {
    expect(judgeUpload(noAnswer('ECONNABORTED', true)).kind).toBe('unconfirmed')
  })
})

describe('judgeStatus', () => {
  const STATUS = {
    success: true,
    data: { publish_id: 'p', status: 'PUBLISH_COMPLETE', is_complete: true, publicaly_available_post_id: '7123456789012345678' }
  }

  it('reads a documented status answer', () => {
    expect(judgeStatus(answer(200, STATUS), 'p')).toEqual({
      kind: 'status',
      status: { status: 'PUBLISH_COMPLETE', isComplete: true, postId: '7123456789012345678', failReason: undefined, description: undefined }
    })
  })

  it('401 is unauthorized', () => {
    expect(judgeStatus(answer(401, { error: 'Invalid API key' }), 'p')).toEqual({
      kind: 'unauthorized',
      reason: 'HTTP 401: Invalid API key'
    })
  })

  it.each([
    [answer(500, { error: 'db down' }), 'HTTP 500: db down'],
    [answer(502, '<h1>Bad Gateway</h1>'), 'HTTP 502 (not JSON)'],
    [answer(200, 'not json'), 'HTTP 200 (not JSON)'],
    [answer(200, { success: false, error: 'Unknown publish_id' }), 'HTTP 200: Unknown publish_id'],
    [answer(200, { success: true, data: {} }), 'HTTP 200']
    // Changed (task E): a 429 is transient but rate-limited (the poll budget judges it): its own test below.
  ])('anything else is transient (%#)', (attempt, reason) => {
    expect(judgeStatus(attempt, 'p')).toEqual({ kind: 'transient', reason, retryAfter: undefined })
  })

  // Changed: 404 (and 400) now mean DraftClip does not know the publish id, not a passing failure.
  it.each([
    [400, 'HTTP 400: Unknown publish_id'],
    [404, 'HTTP 404: nope']
  ])('%d is unknown', (status, reason) => {
    const body = status === 400 ? { error: 'Unknown publish_id' } : { error: 'nope' }
    expect(judgeStatus(answer(status, body), 'p')).toEqual({ kind: 'unknown', reason })
  })

  it('a status with HTTP 201 is transient (only 200 is read)', () => {
    expect(judgeStatus(answer(201, STATUS), 'p').kind).toBe('transient')
  })

  it('no answer is transient', () => {
    expect(judgeStatus(noAnswer('ECONNRESET', true), 'p')).toEqual({
      kind: 'transient',
      reason: 'no answer (ECONNRESET)',
      retryAfter: undefined
    })
  })
})

describe('parseRetryAfter', () => {
  const NOW = Date.parse('2030-01-01T00:00:00Z')

  it.each([
    ['0', 0],
    ['1', 1000],
    ['120', 120_000],
    [' 30 ', 30_000]
  ])('reads delta-seconds %j', (header, ms) => {
    expect(parseRetryAfter(header, NOW)).toBe(ms)
  })

  it('reads an HTTP date in the future as the time until it', () => {
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:01:30 GMT', NOW)).toBe(90_000)
  })

  it('reads an HTTP date in the past as 0', () => {
    expect(parseRetryAfter('Mon, 31 Dec 2029 23:00:00 GMT', NOW)).toBe(0)
  })

  it.each([undefined, '', 'soon', 'tomorrow at noon', 'NaN'])('gives undefined for %j', header => {
    expect(parseRetryAfter(header, NOW)).toBeUndefined()
  })

  // Questionable: V8's Date.parse is lenient, so values that are neither
  // delta-seconds nor an HTTP date ('1.5', '-1', 'in 5') parse as dates in 2001 and
  // become "retry now" (0 ms) instead of undefined (which would fall back to backoff).
  it.each(['1.5', '-1', 'in 5'])('gives undefined for malformed %j (BUG: read as a 2001 date, 0 ms)', header => {
    expect(parseRetryAfter(header, NOW)).toBeUndefined()
  })
})

describe('retryDelayMs', () => {
  const timings: Timings = {
    stallMs: 60_000,
    connectMs: 30_000,
    backoffBaseMs: 2_000,
    maxDelayMs: 120_000,
    rateWindowMs: 60_000,
    statusRequestMs: 60_000
  }
  const NOW = Date.parse('2030-01-01T00:00:00Z')

  it('honours Retry-After seconds, whatever the retry number and jitter', () => {
    expect(retryDelayMs(1, '7', NOW, 0.99, timings)).toBe(7_000)
    expect(retryDelayMs(5, '7', NOW, 0, timings)).toBe(7_000)
  })

  it('honours Retry-After 0', () => {
    expect(retryDelayMs(3, '0', NOW, 0.5, timings)).toBe(0)
  })

  it('honours a Retry-After date', () => {
    expect(retryDelayMs(1, 'Tue, 01 Jan 2030 00:00:45 GMT', NOW, 0.5, timings)).toBe(45_000)
  })

  it('caps Retry-After at maxDelayMs', () => {
    expect(retryDelayMs(1, '86400', NOW, 0.5, timings)).toBe(120_000)
  })

  it('falls back to backoff for an unreadable Retry-After', () => {
    expect(retryDelayMs(1, 'soon', NOW, 1, timings)).toBe(2_000)
  })

  it('grows exponentially: base * 2^(retry-1) with random 1 (full)', () => {
    expect([1, 2, 3, 4, 5].map(r => retryDelayMs(r, undefined, NOW, 1, timings))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000])
  })

  it('jitter halves the delay at random 0', () => {
    expect([1, 2, 3].map(r => retryDelayMs(r, undefined, NOW, 0, timings))).toEqual([1_000, 2_000, 4_000])
  })

  it('stays between half and the full delay for any random', () => {
    for (let r = 1; r <= 6; r++) {
      const full = 2_000 * 2 ** (r - 1)
      for (const random of [0, 0.1, 0.25, 0.5, 0.75, 0.999999, 1]) {
        const delay = retryDelayMs(r, undefined, NOW, random, timings)
        expect(delay).toBeGreaterThanOrEqual(full / 2)
        expect(delay).toBeLessThanOrEqual(full)
      }
    }
    expect(retryDelayMs(2, undefined, NOW, 0.5, timings)).toBe(3_000)
  })

  it('is an integer number of milliseconds', () => {
    expect(Number.isInteger(retryDelayMs(1, undefined, NOW, 0.333333, { ...timings, backoffBaseMs: 7 }))).toBe(true)
  })

  it('never exceeds maxDelayMs however many retries', () => {
    expect(retryDelayMs(10, undefined, NOW, 1, timings)).toBe(120_000)
    expect(retryDelayMs(30, undefined, NOW, 0, timings)).toBe(120_000)
  })
})

describe('judgeUpload: redirects and where it could not connect', () => {
  it.each([302, 303])('a %d after the whole video was sent is unconfirmed (Post/Redirect/Get may follow a publish)', status => {
    expect(judgeUpload(answer(status, '', { bodySent: true }))).toEqual({
      kind: 'unconfirmed',
      reason: `DraftClip answered HTTP ${status} (the answer was not JSON), a redirect after the whole video was sent`
    })
  })

  it.each([302, 303])('a %d before the whole video was sent is rejected', status => {
    expect(judgeUpload(answer(status, { error: 'moved' }, { bodySent: false }))).toEqual({
      kind: 'rejected',
      reason: `DraftClip answered HTTP ${status}: moved, a redirect before the whole video was sent`
    })
  })

  it('a redirect carrying a publish id keeps the id, sent or not', () => {
    const body = { success: true, data: { publish_id: 'v_moved' } }
    expect(judgeUpload(answer(303, body, { bodySent: false }))).toMatchObject({ kind: 'unconfirmed', publishId: 'v_moved' })
  })

  it('a refused connection names the origin it could not reach', () => {
    const attempt: NoAnswer = {
      kind: 'no-answer',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:8080',
      bodySent: false,
      stalled: false,
      origin: 'http://127.0.0.1:8080'
    }
    expect(judgeUpload(attempt)).toEqual({
      kind: 'retry',
      reason: 'could not connect to http://127.0.0.1:8080 (ECONNREFUSED)',
      retryAfter: undefined,
      rateLimited: false,
      unreachable: true
    })
  })

  it('a publish id in a non-JSON body (cut short) is kept, never retried', () => {
    const text = '{"success":true,"data":{"publish_id":"v_cut","description":"abc'
    expect(judgeUpload(answer(200, text))).toEqual({
      kind: 'unconfirmed',
      reason: `DraftClip answered HTTP 200 (the answer was not JSON: ${text})`,
      publishId: 'v_cut'
    })
  })

  it('a local failure (the file gone) is rejected, not retried', () => {
    expect(judgeUpload(noAnswer('ENOENT', false))).toEqual({ kind: 'rejected', reason: 'could not be sent: ENOENT happened' })
  })
})

describe('judgeStatus: Retry-After, unknown ids and other videos', () => {
  it('429 with Retry-After is transient and carries it', () => {
    expect(judgeStatus(answer(429, { error: 'slow down' }, { retryAfter: '30' }), 'p')).toEqual({
      kind: 'transient',
      reason: 'HTTP 429: slow down',
      retryAfter: '30',
      // Changed (task E): the poll budget judges it with judgeRateLimit.
      rateLimited: true
    })
  })

  it('503 with Retry-After carries it too; other statuses do not', () => {
    expect(judgeStatus(answer(503, '<h1>busy</h1>', { retryAfter: '5' }), 'p')).toEqual({
      kind: 'transient',
      reason: 'HTTP 503 (not JSON)',
      retryAfter: '5'
    })
    expect(judgeStatus(answer(500, { error: 'db' }, { retryAfter: '5' }), 'p')).toEqual({
      kind: 'transient',
      reason: 'HTTP 500: db',
      retryAfter: undefined
    })
  })

  it('400 is unknown', () => {
    expect(judgeStatus(answer(400, { error: 'Invalid publish_id' }), 'p')).toEqual({
      kind: 'unknown',
      reason: 'HTTP 400: Invalid publish_id'
    })
  })

  it('a status about another publish id is transient, never read as ours', () => {
    const other = { success: true, data: { publish_id: 'other', status: 'PUBLISH_COMPLETE', publicaly_available_post_id: '1' } }
    expect(judgeStatus(answer(200, other), 'p')).toEqual({
      kind: 'transient',
      reason: 'the answer was about another publish id',
      retryAfter: undefined
    })
  })

  it('a status without publish_id is read as ours', () => {
    expect(judgeStatus(answer(200, { success: true, data: { status: 'PROCESSING' } }), 'p')).toMatchObject({
      kind: 'status',
      status: { status: 'PROCESSING', isComplete: false }
    })
  })
})

describe('judgeUpload: a certificate the runner does not trust', () => {
  it.each([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID'
  ])('%s is permanent: never retried, and says how to trust a private CA', code => {
    const verdict = judgeUpload({ ...noAnswer(code, false), untrustedCertificate: true })
    expect(verdict.kind).toBe('untrusted')
    const { reason } = verdict as { reason: string }
    expect(reason).toContain(`this runner does not trust the TLS certificate of ${ORIGIN} (${code}: ${code} happened)`)
    expect(reason).toContain('NODE_EXTRA_CA_CERTS')
    expect(reason).not.toContain('the connection broke')
  })
})

describe('judgeStatus: a certificate the runner does not trust', () => {
  it('is not asked again: the wait ends, saying why', () => {
    const verdict = judgeStatus({ ...noAnswer('SELF_SIGNED_CERT_IN_CHAIN', true), untrustedCertificate: true }, 'p')
    expect(verdict.kind).toBe('untrusted')
    expect((verdict as { reason: string }).reason).toContain('NODE_EXTRA_CA_CERTS')
  })
})

describe('judgeRateLimit (a 429, for every request of its kind)', () => {
  const NOW = Date.parse('2026-12-07T12:00:00Z')
  const limits = { maxDelayMs: 120_000, rateWindowMs: 60_000 }
  const asked = (retryAfter: string | undefined, sentAt = NOW - 500) => ({ retryAfter, sentAt, now: NOW })

  it('a short Retry-After (seconds or an HTTP date) is a rate window: wait until then', () => {
    expect(judgeRateLimit(asked('30'), undefined, limits)).toEqual({ kind: 'wait', until: NOW + 30_000 })
    expect(judgeRateLimit(asked(new Date(NOW + 90_000).toUTCString()), undefined, limits)).toEqual({ kind: 'wait', until: NOW + 90_000 })
    expect(judgeRateLimit(asked('120'), undefined, limits)).toEqual({ kind: 'wait', until: NOW + 120_000 })
  })

  it('no hint (or an unreadable one): one rate window', () => {
    expect(judgeRateLimit(asked(undefined), undefined, limits)).toEqual({ kind: 'wait', until: NOW + 60_000 })
    expect(judgeRateLimit(asked('soon'), undefined, limits)).toEqual({ kind: 'wait', until: NOW + 60_000 })
  })

  it('a Retry-After longer than the cap is a spent quota, and says when it resets', () => {
    expect(judgeRateLimit(asked('3600'), undefined, limits)).toEqual({ kind: 'spent', resetsAt: NOW + 3_600_000 })
    expect(judgeRateLimit(asked('121'), undefined, limits)).toEqual({ kind: 'spent', resetsAt: NOW + 121_000 })
    const midnight = Date.parse('2026-12-08T00:00:00Z')
    expect(judgeRateLimit(asked(new Date(midnight).toUTCString()), undefined, limits)).toEqual({ kind: 'spent', resetsAt: midnight })
  })

  it('a 429 for a request sent after the wait ended is a spent quota (with or without a hint)', () => {
    const held = NOW - 1000
    expect(judgeRateLimit(asked(undefined, held), held, limits)).toEqual({ kind: 'spent', resetsAt: undefined })
    expect(judgeRateLimit(asked('10', held + 1), held, limits)).toEqual({ kind: 'spent', resetsAt: NOW + 10_000 })
  })

  it('a 429 for a request sent before the wait ended (in flight) joins the wait; the later end stands', () => {
    const held = NOW + 30_000
    expect(judgeRateLimit(asked('5', NOW - 100), held, limits)).toEqual({ kind: 'wait', until: held })
    expect(judgeRateLimit(asked('50', NOW - 100), held, limits)).toEqual({ kind: 'wait', until: NOW + 50_000 })
  })
})

describe('quotaResets', () => {
  it('names the instant in UTC, or says the server did not', () => {
    expect(quotaResets(Date.parse('2026-12-08T00:00:00Z'))).toBe('DraftClip says it resets at 2026-12-08T00:00:00Z')
    expect(quotaResets(undefined)).toBe('DraftClip did not say when it resets')
  })
})

describe('neverReached (a request that cost none of the plan)', () => {
  const no = (code: string, more: Partial<NoAnswer> = {}): NoAnswer => ({
    kind: 'no-answer',
    code,
    message: code,
    bodySent: false,
    stalled: false,
    origin: 'https://drafttok.app',
    ...more
  })
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])(
    '%s: never reached',
    code => {
      expect(neverReached(no(code))).toBe(true)
    }
  )
  it('a refused certificate: never reached', () => {
    expect(neverReached(no('SELF_SIGNED_CERT_IN_CHAIN', { untrustedCertificate: true }))).toBe(true)
  })
  it('a reset, a stall, a timeout or any answer may have reached it', () => {
    expect(neverReached(no('ECONNRESET'))).toBe(false)
    expect(neverReached(no('STALLED', { stalled: true }))).toBe(false)
    expect(neverReached(no('TIMEOUT', { bodySent: true }))).toBe(false)
    const answer: Answer = { kind: 'answer', httpStatus: 503, json: undefined, text: '', retryAfter: undefined, bodySent: true }
    expect(neverReached(answer)).toBe(false)
  })
})

import { describe, expect, it } from '@jest/globals'
import { counting, type RequestCount } from '../../src/draftclip/client.js'
import type { Attempt, DraftClip, UploadRequest } from '../../src/model/ports.js'

/** The `requests` output counts what left: every request sent, whatever came back (issue 18). */

const ORIGIN = 'https://drafttok.app'
const unavailable: Attempt = {
  kind: 'answer',
  httpStatus: 503,
  json: undefined,
  text: 'Service Unavailable',
  retryAfter: undefined,
  bodySent: true
}
const timedOut: Attempt = {
  kind: 'no-answer',
  code: 'TIMEOUT',
  message: 'no answer in time',
  bodySent: true,
  stalled: false,
  origin: ORIGIN
}
const aborted: Attempt = { kind: 'no-answer', code: 'ABORTED', message: 'the run stopped', bodySent: true, stalled: false, origin: ORIGIN }

/** A DraftClip that says `answer` to everything, and counts what reached it. */
function fake(answer: (signal?: AbortSignal) => Promise<Attempt>): DraftClip & { reached: number } {
  const client = {
    reached: 0,
    upload: async () => {
      client.reached++
      return answer()
    },
    status: async (_id: string, _timeoutMs: number, signal?: AbortSignal) => {
      // A request on an already-aborted signal never leaves (fetch rejects at once).
      if (signal?.aborted) return aborted
      client.reached++
      return answer(signal)
    },
    close: async () => undefined
  }
  return client
}

const upload = {} as UploadRequest

describe('counting', () => {
  it('a 503 is one request, upload or status', async () => {
    const count: RequestCount = { upload: 0, status: 0 }
    const client = counting(
      fake(async () => unavailable),
      count
    )
    expect(await client.upload(upload)).toBe(unavailable)
    expect(await client.status('p', 1000)).toBe(unavailable)
    expect(count).toEqual({ upload: 1, status: 1 })
  })

  it('a request that timed out is one request', async () => {
    const count: RequestCount = { upload: 0, status: 0 }
    const client = counting(
      fake(async () => timedOut),
      count
    )
    expect(await client.status('p', 1000)).toBe(timedOut)
    expect(await client.upload(upload)).toBe(timedOut)
    expect(count).toEqual({ upload: 1, status: 1 })
  })

  it('a status request aborted while under way is one request; one on a signal aborted before is none', async () => {
    const count: RequestCount = { upload: 0, status: 0 }
    const controller = new AbortController()
    const inner = fake(
      signal =>
        new Promise<Attempt>(resolve => {
          signal!.addEventListener('abort', () => resolve(aborted))
        })
    )
    const client = counting(inner, count)
    const under = client.status('p', 1000, controller.signal)
    controller.abort()
    expect(await under).toBe(aborted)
    expect(count.status).toBe(1)
    expect(await client.status('p', 1000, controller.signal)).toBe(aborted)
    expect(count).toEqual({ upload: 0, status: 1 })
    // The count is what reached DraftClip.
    expect(inner.reached).toBe(count.status)
  })

  it('a request that never reached DraftClip (refused, DNS, a refused certificate) is counted apart, not as the plan (task E)', async () => {
    const count: RequestCount = { upload: 0, status: 0 }
    const refused: Attempt = {
      kind: 'no-answer',
      code: 'ECONNREFUSED',
      message: 'refused',
      bodySent: false,
      stalled: false,
      origin: ORIGIN
    }
    const untrusted: Attempt = { ...refused, code: 'SELF_SIGNED_CERT_IN_CHAIN', untrustedCertificate: true }
    const client = counting(
      fake(async () => refused),
      count
    )
    const under = client.upload(upload)
    // Counted as it leaves (a cancelled job's outputs include a request under way), moved once it proves it never arrived.
    expect(count).toEqual({ upload: 1, status: 0 })
    expect(await under).toBe(refused)
    await client.status('p', 1000)
    expect(count).toEqual({ upload: 0, status: 0, unreached: 2 })
    await counting(
      fake(async () => untrusted),
      count
    ).upload(upload)
    expect(count).toEqual({ upload: 0, status: 0, unreached: 3 })
  })

  it('passes every call through once, and close too', async () => {
    const count: RequestCount = { upload: 0, status: 0 }
    const inner = fake(async () => unavailable)
    let closed = 0
    const client = counting({ ...inner, close: async () => void closed++ }, count)
    for (let i = 0; i < 3; i++) await client.status('p', 1000)
    await client.close()
    expect(count.status).toBe(3)
    expect(closed).toBe(1)
  })
})

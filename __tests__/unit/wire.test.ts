import { describe, expect, it } from '@jest/globals'
import type { Attempt, DraftClip, UploadRequest } from '../../src/model/ports.js'
import { UploadWire } from '../../src/publish/wire.js'

/** How far one video's upload got, as a cancelled job reads it (lifecycle.interrupted). */

const request: UploadRequest = {
  name: 'a.mp4',
  size: 1,
  contentType: 'video/mp4',
  fields: {},
  // eslint-disable-next-line require-yield
  chunks: async function* () {
    return
  }
}

/** A client whose one upload ends as the test says; it keeps what it was given. */
function oneUpload(): { client: DraftClip; given: () => UploadRequest; end: (attempt: Attempt) => void } {
  let given: UploadRequest | undefined
  let end: (attempt: Attempt) => void = () => undefined
  const client: DraftClip = {
    upload: video => {
      given = video
      return new Promise<Attempt>(resolve => (end = resolve))
    },
    status: () => new Promise<Attempt>(() => undefined),
    close: async () => undefined
  }
  return { client, given: () => given!, end: attempt => end(attempt) }
}

const noAnswer = (bodySent: boolean): Attempt => ({
  kind: 'no-answer',
  code: 'ECONNRESET',
  message: 'reset',
  bodySent,
  stalled: false,
  origin: 'http://127.0.0.1'
})
const answer = (httpStatus: number): Attempt => ({
  kind: 'answer',
  httpStatus,
  json: {},
  text: '{}',
  retryAfter: undefined,
  bodySent: true
})

describe('UploadWire', () => {
  it('no attempt yet: none out', () => {
    expect(new UploadWire().reach()).toBe('none-out')
  })

  it("an attempt out may have left until the retry policy says it certainly was not taken; the job's signal goes with it", async () => {
    const wire = new UploadWire()
    const cancel = new AbortController()
    const fake = oneUpload()
    const attempt = wire.watch(fake.client, cancel.signal).upload(request)
    expect(wire.reach()).toBe('may-have-left')
    expect(fake.given().signal).toBe(cancel.signal)
    fake.end(answer(503))
    await attempt
    expect(wire.reach()).toBe('none-out')
  })

  it.each([
    ['the whole body left, no answer', noAnswer(true)],
    ['a 502', answer(502)],
    ['a 200 without a publish ID', answer(200)]
  ])('%s: may have left, until the run applies its outcome', async (_, ending) => {
    const wire = new UploadWire()
    const fake = oneUpload()
    const attempt = wire.watch(fake.client, undefined).upload(request)
    fake.end(ending)
    await attempt
    expect(wire.reach()).toBe('may-have-left')
  })

  it('the client held the last bytes back: held back, also once the attempt has ended', async () => {
    const wire = new UploadWire()
    const fake = oneUpload()
    const attempt = wire.watch(fake.client, undefined).upload(request)
    fake.given().onHeldBack?.()
    expect(wire.reach()).toBe('held-back')
    fake.end(noAnswer(false))
    await attempt
    expect(wire.reach()).toBe('held-back')
  })
})

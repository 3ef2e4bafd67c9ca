import { describe, it, expect } from '@jest/globals'
import { multipartFrame, newBoundary } from '../../src/draftclip/multipart.js'

/** A fixed boundary so that the expected bytes can be written out. */
const BOUNDARY = '----test-boundary-0123456789'

describe('multipartFrame', () => {
  const video = {
    name: 'trailer.mp4',
    size: 1234,
    contentType: 'video/mp4',
    fields: { description: 'Hello #fyp\nsecond line', privacy_level: 'SELF_ONLY', title: 'Tïtle 😀' }
  }

  it('length is head + file size + tail, in bytes', () => {
    const { head, tail, length } = multipartFrame(video, BOUNDARY)
    expect(length).toBe(head.length + 1234 + tail.length)
    // Multi-byte characters count as bytes, not characters.
    expect(head.length).toBe(Buffer.byteLength(head.toString('utf8'), 'utf8'))
    expect(head.length).toBeGreaterThan(head.toString('utf8').length)
  })

  it('writes each field as its own part, in order, then the file part header', () => {
    const head = multipartFrame(video, BOUNDARY).head.toString('utf8')
    expect(head).toBe(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="description"\r\n\r\nHello #fyp\nsecond line\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="privacy_level"\r\n\r\nSELF_ONLY\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nTïtle 😀\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="video"; filename="trailer.mp4"\r\nContent-Type: video/mp4\r\n\r\n`
    )
  })

  it('closes with the final boundary', () => {
    expect(multipartFrame(video, BOUNDARY).tail.toString('utf8')).toBe(`\r\n--${BOUNDARY}--\r\n`)
  })

  it('escapes quotes, CR and LF in the file name', () => {
    const { head } = multipartFrame({ ...video, name: 'my "best"\r\nclip.mp4' }, BOUNDARY)
    const text = head.toString('utf8')
    expect(text).toContain('filename="my %22best%22%0D%0Aclip.mp4"')
    // The file part's disposition stays on one line.
    const disposition = text.split('\r\n').find(l => l.includes('name="video"'))
    expect(disposition).toBe('Content-Disposition: form-data; name="video"; filename="my %22best%22%0D%0Aclip.mp4"')
  })

  it('keeps a non-ASCII file name as UTF-8', () => {
    expect(multipartFrame({ ...video, name: 'été.mp4' }, BOUNDARY).head.toString('utf8')).toContain('filename="été.mp4"')
  })

  it('throws when a field value contains the boundary, naming the field and the video', () => {
    expect(() => multipartFrame({ ...video, fields: { description: `x\r\n--${BOUNDARY}\r\ny` } }, BOUNDARY)).toThrow(
      'The description of trailer.mp4 contains the multipart boundary'
    )
  })

  it('returns the boundary it used', () => {
    expect(multipartFrame(video, BOUNDARY).boundary).toBe(BOUNDARY)
  })

  it('draws a fresh random boundary for every frame by default, and uses it throughout', () => {
    const a = multipartFrame(video)
    const b = multipartFrame(video)
    expect(a.boundary).toMatch(/^----draftclip-publish-[0-9a-f]{48}$/)
    expect(b.boundary).not.toBe(a.boundary)
    expect(a.tail.toString('utf8')).toBe(`\r\n--${a.boundary}--\r\n`)
    const text = a.head.toString('utf8')
    expect(text.split(`--${a.boundary}\r\n`)).toHaveLength(5) // 3 fields + the file part
    expect(a.length).toBe(a.head.length + video.size + a.tail.length)
  })

  it('newBoundary is 70 characters at most (RFC 2046) and differs each time', () => {
    const seen = new Set(Array.from({ length: 50 }, () => newBoundary()))
    expect(seen.size).toBe(50)
    for (const b of seen) expect(b.length).toBeLessThanOrEqual(70)
  })

  it('a field that happens to contain a different boundary is fine', () => {
    const { head } = multipartFrame({ ...video, fields: { description: '----draftclip-publish-7d0c1e5b9a4f4e3c' } }, BOUNDARY)
    expect(head.toString('utf8')).toContain('\r\n\r\n----draftclip-publish-7d0c1e5b9a4f4e3c\r\n')
  })

  it('works with no fields and a zero-byte file', () => {
    const { head, tail, length } = multipartFrame({ name: 'a.mp4', size: 0, contentType: 'video/mp4', fields: {} }, BOUNDARY)
    expect(head.toString('utf8').startsWith(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="video"`)).toBe(true)
    expect(length).toBe(head.length + tail.length)
  })
})

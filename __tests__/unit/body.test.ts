import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import * as zlib from 'node:zlib'
import { describe, expect, it } from '@jest/globals'
import { readBody } from '../../src/draftclip/body.js'

const ANSWER = '{"success":true,"data":{"publish_id":"v_pub_in_a_gzip","status":"PROCESSING_UPLOAD"}}'
const MiB = 1024 * 1024

/** The bytes as the wire gives them, in pieces of `piece` bytes. */
const wire = (bytes: Buffer, piece = 1000): AsyncIterable<Buffer> =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / piece) }, (_, i) => bytes.subarray(i * piece, (i + 1) * piece)))

describe('readBody: what the server sent, decoded', () => {
  it.each([
    ['gzip', zlib.gzipSync],
    ['x-gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['deflate', zlib.deflateRawSync],
    ['br', zlib.brotliCompressSync],
    ['GZIP', zlib.gzipSync]
  ])('%s', async (encoding, compress) => {
    expect(await readBody(wire(compress(Buffer.from(ANSWER)), 7), encoding, MiB)).toEqual({
      text: ANSWER,
      encoding: encoding.toLowerCase(),
      undecodable: false
    })
  })

  it('no encoding, or identity: the bytes as they are', async () => {
    expect((await readBody(wire(Buffer.from(ANSWER)), undefined, MiB)).text).toBe(ANSWER)
    expect((await readBody(wire(Buffer.from(ANSWER)), 'identity', MiB)).text).toBe(ANSWER)
  })

  it('codings applied in turn are undone in turn', async () => {
    const twice = zlib.brotliCompressSync(zlib.gzipSync(Buffer.from(ANSWER)))
    expect((await readBody(wire(twice), 'gzip, br', MiB)).text).toBe(ANSWER)
  })

  it('a compressed answer cut short keeps what came, publish id and all', async () => {
    // Noise after the answer, so the cut falls well after it.
    const whole = zlib.gzipSync(Buffer.from(ANSWER + randomBytes(50_000).toString('base64') + 'tail'))
    const body = await readBody(wire(whole.subarray(0, Math.floor(whole.length * 0.6))), 'gzip', MiB)
    expect(body.text.length).toBeGreaterThan(ANSWER.length)
    expect(body.text.startsWith(ANSWER)).toBe(true)
    expect(body.text).not.toContain('tail')
  })

  it('a small gzip that inflates to 64 MiB keeps only the limit', async () => {
    const bomb = zlib.gzipSync(Buffer.concat([Buffer.from(ANSWER), Buffer.alloc(64 * MiB)]), { level: 9 })
    expect(bomb.length).toBeLessThan(MiB)
    const body = await readBody(wire(bomb, 16_384), 'gzip', MiB)
    expect(Buffer.byteLength(body.text)).toBe(MiB)
    expect(body.text.startsWith(ANSWER)).toBe(true)
  })

  it('a huge plain answer keeps the limit', async () => {
    const body = await readBody(wire(Buffer.from(ANSWER + 'x'.repeat(3 * MiB)), 65_536), undefined, MiB)
    expect(Buffer.byteLength(body.text)).toBe(MiB)
  })

  it('an encoding it cannot read, or bytes that are not what the header says, are said to be undecodable', async () => {
    expect(await readBody(wire(Buffer.from('((zstd))')), 'zstd', MiB)).toEqual({ text: '', encoding: 'zstd', undecodable: true })
    expect(await readBody(wire(Buffer.from(ANSWER)), 'gzip', MiB)).toEqual({ text: '', encoding: 'gzip', undecodable: true })
  })
})

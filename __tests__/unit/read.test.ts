import { describe, it, expect, beforeEach, afterEach } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { hashFile, ReadBuffers, readChunks, readHead } from '../../src/videos/read.js'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-hash-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('hashFile', () => {
  it.each([0, 1, 1024 * 1024, 3 * 1024 * 1024 + 17])('equals crypto sha256 of %d bytes', async size => {
    const bytes = randomBytes(size)
    const file = path.join(dir, `f${size}.mp4`)
    fs.writeFileSync(file, bytes)
    const expected = createHash('sha256').update(bytes).digest('hex')
    expect(await hashFile(file, size)).toBe(expected)
    expect(expected).toMatch(/^[0-9a-f]{64}$/)
  })

  it('gives the known digest of the empty file', async () => {
    const file = path.join(dir, 'empty')
    fs.writeFileSync(file, '')
    expect(await hashFile(file, 0)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })

  it('hashes only the first `size` bytes (the size the check saw)', async () => {
    const file = path.join(dir, 'grown.mp4')
    fs.writeFileSync(file, 'abcdef')
    expect(await hashFile(file, 3)).toBe(createHash('sha256').update('abc').digest('hex'))
  })

  it('rejects for a missing file', async () => {
    await expect(hashFile(path.join(dir, 'missing'), 10)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('rejects, naming the file, when it shrank below the size', async () => {
    const file = path.join(dir, 'shrunk.mp4')
    fs.writeFileSync(file, 'abc')
    await expect(hashFile(file, 10)).rejects.toThrow(`${file} shrank while it was being read (3 of 10 bytes)`)
  })
})

describe('readChunks', () => {
  it('yields the bytes in order with a running total, in chunks of at most 1 MiB', async () => {
    const bytes = randomBytes(2 * 1024 * 1024 + 5)
    const file = path.join(dir, 'v.mp4')
    fs.writeFileSync(file, bytes)
    const copies: Buffer[] = []
    const totals: number[] = []
    for await (const { chunk, total } of readChunks(file, bytes.length)) {
      copies.push(Buffer.from(chunk))
      totals.push(total)
    }
    expect(totals).toEqual([1024 * 1024, 2 * 1024 * 1024, 2 * 1024 * 1024 + 5])
    expect(Buffer.concat(copies).equals(bytes)).toBe(true)
  })
})

describe('readHead', () => {
  it('reads the first bytes, fewer when the file is shorter', async () => {
    const file = path.join(dir, 'h.mp4')
    fs.writeFileSync(file, '0123456789abcdefXYZ')
    expect((await readHead(file)).toString()).toBe('0123456789ab')
    expect((await readHead(file, 4)).toString()).toBe('0123')
    fs.writeFileSync(file, 'abc')
    expect((await readHead(file)).toString()).toBe('abc')
  })
})

describe('ReadBuffers: one ring per upload in hand, reused, never shared with a read still under way', () => {
  const bytesOf = async (chunks: AsyncIterable<{ chunk: Buffer }>): Promise<Buffer> => {
    const parts: Buffer[] = []
    for await (const { chunk } of chunks) parts.push(Buffer.from(chunk))
    return Buffer.concat(parts)
  }

  it('a released ring is the next one taken; one still held is not', () => {
    const a = ReadBuffers.take()
    const b = ReadBuffers.take()
    expect(b).not.toBe(a)
    a.release()
    expect(ReadBuffers.take()).toBe(a)
    b.release()
  })

  it('the same ring reads file after file correctly (3 MiB + 17 bytes, then 5 bytes)', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 17)
    fs.writeFileSync(path.join(dir, 'big'), big)
    fs.writeFileSync(path.join(dir, 'small'), 'hello')
    const ring = ReadBuffers.take()
    expect((await bytesOf(readChunks(path.join(dir, 'big'), big.length, ring))).equals(big)).toBe(true)
    expect((await bytesOf(readChunks(path.join(dir, 'small'), 5, ring))).toString()).toBe('hello')
    ring.release()
  })

  it('while a read is under way in a ring, another read gets buffers of its own, and the ring is not spare until the read ends', async () => {
    const one = randomBytes(2 * 1024 * 1024)
    const two = randomBytes(2 * 1024 * 1024)
    fs.writeFileSync(path.join(dir, 'one'), one)
    fs.writeFileSync(path.join(dir, 'two'), two)
    const ring = ReadBuffers.take()
    // An attempt abandoned after its first chunk: its generator still holds the ring.
    const first = readChunks(path.join(dir, 'one'), one.length, ring)
    const head = await first.next()
    expect(ring.free()).toBe(false)
    const firstChunk = Buffer.from((head.value as { chunk: Buffer }).chunk)
    // The retry reads the other file through the same ring, and must not overwrite the first's buffers.
    expect((await bytesOf(readChunks(path.join(dir, 'two'), two.length, ring))).equals(two)).toBe(true)
    expect((head.value as { chunk: Buffer }).chunk.equals(firstChunk)).toBe(true)
    ring.release()
    expect(ReadBuffers.take()).not.toBe(ring)
    await first.return(undefined)
    expect(ReadBuffers.take()).toBe(ring)
  })
})

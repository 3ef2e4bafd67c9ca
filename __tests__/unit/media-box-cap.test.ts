import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import { fixture } from '../support/action.js'
import { readContainer, type ByteSource } from '../../src/videos/media.js'
import { judgeMedia } from '../../src/videos/media-rules.js'

/** A file of nothing but 8-byte 'free' boxes, made as it is read. */
function freeBoxes(count: number): ByteSource {
  const box = Buffer.from([0, 0, 0, 8, ...Buffer.from('free', 'latin1')])
  const size = count * 8
  return {
    size,
    read: async (offset: number, length: number) => {
      const out = Buffer.alloc(Math.max(0, Math.min(length, size - offset)))
      for (let i = 0; i < out.length; i++) out[i] = box[(offset + i) % 8]
      return out
    }
  }
}

describe('the walk over top-level boxes', () => {
  it('says it could not judge the file past 100,000 boxes (ffprobe reads it), not that it is damaged, and how to remux it', async () => {
    const reading = await readContainer(freeBoxes(100_001), 'iso')
    expect(reading).toEqual({
      kind: 'unjudged',
      container: 'iso',
      why: "its 'moov' box is not within the first 100,000 boxes and 32 MB of metadata, where the check stops reading"
    })
    expect(judgeMedia(reading, 600, 'videos/free.mp4').problems).toEqual([
      {
        problem:
          "it could not be judged: its 'moov' box is not within the first 100,000 boxes and 32 MB of metadata, where the check stops reading",
        fix: 'remux it with its metadata first: ffmpeg -i videos/free.mp4 -c copy -movflags +faststart videos/free.tiktok.mp4'
      }
    ])
  })

  it("a file that ends within the cap has no 'moov'", async () => {
    const reading = await readContainer(freeBoxes(100_000), 'iso')
    expect(reading).toMatchObject({ kind: 'unreadable', why: expect.stringContaining("it has no 'moov' box") })
  })

  it("a fragmented MP4 whose fragments go on past the cap, with no 'mehd' or 'sidx', could not be judged", async () => {
    const bytes = fs.readFileSync(fixture('fragmented.mp4'))
    const firstMoof = bytes.indexOf('moof') - 4
    // Its ftyp and moov, 100,000 free boxes, then its fragments: a real file, only longer than the walk goes.
    const free = freeBoxes(100_000)
    const parts = [bytes.subarray(0, firstMoof), await free.read(0, free.size), bytes.subarray(firstMoof)]
    const whole = Buffer.concat(parts)
    const source: ByteSource = { size: whole.length, read: async (at, n) => whole.subarray(at, at + n) }
    expect(await readContainer(source, 'iso')).toMatchObject({
      kind: 'unjudged',
      why: "it is a fragmented MP4 whose fragments go on past the first 100,000 boxes, where the check stops reading, and no 'mehd' or 'sidx' box says its duration"
    })
  })
})

/** `bytes` with the box at `path` (types from the top, the first of each) replaced by `box`, every parent's size grown to hold it. */
function replaceBox(bytes: Buffer, path: string[], box: Buffer, from = 0, to = bytes.length): Buffer {
  for (let at = from; at + 8 <= to; at += bytes.readUInt32BE(at)) {
    if (bytes.toString('latin1', at + 4, at + 8) !== path[0]) continue
    const end = at + bytes.readUInt32BE(at)
    if (path.length === 1) return Buffer.concat([bytes.subarray(0, at), box, bytes.subarray(end)])
    const out = replaceBox(bytes, path.slice(1), box, at + 8, end)
    out.writeUInt32BE(bytes.readUInt32BE(at) + out.length - bytes.length, at)
    return out
  }
  throw new Error(`no ${path[0]}`)
}

function fullBox(type: string, entries: number, entryBytes: number, fill: (body: Buffer, at: number, i: number) => void): Buffer {
  const box = Buffer.alloc(16 + entries * entryBytes)
  box.writeUInt32BE(box.length, 0)
  box.write(type, 4, 'latin1')
  box.writeUInt32BE(entries, 12)
  for (let i = 0; i < entries; i++) fill(box, 16 + i * entryBytes, i)
  return box
}

describe('sample tables that lie', () => {
  it('an stsc whose runs go back to chunk 1 is walked once per chunk, not once per run and chunk (a hang on a few hundred KB)', async () => {
    const stbl = ['moov', 'trak', 'mdia', 'minf', 'stbl']
    const chunks = 50_000
    const runs = 20_000
    let bytes: Buffer = Buffer.from(fs.readFileSync(fixture('h264-faststart.mp4')))
    // Every other run starts again at chunk 1, with no samples per chunk: each walks all 50,000 chunks.
    const stsc = fullBox('stsc', runs, 12, (box, at, i) => box.writeUInt32BE(i % 2 ? chunks + 1 : 1, at))
    const stco = fullBox('stco', chunks, 4, () => undefined)
    bytes = replaceBox(replaceBox(bytes, [...stbl, 'stsc'], stsc), [...stbl, 'stco'], stco)
    const source: ByteSource = { size: bytes.length, read: async (at, n) => bytes.subarray(at, at + n) }
    const started = performance.now()
    const reading = await readContainer(source, 'iso')
    // Before the fix: 308 s under jest on a 2-core machine; now a few ms.
    expect(performance.now() - started).toBeLessThan(2000)
    expect(reading).toMatchObject({ kind: 'video', media: { width: 360, height: 640 } })
  })
})

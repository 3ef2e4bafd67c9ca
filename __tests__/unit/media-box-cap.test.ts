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
      why: "its 'moov' box is not within the first 100,000 boxes and 32 MB of metadata, where the check stops reading",
      fix: 'remux it with its metadata first: ffmpeg -i in.mp4 -c copy -movflags +faststart out.mp4'
    })
    expect(judgeMedia(reading, 600).problems).toEqual([
      {
        problem:
          "it could not be judged: its 'moov' box is not within the first 100,000 boxes and 32 MB of metadata, where the check stops reading",
        fix: 'remux it with its metadata first: ffmpeg -i in.mp4 -c copy -movflags +faststart out.mp4'
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

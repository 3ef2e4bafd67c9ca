import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { MediaSniffer } from '../../sandbox/media.js'
import { readContainer, type ByteSource } from '../../src/videos/media.js'
import { isLfsPointer, judgeMedia } from '../../src/videos/media-rules.js'
import { fixture } from '../support/action.js'

/**
 * Two judges of TikTok's rules: the action's (src/videos/media.ts, media-rules.ts) before the upload, and the
 * sandbox's (sandbox/media.js) after it. Where they disagree, a local run shows a video passing one and failing
 * the other: over every fixture and some mutated real files, they must give the same fail_reason (or none).
 */

const source = (bytes: Buffer): ByteSource => ({
  size: bytes.length,
  read: async (offset: number, length: number) => Buffer.from(bytes.subarray(offset, Math.min(bytes.length, offset + length)))
})

async function actionSays(name: string, bytes: Buffer, maxDuration: number): Promise<string | null> {
  if (isLfsPointer(bytes)) return 'file_format_check_failed'
  const reading = await readContainer(source(bytes), name.endsWith('.avi') ? 'avi' : 'iso')
  return judgeMedia(reading, maxDuration, name).problems[0]?.failReason ?? null
}

function sandboxSays(name: string, bytes: Buffer, maxDuration: number): string | null {
  const sniffer = new MediaSniffer(name, { maxDuration })
  // In uneven chunks, as a socket hands them over: box headers split across chunks too.
  for (let at = 0; at < bytes.length; at += 777) sniffer.write(bytes.subarray(at, at + 777))
  return sniffer.failReason()
}

/** The top-level box `type`, or the first box of that type inside it along `path`: where its header starts. */
function boxAt(bytes: Buffer, types: string[], from = 0, to = bytes.length): { at: number; body: number; end: number } {
  for (let at = from; at + 8 <= to;) {
    const size = bytes.readUInt32BE(at)
    const end = size === 0 ? to : at + size
    if (bytes.toString('latin1', at + 4, at + 8) === types[0]) {
      // stsd's entries start after its version, flags and count.
      const body = at + 8 + (types[0] === 'stsd' ? 8 : 0)
      return types.length === 1 ? { at, body: at + 8, end } : boxAt(bytes, types.slice(1), body, end)
    }
    at = end
  }
  throw new Error(`no ${types.join('/')}`)
}

const VIDEO_STBL = ['moov', 'trak', 'mdia', 'minf', 'stbl']
const read = (name: string): Buffer => fs.readFileSync(fixture(name))

/** Real files, changed where a reader might part ways with the other. */
function mutations(): [string, Buffer][] {
  const out: [string, Buffer][] = []
  const faststart = read('h264-faststart.mp4')
  for (const entry of ['avc2', 'avc3', 'avc4', 'dvh1', 'dvhe', 'hev1', 'mp4v', 'av01', 'xyz1']) {
    const copy = Buffer.from(faststart)
    const stsd = boxAt(copy, [...VIDEO_STBL, 'stsd'])
    copy.write(entry, stsd.body + 4 + 8, 'latin1')
    out.push([`sample entry ${entry}.mp4`, copy])
  }
  // A moov at the end of the file with size 0: "to the end of the file".
  const atEnd = Buffer.from(read('h264-moov-at-end.mp4'))
  atEnd.writeUInt32BE(0, boxAt(atEnd, ['moov']).at)
  out.push(['moov of size 0.mp4', atEnd])
  // A moov cut in its middle.
  const moov = boxAt(faststart, ['moov'])
  out.push(['moov cut short.mp4', faststart.subarray(0, (moov.at + moov.end) >> 1)])
  // Frame counts over 2,000 s around the fps boundaries: 60.0045 and 22.995 round (once) to 60 and 23.
  // (Both judges take fps from stts's frames and their durations, as ffprobe does: a timescale of `frames` and 2000 ticks each.)
  for (const frames of [120_009, 120_020, 45_990, 45_980, 46_000, 120_000]) {
    const copy = Buffer.from(faststart)
    const mdhd = boxAt(copy, ['moov', 'trak', 'mdia', 'mdhd'])
    copy.writeUInt32BE(frames, mdhd.body + 12)
    copy.writeUInt32BE(frames * 2000, mdhd.body + 16)
    const stts = boxAt(copy, [...VIDEO_STBL, 'stts'])
    copy.writeUInt32BE(1, stts.body + 4)
    copy.writeUInt32BE(frames, stts.body + 8)
    copy.writeUInt32BE(2000, stts.body + 12)
    out.push([`${frames} frames in 2000 s.mp4`, copy])
  }
  return out
}

const fixtures = fs.readdirSync(path.dirname(fixture('clip.avi'))).filter(name => /\.(mp4|mov|avi)$/i.test(name))

describe("the action's judge and the sandbox's agree", () => {
  it('covers every fixture', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20)
  })

  it.each([...fixtures.map((name): [string, Buffer] => [name, read(name)]), ...mutations()])('%s', async (name, bytes) => {
    for (const maxDuration of [600, 1]) {
      expect({ maxDuration, verdict: sandboxSays(name, bytes, maxDuration) }).toEqual({
        maxDuration,
        verdict: await actionSays(name, bytes, maxDuration)
      })
    }
  })

  it('judges the fps boundaries by the value rounded once, to two decimals', async () => {
    const verdicts = Object.fromEntries(
      await Promise.all(
        mutations()
          .filter(([name]) => name.includes(' frames in '))
          .map(async ([name, bytes]) => [name, await actionSays(name, bytes, 3000)])
      )
    )
    expect(verdicts).toEqual({
      '120009 frames in 2000 s.mp4': null, // 60.0045 -> 60
      '120020 frames in 2000 s.mp4': 'frame_rate_check_failed', // 60.01
      '45990 frames in 2000 s.mp4': null, // 22.995 -> 23
      '45980 frames in 2000 s.mp4': 'frame_rate_check_failed', // 22.99
      '46000 frames in 2000 s.mp4': null, // 23
      '120000 frames in 2000 s.mp4': null // 60
    })
  })
})

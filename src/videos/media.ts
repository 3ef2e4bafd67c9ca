import type { Media } from '../model/video.js'
import * as fs from 'node:fs/promises'

type Container = 'iso' | 'avi'

export type Reading =
  | { kind: 'video'; container: Container; media: Media }
  /** A container with no video track: an audio-only file. */
  | { kind: 'no-video'; container: Container; audio: boolean }
  /** No readable metadata: `why` says what was missing or broken. */
  | { kind: 'unreadable'; container: Container; why: string }

/** Positioned reads of a file: the walk asks only for what it needs. */
export interface ByteSource {
  size: number
  read(offset: number, length: number): Promise<Buffer>
}

/** A moov or hdrl larger than this is not metadata we will hold in memory (a 10-minute 60 fps video's is under 1 MB). */
const MAX_METADATA_BYTES = 32 * 1024 * 1024
/** The walk gives up after this many top-level boxes (a fragmented file has a pair per fragment). */
const MAX_TOP_BOXES = 100_000
/** One read at the start serves a faststart file's header and moov at once. */
const FIRST_READ_BYTES = 64 * 1024

/** Reads a file's container; never throws for what is in the file, only for a file that cannot be read. */
export async function readMedia(file: string, size: number, container: Container): Promise<Reading> {
  return (await inspectFile(file, size, 0, () => container)).reading!
}

/**
 * A file's first `headBytes`, and its container read when `containerFor(head)`
 * names one: one open and, for most files, one read (2,000 videos are checked
 * one after another).
 */
export async function inspectFile(
  file: string,
  size: number,
  headBytes: number,
  containerFor: (head: Buffer) => Container | undefined
): Promise<{ head: Buffer; reading: Reading | undefined }> {
  const handle = await fs.open(file, 'r')
  try {
    const source = fileSource(handle, size)
    const head = await source.read(0, headBytes)
    const container = containerFor(head)
    return { head, reading: container ? await readContainer(source, container) : undefined }
  } finally {
    await handle.close()
  }
}

/** A source over an open file whose first 64 KiB are read once and served from memory. */
export function fileSource(handle: fs.FileHandle, size: number): ByteSource {
  let first: Promise<Buffer> | undefined
  const readAt = async (offset: number, length: number): Promise<Buffer> => {
    const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)))
    let done = 0
    while (done < buffer.length) {
      const { bytesRead } = await handle.read(buffer, done, buffer.length - done, offset + done)
      if (bytesRead === 0) break
      done += bytesRead
    }
    return buffer.subarray(0, done)
  }
  return {
    size,
    read: async (offset, length) => {
      if (offset + length <= FIRST_READ_BYTES) {
        first ??= readAt(0, FIRST_READ_BYTES)
        return (await first).subarray(offset, offset + length)
      }
      return readAt(offset, length)
    }
  }
}

export async function readContainer(source: ByteSource, container: Container): Promise<Reading> {
  return container === 'avi' ? readAvi(source) : readIso(source)
}

// ---------------------------------------------------------------- ISO-BMFF

interface BoxHeader {
  type: string
  /** Where the box starts and where its payload starts. */
  start: number
  body: number
  /** Where it ends (may be past the end of the file when it was cut). */
  end: number
}

/** The box header at `at` in `buf` (0-based in it), or undefined when it does not parse. */
function boxAt(buf: Buffer, at: number, limit: number): BoxHeader | undefined {
  if (at + 8 > buf.length) return undefined
  let size = buf.readUInt32BE(at)
  const type = buf.toString('latin1', at + 4, at + 8)
  let body = at + 8
  if (size === 1) {
    if (at + 16 > buf.length) return undefined
    size = Number(buf.readBigUInt64BE(at + 8))
    body = at + 16
  } else if (size === 0) {
    size = limit - at
  }
  if (size < body - at) return undefined
  return { type, start: at, body, end: at + size }
}

async function readIso(source: ByteSource): Promise<Reading> {
  const unreadable = (why: string): Reading => ({ kind: 'unreadable', container: 'iso', why })
  let at = 0
  let n = 0
  for (; n < MAX_TOP_BOXES && at < source.size; n++) {
    const head = await source.read(at, 16)
    const box = boxAt(head, 0, source.size - at)
    if (!box) return unreadable(`a box header at byte ${at} does not parse`)
    const end = at + box.end
    if (box.type === 'moov') {
      if (end > source.size) return unreadable(`its 'moov' box is cut short (the file ends at byte ${source.size} of ${end})`)
      if (box.end > MAX_METADATA_BYTES) return unreadable(`its 'moov' box is ${box.end} bytes, more than metadata ever needs`)
      const moov = await source.read(at, box.end)
      return parseMoov(moov.subarray(box.body, box.end))
    }
    if (end > source.size) break
    at = end
  }
  if (n === MAX_TOP_BOXES && at < source.size) {
    return unreadable(
      `no 'moov' box in its first ${MAX_TOP_BOXES.toLocaleString('en-US')} boxes, where the walk gave up (a fragmented MP4 has a pair per fragment: remux it with ffmpeg -i in.mp4 -c copy -movflags +faststart out.mp4)`
    )
  }
  return unreadable("it has no 'moov' box (the metadata an unfinished render or a cut download lacks)")
}

/** The children of a box payload, as headers into `buf`. */
function* children(buf: Buffer, from = 0, to = buf.length): Generator<BoxHeader> {
  let at = from
  while (at + 8 <= to) {
    const box = boxAt(buf, at, to)
    if (!box || box.end > to) throw new Damaged(`the '${buf.toString('latin1', at + 4, at + 8)}' box overruns its parent`)
    yield box
    if (box.end <= at) return
    at = box.end
  }
}

function child(buf: Buffer, parent: BoxHeader, type: string): BoxHeader | undefined {
  for (const box of children(buf, parent.body, parent.end)) if (box.type === type) return box
  return undefined
}

class Damaged extends Error {}

interface Track {
  handler: string
  /** tkhd's width and height (16.16), and whether its matrix turns the picture a quarter. */
  width: number
  height: number
  quarterTurn: boolean
  timescale: number
  duration: number
  frames: number
  entry: string
  entryWidth: number
  entryHeight: number
}

function parseMoov(buf: Buffer): Reading {
  const whole: BoxHeader = { type: 'moov', start: 0, body: 0, end: buf.length }
  try {
    let movieDuration = 0
    const tracks: Track[] = []
    for (const box of children(buf, whole.body, whole.end)) {
      if (box.type === 'mvhd') {
        // version 0: 32-bit times, timescale at 12; version 1: 64-bit, timescale at 20.
        const v1 = need(buf, box, box.body, 32)[box.body] === 1
        movieDuration = v1
          ? num64(buf, box.body + 24) / buf.readUInt32BE(box.body + 20)
          : buf.readUInt32BE(box.body + 16) / buf.readUInt32BE(box.body + 12)
      } else if (box.type === 'trak') {
        tracks.push(parseTrak(buf, box))
      }
    }
    const audio = tracks.some(t => t.handler === 'soun')
    const video = tracks.find(t => t.handler === 'vide')
    if (!video) return { kind: 'no-video', container: 'iso', audio }
    if (video.timescale === 0 || video.duration === 0 || video.frames === 0) {
      return {
        kind: 'unreadable',
        container: 'iso',
        why: "its video track has no frames or timing in 'moov' (an empty track, or a fragmented MP4: remux it with ffmpeg -i in.mp4 -c copy -movflags +faststart out.mp4)"
      }
    }
    const trackSeconds = video.duration / video.timescale
    let width = Math.round(video.width) || video.entryWidth
    let height = Math.round(video.height) || video.entryHeight
    if (video.quarterTurn) [width, height] = [height, width]
    return {
      kind: 'video',
      container: 'iso',
      media: {
        duration: round(Number.isFinite(movieDuration) && movieDuration > 0 ? movieDuration : trackSeconds, 3),
        width,
        height,
        fps: round(video.frames / trackSeconds, FPS_DIGITS),
        codec: codecName(video.entry),
        audio
      }
    }
  } catch (error) {
    if (error instanceof Damaged || error instanceof RangeError)
      return { kind: 'unreadable', container: 'iso', why: `its 'moov' box does not parse (${error.message})` }
    throw error
  }
}

function parseTrak(buf: Buffer, trak: BoxHeader): Track {
  const track: Track = {
    handler: '',
    width: 0,
    height: 0,
    quarterTurn: false,
    timescale: 0,
    duration: 0,
    frames: 0,
    entry: '',
    entryWidth: 0,
    entryHeight: 0
  }
  const tkhd = child(buf, trak, 'tkhd')
  if (tkhd) Object.assign(track, readTkhd(buf, tkhd))
  const mdia = child(buf, trak, 'mdia')
  if (!mdia) return track
  const mdhd = child(buf, mdia, 'mdhd')
  if (mdhd) Object.assign(track, readMdhd(buf, mdhd))
  const hdlr = child(buf, mdia, 'hdlr')
  if (hdlr) track.handler = need(buf, hdlr, hdlr.body, 12).toString('latin1', hdlr.body + 8, hdlr.body + 12)
  const stbl = (() => {
    const minf = child(buf, mdia, 'minf')
    return minf && child(buf, minf, 'stbl')
  })()
  if (!stbl) return track
  const stsd = child(buf, stbl, 'stsd')
  if (stsd) Object.assign(track, readSampleEntry(buf, stsd, track.handler))
  const stts = child(buf, stbl, 'stts')
  if (stts) track.frames = countFrames(buf, stts)
  return track
}

/** The track header: its display size and whether its matrix turns it a quarter. */
function readTkhd(buf: Buffer, tkhd: BoxHeader): Pick<Track, 'quarterTurn' | 'width' | 'height'> {
  // version 0: 32-bit times (matrix at 40), version 1: 64-bit (matrix at 52); width and height follow the matrix.
  const matrix = tkhd.body + (need(buf, tkhd, tkhd.body, 1)[tkhd.body] === 1 ? 52 : 40)
  need(buf, tkhd, matrix, 44)
  const a = buf.readInt32BE(matrix)
  const b = buf.readInt32BE(matrix + 4)
  return {
    quarterTurn: a === 0 && b !== 0,
    width: buf.readUInt32BE(matrix + 36) / 65536,
    height: buf.readUInt32BE(matrix + 40) / 65536
  }
}

/** The media header: the track's timescale and its duration in that scale. */
function readMdhd(buf: Buffer, mdhd: BoxHeader): Pick<Track, 'timescale' | 'duration'> {
  if (need(buf, mdhd, mdhd.body, 1)[mdhd.body] === 1) {
    need(buf, mdhd, mdhd.body, 32)
    return { timescale: buf.readUInt32BE(mdhd.body + 20), duration: num64(buf, mdhd.body + 24) }
  }
  need(buf, mdhd, mdhd.body, 20)
  return { timescale: buf.readUInt32BE(mdhd.body + 12), duration: buf.readUInt32BE(mdhd.body + 16) }
}

/** The first sample entry: its codec, and for a video track the coded size it declares. */
function readSampleEntry(buf: Buffer, stsd: BoxHeader, handler: string): Partial<Pick<Track, 'entry' | 'entryWidth' | 'entryHeight'>> {
  if (need(buf, stsd, stsd.body, 8).readUInt32BE(stsd.body + 4) === 0) return {}
  const entry = boxAt(buf, stsd.body + 8, stsd.end)
  if (!entry) return {}
  // A visual sample entry: 6 reserved, 2 index, 16 pre-defined, then width and height.
  if (handler === 'vide' && entry.body + 28 <= entry.end)
    return { entry: entry.type, entryWidth: buf.readUInt16BE(entry.body + 24), entryHeight: buf.readUInt16BE(entry.body + 26) }
  return { entry: entry.type }
}

/** The number of samples (frames) the time-to-sample table counts. */
function countFrames(buf: Buffer, stts: BoxHeader): number {
  const count = need(buf, stts, stts.body, 8).readUInt32BE(stts.body + 4)
  need(buf, stts, stts.body + 8, count * 8)
  let frames = 0
  for (let i = 0; i < count; i++) frames += buf.readUInt32BE(stts.body + 8 + i * 8)
  return frames
}

/** The box's bytes from `at` are there, or it is damaged. */
function need(buf: Buffer, box: BoxHeader, at: number, bytes: number): Buffer {
  if (at + bytes > box.end) throw new Damaged(`its '${box.type}' box is too short`)
  return buf
}

function num64(buf: Buffer, at: number): number {
  return Number(buf.readBigUInt64BE(at))
}

const CODECS: Record<string, string> = {
  avc1: 'h264',
  avc2: 'h264',
  avc3: 'h264',
  avc4: 'h264',
  hvc1: 'hevc',
  hev1: 'hevc',
  dvh1: 'hevc',
  dvhe: 'hevc',
  vp08: 'vp8',
  vp09: 'vp9',
  av01: 'av1',
  mp4v: 'mpeg4',
  apcn: 'prores',
  apch: 'prores',
  apcs: 'prores',
  apco: 'prores',
  ap4h: 'prores',
  ap4x: 'prores',
  jpeg: 'mjpeg',
  mjpa: 'mjpeg',
  mjpb: 'mjpeg',
  s263: 'h263',
  h263: 'h263',
  // AVI's BITMAPINFOHEADER biCompression (matched in lower case)
  h264: 'h264',
  x264: 'h264',
  hevc: 'hevc',
  h265: 'hevc',
  xvid: 'mpeg4',
  divx: 'mpeg4',
  dx50: 'mpeg4',
  fmp4: 'mpeg4',
  mjpg: 'mjpeg',
  vp80: 'vp8',
  vp90: 'vp9'
}

/** The short name of a sample entry or fourcc; an unknown one keeps its own name, printable. */
export function codecName(fourcc: string): string {
  const key = fourcc.toLowerCase()
  return CODECS[key] ?? (key.replace(/[^\x21-\x7e]/g, '').trim() || 'unknown')
}

/** fps is rounded once, here, from the exact frames / duration: the rules judge the value shown (60.0045 is 60). */
const FPS_DIGITS = 2

function round(value: number, digits: number): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

// ---------------------------------------------------------------- AVI

async function readAvi(source: ByteSource): Promise<Reading> {
  const unreadable = (why: string): Reading => ({ kind: 'unreadable', container: 'avi', why })
  const head = await source.read(0, 24)
  if (head.length < 24 || head.toString('latin1', 12, 16) !== 'LIST' || head.toString('latin1', 20, 24) !== 'hdrl') {
    return unreadable("its header list ('LIST hdrl') is not where an AVI has it")
  }
  const size = head.readUInt32LE(16)
  if (size > MAX_METADATA_BYTES || 20 + size > source.size) return unreadable("its header list ('hdrl') is cut short or damaged")
  const hdrl = await source.read(24, size - 4)
  let frameUs = 0
  let streamFrames = 0
  let rate = 0
  let scale = 0
  let width = 0
  let height = 0
  let codec = ''
  let video = false
  let audio = false
  for (const [id, body] of riffChunks(hdrl)) {
    if (id === 'avih' && body.length >= 40) {
      frameUs = body.readUInt32LE(0)
      width = body.readUInt32LE(32)
      height = body.readUInt32LE(36)
    } else if (id === 'LIST' && body.toString('latin1', 0, 4) === 'strl') {
      // Only the first video stream is judged: its format (strf) is read with its header (strh), never another's.
      let first = false
      for (const [sid, sbody] of riffChunks(body.subarray(4))) {
        if (sid === 'strh' && sbody.length >= 36) {
          const type = sbody.toString('latin1', 0, 4)
          if (type === 'auds') audio = true
          first = type === 'vids' && !video
          if (first) {
            video = true
            codec = sbody.toString('latin1', 4, 8)
            scale = sbody.readUInt32LE(20)
            rate = sbody.readUInt32LE(24)
            streamFrames = sbody.readUInt32LE(32)
          }
        } else if (sid === 'strf' && first && sbody.length >= 20) {
          width = sbody.readInt32LE(4) || width
          height = Math.abs(sbody.readInt32LE(8)) || height
          // biCompression names the codec; strh's fccHandler is often a tool's own name.
          codec = sbody.toString('latin1', 16, 20)
          first = false
        }
      }
    }
  }
  if (!video) return { kind: 'no-video', container: 'avi', audio }
  const fps = scale > 0 && rate > 0 ? rate / scale : frameUs > 0 ? 1e6 / frameUs : 0
  if (fps === 0 || streamFrames === 0) return unreadable('its video stream has no frame rate or length')
  return {
    kind: 'video',
    container: 'avi',
    media: { duration: round(streamFrames / fps, 3), width, height, fps: round(fps, FPS_DIGITS), codec: codecName(codec), audio }
  }
}

/** The chunks of a RIFF list body: id and payload (padded to even sizes, as RIFF pads them). */
function* riffChunks(buf: Buffer): Generator<[string, Buffer]> {
  let at = 0
  while (at + 8 <= buf.length) {
    const id = buf.toString('latin1', at, at + 4)
    const size = buf.readUInt32LE(at + 4)
    yield [id, buf.subarray(at + 8, Math.min(buf.length, at + 8 + size))]
    at += 8 + size + (size & 1)
  }
}

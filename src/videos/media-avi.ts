import { cutShort, type ByteSource, type Reading } from './media-reading.js'
import { codecName, FPS_DIGITS, round } from './media-names.js'

/**
 * An AVI read from its `hdrl` list (in its first few KB) and its chunk
 * headers: the first video stream's rate, length, size and codec; and where
 * the file says its data ends (RIFF and `movi` sizes, the `indx` super index,
 * the last `idx1` entries), to know a cut file without reading its frames.
 * An AVI written to a pipe has none of these filled in: its chunk headers are
 * walked instead, its frames counted and its last chunk's end taken.
 */

/** An hdrl larger than this is not metadata we will hold in memory. */
const MAX_HEADER_BYTES = 32 * 1024 * 1024
/** Top-level chunks walked: a RIFF, its few lists, and an OpenDML file's AVIX parts (one per GB). */
const MAX_CHUNKS = 1000
/** idx1 entries in file order: the last ones say where the data ends. */
const IDX1_TAIL_ENTRIES = 64
/**
 * Chunks counted in the movi list of an AVI written to a pipe (its header says nothing of its length):
 * a 10-minute 60 fps video with its sound has about 70,000.
 */
export const MAX_STREAMED_CHUNKS = 250_000
/** What ffmpeg's AVI muxer leaves in the RIFF and movi sizes when it cannot seek back to fill them in. */
const UNSET_SIZE = 0xffffffff

interface Stream {
  video: boolean
  audio: boolean
  codec: string
  rate: number
  scale: number
  frames: number
  width: number
  height: number
  /** avih's frame time, for a stream header without a rate. */
  frameUs: number
  /** Where the chunks of the OpenDML super index (indx) end. */
  indexEnd: number
  /** Its chunks' id in movi: its stream number, two digits ('00dc', '01db'). */
  number: string
}

export async function readAvi(source: ByteSource): Promise<Reading> {
  const unreadable = (why: string): Reading => ({ kind: 'unreadable', container: 'avi', why })
  const head = await source.read(0, 24)
  if (head.length < 24 || head.toString('latin1', 12, 16) !== 'LIST' || head.toString('latin1', 20, 24) !== 'hdrl') {
    return unreadable("its header list ('LIST hdrl') is not where an AVI has it")
  }
  const size = head.readUInt32LE(16)
  if (size > MAX_HEADER_BYTES || 20 + size > source.size) return unreadable("its header list ('hdrl') is cut short or damaged")
  const stream = readHdrl(await source.read(24, size - 4))
  if (!stream.video) return { kind: 'no-video', container: 'avi', audio: stream.audio }
  const fps = stream.scale > 0 && stream.rate > 0 ? stream.rate / stream.scale : stream.frameUs > 0 ? 1e6 / stream.frameUs : 0
  let frames = stream.frames
  let dataEnd: number
  if (head.readUInt32LE(4) === UNSET_SIZE) {
    // Written to a pipe (`ffmpeg ... -f avi pipe:1`): no size, length or index was filled in; its frames are counted instead.
    const counted = await countStreamed(source, 20 + size, stream.number)
    if (counted === undefined)
      return {
        kind: 'unjudged',
        container: 'avi',
        why: `its header does not say its length (it was written to a pipe) and its frames go on past the first ${MAX_STREAMED_CHUNKS.toLocaleString('en-US')} chunks, where the check stops reading`
      }
    ;({ frames, dataEnd } = counted)
  } else dataEnd = Math.max(stream.indexEnd, await chunksEnd(source, head.readUInt32LE(4)))
  if (!(fps > 0) || frames === 0) return unreadable('its video stream has no frame rate or length')
  return {
    kind: 'video',
    container: 'avi',
    media: {
      duration: round(frames / fps, 3),
      width: stream.width,
      height: stream.height,
      fps: round(fps, FPS_DIGITS),
      codec: codecName(stream.codec),
      audio: stream.audio
    },
    ...cutShort(dataEnd, source.size)
  }
}

/** The header list: avih, then a strl per stream; only the first video stream is judged. */
function readHdrl(hdrl: Buffer): Stream {
  const stream: Stream = {
    video: false,
    audio: false,
    codec: '',
    rate: 0,
    scale: 0,
    frames: 0,
    width: 0,
    height: 0,
    frameUs: 0,
    indexEnd: 0,
    number: ''
  }
  let streams = 0
  for (const [id, body] of riffChunks(hdrl)) {
    if (id === 'avih' && body.length >= 40) {
      stream.frameUs = body.readUInt32LE(0)
      stream.width = body.readUInt32LE(32)
      stream.height = body.readUInt32LE(36)
    } else if (id === 'LIST' && body.toString('latin1', 0, 4) === 'strl') {
      const video = stream.video
      readStrl(body.subarray(4), stream)
      if (stream.video && !video) stream.number = String(streams).padStart(2, '0')
      streams++
    }
  }
  return stream
}

/** One stream's list: its header (strh), its format (strf) and its super index (indx), read only for the first video stream. */
function readStrl(strl: Buffer, stream: Stream): void {
  let first = false
  for (const [id, body] of riffChunks(strl)) {
    if (id === 'strh' && body.length >= 36) {
      const type = body.toString('latin1', 0, 4)
      if (type === 'auds') stream.audio = true
      first = type === 'vids' && !stream.video
      if (first) {
        stream.video = true
        stream.codec = body.toString('latin1', 4, 8)
        stream.scale = body.readUInt32LE(20)
        stream.rate = body.readUInt32LE(24)
        stream.frames = body.readUInt32LE(32)
      }
    } else if (id === 'strf' && first && body.length >= 20) {
      stream.width = body.readInt32LE(4) || stream.width
      stream.height = Math.abs(body.readInt32LE(8)) || stream.height
      // biCompression names the codec; strh's fccHandler is often a tool's own name.
      stream.codec = body.toString('latin1', 16, 20)
    } else if (id === 'indx' && first && body.length >= 24 && body[3] === 0) {
      // AVI_INDEX_OF_INDEXES: 16-byte entries (offset, size, duration) from byte 24, each an ix## chunk.
      const entries = Math.min(body.readUInt32LE(4), Math.floor((body.length - 24) / 16))
      for (let i = 0; i < entries; i++) {
        const at = 24 + i * 16
        stream.indexEnd = Math.max(stream.indexEnd, Number(body.readBigUInt64LE(at)) + body.readUInt32LE(at + 8))
      }
    }
  }
}

/**
 * Where the file's own sizes say its data ends: the RIFF and each OpenDML
 * AVIX part after it, the movi list inside, and the last idx1 entries.
 */
async function chunksEnd(source: ByteSource, riffSize: number): Promise<number> {
  let end = 8 + riffSize
  let movi = 0
  // Inside the first RIFF, after 'AVI ': its lists and chunks; after it, AVIX parts (each a RIFF of its own).
  for (let at = 12, n = 0; at + 12 <= source.size && n < MAX_CHUNKS; n++) {
    const head = await source.read(at, 12)
    if (head.length < 12) break
    const id = head.toString('latin1', 0, 4)
    const chunkEnd = at + 8 + head.readUInt32LE(4) + (head.readUInt32LE(4) & 1)
    end = Math.max(end, chunkEnd)
    if (id === 'LIST' && head.toString('latin1', 8, 12) === 'movi' && movi === 0) movi = at + 8
    if (id === 'idx1' && chunkEnd <= source.size) end = Math.max(end, await idx1End(source, at, head.readUInt32LE(4), movi))
    // An AVIX part: walk into it; any other chunk is passed by whole.
    at = id === 'RIFF' ? at + 12 : chunkEnd
  }
  return end
}

/**
 * The first video stream's frames in an AVI whose sizes were never filled in, counted chunk by chunk
 * (headers only) from the first after the header list to the end of the file, stepping into lists
 * (movi, rec) as their sizes cannot be trusted; `dataEnd` is where the last chunk ends (past the file's
 * end: it was cut). Undefined past MAX_STREAMED_CHUNKS.
 */
async function countStreamed(source: ByteSource, from: number, stream: string): Promise<{ frames: number; dataEnd: number } | undefined> {
  let frames = 0
  let at = from
  for (let n = 0; at < source.size; n++) {
    if (n === MAX_STREAMED_CHUNKS) return undefined
    const head = await source.read(at, 8)
    // Fewer bytes than a chunk header at the end: cut a few bytes into a chunk.
    if (head.length < 8) return { frames, dataEnd: at + 8 }
    const id = head.toString('latin1', 0, 4)
    const size = head.readUInt32LE(4)
    if (id === 'LIST' || id === 'RIFF') {
      at += 12
      continue
    }
    if (id.startsWith(stream) && (id.endsWith('dc') || id.endsWith('db'))) frames++
    at += 8 + size + (size & 1)
  }
  // A pad byte the file does not have is not data missing.
  return { frames, dataEnd: at > source.size + 1 ? at : Math.min(at, source.size) }
}

/** The end of the data the last idx1 entries point at (offsets from the movi list's fourcc, or from the file's start). */
async function idx1End(source: ByteSource, at: number, size: number, movi: number): Promise<number> {
  const entries = Math.floor(size / 16)
  if (entries === 0) return 0
  const firstOffset = (await source.read(at + 8 + 8, 4)).readUInt32LE(0)
  const base = firstOffset >= movi && movi > 0 ? 0 : movi
  const tail = Math.min(entries, IDX1_TAIL_ENTRIES)
  const bytes = await source.read(at + 8 + (entries - tail) * 16, tail * 16)
  let end = 0
  for (let i = 0; i + 16 <= bytes.length; i += 16) end = Math.max(end, base + bytes.readUInt32LE(i + 8) + 8 + bytes.readUInt32LE(i + 12))
  return end
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

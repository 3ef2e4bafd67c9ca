import { child, children, Damaged, need, num64, table, version, type BoxHeader } from './media-boxes.js'

/**
 * What a `moov` box says: the movie's timescale, each track's header, timing
 * and sample tables, and for a fragmented file the defaults its fragments
 * lean on (`mvex`: `trex`, `mehd`). Pure: a buffer in, plain data out.
 */

export interface Track {
  id: number
  handler: string
  /** tkhd's width and height (16.16), and whether its matrix turns the picture a quarter. */
  width: number
  height: number
  quarterTurn: boolean
  timescale: number
  /** mdhd's duration, in the track's timescale. */
  duration: number
  /** Samples in the sample tables (stts), and their total duration (in the timescale). */
  frames: number
  ticks: number
  entry: string
  entryWidth: number
  entryHeight: number
  /** Where the last chunk's data ends (stco/co64 offsets plus stsc/stsz sizes): past the file's end, it was cut. */
  dataEnd: number
}

/** A track's sample defaults for its fragments (trex). */
export interface TrackDefaults {
  duration: number
  size: number
}

export interface Movie {
  timescale: number
  tracks: Track[]
  /** mvex is there: the samples (also) come in moof boxes after moov. */
  fragmented: boolean
  /** mehd: the whole fragmented movie's duration, in the movie's timescale. */
  fragmentDuration: number | undefined
  defaults: Map<number, TrackDefaults>
}

/** The moov box (its bytes from its header on), read; throws Damaged (or RangeError) where a box cannot hold what it claims. */
export function parseMoov(buf: Buffer): Movie {
  const whole: BoxHeader = { type: 'moov', start: 0, body: 8, end: buf.length }
  const movie: Movie = { timescale: 0, tracks: [], fragmented: false, fragmentDuration: undefined, defaults: new Map() }
  for (const box of children(buf, whole.body, whole.end)) {
    if (box.type === 'mvhd') {
      // version 0: 32-bit times, timescale at 12; version 1: 64-bit, timescale at 20.
      const v1 = version(buf, box) === 1
      need(buf, box, box.body, v1 ? 24 : 16)
      movie.timescale = buf.readUInt32BE(box.body + (v1 ? 20 : 12))
    } else if (box.type === 'trak') {
      movie.tracks.push(parseTrak(buf, box))
    } else if (box.type === 'mvex') {
      movie.fragmented = true
      readMvex(buf, box, movie)
    }
  }
  return movie
}

function readMvex(buf: Buffer, mvex: BoxHeader, movie: Movie): void {
  for (const box of children(buf, mvex.body, mvex.end)) {
    if (box.type === 'mehd') {
      const v1 = version(buf, box) === 1
      need(buf, box, box.body + 4, v1 ? 8 : 4)
      movie.fragmentDuration = v1 ? num64(buf, box.body + 4) : buf.readUInt32BE(box.body + 4)
    } else if (box.type === 'trex') {
      // version/flags, track_ID, default description index, duration, size, flags.
      need(buf, box, box.body, 24)
      movie.defaults.set(buf.readUInt32BE(box.body + 4), {
        duration: buf.readUInt32BE(box.body + 12),
        size: buf.readUInt32BE(box.body + 16)
      })
    }
  }
}

function parseTrak(buf: Buffer, trak: BoxHeader): Track {
  const track: Track = {
    id: 0,
    handler: '',
    width: 0,
    height: 0,
    quarterTurn: false,
    timescale: 0,
    duration: 0,
    frames: 0,
    ticks: 0,
    entry: '',
    entryWidth: 0,
    entryHeight: 0,
    dataEnd: 0
  }
  const tkhd = child(buf, trak, 'tkhd')
  if (tkhd) Object.assign(track, readTkhd(buf, tkhd))
  const mdia = child(buf, trak, 'mdia')
  if (!mdia) return track
  const mdhd = child(buf, mdia, 'mdhd')
  if (mdhd) Object.assign(track, readMdhd(buf, mdhd))
  const hdlr = child(buf, mdia, 'hdlr')
  if (hdlr) track.handler = need(buf, hdlr, hdlr.body, 12).toString('latin1', hdlr.body + 8, hdlr.body + 12)
  const minf = child(buf, mdia, 'minf')
  const stbl = minf && child(buf, minf, 'stbl')
  if (!stbl) return track
  const stsd = child(buf, stbl, 'stsd')
  if (stsd) Object.assign(track, readSampleEntry(buf, stsd, track.handler))
  const stts = child(buf, stbl, 'stts')
  if (stts) Object.assign(track, readStts(buf, stts))
  track.dataEnd = chunkDataEnd(buf, stbl)
  return track
}

/** The track header: its id, its display size and whether its matrix turns it a quarter. */
function readTkhd(buf: Buffer, tkhd: BoxHeader): Pick<Track, 'id' | 'quarterTurn' | 'width' | 'height'> {
  // version 0: 32-bit times (track id at 12, matrix at 40), version 1: 64-bit (id at 20, matrix at 52); width and height follow the matrix.
  const v1 = version(buf, tkhd) === 1
  const matrix = tkhd.body + (v1 ? 52 : 40)
  need(buf, tkhd, matrix, 44)
  const a = buf.readInt32BE(matrix)
  const b = buf.readInt32BE(matrix + 4)
  return {
    id: buf.readUInt32BE(tkhd.body + (v1 ? 20 : 12)),
    quarterTurn: a === 0 && b !== 0,
    width: buf.readUInt32BE(matrix + 36) / 65536,
    height: buf.readUInt32BE(matrix + 40) / 65536
  }
}

/** The media header: the track's timescale and its duration in that scale. */
function readMdhd(buf: Buffer, mdhd: BoxHeader): Pick<Track, 'timescale' | 'duration'> {
  if (version(buf, mdhd) === 1) {
    need(buf, mdhd, mdhd.body, 32)
    return { timescale: buf.readUInt32BE(mdhd.body + 20), duration: num64(buf, mdhd.body + 24) }
  }
  need(buf, mdhd, mdhd.body, 20)
  return { timescale: buf.readUInt32BE(mdhd.body + 12), duration: buf.readUInt32BE(mdhd.body + 16) }
}

/** The first sample entry: its codec, and for a video track the coded size it declares. */
function readSampleEntry(buf: Buffer, stsd: BoxHeader, handler: string): Partial<Pick<Track, 'entry' | 'entryWidth' | 'entryHeight'>> {
  const count = need(buf, stsd, stsd.body, 8).readUInt32BE(stsd.body + 4)
  // Every sample entry is a box of 8 bytes at least.
  table(stsd, stsd.body + 8, count, 8)
  if (count === 0) return {}
  const entry = boxAt8(buf, stsd)
  // A visual sample entry: 6 reserved, 2 index, 16 pre-defined, then width and height.
  if (handler === 'vide' && entry.body + 28 <= entry.end)
    return { entry: entry.type, entryWidth: buf.readUInt16BE(entry.body + 24), entryHeight: buf.readUInt16BE(entry.body + 26) }
  return { entry: entry.type }
}

function boxAt8(buf: Buffer, stsd: BoxHeader): BoxHeader {
  for (const entry of children(buf, stsd.body + 8, stsd.end)) return entry
  throw new Damaged("its 'stsd' box has no sample entry")
}

/** The time-to-sample table: how many samples (frames), and how long they last together. */
function readStts(buf: Buffer, stts: BoxHeader): Pick<Track, 'frames' | 'ticks'> {
  const count = need(buf, stts, stts.body, 8).readUInt32BE(stts.body + 4)
  table(stts, stts.body + 8, count, 8)
  let frames = 0
  let ticks = 0
  for (let i = 0; i < count; i++) {
    const samples = buf.readUInt32BE(stts.body + 8 + i * 8)
    frames += samples
    ticks += samples * buf.readUInt32BE(stts.body + 12 + i * 8)
  }
  return { frames, ticks }
}

/**
 * Where the sample data the tables describe ends: each chunk's offset (stco,
 * co64) plus the sizes (stsz) of the samples in it (stsc). 0 when the tables
 * say nothing (a fragmented file's empty ones, or compact stz2 sizes).
 */
function chunkDataEnd(buf: Buffer, stbl: BoxHeader): number {
  const stco = child(buf, stbl, 'stco') ?? child(buf, stbl, 'co64')
  const stsc = child(buf, stbl, 'stsc')
  const stsz = child(buf, stbl, 'stsz')
  if (!stco || !stsc || !stsz) return 0
  const wide = stco.type === 'co64'
  const chunks = need(buf, stco, stco.body, 8).readUInt32BE(stco.body + 4)
  table(stco, stco.body + 8, chunks, wide ? 8 : 4)
  const runs = need(buf, stsc, stsc.body, 8).readUInt32BE(stsc.body + 4)
  table(stsc, stsc.body + 8, runs, 12)
  const uniform = need(buf, stsz, stsz.body, 12).readUInt32BE(stsz.body + 4)
  const samples = buf.readUInt32BE(stsz.body + 8)
  if (uniform === 0) table(stsz, stsz.body + 12, samples, 4)
  let end = 0
  let sample = 0
  // The last chunk counted: runs whose first chunks do not increase (damage) never count a chunk twice, so
  // the walk is at most one step per chunk, not runs x chunks (hours for a few MB of hostile tables).
  let counted = 0
  for (let run = 0; run < runs; run++) {
    const first = buf.readUInt32BE(stsc.body + 8 + run * 12)
    const perChunk = buf.readUInt32BE(stsc.body + 12 + run * 12)
    const next = run + 1 < runs ? buf.readUInt32BE(stsc.body + 8 + (run + 1) * 12) : chunks + 1
    for (let c = Math.max(1, first, counted + 1); c < next && c <= chunks && sample < samples; c++) {
      counted = c
      let at = wide ? num64(buf, stco.body + 8 + (c - 1) * 8) : buf.readUInt32BE(stco.body + 8 + (c - 1) * 4)
      const take = Math.min(perChunk, samples - sample)
      // Uniform sizes (PCM sound: a sample a byte, millions of them) are counted, not summed one by one.
      if (uniform !== 0) at += take * uniform
      else for (let s = 0; s < take; s++) at += buf.readUInt32BE(stsz.body + 12 + (sample + s) * 4)
      sample += take
      end = Math.max(end, at)
    }
  }
  return end
}

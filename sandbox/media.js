// TikTok's media check, as the sandbox plays it: a video that breaks a rule
// (one the action lets through with media-check off or warn) ends FAILED with
// the fail_reason TikTok gives, so a local run shows the real consequence.
//
// Plain JS of its own, not the action's src/videos/media*.ts: it reads the
// upload as it streams by (keeping only the moov and moof boxes, or an AVI's
// first 64 KiB), so it is a second reading of the same bytes by other code.
// A file whose last box (or RIFF) claims more bytes than the upload brought
// was cut: TikTok cannot decode it. An AVI written to a pipe has no RIFF size
// (ffmpeg leaves 0xFFFFFFFF): its chunks are counted as they pass instead.

const TIKTOK = { minFps: 23, maxFps: 60, minSide: 360, maxSide: 4096, maxDuration: 600 }
// Every sample entry TikTok's codecs come in (Dolby Vision's dvh1/dvhe are HEVC; avc2/avc4 are H.264).
const CODECS = new Set(['avc1', 'avc2', 'avc3', 'avc4', 'hvc1', 'hev1', 'dvh1', 'dvhe', 'vp08', 'vp09'])
const AVI_CODECS = new Set([...CODECS, 'h264', 'x264', 'hevc', 'h265', 'vp80', 'vp90'])
const MAX_KEPT = 32 * 1024 * 1024
const AVI_HEAD = 64 * 1024
/** ffmpeg's RIFF size when it could not seek back to fill it in (written to a pipe). */
const UNSET_SIZE = 0xffffffff

/** Watches one upload's bytes; `failReason()` then says what TikTok would refuse it for, or null. */
export class MediaSniffer {
  constructor(filename, { maxDuration = TIKTOK.maxDuration } = {}) {
    this.avi = /\.avi$/i.test(filename)
    this.maxDuration = maxDuration
    this.seen = 0
    // ISO-BMFF: where the next top-level box starts, its header bytes so far, and the moov when it passes.
    this.next = 0
    this.header = Buffer.alloc(0)
    this.moov = null
    // A fragmented file's moof boxes (its frames' counts and times), kept like the moov, within the same bound.
    this.moofs = []
    this.kept = 0
    this.head = []
    this.headBytes = 0
    // AVI: where the next chunk header starts (after 'RIFF....AVI '), its bytes so far, and each stream's frame chunks ('00dc').
    this.chunkNext = 12
    this.chunkHeader = Buffer.alloc(0)
    this.frames = new Map()
  }

  write(chunk) {
    if (this.avi) {
      if (this.headBytes < AVI_HEAD) {
        this.head.push(Buffer.from(chunk.subarray(0, AVI_HEAD - this.headBytes)))
        this.headBytes += Math.min(chunk.length, AVI_HEAD - this.headBytes)
      }
      this.countChunks(chunk)
      this.seen += chunk.length
      return
    }
    let at = 0
    while (at < chunk.length) {
      const abs = this.seen + at
      const box = this.keeping
      if (box && !box.done) {
        const take = Math.min(chunk.length - at, box.end - abs)
        // A moov of size 0 runs to the end of the file: kept as it comes, up to MAX_KEPT.
        if (this.kept + take <= MAX_KEPT) box.parts.push(Buffer.from(chunk.subarray(at, at + take)))
        else box.tooBig = true
        this.kept += take
        at += take
        if (abs + take >= box.end) box.done = true
        continue
      }
      if (abs < this.next) {
        at += Math.min(chunk.length - at, this.next - abs)
        continue
      }
      // A box header, maybe split across chunks: 8 bytes, or 16 with a 64-bit size.
      const want = this.header.length >= 8 && this.header.readUInt32BE(0) === 1 ? 16 : 8
      const take = Math.min(chunk.length - at, want - this.header.length)
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + take)])
      at += take
      if (this.header.length < want) continue
      if (want === 8 && this.header.readUInt32BE(0) === 1) continue
      const start = this.seen + at - this.header.length
      const small = this.header.readUInt32BE(0)
      const size = small === 1 ? Number(this.header.readBigUInt64BE(8)) : small === 0 ? Infinity : small
      const type = this.header.toString('latin1', 4, 8)
      if (size < this.header.length) {
        this.next = Infinity
      } else {
        this.next = start + size
        if ((type === 'moov' && !this.moov) || type === 'moof') {
          this.keeping = { start, end: start + size, parts: [this.header], done: false }
          if (type === 'moov') this.moov = this.keeping
          else this.moofs.push(this.keeping)
        }
      }
      this.header = Buffer.alloc(0)
    }
    this.seen += chunk.length
  }

  /** An AVI's chunk headers as they pass, lists stepped into: each stream's frame chunks counted. */
  countChunks(chunk) {
    // A header begun in the chunk before goes on at this one's first byte.
    let at = Math.max(0, this.chunkNext - this.seen)
    while (at < chunk.length) {
      const take = Math.min(chunk.length - at, 8 - this.chunkHeader.length)
      this.chunkHeader = Buffer.concat([this.chunkHeader, chunk.subarray(at, at + take)])
      at += take
      if (this.chunkHeader.length < 8) break
      const id = this.chunkHeader.toString('latin1', 0, 4)
      const size = this.chunkHeader.readUInt32LE(4)
      const start = this.seen + at - 8
      this.chunkHeader = Buffer.alloc(0)
      if (/^\d\d(dc|db)$/.test(id)) this.frames.set(id.slice(0, 2), (this.frames.get(id.slice(0, 2)) ?? 0) + 1)
      this.chunkNext = id === 'LIST' || id === 'RIFF' ? start + 12 : start + 8 + size + (size & 1)
      at = this.chunkNext - this.seen
    }
  }

  /** What TikTok's check would make of the whole upload. */
  reading() {
    if (this.avi) {
      const head = Buffer.concat(this.head)
      const streamed = head.length >= 8 && head.readUInt32LE(4) === UNSET_SIZE
      // The RIFF's own size says how long the file is: a shorter upload was cut. Written to a pipe, the last chunk says it (its pad byte aside).
      if (
        streamed ? this.chunkHeader.length > 0 || this.chunkNext > this.seen + 1 : head.length >= 8 && 8 + head.readUInt32LE(4) > this.seen
      )
        return { format: 'cut' }
      try {
        return readAvi(head, streamed ? this.frames : null)
      } catch (err) {
        // A chunk that claims more than the header holds: damaged, as TikTok would find it (not a 500 from the sandbox).
        return { format: `hdrl does not parse: ${err.message}` }
      }
    }
    // A moov to the end of the file (size 0) is done when the upload is.
    const done = this.moov && (this.moov.done || this.moov.end === Infinity)
    if (!done || this.moov.tooBig || this.moofs.some(m => m.tooBig)) return { format: 'no readable moov' }
    // The last box claims more bytes than came: the file was cut.
    if (this.next !== Infinity && this.next > this.seen) return { format: 'cut' }
    try {
      return readMoov(
        Buffer.concat(this.moov.parts),
        this.moofs.map(m => Buffer.concat(m.parts))
      )
    } catch (err) {
      return { format: `moov does not parse: ${err.message}` }
    }
  }

  failReason() {
    const r = this.reading()
    if (r.format) return 'file_format_check_failed'
    if (r.duration > this.maxDuration) return 'duration_check_failed'
    const fps = Math.round(r.fps * 100) / 100
    if (!(fps >= TIKTOK.minFps && fps <= TIKTOK.maxFps)) return 'frame_rate_check_failed'
    const outside = side => !(side >= TIKTOK.minSide && side <= TIKTOK.maxSide)
    if (outside(r.width) || outside(r.height)) return 'picture_size_check_failed'
    return null
  }
}

function boxes(buf, from, to) {
  const out = []
  for (let at = from; at + 8 <= to;) {
    let size = buf.readUInt32BE(at)
    let body = at + 8
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(at + 8))
      body = at + 16
    } else if (size === 0) size = to - at
    if (size < 8 || at + size > to) throw new Error(`box at ${at} overruns`)
    out.push({ type: buf.toString('latin1', at + 4, at + 8), at, body, end: at + size })
    at += size
  }
  return out
}

const find = (buf, parent, type) => boxes(buf, parent.body, parent.end).find(b => b.type === type)

function readMoov(buf, moofs) {
  const moov = { body: boxes(buf, 0, buf.length)[0].body, end: buf.length }
  let video = null
  const trex = new Map()
  for (const box of boxes(buf, moov.body, moov.end)) {
    if (box.type === 'mvex') {
      for (const t of boxes(buf, box.body, box.end).filter(b => b.type === 'trex'))
        trex.set(buf.readUInt32BE(t.body + 4), buf.readUInt32BE(t.body + 12))
    }
    if (box.type !== 'trak' || video) continue
    const mdia = find(buf, box, 'mdia')
    const hdlr = mdia && find(buf, mdia, 'hdlr')
    if (!hdlr || buf.toString('latin1', hdlr.body + 8, hdlr.body + 12) !== 'vide') continue
    const tkhd = find(buf, box, 'tkhd')
    const v1tk = buf[tkhd.body] === 1
    const matrix = tkhd.body + (v1tk ? 52 : 40)
    const turned = buf.readInt32BE(matrix) === 0 && buf.readInt32BE(matrix + 4) !== 0
    const w = Math.round(buf.readUInt32BE(matrix + 36) / 65536)
    const h = Math.round(buf.readUInt32BE(matrix + 40) / 65536)
    const mdhd = find(buf, mdia, 'mdhd')
    const v1 = buf[mdhd.body] === 1
    const timescale = buf.readUInt32BE(mdhd.body + (v1 ? 20 : 12))
    const duration = v1 ? Number(buf.readBigUInt64BE(mdhd.body + 24)) : buf.readUInt32BE(mdhd.body + 16)
    const stbl = find(buf, find(buf, mdia, 'minf'), 'stbl')
    const stsd = find(buf, stbl, 'stsd')
    const stts = find(buf, stbl, 'stts')
    let frames = 0
    let ticks = 0
    for (let i = 0, n = buf.readUInt32BE(stts.body + 4); i < n; i++) {
      frames += buf.readUInt32BE(stts.body + 8 + i * 8)
      ticks += buf.readUInt32BE(stts.body + 8 + i * 8) * buf.readUInt32BE(stts.body + 12 + i * 8)
    }
    video = {
      id: buf.readUInt32BE(tkhd.body + (v1tk ? 20 : 12)),
      codec: buf.toString('latin1', stsd.body + 12, stsd.body + 16),
      width: turned ? h : w,
      height: turned ? w : h,
      timescale,
      duration,
      ticks,
      frames
    }
  }
  if (!video) return { format: 'no video track' }
  const fragments = countFragments(moofs, video.id, trex.get(video.id) ?? 0)
  video.frames += fragments.frames
  video.ticks += fragments.ticks
  // Unfragmented: the track's duration; fragmented: where its last fragment ends.
  const seconds = (moofs.length > 0 ? Math.max(fragments.until, video.ticks) : video.duration || video.ticks) / video.timescale
  if (!(video.frames > 0 && video.ticks > 0 && seconds > 0)) return { format: 'no frames' }
  if (!CODECS.has(video.codec)) return { format: `codec ${video.codec}` }
  return { duration: seconds, fps: video.frames / (video.ticks / video.timescale), width: video.width, height: video.height }
}

/** The video track's samples in the moof boxes: each traf's trun counts, with tfhd's or trex's default duration. */
function countFragments(moofs, track, trexDuration) {
  const out = { frames: 0, ticks: 0, until: 0 }
  for (const moof of moofs) {
    for (const traf of boxes(moof, 8, moof.length).filter(b => b.type === 'traf')) {
      const tfhd = find(moof, traf, 'tfhd')
      if (moof.readUInt32BE(tfhd.body + 4) !== track) continue
      const flags = moof.readUInt32BE(tfhd.body) & 0xffffff
      // base-data-offset (8 bytes) and sample-description-index (4) come before the default duration.
      const at = tfhd.body + 8 + (flags & 1 ? 8 : 0) + (flags & 2 ? 4 : 0)
      const fallback = flags & 8 ? moof.readUInt32BE(at) : trexDuration
      const tfdt = find(moof, traf, 'tfdt')
      const start = tfdt && (moof[tfdt.body] === 1 ? Number(moof.readBigUInt64BE(tfdt.body + 4)) : moof.readUInt32BE(tfdt.body + 4))
      let ticks = 0
      for (const trun of boxes(moof, traf.body, traf.end).filter(b => b.type === 'trun')) {
        const f = moof.readUInt32BE(trun.body) & 0xffffff
        const count = moof.readUInt32BE(trun.body + 4)
        const first = trun.body + 8 + (f & 1 ? 4 : 0) + (f & 4 ? 4 : 0)
        const record = 4 * [0x100, 0x200, 0x400, 0x800].filter(bit => f & bit).length
        out.frames += count
        for (let i = 0; i < count; i++) ticks += f & 0x100 ? moof.readUInt32BE(first + i * record) : fallback
      }
      out.ticks += ticks
      if (start !== undefined) out.until = Math.max(out.until, start + ticks)
    }
  }
  return out
}

/** The first video stream of an AVI's header list; `counted` (written to a pipe): its length is the frame chunks that came. */
function readAvi(buf, counted) {
  if (buf.length < 24 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 20, 24) !== 'hdrl')
    return { format: 'not an AVI' }
  const end = Math.min(buf.length, 20 + buf.readUInt32LE(16))
  let stream = null
  let streams = 0
  for (let at = 24; at + 8 <= end;) {
    const id = buf.toString('latin1', at, at + 4)
    const size = buf.readUInt32LE(at + 4)
    // Its chunks in movi are named by its place among the streams ('00dc', '01dc').
    const number = id === 'LIST' && buf.toString('latin1', at + 8, at + 12) === 'strl' ? String(streams++).padStart(2, '0') : null
    if (number && !stream) {
      const strh = at + 20
      const strf = strh + buf.readUInt32LE(strh - 4) + 8
      if (buf.toString('latin1', strh, strh + 4) === 'vids') {
        stream = {
          number,
          scale: buf.readUInt32LE(strh + 20),
          rate: buf.readUInt32LE(strh + 24),
          length: buf.readUInt32LE(strh + 32),
          width: buf.readInt32LE(strf + 4),
          height: Math.abs(buf.readInt32LE(strf + 8)),
          codec: buf.toString('latin1', strf + 16, strf + 20).toLowerCase()
        }
      }
    }
    at += 8 + size + (size & 1)
  }
  if (!stream) return { format: 'no video stream' }
  if (!AVI_CODECS.has(stream.codec)) return { format: `codec ${stream.codec}` }
  const fps = stream.rate / stream.scale
  const length = counted ? (counted.get(stream.number) ?? 0) : stream.length
  return { duration: length / fps, fps, width: stream.width, height: stream.height }
}

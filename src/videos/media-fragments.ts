import { child, children, need, num64, table, version, type BoxHeader } from './media-boxes.js'
import type { TrackDefaults } from './media-moov.js'

/**
 * A fragmented MP4's samples: each `moof` box's `traf`s (`tfhd` defaults,
 * `tfdt` start, `trun` samples) added up per track, and a `sidx` index's
 * total. Pure: buffers in, plain data out.
 */

/** One track's samples over the fragments read so far. */
export interface FragmentTotals {
  frames: number
  /** Their durations added up, in the track's timescale. */
  ticks: number
  /** Where the last fragment read ends in time (its tfdt plus its samples), when fragments carry tfdt. */
  until: number
}

/** The fragments read so far: per track, and where their sample data ends in the file. */
export interface Fragments {
  tracks: Map<number, FragmentTotals>
  dataEnd: number
}

export function noFragments(): Fragments {
  return { tracks: new Map(), dataEnd: 0 }
}

const TFHD_BASE_OFFSET = 0x1
const TFHD_DESCRIPTION = 0x2
const TFHD_DURATION = 0x8
const TFHD_SIZE = 0x10
const TFHD_BASE_IS_MOOF = 0x20000

const TRUN_DATA_OFFSET = 0x1
const TRUN_FIRST_FLAGS = 0x4
const TRUN_DURATION = 0x100
const TRUN_SIZE = 0x200
const TRUN_FLAGS = 0x400
const TRUN_CTS = 0x800

/**
 * Adds one moof (its bytes from its header on, found at `at` in the file) to
 * `into`. Data offsets are followed as the spec says: from tfhd's base, else
 * from the moof's first byte for the first traf and the previous traf's data
 * end for the next, and each trun from where the last one ended.
 */
export function addMoof(moof: Buffer, at: number, defaults: Map<number, TrackDefaults>, into: Fragments): void {
  const whole: BoxHeader = { type: 'moof', start: 0, body: 8, end: moof.length }
  let previousEnd = at
  let first = true
  for (const traf of children(moof, whole.body, whole.end)) {
    if (traf.type !== 'traf') continue
    const tfhd = child(moof, traf, 'tfhd')
    if (!tfhd) continue
    const head = readTfhd(moof, tfhd, defaults)
    let base = head.base ?? (head.baseIsMoof || first ? at : previousEnd)
    first = false
    const totals = into.tracks.get(head.track) ?? { frames: 0, ticks: 0, until: 0 }
    into.tracks.set(head.track, totals)
    const tfdt = child(moof, traf, 'tfdt')
    const start = tfdt ? readTfdt(moof, tfdt) : undefined
    let ticks = 0
    for (const trun of children(moof, traf.body, traf.end)) {
      if (trun.type !== 'trun') continue
      const run = readTrun(moof, trun, head, base)
      totals.frames += run.frames
      ticks += run.ticks
      base = run.dataEnd
      into.dataEnd = Math.max(into.dataEnd, run.dataEnd)
    }
    totals.ticks += ticks
    if (start !== undefined) totals.until = Math.max(totals.until, start + ticks)
    previousEnd = base
  }
}

interface TrafHead {
  track: number
  base: number | undefined
  baseIsMoof: boolean
  duration: number
  size: number
}

function readTfhd(moof: Buffer, tfhd: BoxHeader, defaults: Map<number, TrackDefaults>): TrafHead {
  const flags = need(moof, tfhd, tfhd.body, 8).readUInt32BE(tfhd.body) & 0xffffff
  const track = moof.readUInt32BE(tfhd.body + 4)
  const fallback = defaults.get(track) ?? { duration: 0, size: 0 }
  let at = tfhd.body + 8
  const field = (flag: number, bytes: 4 | 8): number | undefined => {
    if (!(flags & flag)) return undefined
    need(moof, tfhd, at, bytes)
    const value = bytes === 8 ? num64(moof, at) : moof.readUInt32BE(at)
    at += bytes
    return value
  }
  const base = field(TFHD_BASE_OFFSET, 8)
  field(TFHD_DESCRIPTION, 4)
  const duration = field(TFHD_DURATION, 4) ?? fallback.duration
  const size = field(TFHD_SIZE, 4) ?? fallback.size
  return { track, base, baseIsMoof: (flags & TFHD_BASE_IS_MOOF) !== 0, duration, size }
}

function readTfdt(moof: Buffer, tfdt: BoxHeader): number {
  const v1 = version(moof, tfdt) === 1
  need(moof, tfdt, tfdt.body + 4, v1 ? 8 : 4)
  return v1 ? num64(moof, tfdt.body + 4) : moof.readUInt32BE(tfdt.body + 4)
}

/** One track run: its samples, their durations, and where their data ends in the file. */
function readTrun(moof: Buffer, trun: BoxHeader, head: TrafHead, base: number): { frames: number; ticks: number; dataEnd: number } {
  const flags = need(moof, trun, trun.body, 8).readUInt32BE(trun.body) & 0xffffff
  const count = moof.readUInt32BE(trun.body + 4)
  let at = trun.body + 8
  let data = base
  if (flags & TRUN_DATA_OFFSET) {
    need(moof, trun, at, 4)
    data = base + moof.readInt32BE(at)
    at += 4
  }
  if (flags & TRUN_FIRST_FLAGS) at += 4
  const fields = [TRUN_DURATION, TRUN_SIZE, TRUN_FLAGS, TRUN_CTS].filter(f => flags & f).length
  table(trun, at, count, fields * 4)
  if (fields === 0 || !(flags & (TRUN_DURATION | TRUN_SIZE)))
    return { frames: count, ticks: count * head.duration, dataEnd: data + count * head.size }
  let ticks = 0
  let bytes = 0
  // Each sample's record: duration, size, flags, composition offset, whichever the flags say are there, in that order.
  for (let i = 0; i < count; i++) {
    let field = at + i * fields * 4
    if (flags & TRUN_DURATION) {
      ticks += moof.readUInt32BE(field)
      field += 4
    } else ticks += head.duration
    bytes += flags & TRUN_SIZE ? moof.readUInt32BE(field) : head.size
  }
  return { frames: count, ticks, dataEnd: data + bytes }
}

/** A segment index: the time it covers (in seconds) and where the data it indexes ends in the file. */
export interface SegmentIndex {
  track: number
  seconds: number
  dataEnd: number
}

/** The sidx box (its bytes from its header on, found at `at` in the file). */
export function readSidx(sidx: Buffer, at: number): SegmentIndex {
  const box: BoxHeader = { type: 'sidx', start: 0, body: 8, end: sidx.length }
  const v1 = version(sidx, box) === 1
  need(sidx, box, box.body, v1 ? 32 : 24)
  const track = sidx.readUInt32BE(box.body + 4)
  const timescale = sidx.readUInt32BE(box.body + 8)
  const firstOffset = v1 ? num64(sidx, box.body + 20) : sidx.readUInt32BE(box.body + 16)
  const refsAt = box.body + (v1 ? 28 : 20)
  const count = sidx.readUInt16BE(refsAt + 2)
  table(box, refsAt + 4, count, 12)
  let ticks = 0
  let bytes = 0
  for (let i = 0; i < count; i++) {
    bytes += sidx.readUInt32BE(refsAt + 4 + i * 12) & 0x7fffffff
    ticks += sidx.readUInt32BE(refsAt + 8 + i * 12)
  }
  return { track, seconds: timescale > 0 ? ticks / timescale : 0, dataEnd: at + sidx.length + firstOffset + bytes }
}

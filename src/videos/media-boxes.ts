/**
 * ISO-BMFF boxes (MP4, MOV) as headers into a buffer: where each starts and
 * ends, and the one error a box that cannot hold what it claims raises.
 */

export interface BoxHeader {
  type: string
  /** Where the box starts and where its payload starts. */
  start: number
  body: number
  /** Where it ends (may be past the end of the file when it was cut). */
  end: number
}

/** A box that cannot hold what it claims, or overruns its parent: the file is damaged. */
export class Damaged extends Error {}

/** The box header at `at` in `buf` (0-based in it), or undefined when it does not parse. */
export function boxAt(buf: Buffer, at: number, limit: number): BoxHeader | undefined {
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

/** The children of a box payload, as headers into `buf`. */
export function* children(buf: Buffer, from = 0, to = buf.length): Generator<BoxHeader> {
  let at = from
  while (at + 8 <= to) {
    const box = boxAt(buf, at, to)
    if (!box || box.end > to) throw new Damaged(`the '${buf.toString('latin1', at + 4, at + 8)}' box overruns its parent`)
    yield box
    if (box.end <= at) return
    at = box.end
  }
}

export function child(buf: Buffer, parent: BoxHeader, type: string): BoxHeader | undefined {
  for (const box of children(buf, parent.body, parent.end)) if (box.type === type) return box
  return undefined
}

/** The box's bytes from `at` are there, or it is damaged. */
export function need(buf: Buffer, box: BoxHeader, at: number, bytes: number): Buffer {
  if (at + bytes > box.end) throw new Damaged(`its '${box.type}' box is too short`)
  return buf
}

/**
 * A table of `count` entries of `entryBytes` each from `at`: a count the box
 * cannot hold (an stsd claiming 4,294,967,295 entries in a few bytes) is damage,
 * never a loop over memory that is not there.
 */
export function table(box: BoxHeader, at: number, count: number, entryBytes: number): void {
  if (at + count * entryBytes > box.end) {
    throw new Damaged(`its '${box.type}' box claims ${count.toLocaleString('en-US')} entries in ${box.end - box.start} bytes`)
  }
}

/** A full box's version byte. */
export function version(buf: Buffer, box: BoxHeader): number {
  return need(buf, box, box.body, 4)[box.body]
}

export function num64(buf: Buffer, at: number): number {
  return Number(buf.readBigUInt64BE(at))
}

import * as fs from 'node:fs/promises'
import { readAvi } from './media-avi.js'
import { readIso } from './media-iso.js'
import type { ByteSource, Container, Reading } from './media-reading.js'

export type { ByteSource, Container, Reading } from './media-reading.js'

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

/**
 * A small read past the first 64 KiB (a box or chunk header, a moof) is served from a block read ahead of
 * it: AHEAD_MIN bytes, doubled up to AHEAD_MAX while the walk goes on straight after the last block (100,000
 * tiny boxes: a few reads, not 100,000), back to AHEAD_MIN after a jump (a header past a large mdat costs a
 * page, not 64 KiB). Larger reads (a moov) go to the file as asked.
 */
const AHEAD_MIN = 4 * 1024
const AHEAD_MAX = 1024 * 1024
const SMALL_READ = 16 * 1024

/** A source over an open file whose first 64 KiB are read once and served from memory, and small reads after them from blocks read ahead. */
export function fileSource(handle: Pick<fs.FileHandle, 'read'>, size: number): ByteSource {
  let first: Promise<Buffer> | undefined
  let block: { start: number; end: number; bytes: Promise<Buffer> } | undefined
  let ahead = AHEAD_MIN
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
  const fromBlock = async (offset: number, length: number): Promise<Buffer> => {
    if (!block || offset < block.start || offset + length > block.end) {
      // Straight on from the last block (or within it): the walk is going through small boxes; read further ahead.
      ahead = block && offset >= block.start && offset <= block.end + ahead ? Math.min(ahead * 2, AHEAD_MAX) : AHEAD_MIN
      const span = Math.max(ahead, length)
      block = { start: offset, end: Math.min(size, offset + span), bytes: readAt(offset, span) }
    }
    const { start, bytes } = block
    return (await bytes).subarray(offset - start, offset - start + length)
  }
  return {
    size,
    read: async (offset, length) => {
      if (offset + length <= FIRST_READ_BYTES) {
        first ??= readAt(0, FIRST_READ_BYTES)
        return (await first).subarray(offset, offset + length)
      }
      return length <= SMALL_READ ? fromBlock(offset, length) : readAt(offset, length)
    }
  }
}

export async function readContainer(source: ByteSource, container: Container): Promise<Reading> {
  return container === 'avi' ? readAvi(source) : readIso(source)
}

export { codecName } from './media-names.js'

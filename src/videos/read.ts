import type { FileStamp } from '../model/video.js'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs/promises'

const CHUNK_BYTES = 1024 * 1024
const RING = 3

interface Chunk {
  chunk: Buffer
  /** Bytes of the file read so far, this chunk included. */
  total: number
}

/**
 * A ring of read buffers, made as reads first need them (a small file uses
 * one) and kept for the next file: a fresh ring per video (3 MiB for a big
 * one) is garbage the GC frees late (40 videos of 20 MB peaked 30 MB higher).
 */
export class ReadBuffers {
  private static readonly spare: ReadBuffers[] = []
  private readonly buffers: Buffer[] = []
  private reads = 0
  private released = true
  private isSpare = false

  private constructor(private readonly pooled: boolean) {}

  /** A ring for one holder, who gives it back with release() once nothing it sent can still need the bytes. */
  static take(): ReadBuffers {
    const ring = ReadBuffers.spare.pop() ?? new ReadBuffers(true)
    ring.released = ring.isSpare = false
    return ring
  }

  /** A ring of its own for one read, never reused. */
  static own(): ReadBuffers {
    return new ReadBuffers(false)
  }

  /** The holder is done: the ring is spare once no read into it is under way (it may be filling a buffer still). */
  release(): void {
    this.released = true
    this.spareWhenIdle()
  }

  buffer(n: number, size: number): Buffer {
    const i = n % RING
    this.buffers[i] ??= Buffer.allocUnsafeSlow(this.pooled ? CHUNK_BYTES : Math.min(CHUNK_BYTES, size))
    return this.buffers[i]
  }

  /** Held, and no read into it under way. */
  free(): boolean {
    return !this.released && this.reads === 0
  }

  started(): void {
    this.reads++
  }

  ended(): void {
    this.reads--
    this.spareWhenIdle()
  }

  private spareWhenIdle(): void {
    if (!this.pooled || !this.released || this.reads > 0 || this.isSpare) return
    this.isSpare = true
    ReadBuffers.spare.push(this)
  }
}

/** What an upload must still find before its last bytes leave: the file as it was checked. */
interface AsChecked {
  /** The file as the logs name it. */
  shownAs: string
  /** The content's SHA-256, where the run hashed it (a ledger, a twin): the bytes sent are hashed on the way. */
  sha256?: string
  stamp?: FileStamp
}

/**
 * The file changed between its check and the end of its read: what was read is
 * not the video that was checked (nor what the ledger would record).
 */
class FileChangedError extends Error {
  readonly code = 'FILE_CHANGED'
  constructor(shownAs: string, what: string) {
    super(`${shownAs} changed during its upload (${what})`)
    this.name = 'FileChangedError'
  }
}

/**
 * The file's bytes, read into a small ring of reused buffers: a fresh buffer
 * per read (as fs streams do) leaves tens of MB of garbage between collections.
 * Reuse is safe because undici asks for the next chunk only once the socket
 * has drained the previous one (a 1 MiB chunk is far over the socket's 16 KiB
 * high-water mark), so a buffer is long copied out when it comes round again.
 * A ring taken for an upload goes back only once the upload has its answer
 * (the server had every byte, or the socket was destroyed).
 * With `asChecked`, the last chunk is held back (FileChangedError) unless the
 * file is still the one checked: same size, same file, not written since, and
 * the bytes read hash to the checked SHA-256. A body cut short is refused, so
 * a changed file is never taken.
 */
export async function* readChunks(file: string, size: number, shared?: ReadBuffers, asChecked?: AsChecked): AsyncGenerator<Chunk> {
  // A read of an earlier attempt may still be filling the shared ring (its socket was dropped mid-read): then a ring of its own.
  const ring = shared?.free() ? shared : ReadBuffers.own()
  const changed = (what: string): FileChangedError => new FileChangedError(asChecked?.shownAs ?? file, what)
  ring.started()
  try {
    const handle = await fs.open(file, 'r')
    try {
      const hash = asChecked?.sha256 ? createHash('sha256') : undefined
      let total = 0
      for (let n = 0; total < size; n++) {
        const buffer = ring.buffer(n, size)
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - total), total)
        if (bytesRead === 0) {
          if (asChecked) throw changed(`it shrank to ${total} bytes; it had ${size} when it was checked`)
          throw new Error(`${file} shrank while it was being read (${total} of ${size} bytes)`)
        }
        total += bytesRead
        const chunk = buffer.subarray(0, bytesRead)
        hash?.update(chunk)
        if (total === size && asChecked) {
          const problem = await changeSinceCheck(handle, size, asChecked, hash?.digest('hex'))
          if (problem) throw changed(problem)
        }
        yield { chunk, total }
      }
    } finally {
      await handle.close()
    }
  } finally {
    ring.ended()
  }
}

/** How the open file differs from the one checked, if it does. */
async function changeSinceCheck(
  handle: fs.FileHandle,
  size: number,
  asChecked: AsChecked,
  sha256: string | undefined
): Promise<string | undefined> {
  const now = await handle.stat()
  if (now.size !== size) return `it has ${now.size} bytes now; it had ${size} when it was checked`
  const { stamp } = asChecked
  if (stamp && now.ino !== stamp.ino) return 'another file took its place after it was checked'
  if (stamp && now.mtimeMs !== stamp.mtimeMs) return 'it was written to after it was checked'
  if (sha256 !== undefined && sha256 !== asChecked.sha256) return 'its content is not the content that was checked'
  return undefined
}

/** The SHA-256 of a file's first `size` bytes, read through the same reused buffers as the upload. */
export async function hashFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256')
  // Each chunk is hashed before the next read: the ring is free again when the loop ends.
  const ring = ReadBuffers.take()
  try {
    for await (const { chunk } of readChunks(file, size, ring)) hash.update(chunk)
  } finally {
    ring.release()
  }
  return hash.digest('hex')
}

/** The first bytes of a file, enough to tell its container. */
export async function readHead(file: string, bytes = 12): Promise<Buffer> {
  const handle = await fs.open(file, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

import { createHash } from 'node:crypto'
import * as fs from 'node:fs/promises'

const CHUNK_BYTES = 1024 * 1024
const RING = 3

export interface Chunk {
  chunk: Buffer
  /** Bytes of the file read so far, this chunk included. */
  total: number
}

/**
 * The file's bytes, read into a small ring of reused buffers: a fresh buffer
 * per read (as fs streams do) leaves tens of MB of garbage between collections.
 * Reuse is safe because undici asks for the next chunk only once the socket
 * has drained the previous one (a 1 MiB chunk is far over the socket's 16 KiB
 * high-water mark), so a buffer is long copied out when it comes round again.
 */
export async function* readChunks(file: string, size: number, ringSize = RING): AsyncGenerator<Chunk> {
  const handle = await fs.open(file, 'r')
  try {
    const ring = Array.from({ length: ringSize }, () => Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(size, 1))))
    let total = 0
    for (let n = 0; total < size; n++) {
      const buffer = ring[n % ringSize]
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - total), total)
      if (bytesRead === 0) throw new Error(`${file} shrank while it was being read (${total} of ${size} bytes)`)
      total += bytesRead
      yield { chunk: buffer.subarray(0, bytesRead), total }
    }
  } finally {
    await handle.close()
  }
}

/**
 * The SHA-256 of a file's first `size` bytes. hash.update() is done with a chunk
 * before the next read, so one buffer does: a ring of three would be 2 MiB more
 * garbage, still allocated while the upload's own ring is read into.
 */
export async function hashFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256')
  for await (const { chunk } of readChunks(file, size, 1)) hash.update(chunk)
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

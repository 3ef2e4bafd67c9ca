import type { MultipartFile } from '../model/ports.js'
import { randomBytes } from 'node:crypto'

/**
 * A fresh random boundary for every request: a fixed one is public, and a
 * crafted video containing it would end its part early and smuggle in fields
 * of its own (caption, privacy) that PHP would take.
 */
export function newBoundary(): string {
  return `----draftclip-publish-${randomBytes(24).toString('hex')}`
}

/**
 * The multipart body around the file's bytes, built by hand so that its exact
 * length is known up front: PHP behind FastCGI drops chunked bodies, and a
 * known length lets the file stream from disk in flat memory.
 */
export function multipartFrame(
  file: MultipartFile,
  boundary = newBoundary()
): {
  boundary: string
  head: Buffer
  tail: Buffer
  length: number
} {
  let head = ''
  for (const [name, value] of Object.entries(file.fields)) {
    if (value.includes(boundary)) throw new Error(`The ${name} of ${file.name} contains the multipart boundary`)
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="${escapeQuoted(file.name)}"\r\n` +
    `Content-Type: ${file.contentType}\r\n\r\n`
  const headBytes = Buffer.from(head, 'utf8')
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')
  return { boundary, head: headBytes, tail, length: headBytes.length + file.size + tail.length }
}

/** Quoting of a multipart filename as browsers do it (WHATWG HTML's multipart/form-data encoding). */
function escapeQuoted(value: string): string {
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')
}

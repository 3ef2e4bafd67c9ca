import * as zlib from 'node:zlib'
import type { Transform } from 'node:stream'

/**
 * An answer's body as text, decoded as the server encoded it: undici's
 * `request` hands over the bytes on the wire, and a proxy or PHP's
 * zlib.output_compression may gzip an answer nobody asked to be compressed.
 * At most `limit` decoded bytes are kept (a huge answer, or a small gzip that
 * inflates to gigabytes); what was decoded before a cut or corrupt stream is
 * kept too, since a publish id may be in it.
 */
export async function readBody(
  body: AsyncIterable<Buffer>,
  contentEncoding: string | string[] | undefined,
  limit: number
): Promise<BodyText> {
  const kept: Buffer[] = []
  let size = 0
  const keep = (chunk: Buffer): void => {
    if (size < limit) kept.push(chunk.subarray(0, limit - size))
    size += chunk.length
  }
  const codings = (Array.isArray(contentEncoding) ? contentEncoding.join(',') : (contentEncoding ?? ''))
    .split(',')
    .map(c => c.trim().toLowerCase())
    .filter(c => c !== '' && c !== 'identity')
  const unknown = codings.find(c => !DECODERS.includes(c))
  if (codings.length === 0 || unknown) {
    for await (const chunk of body) keep(chunk)
    if (unknown) return { text: '', encoding: unknown, undecodable: true }
    return { text: Buffer.concat(kept).toString('utf8'), encoding: undefined, undecodable: false }
  }

  // Codings are listed in the order they were applied: undo the last first.
  let first: Transform | undefined
  let last: Transform | undefined
  let ended: Promise<void> = Promise.resolve()
  let broken = false
  const start = (head: Buffer): void => {
    const stages = [...codings].reverse().map((coding, i) => decoder(coding, i === 0 ? head : undefined))
    for (let i = 0; i + 1 < stages.length; i++) stages[i].pipe(stages[i + 1])
    first = stages[0]
    last = stages[stages.length - 1]
    const out = last
    out.on('data', (chunk: Buffer) => {
      keep(chunk)
      // Enough is decoded: stop inflating (a bomb must not cost the rest).
      if (size >= limit) for (const stage of stages) stage.destroy()
    })
    ended = new Promise<void>(resolve => {
      out.once('end', resolve)
      out.once('close', resolve)
      for (const stage of stages)
        stage.once('error', () => {
          broken = true
          resolve()
        })
    })
  }
  for await (const chunk of body) {
    if (!first) start(chunk)
    // The rest of the body is still read (the connection stays usable), just not decoded.
    if (first && !first.destroyed && size < limit && !first.write(chunk)) {
      await new Promise<void>(resolve => {
        first!.once('drain', resolve)
        first!.once('close', resolve)
      })
    }
  }
  if (first && !first.destroyed) first.end()
  await ended
  return { text: Buffer.concat(kept).toString('utf8'), encoding: codings.join(', '), undecodable: broken && size === 0 }
}

interface BodyText {
  text: string
  /** The Content-Encoding undone (or that could not be), if any. */
  encoding: string | undefined
  /** Nothing could be decoded: an encoding this action does not know, or a stream broken from its first byte. */
  undecodable: boolean
}

const DECODERS = ['gzip', 'x-gzip', 'deflate', 'br']

function decoder(coding: string, head: Buffer | undefined): Transform {
  // Truncated input is common (a cut answer): flush what there is rather than hold it back.
  const options = { finishFlush: zlib.constants.Z_SYNC_FLUSH }
  if (coding === 'br') return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH })
  if (coding === 'deflate') {
    // "deflate" should be zlib-wrapped, but servers send raw deflate too (as browsers and undici's fetch accept).
    return head && (head[0] & 0x0f) !== 0x08 ? zlib.createInflateRaw(options) : zlib.createInflate(options)
  }
  return zlib.createGunzip(options)
}

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
  const kept = new KeptBytes(limit)
  const codings = listCodings(contentEncoding)
  const unknown = codings.find(c => !DECODERS.includes(c))
  if (codings.length === 0 || unknown) {
    for await (const chunk of body) kept.keep(chunk)
    if (unknown) return { text: '', encoding: unknown, undecodable: true }
    return { text: kept.text(), encoding: undefined, undecodable: false }
  }
  const broken = await decodeInto(body, codings, kept)
  return { text: kept.text(), encoding: codings.join(', '), undecodable: broken && kept.size === 0 }
}

/** The first `limit` bytes of what passes through; `size` counts all of it. */
class KeptBytes {
  private readonly chunks: Buffer[] = []
  size = 0
  constructor(readonly limit: number) {}

  keep(chunk: Buffer): void {
    if (this.size < this.limit) this.chunks.push(chunk.subarray(0, this.limit - this.size))
    this.size += chunk.length
  }

  get full(): boolean {
    return this.size >= this.limit
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8')
  }
}

/** The Content-Encoding's codings, in the order they were applied, without `identity`. */
function listCodings(contentEncoding: string | string[] | undefined): string[] {
  return (Array.isArray(contentEncoding) ? contentEncoding.join(',') : (contentEncoding ?? ''))
    .split(',')
    .map(c => c.trim().toLowerCase())
    .filter(c => c !== '' && c !== 'identity')
}

/** Feeds the body through the decoders into `kept`; whether a decoder broke. */
async function decodeInto(body: AsyncIterable<Buffer>, codings: string[], kept: KeptBytes): Promise<boolean> {
  let chain: DecoderChain | undefined
  for await (const chunk of body) {
    chain ??= decoderChain(codings, chunk, kept)
    const first = chain.first
    // The rest of the body is still read (the connection stays usable), just not decoded.
    if (!first.destroyed && !kept.full && !first.write(chunk)) {
      await new Promise<void>(resolve => {
        first.once('drain', resolve)
        first.once('close', resolve)
      })
    }
  }
  if (!chain) return false
  if (!chain.first.destroyed) chain.first.end()
  await chain.ended
  return chain.broken
}

interface DecoderChain {
  /** Where the encoded bytes go in. */
  first: Transform
  /** Settles once the last decoder is done or one of them broke. */
  ended: Promise<void>
  /** A decoder failed (a corrupt or unknown stream). */
  broken: boolean
}

/** The decoders piped one into the next, the last one's output kept. `head` is the body's first chunk. */
function decoderChain(codings: string[], head: Buffer, kept: KeptBytes): DecoderChain {
  // Codings are listed in the order they were applied: undo the last first.
  const stages = [...codings].reverse().map((coding, i) => decoder(coding, i === 0 ? head : undefined))
  for (let i = 0; i + 1 < stages.length; i++) stages[i].pipe(stages[i + 1])
  const out = stages[stages.length - 1]
  out.on('data', (chunk: Buffer) => {
    kept.keep(chunk)
    // Enough is decoded: stop inflating (a bomb must not cost the rest).
    if (kept.full) for (const stage of stages) stage.destroy()
  })
  const chain: DecoderChain = { first: stages[0], ended: Promise.resolve(), broken: false }
  chain.ended = new Promise<void>(resolve => {
    out.once('end', resolve)
    out.once('close', resolve)
    for (const stage of stages)
      stage.once('error', () => {
        chain.broken = true
        resolve()
      })
  })
  return chain
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

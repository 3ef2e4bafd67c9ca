import { randomBytes } from 'node:crypto'
import type { Readable } from 'node:stream'
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici'
import { isLoopback } from './inputs.js'
import { readChunks } from './videos.js'

/**
 * The DraftClip API client: one upload attempt, one status request. It reports
 * what happened on the wire; deciding what that means (retry, give up, trust)
 * is retry-policy.ts's job.
 */

export interface ClientOptions {
  baseUrl: URL
  apiKey: string
  connectMs: number
  /** How long to wait for the answer once the whole body was sent (PHP may take minutes). */
  responseMs: number
  /** No body bytes taken by the socket for this long: the upload is stalled. */
  stallMs: number
  /** Honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  useProxy: boolean
}

export interface UploadRequest {
  path: string
  name: string
  size: number
  contentType: string
  fields: Record<string, string>
  /** Called as the body is handed to the socket: bytes of the file sent so far. */
  onProgress?: (sent: number) => void
}

/** An HTTP answer: the status, the body parsed as JSON where it was JSON. */
export interface Answer {
  kind: 'answer'
  httpStatus: number
  json: unknown
  /** The start of the body, for messages, when it was not JSON. */
  text: string
  retryAfter: string | undefined
}

/** No HTTP answer. `bodySent` tells whether the server could have had the whole request. */
export interface NoAnswer {
  kind: 'no-answer'
  code: string
  message: string
  bodySent: boolean
  stalled: boolean
}

export type Attempt = Answer | NoAnswer

export class DraftClipClient {
  private readonly dispatcher: Dispatcher

  constructor(private readonly options: ClientOptions) {
    const agentOptions = {
      connect: { timeout: options.connectMs },
      headersTimeout: options.responseMs,
      bodyTimeout: options.responseMs
    }
    // Self-hosted runners often sit behind a proxy given by HTTPS_PROXY / NO_PROXY; but a
    // loopback base-url (plain http allowed) must never send the key through one.
    this.dispatcher = options.useProxy && !isLoopback(options.baseUrl) ? new EnvHttpProxyAgent(agentOptions) : new Agent(agentOptions)
  }

  async upload(video: UploadRequest): Promise<Attempt> {
    const { boundary, head, tail, length } = multipartFrame(video)
    const controller = new AbortController()
    let bodySent = false
    let stalled = false
    const stallTimer = setTimeout(() => {
      stalled = true
      controller.abort()
    }, this.options.stallMs)
    stallTimer.unref()

    async function* body(): AsyncGenerator<Buffer> {
      yield head
      for await (const sent of readChunks(video.path, video.size)) {
        // Each resume means the socket took the previous chunk.
        stallTimer.refresh()
        video.onProgress?.(sent.total)
        yield sent.chunk
      }
      yield tail
      bodySent = true
      clearTimeout(stallTimer)
    }

    try {
      const response = await request(endpoint(this.options.baseUrl, 'upload.php'), {
        method: 'POST',
        dispatcher: this.dispatcher,
        signal: controller.signal,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(length),
          accept: 'application/json',
          'user-agent': USER_AGENT
        },
        body: body() as unknown as Readable
      })
      bodySent = true
      return await readAnswer(response)
    } catch (error) {
      return noAnswer(error, bodySent, stalled)
    } finally {
      clearTimeout(stallTimer)
    }
  }

  async status(publishId: string): Promise<Attempt> {
    const url = endpoint(this.options.baseUrl, 'video_status.php')
    url.searchParams.set('publish_id', publishId)
    try {
      const response = await request(url, {
        method: 'GET',
        dispatcher: this.dispatcher,
        headersTimeout: 60_000,
        bodyTimeout: 60_000,
        headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json', 'user-agent': USER_AGENT }
      })
      return await readAnswer(response)
    } catch (error) {
      return noAnswer(error, true, false)
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close()
  }
}

const USER_AGENT = 'draftclip-publish (GitHub Action)'

/** The URL of an API endpoint below base-url (which may carry a path prefix). */
export function endpoint(baseUrl: URL, file: string): URL {
  const url = new URL(baseUrl.href)
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/${file}`
  return url
}

/** A TikTok post's address (TikTok redirects to the account's own URL). */
export function postUrl(postId: string): string {
  return `https://www.tiktok.com/@/video/${encodeURIComponent(postId)}`
}

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
  video: Pick<UploadRequest, 'name' | 'size' | 'contentType' | 'fields'>,
  boundary = newBoundary()
): {
  boundary: string
  head: Buffer
  tail: Buffer
  length: number
} {
  let head = ''
  for (const [name, value] of Object.entries(video.fields)) {
    if (value.includes(boundary)) throw new Error(`The ${name} of ${video.name} contains the multipart boundary`)
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="${escapeQuoted(video.name)}"\r\n` +
    `Content-Type: ${video.contentType}\r\n\r\n`
  const headBytes = Buffer.from(head, 'utf8')
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')
  return { boundary, head: headBytes, tail, length: headBytes.length + video.size + tail.length }
}

/** Quoting of a multipart filename as browsers do it (WHATWG HTML's multipart/form-data encoding). */
function escapeQuoted(value: string): string {
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')
}

const MAX_ANSWER_BYTES = 1024 * 1024

async function readAnswer(response: Dispatcher.ResponseData): Promise<Answer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    if (size < MAX_ANSWER_BYTES) chunks.push(chunk)
    size += chunk.length
  }
  const text = Buffer.concat(chunks).toString('utf8')
  let json: unknown
  try {
    json = JSON.parse(quoteLongPostIds(text))
  } catch {
    json = undefined
  }
  const retryAfter = response.headers['retry-after']
  return {
    kind: 'answer',
    httpStatus: response.statusCode,
    json,
    text: text.slice(0, 300),
    retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter
  }
}

/** A post id sent as a bare JSON number has more digits than a double keeps: read it as text. */
export function quoteLongPostIds(text: string): string {
  return text.replace(
    /("public(?:al|l)?y_available_post_id"\s*:\s*)(\[[\d\s,]*\]|\d+(?=\s*[,}]))/g,
    (_all, key: string, value: string) => key + value.replace(/\d+/g, digits => `"${digits}"`)
  )
}

function noAnswer(error: unknown, bodySent: boolean, stalled: boolean): NoAnswer {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } }
  const code = err.cause?.code ?? err.code ?? 'UNKNOWN'
  const message = stalled ? 'the upload stalled: no bytes moved' : (err.cause?.message ?? err.message ?? String(error))
  return { kind: 'no-answer', code: stalled ? 'STALLED' : code, message, bodySent, stalled }
}

export interface UploadAccepted {
  publishId: string
  status: string
}

/** Reads DraftClip's upload answer: only JSON with success true and a publish_id is an accepted upload. */
export function acceptedUpload(json: unknown): UploadAccepted | undefined {
  const data = isRecord(json) && json.success === true && isRecord(json.data) ? json.data : undefined
  const publishId = data?.publish_id
  if (typeof publishId !== 'string' || publishId === '') return undefined
  return { publishId, status: typeof data?.status === 'string' ? data.status : 'PROCESSING_UPLOAD' }
}

/** What an upload answer says, whatever its HTTP status: a publish id anywhere means DraftClip took the video. */
export function uploadAnswer(json: unknown): { publishId: string | undefined; success: unknown; error: string | undefined } {
  if (!isRecord(json)) return { publishId: undefined, success: undefined, error: undefined }
  const publishId = isRecord(json.data) ? json.data.publish_id : undefined
  return {
    publishId: typeof publishId === 'string' && publishId !== '' ? publishId : undefined,
    success: json.success,
    error: typeof json.error === 'string' && json.error.trim() !== '' ? json.error : undefined
  }
}

/** The server's own words for a message: its `error` (or `message`) field. */
export function serverError(json: unknown): string | undefined {
  if (!isRecord(json)) return undefined
  for (const key of ['error', 'message']) {
    const value = json[key]
    if (typeof value === 'string' && value.trim() !== '') return value
  }
  return undefined
}

export const COMPLETE_STATUSES = ['PUBLISH_COMPLETE', 'FAILED', 'SEND_TO_USER_INBOX'] as const
const INCOMPLETE_STATUSES = ['PROCESSING_UPLOAD', 'PROCESSING']

export interface VideoStatus {
  status: string
  isComplete: boolean
  postId: string | undefined
  failReason: string | undefined
}

/** Reads a status answer's data; undefined when it is not the documented shape. */
export function readStatus(json: unknown): VideoStatus | undefined {
  if (!isRecord(json) || json.success !== true || !isRecord(json.data)) return undefined
  const data = json.data
  if (typeof data.status !== 'string') return undefined
  const status = data.status.toUpperCase()
  return {
    status,
    // The doc's table decides for the statuses it names; is_complete only for one it does not.
    isComplete:
      (COMPLETE_STATUSES as readonly string[]).includes(status) || (!INCOMPLETE_STATUSES.includes(status) && data.is_complete === true),
    postId: postIdOf(data.publicaly_available_post_id) ?? postIdOf(data.publicly_available_post_id),
    failReason: typeof data.fail_reason === 'string' && data.fail_reason !== '' ? data.fail_reason : undefined
  }
}

/** DraftClip documents a string; TikTok's own API gives an array of ids (and numbers lose digits). */
function postIdOf(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value
  if (typeof first === 'string' && first.trim() !== '') return first.trim()
  if (typeof first === 'bigint' || (typeof first === 'number' && Number.isSafeInteger(first))) return String(first)
  return undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

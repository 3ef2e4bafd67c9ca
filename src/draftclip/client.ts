import type { UploadRequest, Answer, NoAnswer, Attempt, DraftClip } from '../model/ports.js'
import type { Readable } from 'node:stream'
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici'
import { endpoint, parseBody } from './answers.js'
import { readBody } from './body.js'
import { multipartFrame } from './multipart.js'
import { neverReached } from './retry-policy.js'

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
  /** Send through HTTPS_PROXY / HTTP_PROXY / NO_PROXY (never chosen for a loopback base-url). */
  useProxy: boolean
}

const USER_AGENT = 'draftclip-publish (GitHub Action)'
const MAX_ANSWER_BYTES = 1024 * 1024

export class DraftClipClient implements DraftClip {
  private readonly dispatcher: Dispatcher

  constructor(private readonly options: ClientOptions) {
    const agentOptions = {
      connect: { timeout: options.connectMs },
      headersTimeout: options.responseMs,
      bodyTimeout: options.responseMs
    }
    this.dispatcher = options.useProxy ? new EnvHttpProxyAgent(agentOptions) : new Agent(agentOptions)
  }

  async upload(video: UploadRequest): Promise<Attempt> {
    const { boundary, head, tail, length } = multipartFrame(video)
    const controller = new AbortController()
    let bodySent = false
    let stalled = false
    /** The last bytes (the closing boundary) were handed over, or held back by a cancelled job: never both. */
    let last = 'pending' as 'pending' | 'handed' | 'held'
    const holdBack = (): void => {
      if (last !== 'pending') return
      last = 'held'
      video.onHeldBack?.()
      controller.abort()
    }
    if (video.signal?.aborted) holdBack()
    video.signal?.addEventListener('abort', holdBack, { once: true })
    const stallTimer = setTimeout(() => {
      stalled = true
      controller.abort()
    }, this.options.stallMs)
    stallTimer.unref()

    async function* body(): AsyncGenerator<Buffer> {
      yield head
      for await (const sent of video.chunks()) {
        // Each resume means the socket took the previous chunk.
        stallTimer.refresh()
        video.onProgress?.(sent.total)
        yield sent.chunk
      }
      // A cancelled job holds them back: without them no server takes the body, whatever it got before.
      if (last === 'held') return
      last = 'handed'
      yield tail
      bodySent = true
      clearTimeout(stallTimer)
    }

    const url = endpoint(this.options.baseUrl, 'upload.php')
    try {
      const response = await request(url, {
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
      // An answer may come before the body is all out (an early 401, a redirect): note which.
      const sentBeforeAnswer = bodySent
      return { ...(await readAnswer(response)), bodySent: sentBeforeAnswer }
    } catch (error) {
      const held =
        last === 'held' ? Object.assign(new Error('the job was cancelled before the last bytes left'), { code: 'CANCELLED' }) : error
      return noAnswer(held, bodySent, stalled, url)
    } finally {
      clearTimeout(stallTimer)
      video.signal?.removeEventListener('abort', holdBack)
    }
  }

  async status(publishId: string, timeoutMs: number, signal?: AbortSignal): Promise<Attempt> {
    const url = endpoint(this.options.baseUrl, 'video_status.php')
    url.searchParams.set('publish_id', publishId)
    const timeout = AbortSignal.timeout(Math.max(1, timeoutMs))
    try {
      const response = await request(url, {
        method: 'GET',
        dispatcher: this.dispatcher,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json', 'user-agent': USER_AGENT }
      })
      return { ...(await readAnswer(response)), bodySent: true }
    } catch (error) {
      const timedOut = timeout.aborted && !signal?.aborted
      return noAnswer(timedOut ? Object.assign(new Error('no answer in time'), { code: 'TIMEOUT' }) : error, true, false, url)
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close()
  }
}

async function readAnswer(response: Dispatcher.ResponseData): Promise<Omit<Answer, 'bodySent'>> {
  const body = await readBody(response.body as AsyncIterable<Buffer>, response.headers['content-encoding'], MAX_ANSWER_BYTES)
  // Not JSON, and said so: the message shows why instead of compressed bytes.
  const text = body.undecodable ? `(an answer encoded as ${body.encoding} that could not be decoded)` : body.text
  const retryAfter = response.headers['retry-after']
  return {
    kind: 'answer',
    httpStatus: response.statusCode,
    json: parseBody(text),
    text,
    retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter
  }
}

/**
 * OpenSSL's verdicts on a certificate chain, as Node reports them (and Node's own for a
 * name the certificate does not cover): the runner refused the host's certificate.
 */
const CERTIFICATE_REFUSED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID'
])

function noAnswer(error: unknown, bodySent: boolean, stalled: boolean, url: URL): NoAnswer {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } }
  const code = err.cause?.code ?? err.code ?? 'UNKNOWN'
  const message = stalled ? 'the upload stalled: no bytes moved' : (err.cause?.message ?? err.message ?? String(error))
  const answer: NoAnswer = { kind: 'no-answer', code: stalled ? 'STALLED' : code, message, bodySent, stalled, origin: url.origin }
  if (!stalled && CERTIFICATE_REFUSED.has(code)) answer.untrustedCertificate = true
  return answer
}

/** The DraftClip requests a run made: each one is a request of the account's monthly plan. */
export interface RequestCount {
  upload: number
  status: number
  /** Requests that provably never reached DraftClip (no connection, a refused certificate): not the plan's, so counted apart. */
  unreached?: number
}

/**
 * `client`, counting into `count` every request it sends (retries and failed
 * polls included), as it leaves; one that comes back having never reached
 * DraftClip moves to `unreached`.
 */
export function counting(client: DraftClip, count: RequestCount): DraftClip {
  const judged = (kind: 'upload' | 'status') => (attempt: Attempt) => {
    if (neverReached(attempt)) {
      count[kind]--
      count.unreached = (count.unreached ?? 0) + 1
    }
    return attempt
  }
  return {
    upload: video => {
      count.upload++
      return client.upload(video).then(judged('upload'))
    },
    status: (publishId, timeoutMs, signal) => {
      // A request whose run was already cancelled never leaves.
      if (signal?.aborted) return client.status(publishId, timeoutMs, signal)
      count.status++
      return client.status(publishId, timeoutMs, signal).then(judged('status'))
    },
    close: () => client.close()
  }
}

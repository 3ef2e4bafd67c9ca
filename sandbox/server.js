// The DraftClip sandbox: a local imitation of https://drafttok.app's API
// (/api/upload.php and /api/video_status.php) for tests and `npm start`.
// It imitates a PHP-FPM deployment, including its blind spots (a chunked body
// arrives empty), and can inject network faults one request at a time.

import http from 'node:http'
import https from 'node:https'
import zlib from 'node:zlib'
import { createHash, randomBytes, randomInt } from 'node:crypto'
import { MediaSniffer } from './media.js'
import { MultipartParser, getBoundary } from './multipart.js'
import { STATUSES } from './statuses.js'

const MIB = 1024 * 1024
const DEFAULT_KEY = 'ttapi_sandbox_key'
const DEFAULT_MAX_UPLOAD = 500 * MIB // PHP's upload_max_filesize=500M
const POST_MAX_SLACK = MIB // post_max_size a little above the file limit
const MAX_DESCRIPTION = 2200
const MAX_FIELD_BYTES = 64 * 1024
const DEFAULT_RESET_AFTER = 64 * 1024

const PRIVACY_LEVELS = ['SELF_ONLY', 'MUTUAL_FOLLOW_FRIENDS', 'PUBLIC_TO_EVERYONE']
const EXTENSIONS = ['mp4', 'mov', 'avi']

const debug = process.env.SANDBOX_DEBUG === '1' ? (...args) => console.error('[sandbox]', ...args) : () => {}

// PHP's json_encode() without flags escapes "/" and every non-ASCII character.
function phpJson(value) {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

function bearerKey(header) {
  if (typeof header !== 'string') return null
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return m ? m[1] : null
}

// PHP keeps only the last path segment of a client-sent filename.
function phpBasename(name) {
  const cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'))
  return cut >= 0 ? name.slice(cut + 1) : name
}

function extensionOf(name) {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

function formatLimit(bytes) {
  return bytes % MIB === 0 ? `${bytes / MIB}MB` : `${bytes} bytes`
}

function postId() {
  // 19 digits, like TikTok's item ids.
  let id = String(randomInt(6, 8))
  for (let i = 0; i < 3; i++) id += String(randomInt(0, 1e6)).padStart(6, '0')
  return id
}

class RequestError extends Error {}

const COMPRESS = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, br: zlib.brotliCompressSync }

/** @param {import('./server.js').SandboxOptions} [options] */
export async function startSandbox(options = {}) {
  const host = options.host ?? '127.0.0.1'
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD
  const defaultPolls = options.pollsToComplete ?? 2
  const keys = new Set(options.apiKeys ?? [DEFAULT_KEY])
  // TikTok's daily cap, as DraftClip passes it on: a 429 once a key has had this many uploads taken.
  const dailyLimit = options.dailyLimit ?? Infinity
  const dailyRetryAfter = options.dailyLimitRetryAfter
  const takenByKey = new Map()
  const files = new Map(Object.entries(options.files ?? {}))
  const faults = {
    upload: [...(options.uploadFaults ?? [])],
    status: [...(options.statusFaults ?? [])]
  }

  /** @type {import('./server.js').RequestLog[]} */
  const requests = []
  /** @type {import('./server.js').UploadRecord[]} */
  const uploads = []
  const videos = new Map()
  const sockets = new Set()
  const timers = new Set()
  let closed = false

  const onRequest = (req, res) => {
    handle(req, res).catch(err => {
      debug('handler error', err)
      if (!res.headersSent && !req.socket.destroyed) {
        res.writeHead(500, { 'Content-Type': 'application/json' })
        res.end(phpJson({ error: 'Upload failed' }))
      }
    })
  }
  // HTTPS with the caller's key and certificate (a private CA, a self-signed one): what a runner may not trust.
  const server = options.tls
    ? https.createServer({ requestTimeout: 0, key: options.tls.key, cert: options.tls.cert }, onRequest)
    : http.createServer({ requestTimeout: 0 }, onRequest)
  let tlsClientErrors = 0
  server.on('tlsClientError', () => tlsClientErrors++)
  server.timeout = 0
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  function sleep(ms) {
    return new Promise(resolve => {
      const t = setTimeout(() => {
        timers.delete(t)
        resolve()
      }, ms)
      timers.add(t)
    })
  }

  // Reads the body to its end, counting bytes; rejects if the client goes away.
  function consume(req, entry, onChunk) {
    return new Promise((resolve, reject) => {
      let settled = false
      const settle = (fn, arg) => {
        if (!settled) {
          settled = true
          fn(arg)
        }
      }
      req.on('data', chunk => {
        entry.bytesReceived += chunk.length
        if (onChunk) onChunk(chunk)
      })
      req.on('end', () => settle(resolve))
      req.on('error', err => settle(reject, err))
      req.on('close', () => settle(reject, new RequestError('client went away')))
    })
  }

  function send(req, res, entry, status, body, headers) {
    if (closed || res.headersSent || req.socket.destroyed) return
    entry.status = status
    const text = typeof body === 'string' ? body : phpJson(body)
    if (options.contentEncoding) {
      // Compressed unasked, as PHP's zlib.output_compression or a proxy may do whatever Accept-Encoding says.
      res.writeHead(status, { ...(headers ?? { 'Content-Type': 'application/json' }), 'Content-Encoding': options.contentEncoding })
      res.end(COMPRESS[options.contentEncoding](Buffer.from(text)))
      debug(entry.method, entry.path, '->', status, options.contentEncoding, text)
      return
    }
    res.writeHead(status, headers ?? { 'Content-Type': 'application/json' })
    res.end(text)
    debug(entry.method, entry.path, '->', status, text)
  }

  function reset(req) {
    const socket = req.socket
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
    else socket.destroy()
  }

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://sandbox')
    const lengthHeader = req.headers['content-length']
    const entry = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      contentLength: lengthHeader === undefined ? undefined : Number(lengthHeader),
      chunked: /\bchunked\b/i.test(req.headers['transfer-encoding'] ?? ''),
      bytesReceived: 0,
      status: null
    }
    requests.push(entry)
    debug(entry.method, req.url, 'content-length', lengthHeader, entry.chunked ? 'chunked' : '')

    const kind = entry.path === '/api/upload.php' ? 'upload' : entry.path === '/api/video_status.php' ? 'status' : null
    const fault = kind ? (faults[kind].shift() ?? null) : null
    if (fault) debug('fault', fault.type, 'for', entry.path)

    try {
      if (fault && fault.type !== 'delay') {
        await applyFault(req, res, entry, kind, fault)
        return
      }
      const answer = kind === 'upload' ? await upload(req, entry) : kind === 'status' ? await status(req, entry) : null
      if (fault) await sleep(fault.ms)
      if (answer) send(req, res, entry, answer.status, answer.body, answer.headers)
      else {
        await consume(req, entry)
        send(req, res, entry, 404, { error: 'Not found' })
      }
    } catch (err) {
      if (err instanceof RequestError || req.socket.destroyed) return
      throw err
    }
  }

  async function applyFault(req, res, entry, kind, fault) {
    switch (fault.type) {
      case 'respond': {
        await consume(req, entry)
        const headers = { ...(fault.headers ?? {}) }
        if (!Object.keys(headers).some(h => h.toLowerCase() === 'content-type')) {
          let json = true
          try {
            JSON.parse(fault.body)
          } catch {
            json = false
          }
          headers['Content-Type'] = json ? 'application/json' : 'text/plain'
        }
        send(req, res, entry, fault.status, fault.body, headers)
        return
      }
      case 'reset-before-body': {
        const after = fault.afterBytes ?? DEFAULT_RESET_AFTER
        const total = entry.contentLength
        const threshold = total !== undefined && total > 0 ? Math.min(after, total) : after
        if (entry.bytesReceived >= threshold || req.complete) {
          reset(req)
          return
        }
        await consume(req, entry, () => {
          if (entry.bytesReceived >= threshold) reset(req)
        }).catch(() => {})
        // The body completed before the threshold: still never answer.
        if (!req.socket.destroyed) reset(req)
        return
      }
      case 'reset-after-body':
      case 'hang': {
        // The server does its work; only the answer is lost.
        if (kind === 'upload') await upload(req, entry)
        else await consume(req, entry)
        if (fault.type === 'reset-after-body') reset(req)
        return
      }
      case 'stall':
        req.pause()
        req.socket.pause()
        return
      default:
        throw new Error(`unknown fault type ${JSON.stringify(fault.type)}`)
    }
  }

  function authorized(req) {
    const key = bearerKey(req.headers.authorization)
    return key !== null && keys.has(key) ? key : null
  }

  async function upload(req, entry) {
    if (req.method !== 'POST') {
      await consume(req, entry)
      return { status: 405, body: { error: 'Method not allowed' } }
    }
    const key = authorized(req)
    if (!key) {
      await consume(req, entry)
      return { status: 401, body: { error: 'Invalid or missing API key' } }
    }
    // PHP-FPM behind nginx/Apache sees a chunked body without Content-Length as empty.
    if (entry.contentLength === undefined) {
      await consume(req, entry)
      return { status: 400, body: { error: 'No video file uploaded' } }
    }
    if (entry.contentLength > maxUploadBytes + POST_MAX_SLACK) {
      await consume(req, entry)
      return { status: 400, body: { error: `File too large. Maximum size is ${formatLimit(maxUploadBytes)}` } }
    }
    if ((takenByKey.get(key) ?? 0) >= dailyLimit) {
      await consume(req, entry)
      // DraftClip's doc promises no Retry-After; dailyLimitRetryAfter scripts one (a cap that says when it resets).
      const headers =
        dailyRetryAfter === undefined ? undefined : { 'Content-Type': 'application/json', 'Retry-After': String(dailyRetryAfter) }
      return { status: 429, body: { error: 'Quota exceeded: daily upload limit reached' }, headers }
    }
    const boundary = getBoundary(req.headers['content-type'])
    if (!boundary) {
      await consume(req, entry)
      return { status: 400, body: { error: 'No video file uploaded' } }
    }

    const form = await parseForm(req, entry, boundary)
    const video = form.video
    if (!video || video.filename === '') return bad('No video file uploaded')
    const description = form.fields.description
    if (description === undefined || description.trim() === '') return bad('Description is required')
    if (form.overflow.has('description') || description.length > MAX_DESCRIPTION) {
      return bad(`Description is too long. Maximum ${MAX_DESCRIPTION} characters`)
    }
    const privacy = form.fields.privacy_level
    if (privacy !== undefined && privacy !== '' && !PRIVACY_LEVELS.includes(privacy)) {
      return bad('Invalid privacy level')
    }
    if (video.tooLarge) return bad(`File too large. Maximum size is ${formatLimit(maxUploadBytes)}`)
    if (!EXTENSIONS.includes(extensionOf(video.filename))) {
      return bad('Invalid file type. Allowed: MP4, MOV, AVI')
    }

    const publishId = 'v_pub_' + randomBytes(12).toString('hex')
    const record = {
      publishId,
      filename: video.filename,
      contentType: video.contentType,
      size: video.size,
      sha256: video.hash.digest('hex'),
      fields: form.fields,
      authorization: req.headers.authorization ?? ''
    }
    uploads.push(record)
    takenByKey.set(key, (takenByKey.get(key) ?? 0) + 1)
    // '*' scripts every video; a file's own behaviour overrides it. TikTok's media check: a video that breaks
    // a rule ends FAILED, unless a test scripted its end.
    const failReason = video.media.failReason()
    const behaviour = {
      ...(failReason ? { final: 'FAILED', failReason } : {}),
      ...(files.get('*') ?? {}),
      ...(files.get(video.filename) ?? {})
    }
    videos.set(publishId, {
      key,
      polls: 0,
      behaviour,
      pollsToComplete: behaviour.pollsToComplete ?? defaultPolls,
      // DraftClip's default privacy is SELF_ONLY: only PUBLIC_TO_EVERYONE ever gets a post ID.
      public: form.fields.privacy_level === 'PUBLIC_TO_EVERYONE',
      postId: postId()
    })
    debug('took', video.filename, video.size, 'bytes as', publishId)
    return {
      status: 200,
      body: {
        success: true,
        message: 'Video uploaded successfully',
        data: { publish_id: publishId, description, status: 'PROCESSING_UPLOAD' }
      }
    }
  }

  function bad(error) {
    return { status: 400, body: { error } }
  }

  async function parseForm(req, entry, boundary) {
    const form = { fields: {}, video: null, overflow: new Set() }
    let part = null
    const parser = new MultipartParser(boundary, {
      onPartBegin({ name, filename, contentType }) {
        if (name === 'video' && filename !== undefined) {
          part = {
            kind: 'video',
            filename: phpBasename(filename),
            contentType: contentType ?? '',
            hash: createHash('sha256'),
            media: new MediaSniffer(phpBasename(filename), { maxDuration: options.maxDuration }),
            size: 0,
            tooLarge: false
          }
        } else if (name !== undefined && filename === undefined) {
          part = { kind: 'field', name, chunks: [], size: 0, overflow: false }
        } else {
          part = { kind: 'skip' }
        }
      },
      onPartData(data) {
        if (part.kind === 'video') {
          part.size += data.length
          if (part.size > maxUploadBytes) part.tooLarge = true
          else {
            part.hash.update(data)
            part.media.write(data)
          }
        } else if (part.kind === 'field') {
          if (part.size + data.length > MAX_FIELD_BYTES) part.overflow = true
          else part.chunks.push(Buffer.from(data))
          part.size += data.length
        }
      },
      onPartEnd() {
        if (part.kind === 'video') form.video = part
        else if (part.kind === 'field') {
          form.fields[part.name] = Buffer.concat(part.chunks).toString('utf8')
          if (part.overflow) form.overflow.add(part.name)
          else form.overflow.delete(part.name)
        }
        part = null
      }
    })
    let broken = false
    await consume(req, entry, chunk => {
      if (broken) return
      try {
        parser.write(chunk)
      } catch (err) {
        broken = true
        debug('malformed multipart body:', err.message)
      }
    })
    if (!broken) {
      try {
        parser.end()
      } catch (err) {
        debug('malformed multipart body:', err.message)
      }
    }
    return form
  }

  async function status(req, entry) {
    if (req.method !== 'GET') {
      await consume(req, entry)
      return { status: 405, body: { error: 'Method not allowed' } }
    }
    await consume(req, entry)
    const key = authorized(req)
    if (!key) return { status: 401, body: { error: 'Invalid or missing API key' } }
    const publishId = entry.query.publish_id
    if (!publishId) return bad('publish_id is required')
    const video = videos.get(publishId)
    if (!video || video.key !== key) return { status: 404, body: { error: 'Video not found' } }

    video.polls += 1
    const { behaviour } = video
    const n = video.polls
    const beforeFinal = video.pollsToComplete
    let code
    if (behaviour.never || n <= beforeFinal) code = n === 1 ? 'PROCESSING_UPLOAD' : 'PROCESSING'
    else code = behaviour.final ?? 'PUBLISH_COMPLETE'
    const info = STATUSES[code]
    const data = {
      publish_id: publishId,
      status: code,
      status_label: info.label,
      status_description: info.description,
      is_complete: info.complete
    }
    // As TikTok: a post ID only for a public post, once moderation has passed it (postIdDelay polls after PUBLISH_COMPLETE).
    if (code === 'PUBLISH_COMPLETE' && video.public && n - beforeFinal > (behaviour.postIdDelay ?? 0)) {
      data.publicaly_available_post_id = behaviour.postIdAsArray ? [video.postId] : video.postId
    }
    if (code === 'FAILED') data.fail_reason = behaviour.failReason ?? 'file_format_check_failed'
    return { status: 200, body: { success: true, data, message: info.description } }
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const urlHost = host.includes(':') ? `[${host}]` : host
  debug('listening on', `http://${urlHost}:${port}`)

  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    requests,
    uploads,
    get tlsClientErrors() {
      return tlsClientErrors
    },
    close() {
      if (closed) return Promise.resolve()
      closed = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
      return new Promise(resolve => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
        sockets.clear()
      })
    },
    revokeKey(key) {
      keys.delete(key)
    },
    addFaults(kind, list) {
      if (kind !== 'upload' && kind !== 'status') throw new Error(`unknown fault kind ${kind}`)
      faults[kind].push(...list)
    },
    setFile(name, behaviour) {
      files.set(name, { ...behaviour })
    }
  }
}

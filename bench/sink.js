// A DraftClip imitation for the benchmark: it answers like the real API
// (seed doc: /api/upload.php, /api/video_status.php) but, unlike the sandbox
// in sandbox/server.js, it never parses an upload whole. It counts the bytes
// and keeps only the first and last few KiB of each body, so it costs little
// CPU and flat memory, yet can tell afterwards whether the video part arrived
// whole. Node built-ins only (and sandbox/statuses.js, DraftClip's status table).

import http from 'node:http'
import { STATUSES } from '../sandbox/statuses.js'

const EDGE_BYTES = 64 * 1024
const POST_ID = '7123456789012345678'

/**
 * @typedef {object} UploadRecord
 * @property {number} n                 1-based order of arrival
 * @property {string | null} publishId  null when the upload was refused
 * @property {number | null} contentLength  what the client announced
 * @property {boolean} chunked          Transfer-Encoding: chunked was used
 * @property {number} received          body bytes that arrived
 * @property {number | null} videoBytes bytes of the file part's content, when the frame could be read
 * @property {string | null} filename
 * @property {Record<string, string>} fields  the text parts (description, privacy_level, ...)
 * @property {boolean} closed           the closing boundary was seen
 * @property {string | null} problem    why the upload is not whole, or null
 */

/**
 * Starts the sink on 127.0.0.1, port 0.
 * @param {{ uploadDelayMs?: number, pollsToComplete?: number }} [options]
 */
export async function startSink(options = {}) {
  const settings = { uploadDelayMs: 0, pollsToComplete: 3, ...options }
  /** @type {UploadRecord[]} */
  const uploads = []
  /** publish id -> status requests seen */
  const polls = new Map()
  let count = 0

  const server = http.createServer({ requestTimeout: 0 }, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sink')
    if (url.pathname === '/api/upload.php') {
      if (req.method !== 'POST') return send(res, 405, { error: 'Method not allowed' })
      if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) return send(res, 401, { error: 'Invalid API key' })
      return receiveUpload(req, res)
    }
    if (url.pathname === '/api/video_status.php') {
      if (req.method !== 'GET') return send(res, 405, { error: 'Method not allowed' })
      return answerStatus(url.searchParams.get('publish_id') ?? '', res)
    }
    send(res, 404, { error: 'Not found' })
  })

  function receiveUpload(req, res) {
    const announced = req.headers['content-length']
    /** @type {UploadRecord} */
    const record = {
      n: ++count,
      publishId: null,
      contentLength: announced === undefined ? null : Number(announced),
      chunked: /chunked/i.test(req.headers['transfer-encoding'] ?? ''),
      received: 0,
      videoBytes: null,
      filename: null,
      fields: {},
      closed: false,
      problem: null
    }
    uploads.push(record)
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '')
    const head = Buffer.alloc(EDGE_BYTES)
    let headLength = 0
    /** The last chunks, holding at least EDGE_BYTES when the body is that long. */
    let tail = []
    let tailLength = 0

    req.on('data', chunk => {
      if (headLength < EDGE_BYTES) headLength += chunk.copy(head, headLength)
      record.received += chunk.length
      tail.push(chunk)
      tailLength += chunk.length
      while (tail.length > 1 && tailLength - tail[0].length >= EDGE_BYTES) tailLength -= tail.shift().length
    })
    req.on('error', () => {
      record.problem ??= 'the connection broke during the body'
    })
    req.on('end', () => {
      const tailBuffer = Buffer.concat(tail)
      tail = []
      if (record.chunked) record.problem = 'the body was chunked (PHP-FPM would see it empty)'
      else if (record.contentLength !== record.received) {
        record.problem = `Content-Length ${record.contentLength} but ${record.received} bytes arrived`
      } else if (!boundary) record.problem = 'no multipart boundary in Content-Type'
      else {
        readFrame(record, boundary[1] ?? boundary[2], head.subarray(0, headLength), tailBuffer, record.received - tailBuffer.length)
      }
      const answer = () => {
        if (record.problem) return send(res, 400, { error: record.problem })
        record.publishId = `v_bench_${record.n}`
        polls.set(record.publishId, 0)
        send(res, 200, {
          success: true,
          message: 'Video uploaded successfully',
          data: { publish_id: record.publishId, description: '', status: 'PROCESSING_UPLOAD' }
        })
      }
      if (settings.uploadDelayMs > 0) setTimeout(answer, settings.uploadDelayMs)
      else answer()
    })
  }

  function answerStatus(publishId, res) {
    if (!polls.has(publishId)) return send(res, 400, { error: 'Invalid publish_id' })
    const seen = polls.get(publishId) + 1
    polls.set(publishId, seen)
    const status = seen >= settings.pollsToComplete ? 'PUBLISH_COMPLETE' : seen === 1 ? 'PROCESSING_UPLOAD' : 'PROCESSING'
    const { label, description, complete } = STATUSES[status]
    const data = {
      publish_id: publishId,
      status,
      status_label: label,
      status_description: description,
      is_complete: complete
    }
    if (status === 'PUBLISH_COMPLETE') data.publicaly_available_post_id = POST_ID
    send(res, 200, { success: true, data, message: description })
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())

  return {
    url: `http://127.0.0.1:${port}`,
    uploads,
    /** Status requests seen per publish id. */
    polls,
    /** @param {{ uploadDelayMs?: number, pollsToComplete?: number }} next */
    configure(next) {
      Object.assign(settings, next)
    },
    close() {
      server.closeAllConnections()
      return new Promise(resolve => server.close(() => resolve(undefined)))
    }
  }
}

function send(res, status, body) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/**
 * Reads the multipart frame from the body's edges: the text parts and the
 * file part's headers lie in the first or last few KiB (curl sends the file
 * first, the action last), so the file's length is where its content ends
 * minus where it starts. `tail` starts at absolute offset `tailAt`.
 */
function readFrame(record, boundary, head, tail, tailAt) {
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  const videoStart = readParts(record, boundary, head, 0, 0)
  if (videoStart === undefined) {
    record.problem = 'no file part found at the start of the body'
    return
  }
  const end = tail.indexOf(delimiter, Math.max(0, videoStart - tailAt))
  if (end < 0) {
    record.problem = 'the file part never ends (no boundary after it)'
    return
  }
  record.videoBytes = tailAt + end - videoStart
  readParts(record, boundary, tail, tailAt, tailAt + end + 2)
  if (!record.closed) record.problem = 'the closing boundary is missing'
}

/**
 * Reads parts from absolute offset `at` (a `--boundary` line) while they lie
 * within `buf` (which starts at absolute offset `bufAt`). Returns the absolute
 * offset where the file part's content starts, if a file part begins here.
 */
function readParts(record, boundary, buf, bufAt, at) {
  const dashBoundary = Buffer.from(`--${boundary}`)
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  let i = at - bufAt
  for (;;) {
    if (i < 0 || buf.indexOf(dashBoundary, i) !== i) return undefined
    i += dashBoundary.length
    if (buf[i] === 0x2d && buf[i + 1] === 0x2d) {
      record.closed = true
      return undefined
    }
    const headersEnd = buf.indexOf('\r\n\r\n', i)
    if (headersEnd < 0) return undefined
    const headers = buf.toString('latin1', i, headersEnd)
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? ''
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1]
    const start = headersEnd + 4
    if (filename !== undefined) {
      record.filename = filename
      return bufAt + start
    }
    const end = buf.indexOf(delimiter, start)
    if (end < 0) return undefined
    record.fields[name] = buf.toString('utf8', start, end)
    i = end + 2
  }
}

// Streaming multipart/form-data parser (RFC 7578 / RFC 2046).
// Holds at most one delimiter's worth of body bytes between writes, so a file
// part of any size flows through in constant memory.

const CR = 0x0d
const LF = 0x0a
const DASH = 0x2d

const MAX_HEADER_BYTES = 16 * 1024
const MAX_DELIMITER_LINE = 1024

export class MultipartError extends Error {
  constructor(message) {
    super(message)
    this.name = 'MultipartError'
  }
}

/** The boundary of a `multipart/form-data` Content-Type, or null. */
export function getBoundary(contentType) {
  if (typeof contentType !== 'string') return null
  const [type, ...rest] = splitParams(contentType)
  if (type.trim().toLowerCase() !== 'multipart/form-data') return null
  const params = parseParams(rest)
  const boundary = params.boundary
  if (!boundary || boundary.length > 200) return null
  return boundary
}

/** `form-data; name="video"; filename="a.mp4"` -> { type, name, filename }. */
export function parseContentDisposition(value) {
  if (typeof value !== 'string') return { type: '', params: {} }
  const [type, ...rest] = splitParams(value)
  const params = parseParams(rest)
  return { type: type.trim().toLowerCase(), name: params.name, filename: params.filename, params }
}

// Split on ';' outside double quotes.
function splitParams(value) {
  const out = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (quoted && c === '\\' && (value[i + 1] === '\\' || value[i + 1] === '"')) {
      cur += c + value[++i]
    } else if (c === '"') {
      quoted = !quoted
      cur += c
    } else if (c === ';' && !quoted) {
      out.push(cur)
      cur = ''
    } else {
      cur += c
    }
  }
  out.push(cur)
  return out
}

function parseParams(pieces) {
  const params = {}
  for (const piece of pieces) {
    const eq = piece.indexOf('=')
    if (eq < 0) continue
    const key = piece.slice(0, eq).trim().toLowerCase()
    let val = piece.slice(eq + 1).trim()
    if (val.startsWith('"') && val.endsWith('"') && val.length >= 2) {
      // Like PHP: only \\ and \" are escapes; other backslashes stay (C:\path).
      val = val.slice(1, -1).replace(/\\([\\"])/g, '$1')
    }
    if (key && !(key in params)) params[key] = val
  }
  return params
}

function parseHeaderBlock(text) {
  const headers = {}
  let last = null
  for (const line of text.split('\r\n')) {
    if (line === '') continue
    if ((line[0] === ' ' || line[0] === '\t') && last) {
      headers[last] += ' ' + line.trim()
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    last = line.slice(0, colon).trim().toLowerCase()
    headers[last] = line.slice(colon + 1).trim()
  }
  return headers
}

const S_PREAMBLE = 0
const S_AFTER_DELIMITER = 1
const S_AFTER_DASH = 2
const S_DELIMITER_LINE = 3
const S_HEADERS = 4
const S_BODY = 5
const S_DONE = 6

/**
 * Push-style parser. Callbacks:
 *   onPartBegin({ name, filename, contentType, headers })
 *   onPartData(chunk)   chunk is a view into the input; copy it to keep it
 *   onPartEnd()
 *   onEnd()             the closing delimiter was seen (epilogue is ignored)
 * write() and end() throw MultipartError on malformed input.
 */
export class MultipartParser {
  constructor(boundary, callbacks = {}) {
    if (!boundary) throw new MultipartError('Missing boundary')
    this.delimiter = Buffer.from('\r\n--' + boundary, 'latin1')
    this.cb = callbacks
    this.state = S_PREAMBLE
    // The first delimiter may open the body without a CRLF before it.
    this.pending = Buffer.from('\r\n')
    this.headerChunks = []
    this.headerBytes = 0
    this.lineBytes = 0
    this.inPart = false
    this.failed = null
  }

  get done() {
    return this.state === S_DONE
  }

  write(chunk) {
    if (this.failed) throw this.failed
    if (this.state === S_DONE || chunk.length === 0) return
    try {
      this.#run(chunk)
    } catch (err) {
      this.failed = err
      throw err
    }
  }

  end() {
    if (this.failed) throw this.failed
    if (this.state !== S_DONE) {
      this.failed = new MultipartError('Unexpected end of multipart body')
      throw this.failed
    }
  }

  #run(chunk) {
    let buf = chunk
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk])
      this.pending = null
    }
    let pos = 0
    while (pos < buf.length && this.state !== S_DONE) {
      switch (this.state) {
        case S_PREAMBLE:
        case S_BODY:
          pos = this.#scanForDelimiter(buf, pos)
          break
        case S_AFTER_DELIMITER: {
          const c = buf[pos++]
          if (c === DASH) this.state = S_AFTER_DASH
          else if (c === LF) this.#startHeaders()
          else {
            this.state = S_DELIMITER_LINE
            this.lineBytes = 1
          }
          break
        }
        case S_AFTER_DASH: {
          const c = buf[pos++]
          if (c === DASH) {
            this.state = S_DONE
            if (this.cb.onEnd) this.cb.onEnd()
          } else if (c === LF) this.#startHeaders()
          else {
            this.state = S_DELIMITER_LINE
            this.lineBytes = 2
          }
          break
        }
        case S_DELIMITER_LINE: {
          // Transport padding (or anything, as PHP tolerates) up to the LF.
          const lf = buf.indexOf(LF, pos)
          const end = lf < 0 ? buf.length : lf
          this.lineBytes += end - pos
          if (this.lineBytes > MAX_DELIMITER_LINE) throw new MultipartError('Malformed delimiter line')
          pos = end
          if (lf >= 0) {
            pos = lf + 1
            this.#startHeaders()
          }
          break
        }
        case S_HEADERS:
          pos = this.#scanHeaders(buf, pos)
          break
      }
    }
  }

  #startHeaders() {
    this.state = S_HEADERS
    // Seeded with CRLF so an empty header block is "\r\n\r\n" like any other.
    this.headerChunks = [Buffer.from('\r\n')]
    this.headerBytes = 2
  }

  #scanHeaders(buf, pos) {
    const rest = buf.subarray(pos)
    this.headerChunks.push(rest)
    this.headerBytes += rest.length
    // Search only the new bytes plus the 3 before them.
    const all = Buffer.concat(this.headerChunks)
    const from = Math.max(0, this.headerBytes - rest.length - 3)
    const idx = all.indexOf('\r\n\r\n', from, 'latin1')
    if (idx < 0) {
      if (this.headerBytes > MAX_HEADER_BYTES) throw new MultipartError('Part headers too large')
      this.headerChunks = [all]
      return buf.length
    }
    if (idx > MAX_HEADER_BYTES) throw new MultipartError('Part headers too large')
    const headers = parseHeaderBlock(all.subarray(2, idx).toString('utf8'))
    const disposition = parseContentDisposition(headers['content-disposition'])
    this.headerChunks = []
    this.headerBytes = 0
    this.state = S_BODY
    this.inPart = true
    if (this.cb.onPartBegin) {
      this.cb.onPartBegin({
        name: disposition.name,
        filename: disposition.filename,
        contentType: headers['content-type'],
        headers
      })
    }
    // Bytes consumed from buf: everything up to the end of the blank line.
    const consumedFromAll = idx + 4
    const consumedBefore = all.length - rest.length
    return pos + (consumedFromAll - consumedBefore)
  }

  #scanForDelimiter(buf, pos) {
    const delim = this.delimiter
    const idx = buf.indexOf(delim, pos)
    if (idx >= 0) {
      if (this.state === S_BODY) {
        if (idx > pos) this.#emit(buf.subarray(pos, idx))
        this.inPart = false
        if (this.cb.onPartEnd) this.cb.onPartEnd()
      }
      this.state = S_AFTER_DELIMITER
      return idx + delim.length
    }
    // Keep the longest tail that could begin a delimiter; emit the rest.
    let keepFrom = buf.length
    for (let i = Math.max(pos, buf.length - delim.length + 1); i < buf.length; i++) {
      if (buf[i] !== CR) continue
      if (buf.compare(delim, 0, buf.length - i, i, buf.length) === 0) {
        keepFrom = i
        break
      }
    }
    if (this.state === S_BODY && keepFrom > pos) this.#emit(buf.subarray(pos, keepFrom))
    if (keepFrom < buf.length) this.pending = Buffer.from(buf.subarray(keepFrom))
    return buf.length
  }

  #emit(data) {
    if (this.cb.onPartData) this.cb.onPartData(data)
  }
}

import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals'
import * as fs from 'node:fs'
import http from 'node:http'
import * as path from 'node:path'
import { once } from 'node:events'
import { createHash, randomBytes } from 'node:crypto'
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/server.js'
import { MultipartParser, MultipartError, getBoundary, parseContentDisposition } from '../sandbox/multipart.js'
import { parseGithubOutput, actionInputDefaults } from '../sandbox/outputs.js'
import { parseServeArgs } from '../sandbox/serve-options.js'
import { spawn } from 'node:child_process'
import net from 'node:net'
import { FIXTURES, freeBox, ROOT, workspace, writeMp4 } from './support/action.js'
import { runInProcess } from './support/in-process.js'

const KEY = 'ttapi_sandbox_key'
const AUTH = { authorization: `Bearer ${KEY}` }
const MIB = 1024 * 1024

// ---------- helpers ----------

const TINY_MP4 = fs.readFileSync(path.join(FIXTURES, 'tiny.mp4'))

/** A real video (TikTok's media check in the sandbox passes it) of `size` bytes: an ffmpeg fixture and a `free` box of random bytes. */
function realVideo(size: number): Buffer {
  return Buffer.concat([TINY_MP4, freeBox(size - TINY_MP4.length), randomBytes(size - TINY_MP4.length - 8)])
}

interface Part {
  name?: string
  filename?: string
  contentType?: string
  value: string | Buffer
  rawHeaders?: string
}

function encodeMultipart(parts: Part[], boundary: string, preamble = '', epilogue = ''): Buffer {
  const chunks: Buffer[] = []
  if (preamble) chunks.push(Buffer.from(preamble + '\r\n'))
  for (const p of parts) {
    let head = `--${boundary}\r\n`
    if (p.rawHeaders !== undefined) head += p.rawHeaders
    else {
      head += `Content-Disposition: form-data; name="${p.name}"`
      if (p.filename !== undefined) head += `; filename="${p.filename}"`
      head += '\r\n'
      if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`
    }
    head += '\r\n'
    chunks.push(Buffer.from(head), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--`))
  if (epilogue) chunks.push(Buffer.from('\r\n' + epilogue))
  return Buffer.concat(chunks)
}

interface UploadForm {
  video?: Buffer | null
  filename?: string
  contentType?: string
  description?: string | null
  privacy?: string
  title?: string
  extra?: Part[]
}

function uploadBody(f: UploadForm = {}): { body: Buffer; contentType: string } {
  const boundary = '----sandboxtest' + randomBytes(8).toString('hex')
  const parts: Part[] = []
  if (f.description !== null) parts.push({ name: 'description', value: f.description ?? 'A caption #test' })
  if (f.privacy !== undefined) parts.push({ name: 'privacy_level', value: f.privacy })
  if (f.title !== undefined) parts.push({ name: 'title', value: f.title })
  if (f.video !== null) {
    parts.push({
      name: 'video',
      filename: f.filename ?? 'clip.mp4',
      contentType: f.contentType ?? 'video/mp4',
      value: f.video ?? realVideo(4096)
    })
  }
  parts.push(...(f.extra ?? []))
  return { body: encodeMultipart(parts, boundary), contentType: `multipart/form-data; boundary=${boundary}` }
}

interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any
}

interface RawRequest {
  method?: string
  headers?: Record<string, string>
  body?: Buffer
  chunked?: boolean
}

function request(base: string, path: string, opts: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) }
    if (opts.body && !opts.chunked) headers['content-length'] = String(opts.body.length)
    if (opts.chunked) headers['transfer-encoding'] = 'chunked'
    const req = http.request(base + path, { method: opts.method ?? 'GET', headers, agent: false }, res => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    if (opts.body) {
      if (opts.chunked) {
        for (let i = 0; i < opts.body.length; i += 1000) req.write(opts.body.subarray(i, i + 1000))
      } else req.write(opts.body)
    }
    req.end()
  })
}

function upload(sb: Sandbox, f: UploadForm = {}, headers: Record<string, string> = AUTH): Promise<RawResponse> {
  const { body, contentType } = uploadBody(f)
  return request(sb.url, '/api/upload.php', {
    method: 'POST',
    headers: { ...headers, 'content-type': contentType },
    body
  })
}

function poll(sb: Sandbox, publishId: string, headers: Record<string, string> = AUTH): Promise<RawResponse> {
  return request(sb.url, `/api/video_status.php?publish_id=${encodeURIComponent(publishId)}`, { headers })
}

/** An upload of `filename`, public by default: only a PUBLIC_TO_EVERYONE post gets a post ID, as on TikTok. */
async function publish(sb: Sandbox, filename: string, privacy: string | null = 'PUBLIC_TO_EVERYONE'): Promise<string> {
  const res = await upload(sb, { filename, privacy: privacy ?? undefined })
  expect(res.status).toBe(200)
  return res.json.data.publish_id as string
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex')
}

function sleep(ms: number): Promise<void> {
  return new Promise(r => setTimeout(r, ms))
}

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await sleep(10)
  }
}

// Deterministic PRNG so a failing chunking can be reproduced.
function mulberry32(seed: number): () => number {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// ---------- multipart.js ----------

describe('multipart parser', () => {
  interface Parsed {
    name?: string
    filename?: string
    contentType?: string
    data: Buffer
  }
  // Compared by digest: deep equality of 100 KB Buffers is slow in expect.
  const digest = (ps: Parsed[]) => ps.map(p => ({ ...p, data: `${p.data.length}:${sha256(p.data)}` }))

  function parse(boundary: string, chunks: Buffer[]): { parts: ReturnType<typeof digest>; ended: boolean } {
    const parts: Parsed[] = []
    let current: { info: Omit<Parsed, 'data'>; data: Buffer[] } | null = null
    let ended = false
    const parser = new MultipartParser(boundary, {
      onPartBegin: p => {
        current = { info: { name: p.name, filename: p.filename, contentType: p.contentType }, data: [] }
      },
      onPartData: d => current!.data.push(Buffer.from(d)),
      onPartEnd: () => {
        parts.push({ ...current!.info, data: Buffer.concat(current!.data) })
        current = null
      },
      onEnd: () => {
        ended = true
      }
    })
    for (const c of chunks) parser.write(c)
    parser.end()
    return { parts: digest(parts), ended }
  }

  function chunkRandomly(buf: Buffer, rand: () => number, max: number): Buffer[] {
    const out: Buffer[] = []
    let i = 0
    while (i < buf.length) {
      const n = 1 + Math.floor(rand() * max)
      out.push(buf.subarray(i, i + n))
      i += n
    }
    return out
  }

  const boundary = '----WebKitFormBoundary7MA4YWxkTrZu0gW'
  const tricky = Buffer.concat([
    Buffer.from(`\r\n--${boundary.slice(0, -1)}`),
    Buffer.from('\r\n\r\n--\r\n-'),
    Buffer.from(`--${boundary}`), // no CRLF before it: content, not a delimiter
    Buffer.from(`x\r\n--${boundary.slice(0, 10)}\r`),
    randomBytes(100_000),
    Buffer.from('\r\n-\r\r\n--'),
    randomBytes(3000),
    Buffer.from('\r')
  ])
  const parts: Part[] = [
    { name: 'description', value: 'line one\r\nline two\r\n\r\n#tags 🎉 ünïcödé' },
    { name: 'empty', value: '' },
    { name: 'video', filename: 'clip "final".mp4', contentType: 'video/mp4', value: tricky },
    { name: 'crlf', value: '\r\n' },
    { name: 'title', value: `--${boundary}--` }
  ]
  const expected = digest(
    parts.map(p => ({
      name: p.name,
      filename: p.filename,
      contentType: p.contentType,
      data: Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value)
    }))
  )
  // The builder does not escape quotes; the parser unescapes \" only.
  const body = encodeMultipart(
    parts.map(p => (p.filename ? { ...p, filename: p.filename.replace(/"/g, '\\"') } : p)),
    boundary,
    'This is the preamble. --not-a-boundary',
    'This is the epilogue.\r\n--' + boundary + '\r\ngarbage'
  )

  it('parses a body written in one piece', () => {
    const { parts: got, ended } = parse(boundary, [body])
    expect(ended).toBe(true)
    expect(got).toEqual(expected)
  })

  it('parses a body written one byte at a time', () => {
    const bytes: Buffer[] = []
    for (let i = 0; i < body.length; i++) bytes.push(body.subarray(i, i + 1))
    expect(parse(boundary, bytes).parts).toEqual(expected)
  })

  it('parses the same body under random chunkings', () => {
    const rand = mulberry32(42)
    for (let round = 0; round < 30; round++) {
      const max = [9, 41, 70, 1000, 65536][round % 5]
      expect(parse(boundary, chunkRandomly(body, rand, max)).parts).toEqual(expected)
    }
  })

  it('splits at every position around each delimiter', () => {
    let at = body.indexOf(`\r\n--${boundary}`)
    while (at >= 0) {
      for (let cut = at - 2; cut <= at + boundary.length + 8; cut++) {
        expect(parse(boundary, [body.subarray(0, cut), body.subarray(cut)]).parts).toEqual(expected)
      }
      at = body.indexOf(`\r\n--${boundary}`, at + 1)
    }
  })

  it('accepts a body without preamble, transport padding and a part without headers', () => {
    const b = Buffer.from(
      `--${boundary}  \t\r\n\r\nno headers\r\n--${boundary}\r\nContent-Disposition: form-data;\r\n name=folded\r\n\r\nv\r\n--${boundary}--`
    )
    const { parts: got } = parse(boundary, [b])
    expect(got).toEqual(
      digest([
        { name: undefined, filename: undefined, contentType: undefined, data: Buffer.from('no headers') },
        { name: 'folded', filename: undefined, contentType: undefined, data: Buffer.from('v') }
      ])
    )
  })

  it('rejects a truncated body and oversized part headers', () => {
    const truncated = body.subarray(0, body.indexOf(`\r\n--${boundary}--`) + 5)
    expect(() => parse(boundary, [truncated])).toThrow(MultipartError)
    const huge = Buffer.from(`--${boundary}\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\nv\r\n--${boundary}--`)
    expect(() => parse(boundary, [huge])).toThrow(MultipartError)
  })

  it('reads boundaries and content dispositions', () => {
    expect(getBoundary('multipart/form-data; boundary=abc')).toBe('abc')
    expect(getBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b;c"')).toBe('a b;c')
    expect(getBoundary('application/x-www-form-urlencoded')).toBeNull()
    expect(getBoundary('multipart/form-data')).toBeNull()
    expect(getBoundary(undefined)).toBeNull()
    const d = parseContentDisposition('form-data; name="video"; filename="a \\"b\\"; c.mp4"')
    expect(d).toMatchObject({ type: 'form-data', name: 'video', filename: 'a "b"; c.mp4' })
    expect(parseContentDisposition('form-data; NAME=plain').name).toBe('plain')
  })
})

// ---------- outputs.js ----------

describe('parseGithubOutput', () => {
  it('reads heredoc blocks as @actions/core writes them, and name=value lines', () => {
    const text =
      'published<<ghadelimiter_1\n3\nghadelimiter_1\n' +
      'results<<ghadelimiter_2\n[{"file":"a.mp4"},\n{"file":"b.mp4"}]\nghadelimiter_2\n' +
      'empty<<ghadelimiter_3\n\nghadelimiter_3\n' +
      'simple=a=b\r\n' +
      'blank-lines<<EOF\r\n\r\nx\r\n\r\nEOF\r\n' +
      'published<<D\n4\nD\n'
    expect(parseGithubOutput(text)).toEqual({
      published: '4',
      results: '[{"file":"a.mp4"},\n{"file":"b.mp4"}]',
      empty: '',
      simple: 'a=b',
      'blank-lines': '\nx\n'
    })
    expect(parseGithubOutput('')).toEqual({})
  })

  it('throws on an unterminated block or a garbage line', () => {
    expect(() => parseGithubOutput('a<<EOF\nvalue\n')).toThrow(/never ends/)
    expect(() => parseGithubOutput('no equals sign\n')).toThrow(/invalid line/)
  })
})

describe('actionInputDefaults', () => {
  it('reads defaults the way the runner would pass them', () => {
    const yml = [
      'name: DraftClip',
      'inputs:',
      '  api-key:',
      '    description: "key: secret"',
      '    required: true',
      '  privacy-level:',
      "    default: 'SELF_ONLY'",
      '  wait:',
      '    default: true # comment',
      '  description:',
      '    default: "{stem} #tiktok"',
      '  token:',
      '    default: ${{ github.token }}',
      '  template:',
      '    description: multi',
      '    default: |',
      '      line 1',
      '        indented',
      '',
      '      line 3',
      '  folded:',
      '    default: >-',
      '      a',
      '      b',
      '',
      '      c',
      'outputs:',
      '  published:',
      '    default: nope'
    ].join('\n')
    expect(actionInputDefaults(yml)).toEqual({
      'privacy-level': 'SELF_ONLY',
      wait: 'true',
      description: '{stem} #tiktok',
      template: 'line 1\n  indented\n\nline 3\n',
      folded: 'a b\nc'
    })
    expect(actionInputDefaults('name: x\n')).toEqual({})
  })
})

// ---------- the sandbox over HTTP ----------

describe('sandbox server', () => {
  let sb: Sandbox
  const opened: Sandbox[] = []
  async function fresh(options: SandboxOptions = {}): Promise<Sandbox> {
    const s = await startSandbox(options)
    opened.push(s)
    return s
  }

  beforeAll(async () => {
    sb = await fresh({
      apiKeys: [KEY, 'ttapi_other', 'ttapi_doomed'],
      files: {
        'failed.mp4': { final: 'FAILED' },
        'spam.mp4': { final: 'FAILED', failReason: 'spam_risk_too_many_posts', pollsToComplete: 0 },
        'inbox.mp4': { final: 'SEND_TO_USER_INBOX', pollsToComplete: 1 },
        'late-id.mp4': { postIdDelay: 2, pollsToComplete: 1 },
        'array.mp4': { postIdAsArray: true, pollsToComplete: 0 },
        'never.mp4': { never: true }
      }
    })
  })

  afterAll(async () => {
    await Promise.all(opened.map(s => s.close()))
  })

  describe('routing and auth', () => {
    it('answers 404 JSON for unknown paths', async () => {
      for (const path of ['/', '/api/upload', '/api/other.php']) {
        const res = await request(sb.url, path, { headers: AUTH })
        expect(res.status).toBe(404)
        expect(res.headers['content-type']).toBe('application/json')
        expect(res.json).toEqual({ error: 'Not found' })
      }
    })

    it('answers 405 for the wrong method', async () => {
      const a = await request(sb.url, '/api/upload.php', { headers: AUTH })
      const b = await request(sb.url, '/api/video_status.php?publish_id=x', { method: 'POST', headers: AUTH })
      const c = await request(sb.url, '/api/upload.php', { method: 'PUT', headers: AUTH, body: Buffer.alloc(10) })
      for (const res of [a, b, c]) {
        expect(res.status).toBe(405)
        expect(res.json).toEqual({ error: 'Method not allowed' })
      }
    })

    it('answers 401 for a missing, unknown or malformed key, after draining the body', async () => {
      const before = sb.uploads.length
      const big = realVideo(2 * MIB)
      for (const headers of [{}, { authorization: 'Bearer ttapi_wrong' }, { authorization: KEY }] as Record<string, string>[]) {
        const res = await upload(sb, { video: big }, headers)
        expect(res.status).toBe(401)
        expect(res.json).toEqual({ error: 'Invalid or missing API key' })
        const log = sb.requests[sb.requests.length - 1]
        expect(log.bytesReceived).toBe(log.contentLength)
        expect(log.status).toBe(401)
      }
      const status = await request(sb.url, '/api/video_status.php?publish_id=x')
      expect(status.status).toBe(401)
      expect(sb.uploads.length).toBe(before)
    })

    it('revokes a key mid-test and scopes videos to their key', async () => {
      const other = { authorization: 'Bearer ttapi_other' }
      const doomed = { authorization: 'Bearer ttapi_doomed' }
      const res = await upload(sb, {}, doomed)
      expect(res.status).toBe(200)
      const id = res.json.data.publish_id
      expect((await poll(sb, id, other)).json).toEqual({ error: 'Video not found' })
      sb.revokeKey('ttapi_doomed')
      expect((await upload(sb, {}, doomed)).status).toBe(401)
      expect((await poll(sb, id, doomed)).status).toBe(401)
      expect((await upload(sb, {}, other)).status).toBe(200)
    })
  })

  describe('upload', () => {
    it('takes a valid upload with the documented answer and records it', async () => {
      const video = realVideo(300_000)
      const form = new FormData()
      form.append('title', 'My Video')
      form.append('description', 'Launch day 🚀 see https://example.com/a #launch')
      form.append('privacy_level', 'PUBLIC_TO_EVERYONE')
      form.append('video', new Blob([new Uint8Array(video)], { type: 'video/mp4' }), 'launch.mp4')
      const res = await fetch(`${sb.url}/api/upload.php`, { method: 'POST', headers: AUTH, body: form })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/json')
      const text = await res.text()
      // PHP's json_encode escapes "/" and non-ASCII.
      expect(text).toContain('\\ud83d\\ude80')
      expect(text).toContain('https:\\/\\/example.com')
      const json = JSON.parse(text)
      expect(json).toEqual({
        success: true,
        message: 'Video uploaded successfully',
        data: {
          publish_id: expect.stringMatching(/^v_pub_[0-9a-f]{24}$/),
          description: 'Launch day 🚀 see https://example.com/a #launch',
          status: 'PROCESSING_UPLOAD'
        }
      })
      const record = sb.uploads[sb.uploads.length - 1]
      expect(record).toEqual({
        publishId: json.data.publish_id,
        filename: 'launch.mp4',
        contentType: 'video/mp4',
        size: video.length,
        sha256: sha256(video),
        fields: {
          title: 'My Video',
          description: 'Launch day 🚀 see https://example.com/a #launch',
          privacy_level: 'PUBLIC_TO_EVERYONE'
        },
        authorization: `Bearer ${KEY}`
      })
      const log = sb.requests[sb.requests.length - 1]
      expect(log).toMatchObject({
        method: 'POST',
        path: '/api/upload.php',
        authorization: `Bearer ${KEY}`,
        chunked: false,
        status: 200
      })
      expect(log.contentLength).toBeGreaterThan(video.length)
      expect(log.bytesReceived).toBe(log.contentLength)
    })

    it('keeps the basename of the filename and accepts extensions in any case', async () => {
      for (const filename of ['dir/sub/clip.MP4', 'C:\\videos\\old.Avi', 'x.mov']) {
        const res = await upload(sb, { filename })
        expect(res.status).toBe(200)
      }
      expect(sb.uploads.slice(-3).map(u => u.filename)).toEqual(['clip.MP4', 'old.Avi', 'x.mov'])
    })

    const longest = '🎉'.repeat(1100) // 2200 UTF-16 code units
    it.each<[string, UploadForm, string]>([
      ['no video part', { video: null }, 'No video file uploaded'],
      ['video sent as a text field', { video: null, extra: [{ name: 'video', value: 'abc' }] }, 'No video file uploaded'],
      ['video with an empty filename', { filename: '' }, 'No video file uploaded'],
      ['no description', { description: null }, 'Description is required'],
      ['blank description', { description: '  ' }, 'Description is required'],
      ['description over 2200 UTF-16 units', { description: longest + 'a' }, 'Description is too long. Maximum 2200 characters'],
      ['unknown privacy level', { privacy: 'FRIENDS' }, 'Invalid privacy level'],
      ['lower-case privacy level', { privacy: 'public_to_everyone' }, 'Invalid privacy level'],
      ['webm file', { filename: 'clip.webm' }, 'Invalid file type. Allowed: MP4, MOV, AVI'],
      ['no extension', { filename: 'mp4' }, 'Invalid file type. Allowed: MP4, MOV, AVI']
    ])('answers 400 for %s', async (_name, form, error) => {
      const before = sb.uploads.length
      const res = await upload(sb, form)
      expect(res.status).toBe(400)
      expect(res.json).toEqual({ error })
      expect(sb.uploads.length).toBe(before)
    })

    it('accepts a caption of exactly 2200 UTF-16 units and an empty privacy level', async () => {
      const res = await upload(sb, { description: longest, privacy: '' })
      expect(res.status).toBe(200)
    })

    it('answers 400 for a body that is not multipart', async () => {
      const res = await request(sb.url, '/api/upload.php', {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' },
        body: Buffer.from('description=hi&privacy_level=SELF_ONLY')
      })
      expect(res.status).toBe(400)
      expect(res.json).toEqual({ error: 'No video file uploaded' })
    })

    it('sees a chunked body without Content-Length as empty, like PHP-FPM', async () => {
      const before = sb.uploads.length
      const { body, contentType } = uploadBody({ video: realVideo(50_000) })
      const res = await request(sb.url, '/api/upload.php', {
        method: 'POST',
        headers: { ...AUTH, 'content-type': contentType },
        body,
        chunked: true
      })
      expect(res.status).toBe(400)
      expect(res.json).toEqual({ error: 'No video file uploaded' })
      const log = sb.requests[sb.requests.length - 1]
      expect(log.chunked).toBe(true)
      expect(log.contentLength).toBeUndefined()
      expect(log.bytesReceived).toBe(body.length)
      expect(sb.uploads.length).toBe(before)
    })

    it('enforces maxUploadBytes on the video part', async () => {
      const small = await fresh({ maxUploadBytes: 1000 })
      const ok = await upload(small, { video: realVideo(1000) })
      expect(ok.status).toBe(200)
      const over = await upload(small, { video: realVideo(1001) })
      expect(over.status).toBe(400)
      expect(over.json).toEqual({ error: 'File too large. Maximum size is 1000 bytes' })
      // A Content-Length far over the limit is refused after draining.
      const huge = await upload(small, { video: realVideo(MIB + 2000) })
      expect(huge.status).toBe(400)
      expect(huge.json.error).toMatch(/^File too large/)
      const log = small.requests[small.requests.length - 1]
      expect(log.bytesReceived).toBe(log.contentLength)
      expect(small.uploads).toHaveLength(1)
      const mib = await fresh({ maxUploadBytes: 2 * MIB })
      expect((await upload(mib, { video: realVideo(2 * MIB + 1) })).json).toEqual({
        error: 'File too large. Maximum size is 2MB'
      })
    })

    it('handles several uploads in flight at once', async () => {
      const videos = Array.from({ length: 6 }, (_, i) => ({ name: `par-${i}.mp4`, data: realVideo(200_000 + i * 150_000) }))
      // A slow client holds its connection open half-sent while the others finish.
      const slowVideo = realVideo(600_000)
      const slow = uploadBody({ video: slowVideo, filename: 'slow.mp4' })
      let slowDone = false
      let slowReqEnd = (): void => undefined
      const slowReq = new Promise<RawResponse>((resolve, reject) => {
        const req = http.request(
          `${sb.url}/api/upload.php`,
          {
            method: 'POST',
            agent: false,
            headers: { ...AUTH, 'content-type': slow.contentType, 'content-length': String(slow.body.length) }
          },
          res => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () => {
              slowDone = true
              resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '', json: JSON.parse(Buffer.concat(chunks).toString()) })
            })
          }
        )
        req.on('error', reject)
        req.write(slow.body.subarray(0, 300_000))
        slowReqEnd = () => req.end(slow.body.subarray(300_000))
      })
      const results = await Promise.all(videos.map(v => upload(sb, { video: v.data, filename: v.name })))
      expect(slowDone).toBe(false)
      slowReqEnd()
      const slowRes = await slowReq
      expect(slowRes.status).toBe(200)
      const ids = results.map(r => {
        expect(r.status).toBe(200)
        return r.json.data.publish_id as string
      })
      expect(new Set([...ids, slowRes.json.data.publish_id]).size).toBe(7)
      for (const [i, v] of videos.entries()) {
        const record = sb.uploads.find(u => u.publishId === ids[i])
        expect(record).toMatchObject({ filename: v.name, size: v.data.length, sha256: sha256(v.data) })
      }
      expect(sb.uploads.find(u => u.filename === 'slow.mp4')?.sha256).toBe(sha256(slowVideo))
    })
  })

  describe('status', () => {
    it('requires a known publish_id', async () => {
      const missing = await request(sb.url, '/api/video_status.php', { headers: AUTH })
      expect(missing.status).toBe(400)
      expect(missing.json).toEqual({ error: 'publish_id is required' })
      const unknown = await poll(sb, 'v_pub_nope')
      expect(unknown.status).toBe(404)
      expect(unknown.json).toEqual({ error: 'Video not found' })
    })

    it('progresses PROCESSING_UPLOAD, PROCESSING, PUBLISH_COMPLETE with a post id, and stays there', async () => {
      const id = await publish(sb, 'normal.mp4')
      const first = await poll(sb, id)
      expect(first.json).toEqual({
        success: true,
        data: {
          publish_id: id,
          status: 'PROCESSING_UPLOAD',
          status_label: 'Uploading',
          status_description: 'Video is being uploaded to TikTok servers',
          is_complete: false
        },
        message: 'Video is being uploaded to TikTok servers'
      })
      const second = await poll(sb, id)
      expect(second.json.data).toMatchObject({ status: 'PROCESSING', status_label: 'Processing', is_complete: false })
      expect(second.json.message).toBe('Video is being processed by TikTok')
      const third = await poll(sb, id)
      expect(third.json).toEqual({
        success: true,
        data: {
          publish_id: id,
          status: 'PUBLISH_COMPLETE',
          status_label: 'Published',
          status_description: 'Video has been successfully published',
          is_complete: true,
          publicaly_available_post_id: expect.stringMatching(/^\d{19}$/)
        },
        message: 'Video has been successfully published'
      })
      const fourth = await poll(sb, id)
      expect(fourth.json).toEqual(third.json)
    })

    it('reports FAILED with fail_reason', async () => {
      const id = await publish(sb, 'failed.mp4')
      const seen = []
      for (let i = 0; i < 4; i++) seen.push((await poll(sb, id)).json.data)
      expect(seen.map(d => d.status)).toEqual(['PROCESSING_UPLOAD', 'PROCESSING', 'FAILED', 'FAILED'])
      expect(seen[2]).toEqual({
        publish_id: id,
        status: 'FAILED',
        status_label: 'Failed',
        status_description: 'Video upload/processing failed',
        is_complete: true,
        fail_reason: 'file_format_check_failed'
      })
      const spam = await publish(sb, 'spam.mp4')
      expect((await poll(sb, spam)).json.data).toMatchObject({ status: 'FAILED', fail_reason: 'spam_risk_too_many_posts' })
    })

    it('reports SEND_TO_USER_INBOX without a post id', async () => {
      const id = await publish(sb, 'inbox.mp4')
      expect((await poll(sb, id)).json.data.status).toBe('PROCESSING_UPLOAD')
      const done = (await poll(sb, id)).json
      expect(done.data).toEqual({
        publish_id: id,
        status: 'SEND_TO_USER_INBOX',
        status_label: 'Sent to inbox',
        status_description: 'Video sent to inbox (draft mode)',
        is_complete: true
      })
      expect(done.message).toBe('Video sent to inbox (draft mode)')
    })

    it('delays the post id after PUBLISH_COMPLETE (postIdDelay)', async () => {
      const id = await publish(sb, 'late-id.mp4')
      const seen = []
      for (let i = 0; i < 5; i++) seen.push((await poll(sb, id)).json.data)
      expect(seen.map(d => [d.status, d.is_complete, d.publicaly_available_post_id !== undefined])).toEqual([
        ['PROCESSING_UPLOAD', false, false],
        ['PUBLISH_COMPLETE', true, false],
        ['PUBLISH_COMPLETE', true, false],
        ['PUBLISH_COMPLETE', true, true],
        ['PUBLISH_COMPLETE', true, true]
      ])
      expect(seen[3].publicaly_available_post_id).toBe(seen[4].publicaly_available_post_id)
    })

    it.each([['SELF_ONLY'], ['MUTUAL_FOLLOW_FRIENDS'], [null]])(
      'gives no post id to a %s post (null: no privacy_level, so SELF_ONLY), ever: only a public post gets one, as on TikTok',
      async privacy => {
        const id = await publish(sb, 'normal.mp4', privacy)
        const seen = []
        for (let i = 0; i < 6; i++) seen.push((await poll(sb, id)).json.data)
        expect(seen.map(d => d.status).slice(2)).toEqual(Array(4).fill('PUBLISH_COMPLETE'))
        expect(seen.filter(d => 'publicaly_available_post_id' in d)).toEqual([])
      }
    )

    it("sends the post id as TikTok's array when asked (postIdAsArray)", async () => {
      const id = await publish(sb, 'array.mp4')
      const data = (await poll(sb, id)).json.data
      expect(data.status).toBe('PUBLISH_COMPLETE')
      expect(data.publicaly_available_post_id).toEqual([expect.stringMatching(/^\d{19}$/)])
    })

    it('never completes a file marked never', async () => {
      const id = await publish(sb, 'never.mp4')
      const statuses = []
      for (let i = 0; i < 8; i++) statuses.push((await poll(sb, id)).json.data)
      expect(statuses.map(d => d.status)).toEqual(['PROCESSING_UPLOAD', ...Array(7).fill('PROCESSING')])
      expect(statuses.every(d => d.is_complete === false)).toBe(true)
    })

    it('applies setFile to later uploads, and the global pollsToComplete', async () => {
      const quick = await fresh({ pollsToComplete: 0 })
      const id = await publish(quick, 'a.mp4')
      expect((await poll(quick, id)).json.data.status).toBe('PUBLISH_COMPLETE')
      quick.setFile('a.mp4', { final: 'FAILED', failReason: 'duration_check_failed' })
      const id2 = await publish(quick, 'a.mp4')
      expect((await poll(quick, id2)).json.data).toMatchObject({ status: 'FAILED', fail_reason: 'duration_check_failed' })
      expect((await poll(quick, id)).json.data.status).toBe('PUBLISH_COMPLETE')
    })

    it('replaces one answer per status fault without advancing the progression', async () => {
      const id = await publish(sb, 'status-faults.mp4')
      sb.addFaults('status', [
        { type: 'respond', status: 502, body: '<html>Bad Gateway</html>' },
        null,
        { type: 'reset-after-body' },
        { type: 'delay', ms: 50 }
      ])
      const bad = await poll(sb, id)
      expect(bad.status).toBe(502)
      expect(bad.headers['content-type']).toBe('text/plain')
      expect(bad.text).toBe('<html>Bad Gateway</html>')
      expect((await poll(sb, id)).json.data.status).toBe('PROCESSING_UPLOAD')
      await expect(poll(sb, id)).rejects.toThrow()
      expect((await poll(sb, id)).json.data.status).toBe('PROCESSING')
      expect((await poll(sb, id)).json.data.status).toBe('PUBLISH_COMPLETE')
    })
  })

  describe('upload faults', () => {
    it('respond: answers exactly the given status, body and headers; nothing taken', async () => {
      const before = sb.uploads.length
      sb.addFaults('upload', [{ type: 'respond', status: 429, body: '{"error":"Quota exceeded"}', headers: { 'Retry-After': '7' } }])
      const res = await upload(sb, { video: realVideo(500_000) })
      expect(res.status).toBe(429)
      expect(res.headers['retry-after']).toBe('7')
      expect(res.headers['content-type']).toBe('application/json')
      expect(res.text).toBe('{"error":"Quota exceeded"}')
      const log = sb.requests[sb.requests.length - 1]
      expect(log.status).toBe(429)
      expect(log.bytesReceived).toBe(log.contentLength)
      expect(sb.uploads.length).toBe(before)
      expect((await upload(sb)).status).toBe(200) // the fault was used up
    })

    it('reset-before-body: resets the connection mid-body; nothing taken', async () => {
      const before = sb.uploads.length
      sb.addFaults('upload', [{ type: 'reset-before-body', afterBytes: 64 * 1024 }])
      await expect(upload(sb, { video: realVideo(4 * MIB) })).rejects.toThrow()
      const log = sb.requests[sb.requests.length - 1]
      expect(log.status).toBeNull()
      expect(log.bytesReceived).toBeGreaterThanOrEqual(64 * 1024)
      expect(log.bytesReceived).toBeLessThan(log.contentLength!)
      expect(sb.uploads.length).toBe(before)
    })

    it('reset-after-body: takes the upload, then resets without answering', async () => {
      const before = sb.uploads.length
      sb.addFaults('upload', [{ type: 'reset-after-body' }])
      const video = realVideo(200_000)
      await expect(upload(sb, { video, filename: 'lost-answer.mp4' })).rejects.toThrow()
      expect(sb.uploads.length).toBe(before + 1)
      expect(sb.uploads[before]).toMatchObject({ filename: 'lost-answer.mp4', sha256: sha256(video) })
      const log = sb.requests[sb.requests.length - 1]
      expect(log.status).toBeNull()
      expect(log.bytesReceived).toBe(log.contentLength)
    })

    it('hang: takes the upload and never answers until close()', async () => {
      const s = await fresh({ uploadFaults: [{ type: 'hang' }] })
      let settled = false
      const pending = upload(s, { filename: 'hung.mp4' }).finally(() => {
        settled = true
      })
      pending.catch(() => undefined)
      await waitFor(() => s.uploads.length === 1)
      await sleep(200)
      expect(settled).toBe(false)
      expect(s.requests[0].status).toBeNull()
      await s.close()
      await expect(pending).rejects.toThrow()
    })

    it('stall: stops reading the body and never answers; nothing taken', async () => {
      const s = await fresh({ uploadFaults: [{ type: 'stall' }] })
      const total = 16 * MIB
      const { contentType } = uploadBody()
      let answered = false
      let finished = false
      let written = 0
      const req = http.request(`${s.url}/api/upload.php`, {
        method: 'POST',
        agent: false,
        headers: { ...AUTH, 'content-type': contentType, 'content-length': String(total) }
      })
      req.on('response', () => {
        answered = true
      })
      const failed = new Promise<void>(resolve => req.on('error', () => resolve()))
      const chunk = Buffer.alloc(64 * 1024, 0x61)
      const writing = (async () => {
        try {
          while (written < total) {
            written += chunk.length
            if (!req.write(chunk)) await once(req, 'drain')
          }
          req.end(() => {
            finished = true
          })
        } catch {
          // the socket was destroyed by close()
        }
      })()
      await sleep(1000)
      expect(finished).toBe(false)
      expect(answered).toBe(false)
      expect(written).toBeLessThan(total)
      expect(s.requests[0].bytesReceived).toBeLessThan(total)
      expect(s.requests[0].status).toBeNull()
      await s.close()
      await failed
      req.destroy()
      await Promise.race([writing, sleep(100)])
      expect(s.uploads).toHaveLength(0)
    })

    it('delay: behaves normally but answers late', async () => {
      sb.addFaults('upload', [{ type: 'delay', ms: 300 }])
      const started = Date.now()
      const res = await upload(sb, { filename: 'slow-answer.mp4' })
      expect(Date.now() - started).toBeGreaterThanOrEqual(290)
      expect(res.status).toBe(200)
      expect(sb.uploads[sb.uploads.length - 1].filename).toBe('slow-answer.mp4')
    })

    it('consumes faults in arrival order, null meaning normal, whatever the method', async () => {
      const s = await fresh({
        uploadFaults: [null, { type: 'respond', status: 500, body: '{"error":"Upload failed"}' }]
      })
      expect((await request(s.url, '/api/upload.php', { headers: AUTH })).status).toBe(405)
      expect((await upload(s)).status).toBe(500)
      expect((await upload(s)).status).toBe(200)
      expect(s.uploads).toHaveLength(1)
    })
  })

  it('logs nothing without SANDBOX_DEBUG', async () => {
    const log = jest.spyOn(console, 'log')
    const error = jest.spyOn(console, 'error')
    await upload(sb, { filename: 'quiet.mp4' })
    await request(sb.url, '/nowhere')
    expect(log).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
    log.mockRestore()
    error.mockRestore()
  })
})

// ---------- npm run sandbox: outcomes scripted from the command line ----------

describe('serve.js options (npm run sandbox -- ...)', () => {
  it('the defaults publish every video: no scripted outcome', () => {
    expect(parseServeArgs([])).toEqual({
      help: false,
      port: 8787,
      options: { pollsToComplete: 2, files: {}, uploadFaults: [] },
      scripted: []
    })
  })

  it('scripts a refusal with its fail_reason, the inbox, slow processing, a never-ending one and a 429', () => {
    const { port, options, scripted } = parseServeArgs([
      '--port=9000',
      '--fail',
      'a.mp4=duration_check_failed',
      '--fail',
      'plain.mp4',
      '--inbox',
      'b.mov',
      '--slow',
      'c.mp4=7',
      '--slow',
      'a.mp4',
      '--never',
      'd.avi',
      '--rate-limit',
      '2:3',
      '--polls',
      '0'
    ])
    expect(port).toBe(9000)
    expect(options.pollsToComplete).toBe(0)
    expect(options.files).toEqual({
      'a.mp4': { final: 'FAILED', failReason: 'duration_check_failed', pollsToComplete: 60 },
      'plain.mp4': { final: 'FAILED', failReason: 'file_format_check_failed' },
      'b.mov': { final: 'SEND_TO_USER_INBOX' },
      'c.mp4': { pollsToComplete: 7 },
      'd.avi': { never: true }
    })
    const tooMany = {
      type: 'respond',
      status: 429,
      body: '{"success":false,"error":"Too many requests: rate limit exceeded"}',
      headers: { 'Retry-After': '3' }
    }
    expect(options.uploadFaults).toEqual([tooMany, tooMany])
    expect(scripted).toContain('a.mp4 ends FAILED: duration_check_failed')
    expect(scripted).toContain('the next 2 uploads answered 429 (Retry-After: 3)')
  })

  it("scripts TikTok's moderation: a public video's post ID some polls after PUBLISH_COMPLETE (--moderation)", async () => {
    const { options, scripted } = parseServeArgs(['--moderation', 'pub.mp4=2', '--moderation', 'other.mp4'])
    expect(options.files).toEqual({ 'pub.mp4': { postIdDelay: 2 }, 'other.mp4': { postIdDelay: 3 } })
    expect(scripted).toContain('pub.mp4 gets its post ID 2 polls after PUBLISH_COMPLETE, if public')
    const s = await startSandbox({ ...options, pollsToComplete: 0 })
    try {
      const { json } = await upload(s, { filename: 'pub.mp4', privacy: 'PUBLIC_TO_EVERYONE' })
      const id = (json as { data: { publish_id: string } }).data.publish_id
      const seen: unknown[] = []
      for (let i = 0; i < 4; i++) {
        const answer = await request(s.url, `/api/video_status.php?publish_id=${id}`, { method: 'GET', headers: AUTH })
        seen.push('publicaly_available_post_id' in (answer.json as { data: object }).data)
      }
      expect(seen).toEqual([false, false, true, true])
    } finally {
      await s.close()
    }
  })

  it("'*' scripts every video, and the daily cap comes from --daily-limit or SANDBOX_DAILY_LIMIT", () => {
    expect(parseServeArgs(['--fail', '*=spam_risk_too_many_posts']).scripted).toEqual(['every video ends FAILED: spam_risk_too_many_posts'])
    expect(parseServeArgs(['--daily-limit', '3']).options.dailyLimit).toBe(3)
    expect(parseServeArgs([], { SANDBOX_DAILY_LIMIT: '2' }).options.dailyLimit).toBe(2)
    expect(parseServeArgs(['--daily-limit', '3']).options.dailyLimitRetryAfter).toBeUndefined()
  })

  it("--daily-limit N:SECONDS: the cap's 429 says Retry-After SECONDS (DraftClip's doc promises none, so only when asked)", async () => {
    const parsed = parseServeArgs(['--daily-limit', '1:3600'])
    expect(parsed.options).toMatchObject({ dailyLimit: 1, dailyLimitRetryAfter: 3600 })
    expect(parsed.scripted).toEqual(['a 429 once 1 upload was taken (daily cap, Retry-After: 3600)'])
    const s = await startSandbox(parsed.options)
    try {
      const send = () => {
        const form = new FormData()
        form.append('video', new Blob([Buffer.alloc(64)], { type: 'video/mp4' }), 'a.mp4')
        form.append('description', 'x')
        return fetch(`${s.url}/api/upload.php`, { method: 'POST', headers: { authorization: 'Bearer ttapi_sandbox_key' }, body: form })
      }
      expect((await send()).status).toBe(200)
      const refused = await send()
      expect(refused.status).toBe(429)
      expect(refused.headers.get('retry-after')).toBe('3600')
      expect(await refused.json()).toEqual({ error: 'Quota exceeded: daily upload limit reached' })
    } finally {
      await s.close()
    }
  })

  it.each([
    [['--port', '0'], "--port needs a whole number from 1 to 65535, got '0'"],
    [['--fail'], '--fail needs a value'],
    [
      ['--fail', 'a.mp4=Not a reason'],
      "--fail a.mp4=Not a reason: REASON is one of TikTok's fail_reason words (letters, digits, _), got 'Not a reason'"
    ],
    [['--inbox', 'videos/a.mp4'], "'videos/a.mp4': name the video as uploaded (its file name, like trailer.mp4), not a path"],
    [['--rate-limit', 'x'], "--rate-limit N needs a whole number from 1 up, got 'x'"],
    [['--sometimes'], "unknown argument '--sometimes'"]
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseServeArgs(argv)).toThrow(message)
  })

  it("a '*' behaviour applies to every upload; a file's own overrides it", async () => {
    const s = await startSandbox({
      pollsToComplete: 0,
      files: { '*': { final: 'SEND_TO_USER_INBOX' }, 'own.mp4': { final: 'FAILED', failReason: 'internal' } }
    })
    try {
      const statusOf = async (filename: string): Promise<unknown> => {
        const { json } = await upload(s, { filename })
        const id = (json as { data: { publish_id: string } }).data.publish_id
        const answer = await request(s.url, `/api/video_status.php?publish_id=${id}`, { method: 'GET', headers: AUTH })
        return (answer.json as { data: { status: string; fail_reason?: string } }).data
      }
      expect(await statusOf('any.mp4')).toMatchObject({ status: 'SEND_TO_USER_INBOX' })
      expect(await statusOf('own.mp4')).toMatchObject({ status: 'FAILED', fail_reason: 'internal' })
    } finally {
      await s.close()
    }
  })

  it('end to end: the action run against `npm run sandbox -- --fail ... --inbox ... --rate-limit 1` reports each outcome', async () => {
    const port = await freePort()
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'sandbox/serve.js'),
        '--port',
        String(port),
        '--fail',
        'a.mp4=duration_check_failed',
        '--inbox',
        'b.mp4',
        '--rate-limit',
        '1:0'
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let printed = ''
    child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()))
    const ws = workspace()
    try {
      // The banner's last line: stdout may bring the banner in more than one chunk.
      await until(() => printed.includes('Nothing is published anywhere'))
      expect(printed).toContain('scripted: a.mp4 ends FAILED: duration_check_failed')
      expect(printed).toContain('scripted: b.mp4 ends SEND_TO_USER_INBOX')
      for (const name of ['a.mp4', 'b.mp4', 'c.mp4']) writeMp4(path.join(ws, 'v', name), 4096 + name.charCodeAt(0))
      const run = await runInProcess(ws, {
        'api-key': KEY,
        'base-url': `http://127.0.0.1:${port}`,
        videos: 'v/*.mp4',
        description: 'x',
        'poll-interval': '0.05'
      })
      expect(run.results.map(r => [r.file, r.status, r.fail_reason])).toEqual([
        ['v/a.mp4', 'FAILED', 'duration_check_failed'],
        ['v/b.mp4', 'SEND_TO_USER_INBOX', null],
        ['v/c.mp4', 'PUBLISH_COMPLETE', null]
      ])
      expect(run.stdout).toContain('DraftClip answered HTTP 429: Too many requests: rate limit exceeded')
      expect(run.code).toBe(1)
      await until(() => printed.includes('-> 429'))
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT')
        await once(child, 'exit')
      }
      fs.rmSync(ws, { recursive: true, force: true })
    }
  })
})

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

async function until(done: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

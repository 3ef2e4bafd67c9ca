/**
 * Conformance against PHP's REAL multipart/form-data parser (main/rfc1867.c),
 * the parser DraftClip's upload.php runs behind. `php -S` serves
 * __tests__/php/upload.php at /api/upload.php; it reports, as JSON, what PHP
 * made of each request ($_SERVER, $_POST, $_FILES, and the sha256 of the
 * uploaded temp file computed by PHP), and answers in DraftClip's documented
 * success shape. The uploads go through the project's own DraftClipClient.
 *
 * This suite never skips: without php on PATH it fails, saying to install
 * php-cli (CI installs it).
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { acceptedUpload } from '../src/draftclip/answers.js'
import { DraftClipClient } from '../src/draftclip/client.js'
import type { UploadRequest } from '../src/model/ports.js'
import { multipartFrame } from '../src/draftclip/multipart.js'
import { readChunks } from '../src/videos/read.js'
import { fixture, freeBox } from './support/action.js'

const PHP_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'php')
const ROUTER = path.join(PHP_DIR, 'router.php')
const API_KEY = 'ttapi_conformance_key'
const MIB = 1024 * 1024

// ---------- what upload.php reports ----------

interface SeenVideo {
  name: string | null
  name_base64: string | null
  full_path: string | null
  type: string | null
  size: number | null
  error: number | null
  sha256: string | null
  bytes_on_disk: number | null
}

interface Seen {
  method: string | null
  uri: string | null
  content_length: string | null
  content_type: string | null
  authorization: string | null
  authorization_getallheaders: string | null
  user_agent: string | null
  transfer_encoding: string | null
  post: Record<string, string>
  post_base64: Record<string, string>
  post_keys: string[]
  files_keys: string[]
  video: SeenVideo | null
}

interface PhpAnswer {
  success?: boolean
  error?: string
  data?: { publish_id: string; description: string; status: string }
  seen: Seen
}

// ---------- the php -S server ----------

interface PhpServer {
  child: ChildProcess
  port: number
  output: () => string
}

const PHP_MISSING =
  'php was not found on PATH. This conformance suite needs a real PHP: install php-cli ' +
  '(Debian/Ubuntu: sudo apt-get install -y php-cli; CI installs it). It does not skip.'

function checkPhp(): void {
  const probe = spawnSync('php', ['-r', 'echo PHP_VERSION;'], { encoding: 'utf8' })
  if (probe.error) throw new Error(`${PHP_MISSING} (${probe.error.message})`)
  if (probe.status !== 0) throw new Error(`${PHP_MISSING} ('php -r' exited ${probe.status}: ${probe.stderr})`)
}

async function freePort(): Promise<number> {
  const server = net.createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  await new Promise<void>(resolve => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port from the OS')
  return address.port
}

function connects(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** Starts php -S on a free port; retries on another port when it cannot listen (a race for the port). */
async function startPhp(uploadTmpDir: string): Promise<PhpServer> {
  let lastOutput = ''
  for (let attempt = 1; attempt <= 5; attempt++) {
    const port = await freePort()
    const child = spawn(
      'php',
      [
        '-S',
        `127.0.0.1:${port}`,
        '-d',
        'upload_max_filesize=600M',
        '-d',
        'post_max_size=600M',
        '-d',
        'memory_limit=128M',
        '-d',
        'file_uploads=1',
        '-d',
        'max_file_uploads=20',
        '-d',
        `upload_tmp_dir=${uploadTmpDir}`,
        // Warnings must never land in the JSON answer.
        '-d',
        'display_errors=stderr',
        ROUTER
      ],
      { cwd: PHP_DIR, stdio: ['ignore', 'pipe', 'pipe'] }
    )
    let output = ''
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()))

    let exited = false
    let spawnError: Error | undefined
    child.once('error', error => {
      spawnError = error
      exited = true
    })
    child.once('exit', () => (exited = true))

    // Wait until the port answers, or php exits (port taken, bad flags), or give up after 15 s.
    const deadline = Date.now() + 15_000
    while (!exited && Date.now() < deadline) {
      if (await connects(port)) return { child, port, output: () => output }
      await sleep(50)
    }
    if (spawnError) {
      const code = (spawnError as NodeJS.ErrnoException).code
      throw new Error(code === 'ENOENT' ? PHP_MISSING : `php could not start: ${spawnError.message}`)
    }
    if (!exited) child.kill('SIGKILL')
    lastOutput = output
  }
  throw new Error(`php -S did not start after 5 attempts; its last output:\n${lastOutput}`)
}

async function stopPhp(server: PhpServer | undefined): Promise<void> {
  if (!server) return
  const { child } = server
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

// ---------- test files ----------

interface TestFile {
  path: string
  size: number
  sha256: string
}

/** Writes a file piece by piece (never the whole of it in memory), hashing as it goes. */
function writeFile(dir: string, name: string, pieces: Iterable<Buffer>): TestFile {
  const file = path.join(dir, name)
  const hash = createHash('sha256')
  const fd = fs.openSync(file, 'w')
  let size = 0
  try {
    for (const piece of pieces) {
      fs.writeSync(fd, piece)
      hash.update(piece)
      size += piece.length
    }
  } finally {
    fs.closeSync(fd)
  }
  return { path: file, size, sha256: hash.digest('hex') }
}

const TINY_MP4 = fs.readFileSync(fixture('tiny.mp4'))

/** A real video (an ffmpeg fixture) and the header of a `free` box holding the `rest` bytes that follow it. */
function videoStart(rest: number): Buffer {
  return Buffer.concat([TINY_MP4, freeBox(rest + 8)])
}

/** The boundary the client uses, read from the head of an (empty) frame. */
function clientBoundary(): string {
  const head = multipartFrame({ name: 'x.mp4', size: 0, contentType: 'video/mp4', fields: {} }).head.toString('utf8')
  const first = head.slice(0, head.indexOf('\r\n'))
  expect(first.startsWith('--')).toBe(true)
  return first.slice(2)
}

/**
 * The multipart/form-data length worked out here from RFC 7578 and WHATWG
 * HTML's filename escaping, independently of multipartFrame(), for the
 * boundary PHP saw in Content-Type.
 */
function expectedBodyLength(boundary: string, req: Omit<UploadRequest, 'path'>): number {
  let text = ''
  for (const [name, value] of Object.entries(req.fields)) {
    text += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  }
  const filename = req.name.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')
  text += `--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="${filename}"\r\nContent-Type: ${req.contentType}\r\n\r\n`
  return Buffer.byteLength(text, 'utf8') + req.size + Buffer.byteLength(`\r\n--${boundary}--\r\n`)
}

// ---------- the suite ----------

describe("DraftClipClient.upload against PHP's multipart parser (php -S)", () => {
  let tmp: string
  let uploadTmpDir: string
  let php: PhpServer | undefined
  let client: DraftClipClient | undefined

  beforeAll(async () => {
    checkPhp()
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-php-'))
    uploadTmpDir = path.join(tmp, 'php-uploads')
    fs.mkdirSync(uploadTmpDir)
    php = await startPhp(uploadTmpDir)
    client = new DraftClipClient({
      baseUrl: new URL(`http://127.0.0.1:${php.port}`),
      apiKey: API_KEY,
      connectMs: 5000,
      responseMs: 60000,
      stallMs: 30000,
      useProxy: false
    })
  }, 30_000)

  afterAll(async () => {
    await client?.close()
    await stopPhp(php)
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
  })

  /** Uploads with the real client and checks everything PHP saw against what was sent. */
  async function conform(
    file: TestFile,
    name: string,
    fields: Record<string, string>,
    contentType = 'video/mp4',
    onProgress?: (sent: number) => void
  ): Promise<Seen> {
    if (!client || !php) throw new Error('the PHP server did not start')
    const req: UploadRequest = { chunks: () => readChunks(file.path, file.size), name, size: file.size, contentType, fields, onProgress }
    const attempt = await client.upload(req)
    if (attempt.kind !== 'answer') {
      throw new Error(`no answer from PHP: ${attempt.code} ${attempt.message}\nphp -S said:\n${php.output().slice(-2000)}`)
    }
    expect({ status: attempt.httpStatus, text: attempt.json === undefined ? attempt.text : '(json)' }).toEqual({
      status: 200,
      text: '(json)'
    })
    const json = attempt.json as PhpAnswer
    const seen = json.seen

    // The request line and headers, as PHP's $_SERVER has them.
    expect(seen.method).toBe('POST')
    expect(seen.uri).toBe('/api/upload.php')
    expect(seen.authorization).toBe(`Bearer ${API_KEY}`)
    expect(seen.authorization_getallheaders).toBe(`Bearer ${API_KEY}`)
    expect(seen.transfer_encoding).toBeNull()
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(seen.content_type ?? '')?.[1]
    expect(boundary).toBeDefined()

    // Content-Length: what the client announced, what the RFC shape gives, and what PHP read.
    expect(seen.content_length).toBe(String(multipartFrame(req).length))
    expect(seen.content_length).toBe(String(expectedBodyLength(boundary!, req)))

    // The file, as PHP stored it.
    expect(seen.files_keys).toEqual(['video'])
    expect(seen.video).not.toBeNull()
    const video = seen.video!
    expect(video.error).toBe(0)
    expect(video.size).toBe(file.size)
    expect(video.bytes_on_disk).toBe(file.size)
    expect(video.sha256).toBe(file.sha256)
    expect(video.type).toBe(contentType)

    // The fields, byte for byte, in order.
    expect(seen.post_keys).toEqual(Object.keys(fields))
    for (const [key, value] of Object.entries(fields)) {
      expect(Buffer.from(seen.post_base64[key], 'base64').equals(Buffer.from(value, 'utf8'))).toBe(true)
      expect(seen.post[key]).toBe(value)
    }

    // DraftClip's success shape, read by the project's own reader.
    expect(json.success).toBe(true)
    expect(json.data?.status).toBe('PROCESSING_UPLOAD')
    expect(json.data?.description).toBe(fields.description)
    const accepted = acceptedUpload(json)
    expect(accepted).toEqual({ publishId: json.data!.publish_id, status: 'PROCESSING_UPLOAD' })
    expect(accepted!.publishId).toMatch(/^v_php_[0-9a-f]{16}_[0-9a-f]{8}$/)
    return seen
  }

  it('(a) a small MP4 with description, privacy_level and title', async () => {
    const file = writeFile(tmp, 'a.mp4', [videoStart(200 * 1024 + 7), randomBytes(200 * 1024 + 7)])
    const seen = await conform(file, 'a.mp4', {
      description: 'First clip #draftclip',
      privacy_level: 'SELF_ONLY',
      title: 'A title'
    })
    expect(seen.video!.name).toBe('a.mp4')
    expect(seen.user_agent).toBe('draftclip-publish (GitHub Action)')
  })

  it('(b) a 2,200-unit caption with emoji, CJK, CRLF and LF, quotes, #hashtags and @mentions', async () => {
    const opening =
      'Launch day 🚀🎬 — 新しい動画です！中文字幕 한국어 ✨\r\n' +
      '"Quoted" and \'single\' and “curly” quotes; a=b & c%22d\n' +
      '#hashtag #DraftClip #日本 #café @mention @draft.clip @用户\r\n\r\n' +
      'family 👩‍👩‍👧‍👦 flag 🇯🇵 skin 👍🏽 zwj 🏳️‍🌈\n'
    let caption = opening
    for (let i = 0; caption.length < 2100; i++) {
      caption += i % 2 === 0 ? `line ${i} 🎥 #tag${i} @who${i} "q${i}"\r\n` : `行 ${i} 😀 #标签${i}\n`
    }
    caption += 'x'.repeat(2200 - caption.length)
    expect(caption.length).toBe(2200)

    const file = writeFile(tmp, 'b.mp4', [videoStart(64 * 1024), randomBytes(64 * 1024)])
    const seen = await conform(file, 'b.mp4', { description: caption, privacy_level: 'PUBLIC_TO_EVERYONE', title: 'Ünïcödé "title" 🎬' })
    expect(seen.post.description).toContain('\r\n\r\n')
    expect(seen.post.description.length).toBe(2200)
  })

  it('(c) a file name with spaces, double quotes and unicode', async () => {
    const file = writeFile(tmp, 'c.mp4', [videoStart(10_000), randomBytes(10_000)])
    const name = 'my "best" clip é.mp4'
    const seen = await conform(file, name, { description: 'named', privacy_level: 'SELF_ONLY' })
    // The client escapes " as %22 (WHATWG HTML); PHP does not decode it: the name DraftClip sees.
    expect(seen.video!.name).toBe('my %22best%22 clip é.mp4')
    expect(seen.video!.full_path).toBe('my %22best%22 clip é.mp4')
    expect(Buffer.from(seen.video!.name_base64!, 'base64').toString('utf8')).toBe('my %22best%22 clip é.mp4')
  })

  it("(c') more file-name characters: ; ' = % emoji stay as they are", async () => {
    const file = writeFile(tmp, 'c2.mp4', [videoStart(1000), randomBytes(1000)])
    const name = "it's; a=b 100% 🎬 clip (1).mp4"
    const seen = await conform(file, name, { description: 'named again', privacy_level: 'SELF_ONLY' })
    expect(seen.video!.name).toBe(name)
  })

  it("(c'') a backslash in a file name: PHP keeps only what follows it (its IE-era basename())", async () => {
    // Legal in a Linux file name. PHP's rfc1867.c strips everything up to the last
    // "\" or "/" in the name ($_FILES[...]['full_path'] keeps it). The bytes are unharmed.
    const file = writeFile(tmp, 'c3.mp4', [videoStart(1000), randomBytes(1000)])
    const seen = await conform(file, 'season\\episode 1.mp4', { description: 'backslash', privacy_level: 'SELF_ONLY' })
    expect(seen.video!.name).toBe('episode 1.mp4')
    expect(seen.video!.full_path).toBe('season\\episode 1.mp4')
  })

  it('(d) file bytes full of CRLF, dashes and near-boundaries across chunk edges', async () => {
    const boundary = clientBoundary()
    const tokens = [
      '\r\n--',
      '\r\n------draftclip',
      `\r\n--${boundary.slice(0, -1)}\r`, // all but the boundary's last character
      `\r\n--${boundary.slice(0, -1)}${boundary.endsWith('0') ? '1' : '0'}`, // last character differs
      `\r\n${boundary}`, // the boundary without its leading "--"
      `X--${boundary}--\r\n`, // a delimiter not preceded by a line break is data
      '\r\n--\r\n',
      '\r',
      '\n',
      '\r\r\n--',
      '--'
    ].map(t => Buffer.from(t, 'latin1'))
    const size = 3 * MIB + 12_345
    const content = Buffer.alloc(size)
    randomBytes(size).copy(content)
    // Dense: tokens every few bytes, so every read-buffer edge on either side
    // (PHP's 5 KiB FILLUNIT, socket reads, the client's 1 MiB file chunks) cuts one.
    let at = 0
    let n = 0
    while (at < size) {
      const token = tokens[n++ % tokens.length]
      token.copy(content, at)
      at += token.length + (n % 23)
    }
    // Exactly across the client's 1 MiB chunk edges, at every shift.
    for (let edge = MIB; edge < size; edge += MIB) {
      for (const token of tokens.slice(0, 4)) {
        for (let shift = 0; shift <= token.length; shift++) token.copy(content, edge - shift)
      }
    }
    // Starts and ends on the awkward bytes: the real delimiter follows the last "\r".
    Buffer.from('\r\n--', 'latin1').copy(content, 0)
    const ending = Buffer.from(`\r\n--${boundary.slice(0, -1)}\r`, 'latin1')
    ending.copy(content, size - ending.length)
    // Random filler may complete a near-boundary by chance (1 in 256): break any
    // such match. The test data itself must not contain the real delimiter.
    const delimiter = Buffer.from(`\n--${boundary}`, 'latin1')
    for (let i = content.indexOf(delimiter); i >= 0; i = content.indexOf(delimiter, i)) content[i + delimiter.length - 1] ^= 0x20
    expect(content.includes(Buffer.from(`\n--${boundary}`, 'latin1'))).toBe(false)

    const pieces = function* (): Generator<Buffer> {
      for (let offset = 0; offset < size; offset += 300_001) yield content.subarray(offset, Math.min(size, offset + 300_001))
    }
    const file = writeFile(tmp, 'd.mp4', pieces())
    const seen = await conform(file, 'd.mp4', { description: 'line one\r\n--\r\nline\ntwo\r\n', privacy_level: 'SELF_ONLY', title: '--' })
    // The near-misses were built on the boundary an empty frame shows; should the
    // client move to a per-request boundary, they stay valid (if weaker) data.
    const used = /boundary=(.+)$/.exec(seen.content_type ?? '')![1]
    expect(content.includes(Buffer.from(`\n--${used}`, 'latin1'))).toBe(false)
  })

  it('(g) a crafted video carrying a forged part cannot smuggle fields: every request has its own boundary', async () => {
    // A boundary seen once (here: another frame's) must not end this request's file part.
    const seenBefore = clientBoundary()
    const forged = Buffer.from(
      `\r\n--${seenBefore}\r\nContent-Disposition: form-data; name="privacy_level"\r\n\r\nPUBLIC_TO_EVERYONE` +
        `\r\n--${seenBefore}\r\nContent-Disposition: form-data; name="description"\r\n\r\nINJECTED\r\n--${seenBefore}--\r\n`,
      'latin1'
    )
    const file = writeFile(tmp, 'g.mp4', [videoStart(8192 + forged.length), randomBytes(4096), forged, randomBytes(4096)])
    const seen = await conform(file, 'g.mp4', { description: 'the real caption', privacy_level: 'SELF_ONLY' })
    expect(seen.post.privacy_level).toBe('SELF_ONLY')
    expect(clientBoundary()).not.toBe(seenBefore)
  })

  it('(e) a 64 MiB file of random bytes, streamed from disk', async () => {
    const pieces = function* (): Generator<Buffer> {
      const start = videoStart(64 * MIB - TINY_MP4.length - 8)
      yield start
      for (let i = 0; i < 64; i++) yield randomBytes(i === 0 ? MIB - start.length : MIB)
    }
    const file = writeFile(tmp, 'e.mp4', pieces())
    expect(file.size).toBe(64 * MIB)
    let lastProgress = 0
    await conform(
      file,
      'e.mp4',
      { description: 'big one', privacy_level: 'MUTUAL_FOLLOW_FRIENDS' },
      'video/mp4',
      sent => (lastProgress = sent)
    )
    expect(lastProgress).toBe(64 * MIB)
  })

  it('(f) an empty description still reaches $_POST as an empty field', async () => {
    const file = writeFile(tmp, 'f.mov', [randomBytes(4096)])
    const seen = await conform(file, 'f.mov', { description: '', privacy_level: 'SELF_ONLY' }, 'video/quicktime')
    expect(Object.keys(seen.post)).toContain('description')
    expect(seen.post.description).toBe('')
  })

  it('the imitation is not a yes-machine: no video means a 400 with an error and no publish id', async () => {
    const response = await fetch(`http://127.0.0.1:${php!.port}/api/upload.php`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'description=hello'
    })
    const json = (await response.json()) as PhpAnswer
    expect(response.status).toBe(400)
    expect(json.error).toBe('No video file uploaded')
    expect(json.seen.post).toEqual({ description: 'hello' })
    expect(acceptedUpload(json)).toBeUndefined()
  })

  it('PHP removed every uploaded temp file after its request', () => {
    expect(fs.readdirSync(uploadTmpDir)).toEqual([])
  })
})

/**
 * The first five minutes, as README and .env.example tell them:
 *
 *   cp .env.example .env; npm run sandbox; npm run local-action
 *
 * run for real: sandbox/serve.js on a port of its own (--port), and
 * script/local-action.js (what `npm run local-action` runs: @github/local-action
 * on src/main.ts) with .env.example as shipped but for that port. It relies on
 * the action only through run() and what it prints and reports. Each run takes
 * 2 to 4 s, most of it local-action starting (tsx, `npm ls`).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readMedia } from '../src/videos/media.js'
import { judgeMedia } from '../src/videos/media-rules.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const EXAMPLE = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8')

interface Run {
  code: number | null
  out: string
}

/** The environment of a developer's shell: nothing a runner (or this test's own runner) would add. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_)/.test(k) || k === 'NODE_OPTIONS') continue
    env[k] = v
  }
  return env
}

function run(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('close', code => resolve({ code, out }))
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function until(what: string, check: () => boolean, ms = 10000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 50))
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-local-action-'))

/** .env.example as shipped, with some variables set otherwise (each must already be there). */
function dotenv(name: string, set: Record<string, string>): string {
  let text = EXAMPLE
  for (const [key, value] of Object.entries(set)) {
    const line = new RegExp(`^${key.replace(/[-]/g, '\\-')}=.*$`, 'm')
    expect([key, line.test(text)]).toEqual([key, true])
    text = text.replace(line, `${key}=${value}`)
  }
  const file = path.join(tmp, name)
  fs.writeFileSync(file, text)
  return file
}

/** The action's outputs, as local-action prints them (::set-output name=X::value). */
function outputs(out: string): Record<string, string> {
  return Object.fromEntries([...out.matchAll(/^::set-output name=([\w-]+)::(.*)$/gm)].map(m => [m[1], m[2]]))
}

let sandbox: ChildProcessWithoutNullStreams
let sandboxOut = ''
let port = 0
const uploadsTaken = (): string[] => [...sandboxOut.matchAll(/^ {2}took (\S+) /gm)].map(m => m[1])

beforeAll(async () => {
  port = await freePort()
  sandbox = spawn(process.execPath, ['sandbox/serve.js', '--port', String(port)], { cwd: ROOT, env: cleanEnv() })
  sandbox.stdout.on('data', (d: Buffer) => (sandboxOut += d.toString()))
  sandbox.stderr.on('data', (d: Buffer) => (sandboxOut += d.toString()))
  await until('the sandbox to listen', () => sandboxOut.includes('listening on') || sandbox.exitCode !== null)
  expect(sandboxOut).toContain(`DraftClip sandbox listening on http://127.0.0.1:${port}`)
})

afterAll(async () => {
  if (sandbox && sandbox.exitCode === null) {
    const exited = new Promise(resolve => sandbox.once('close', resolve))
    sandbox.kill('SIGTERM')
    await exited
  }
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('the samples in examples/', () => {
  const dir = path.join(ROOT, 'examples/videos')

  it.each([
    ['trailer.mp4', 'isom'],
    ['teaser.mov', 'qt  ']
  ])('%s is small, starts with an ISO-BMFF ftyp box (%s), and is a real video TikTok takes', async (name, brand) => {
    const bytes = fs.readFileSync(path.join(dir, name))
    expect(bytes.length).toBeLessThan(16 * 1024)
    expect(bytes.toString('latin1', 4, 12)).toBe(`ftyp${brand}`)
    const reading = await readMedia(path.join(dir, name), bytes.length, 'iso')
    expect(reading).toMatchObject({ kind: 'video', media: { width: 360, height: 640, codec: 'h264' } })
    expect(judgeMedia(reading, 600, name).problems).toEqual([])
  })

  it('has one sidecar, with only the keys a sidecar may have', () => {
    const sidecars = fs.readdirSync(dir).filter(f => f.endsWith('.draftclip.json'))
    expect(sidecars).toEqual(['trailer.mp4.draftclip.json'])
    const data = JSON.parse(fs.readFileSync(path.join(dir, sidecars[0]), 'utf8'))
    expect(Object.keys(data).sort()).toEqual(['description', 'privacy_level', 'title'])
  })
})

describe('.env.example', () => {
  it('says the three steps, and points at the sandbox its second step starts', () => {
    expect(EXAMPLE).toContain('cp .env.example .env')
    expect(EXAMPLE).toContain('npm run sandbox')
    expect(EXAMPLE).toContain('npm run local-action')
    expect(EXAMPLE).toMatch(/^INPUT_BASE-URL=http:\/\/127\.0\.0\.1:8787$/m)
    expect(EXAMPLE).toMatch(/^INPUT_API-KEY=ttapi_sandbox_key$/m)
    expect(EXAMPLE).toMatch(/^INPUT_DRY-RUN=false$/m)
  })
})

describe('sandbox/serve.js', () => {
  it('refuses a port in use, saying what to do', async () => {
    const second = await run(process.execPath, ['sandbox/serve.js', '--port', String(port)])
    expect(second.code).toBe(1)
    expect(second.out).toContain('--port N')
  })
})

describe('npm run local-action (script/local-action.js)', () => {
  it('publishes the samples to the sandbox with .env.example as shipped, and exits 0', async () => {
    const summary = path.join(tmp, 'summary.md')
    const env = dotenv('ok.env', { 'INPUT_BASE-URL': `http://127.0.0.1:${port}`, GITHUB_STEP_SUMMARY: summary })

    const result = await run(process.execPath, ['script/local-action.js', env])

    expect([result.code, result.out.includes('::error')]).toEqual([0, false])
    const results = JSON.parse(outputs(result.out).results ?? '[]')
    expect(results.map((r: Record<string, unknown>) => [r.file, r.status])).toEqual([
      ['examples/videos/teaser.mov', 'PUBLISH_COMPLETE'],
      ['examples/videos/trailer.mp4', 'PUBLISH_COMPLETE']
    ])
    // SELF_ONLY, as .env.example ships: as on TikTok, the sandbox gives a post ID only to a public post.
    expect(results.map((r: Record<string, unknown>) => [r.privacy_level, r.post_id])).toEqual([
      ['SELF_ONLY', null],
      ['SELF_ONLY', null]
    ])
    // teaser.mov takes its caption from INPUT_DESCRIPTION, trailer.mp4 from its sidecar.
    expect(results[0].description).toBe('Trying DraftClip locally: teaser.mov')
    expect(results[1].description).toMatch(/sidecar/)
    expect(fs.readFileSync(summary, 'utf8')).toContain('trailer.mp4')
    await until('the sandbox to log both uploads', () => uploadsTaken().length >= 2)
    expect(uploadsTaken()).toEqual(['teaser.mov', 'trailer.mp4'])
  })

  it('exits non-zero when the action fails (a key the sandbox refuses), and publishes nothing', async () => {
    const before = uploadsTaken().length
    const env = dotenv('bad-key.env', {
      'INPUT_API-KEY': 'ttapi_not_the_sandbox_key',
      'INPUT_BASE-URL': `http://127.0.0.1:${port}`,
      GITHUB_STEP_SUMMARY: path.join(tmp, 'bad-summary.md')
    })

    const result = await run(process.execPath, ['script/local-action.js', env])

    expect(result.code).toBe(1)
    expect(result.out).toContain('DraftClip refused the API key')
    expect(result.out).toContain('The action failed')
    expect(uploadsTaken().length).toBe(before)
  })

  it('fails at once, naming the command, when nothing listens at the sandbox URL', async () => {
    const closed = await freePort()
    const env = dotenv('no-sandbox.env', { 'INPUT_BASE-URL': `http://127.0.0.1:${closed}` })

    const started = Date.now()
    const result = await run(process.execPath, ['script/local-action.js', env])

    expect(result.code).toBe(1)
    expect(result.out).toContain(`npm run sandbox -- --port ${closed}`)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('without a .env, says to copy .env.example', async () => {
    const result = await run(process.execPath, ['script/local-action.js', path.join(tmp, 'missing', '.env')])
    expect(result.code).toBe(1)
    expect(result.out).toContain('does not exist')
  })
})

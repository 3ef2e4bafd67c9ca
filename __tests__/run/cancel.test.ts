import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import type { Attempt, DraftClip } from '../../src/model/ports.js'
import { ANSWER_GRACE_MS } from '../../src/cancel.js'
import { FakeClock, settle } from '../support/fake-clock.js'
import { workspace, writeMp4 } from '../support/action.js'
import { runInProcess, TEST_TIMINGS } from '../support/in-process.js'

/** cancel.ts's signal handler, from source: the runner's SIGTERM in the middle of an upload. */

let sandbox: Sandbox | undefined
/** Workspaces of this file, removed after each test. */
const folders: string[] = []
function fresh(): string {
  const ws = workspace()
  folders.push(ws)
  return ws
}

afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
  for (const f of folders.splice(0)) fs.rmSync(f, { recursive: true, force: true })
})

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise(r => setTimeout(r, 10))
  }
}

describe('a cancelled job', () => {
  it('starts nothing new, leaves the cut-off upload UNCONFIRMED in outputs, summary and ledger, then exits 1', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1, uploadFaults: [null, { type: 'hang' }] })
    const ws = fresh()
    for (const name of ['a.mp4', 'b.mp4', 'c.mp4']) writeMp4(path.join(ws, 'v', name))
    const exits: number[] = []
    const running = runInProcess(
      ws,
      {
        'api-key': 'ttapi_sandbox_key',
        'base-url': sandbox.url,
        videos: 'v/*.mp4',
        description: 'x',
        wait: 'false',
        ledger: 'ledger.json'
      },
      { deps: { signals: true, exit: code => void exits.push(code) } }
    )
    const s = sandbox
    await until(() => s.uploads.length === 2)
    process.emit('SIGTERM', 'SIGTERM')
    await until(() => exits.length === 1)
    // The hung upload ends when its server goes; the run then finishes without writing anything twice.
    await s.close()
    sandbox = undefined
    const run = await running
    expect(exits).toEqual([1])
    expect(run.results.map(r => r.status)).toEqual(['PROCESSING_UPLOAD', 'UNCONFIRMED', 'NOT_ATTEMPTED'])
    expect(String(run.results[1].error)).toMatch(/^the job was cancelled during its upload; DraftClip may or may not have taken it\./)
    expect(run.summary).toContain('The job was cancelled (SIGTERM).')
    expect(s.uploads.map(u => u.filename)).toEqual(['a.mp4', 'b.mp4'])
    const ledger = JSON.parse(fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')) as { videos: Record<string, { status: string }> }
    // UPLOADING when the runner kills the process (the e2e suite); here the run lived on until the server
    // went, and the upload whose body had all left became UNCONFIRMED: held back either way.
    expect(
      Object.values(ledger.videos)
        .map(e => e.status)
        .sort()
    ).toEqual(['PROCESSING_UPLOAD', 'UNCONFIRMED'])
    expect(process.listenerCount('SIGTERM')).toBe(0)
  })
})

/** A DraftClip whose upload takes the whole body at once, then answers when the test says. */
function lateAnswers(): { client: DraftClip; bodyLeft: Promise<void>; answer: () => void } {
  let left: () => void = () => undefined
  let answer: () => void = () => undefined
  const bodyLeft = new Promise<void>(resolve => (left = resolve))
  const answered = new Promise<void>(resolve => (answer = resolve))
  const client: DraftClip = {
    upload: async video => {
      for await (const _ of video.chunks());
      left()
      await answered
      const json = { success: true, data: { publish_id: 'v_pub_late', status: 'PROCESSING_UPLOAD' } }
      return { kind: 'answer', httpStatus: 200, json, text: JSON.stringify(json), retryAfter: undefined, bodySent: true } satisfies Attempt
    },
    status: () => new Promise<Attempt>(() => undefined),
    close: async () => undefined
  }
  return { client, bodyLeft, answer }
}

describe('a cancelled job, while an upload waits for its answer (fake clock)', () => {
  async function start(): Promise<{
    ws: string
    clock: FakeClock
    exits: number[]
    answer: () => void
    running: ReturnType<typeof runInProcess>
  }> {
    const ws = fresh()
    writeMp4(path.join(ws, 'v', 'a.mp4'))
    writeMp4(path.join(ws, 'v', 'b.mp4'))
    const clock = new FakeClock(Date.parse('2026-12-03T12:00:00Z'))
    const exits: number[] = []
    const late = lateAnswers()
    const running = runInProcess(
      ws,
      { 'api-key': 'ttapi_sandbox_key', videos: 'v/*.mp4', description: 'x', wait: 'false', ledger: 'ledger.json' },
      { clock, deps: { signals: true, exit: code => void exits.push(code), client: () => late.client } }
    )
    await late.bodyLeft
    process.emit('SIGINT', 'SIGINT')
    await settle()
    return { ws, clock, exits, answer: late.answer, running }
  }

  const ledgerOf = (ws: string): { status: string; publish_id: string | null }[] =>
    Object.values(
      (
        JSON.parse(fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')) as {
          videos: Record<string, { status: string; publish_id: string | null }>
        }
      ).videos
    )

  it('SIGINT: the answer that comes within the grace is kept (publish ID in outputs and ledger), nothing new starts, then it exits 1', async () => {
    const { ws, clock, exits, answer, running } = await start()
    await clock.advance(ANSWER_GRACE_MS - 1000)
    await new Promise(r => setTimeout(r, 300))
    expect(exits).toEqual([])
    answer()
    const run = await running
    await until(() => exits.length === 1)
    expect(exits).toEqual([1])
    expect(run.results.map(r => r.status)).toEqual(['PROCESSING_UPLOAD', 'NOT_ATTEMPTED'])
    expect(run.results[0].publish_id).toBe('v_pub_late')
    expect(run.outputs['publish-ids']).toBe('["v_pub_late"]')
    expect(run.summary).toContain('The job was cancelled (SIGINT).')
    expect(ledgerOf(ws)).toEqual([expect.objectContaining({ status: 'PROCESSING_UPLOAD', publish_id: 'v_pub_late' })])
    expect(process.listenerCount('SIGINT')).toBe(0)
  })

  it('SIGINT, then no answer: the grace ends, the upload is UNCONFIRMED, the outputs are written, exit 1', async () => {
    const { exits, clock, answer, running } = await start()
    await clock.advance(ANSWER_GRACE_MS - 1)
    // Real time too, for the file writes an early exit would make.
    await new Promise(r => setTimeout(r, 300))
    expect(exits).toEqual([])
    await clock.advance(2000)
    await until(() => exits.length === 1)
    answer()
    const run = await running
    expect(run.results.map(r => r.status)).toEqual(['UNCONFIRMED', 'NOT_ATTEMPTED'])
  })

  it("SIGINT, then the runner's SIGTERM: no more grace, the outputs are written at once", async () => {
    const { exits, clock, answer, running } = await start()
    await clock.advance(100)
    process.emit('SIGTERM', 'SIGTERM')
    await until(() => exits.length === 1)
    expect(clock.now() - Date.parse('2026-12-03T12:00:00Z')).toBeLessThan(ANSWER_GRACE_MS)
    answer()
    const run = await running
    expect(run.results.map(r => r.status)).toEqual(['UNCONFIRMED', 'NOT_ATTEMPTED'])
    expect(run.summary).toContain('The job was cancelled (SIGINT).')
  })
})

describe('a cancelled job, while an upload waits to try again (fake clock)', () => {
  it('the wait ends at once: the video DraftClip refused is NOT_ATTEMPTED (never UNCONFIRMED), and the run ends without using the grace', async () => {
    const ws = fresh()
    writeMp4(path.join(ws, 'v', 'a.mp4'))
    const clock = new FakeClock(Date.parse('2026-12-03T12:00:00Z'))
    const exits: number[] = []
    let attempts = 0
    let refused: () => void = () => undefined
    const first = new Promise<void>(resolve => (refused = resolve))
    const busy: DraftClip = {
      upload: async video => {
        for await (const _ of video.chunks());
        attempts++
        refused()
        const json = { error: 'Service busy' }
        return { kind: 'answer', httpStatus: 503, json, text: JSON.stringify(json), retryAfter: '60', bodySent: true } satisfies Attempt
      },
      status: () => new Promise<Attempt>(() => undefined),
      close: async () => undefined
    }
    const running = runInProcess(
      ws,
      { 'api-key': 'ttapi_sandbox_key', videos: 'v/*.mp4', description: 'x', wait: 'false', ledger: 'ledger.json', retries: '3' },
      {
        clock,
        timings: { ...TEST_TIMINGS, maxDelayMs: 120_000 },
        deps: { signals: true, exit: code => void exits.push(code), client: () => busy }
      }
    )
    await first
    await settle()
    process.emit('SIGINT', 'SIGINT')
    // No fake time passes: only a wait that the cancel ended lets the run finish.
    await until(() => exits.length === 1, 3000)
    const run = await running
    expect(clock.now() - Date.parse('2026-12-03T12:00:00Z')).toBeLessThan(ANSWER_GRACE_MS)
    expect(attempts).toBe(1)
    expect(run.results.map(r => [r.status, r.error])).toEqual([['NOT_ATTEMPTED', 'not attempted: the job was cancelled']])
    expect(fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')).not.toContain('"status"')
  })
})

/**
 * A DraftClip as the port asks a client to be: its socket takes one chunk, then nothing (the server
 * stopped reading) until the job is cancelled; then the last bytes are held back, and the attempt
 * ends when the test says (`unwind`), as an aborted request does.
 */
function stallsUntilCancelled(): { client: DraftClip; stalled: Promise<void>; unwind: () => void; uploads: () => number } {
  let stall: () => void = () => undefined
  let unwind: () => void = () => undefined
  const stalled = new Promise<void>(resolve => (stall = resolve))
  const unwound = new Promise<void>(resolve => (unwind = resolve))
  let uploads = 0
  const client: DraftClip = {
    upload: async video => {
      uploads++
      const chunks = video.chunks()[Symbol.asyncIterator]()
      await chunks.next()
      stall()
      await new Promise<void>(resolve => video.signal?.addEventListener('abort', () => resolve(), { once: true }))
      video.onHeldBack?.()
      await chunks.return?.()
      await unwound
      return { kind: 'no-answer', code: 'CANCELLED', message: 'cancelled', bodySent: false, stalled: false, origin: 'http://127.0.0.1' }
    },
    status: () => new Promise<Attempt>(() => undefined),
    close: async () => undefined
  }
  return { client, stalled, unwind, uploads: () => uploads }
}

describe('a cancelled job, while an upload has not sent its whole body (fake clock)', () => {
  const T0 = Date.parse('2026-12-03T12:00:00Z')
  const ledgerText = (ws: string): string => fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')

  async function start(wait: 'true' | 'false' = 'false') {
    const ws = fresh()
    writeMp4(path.join(ws, 'v', 'a.mp4'), 3 * 1024 * 1024)
    const clock = new FakeClock(T0)
    const exits: number[] = []
    const fake = stallsUntilCancelled()
    const running = runInProcess(
      ws,
      { 'api-key': 'ttapi_sandbox_key', videos: 'v/*.mp4', description: 'x', wait, ledger: 'ledger.json', retries: '0' },
      { clock, deps: { signals: true, exit: code => void exits.push(code), client: () => fake.client } }
    )
    await fake.stalled
    expect(ledgerText(ws)).toContain('"UPLOADING"')
    return { ws, clock, exits, fake, running }
  }

  it('SIGINT: not sent (NOT_ATTEMPTED), its ledger entry let go, with no grace spent; the ledger, outputs and summary agree', async () => {
    const { ws, clock, exits, fake, running } = await start()
    process.emit('SIGINT', 'SIGINT')
    fake.unwind()
    const run = await running
    await until(() => exits.length === 1)
    expect(clock.now() - T0).toBeLessThan(ANSWER_GRACE_MS)
    expect(run.results.map(r => [r.status, r.error])).toEqual([
      [
        'NOT_ATTEMPTED',
        'not sent: the job was cancelled before the whole video was sent, so DraftClip did not take it; a later run uploads it'
      ]
    ])
    expect(JSON.parse(run.outputs.results)[0].status).toBe('NOT_ATTEMPTED')
    expect(run.summary).toContain('The job was cancelled (SIGINT).')
    expect(run.summary).toContain('NOT_ATTEMPTED')
    expect(run.summary).not.toContain('UNCONFIRMED')
    expect(JSON.parse(ledgerText(ws)).videos).toEqual({})
    expect(fake.uploads()).toBe(1)
  })

  it("SIGINT then the runner's SIGTERM, before the cut-off attempt has even ended: the signal handler decides the same, and stores it before the exit", async () => {
    const { ws, exits, fake, running } = await start()
    process.emit('SIGINT', 'SIGINT')
    process.emit('SIGTERM', 'SIGTERM')
    await until(() => exits.length === 1)
    // The process ends here on a runner: what the outputs and the ledger say now is what is left.
    expect(JSON.parse(ledgerText(ws)).videos).toEqual({})
    fake.unwind()
    const run = await running
    expect(run.results.map(r => r.status)).toEqual(['NOT_ATTEMPTED'])
    expect(run.summary).not.toContain('UNCONFIRMED')
  })
})

describe('a cancelled job, while an upload whose body has left waits for its answer: the ledger at exit (fake clock)', () => {
  it('says UNCONFIRMED, as the outputs do, and a later run treats it as UNCONFIRMED (never uploaded again)', async () => {
    const ws = fresh()
    writeMp4(path.join(ws, 'v', 'a.mp4'))
    const clock = new FakeClock(Date.parse('2026-12-03T12:00:00Z'))
    const exits: number[] = []
    const late = lateAnswers()
    const inputs = { 'api-key': 'ttapi_sandbox_key', videos: 'v/*.mp4', description: 'x', wait: 'false', ledger: 'ledger.json' }
    const running = runInProcess(ws, inputs, {
      clock,
      deps: { signals: true, exit: code => void exits.push(code), client: () => late.client }
    })
    await late.bodyLeft
    process.emit('SIGINT', 'SIGINT')
    process.emit('SIGTERM', 'SIGTERM')
    await until(() => exits.length === 1)
    // The process ends here on a runner: this is the ledger the next run reads.
    const atExit = fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')
    late.answer()
    const run = await running
    expect(run.results.map(r => r.status)).toEqual(['UNCONFIRMED'])
    const stored = Object.values((JSON.parse(atExit) as { videos: Record<string, { status: string }> }).videos)
    expect(stored.map(e => e.status)).toEqual(['UNCONFIRMED'])

    fs.writeFileSync(path.join(ws, 'ledger.json'), atExit)
    let uploads = 0
    const counted: DraftClip = { ...late.client, upload: video => (uploads++, late.client.upload(video)) }
    const again = await runInProcess(ws, inputs, { clock, deps: { client: () => counted } })
    expect(uploads).toBe(0)
    expect(again.results.map(r => r.status)).toEqual(['UNCONFIRMED'])
    expect(String(again.results[0].error)).toMatch(
      /^an earlier run \(.*\) started uploading this video and never learned whether DraftClip took it/
    )
  })
})

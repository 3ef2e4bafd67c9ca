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

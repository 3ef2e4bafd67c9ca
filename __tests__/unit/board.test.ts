import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { Board } from '../../src/publish/board.js'
import { Ledger } from '../../src/ledger/ledger.js'
import { uploadStarting } from '../../src/publish/lifecycle.js'
import { Status } from '../../src/model/status.js'
import { keptLog, testVideo } from '../support/video.js'

const H1 = 'a'.repeat(64)
const H2 = 'b'.repeat(64)

async function tempLedger(videos: Record<string, unknown> = {}): Promise<{ ledger: Ledger; file: string }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-board-')), 'ledger.json')
  fs.writeFileSync(file, JSON.stringify({ version: 1, videos }))
  return { ledger: await Ledger.load(file, 'ledger.json'), file }
}

describe('Board', () => {
  it('keeps one entry per video: its video, hash, twin and a NOT_ATTEMPTED result', () => {
    const videos = [testVideo('a.mp4'), testVideo('b.mp4'), testVideo('c.mp4')]
    const board = new Board(videos, [H1, undefined, H1], undefined)
    expect(board.entries.map(e => [e.video.file, e.hash, e.twin, e.admission, e.result.status])).toEqual([
      ['a.mp4', H1, undefined, undefined, Status.NotAttempted],
      ['b.mp4', undefined, undefined, undefined, Status.NotAttempted],
      ['c.mp4', H1, 0, undefined, Status.NotAttempted]
    ])
    expect(board.results.map(r => r.sha256)).toEqual([H1, null, H1])
  })

  it('apply changes the result, says the line in the video log, and records the ledger entry before an upload starts', async () => {
    const { ledger, file } = await tempLedger()
    const board = new Board([testVideo('a.mp4')], [H1], ledger)
    const log = keptLog()
    board.useLogs(log.logFor)
    await board.apply(0, { ...uploadStarting(board.entries[0].result), log: { level: 'info', line: 'starting' } })
    expect(board.entries[0].result.status).toBe(Status.Uploading)
    expect(log.lines).toEqual(['a.mp4: starting'])
    await ledger.idle()
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).videos[H1]).toMatchObject({ file: 'a.mp4', status: 'UPLOADING' })
  })

  it('a halt stops uploads; one of scope everything stops polls too', () => {
    const board = new Board([], [], undefined)
    expect(board.uploadsStopped()).toBeUndefined()
    board.halt({ scope: 'uploads', reason: 'quota', quota: true })
    expect([board.uploadsStopped(), board.pollsStopped()]).toEqual(['quota', undefined])
    board.halt({ scope: 'everything', reason: 'key' })
    expect([board.uploadsStopped(), board.pollsStopped()]).toEqual(['quota', 'key'])
    const cancelled = new AbortController()
    cancelled.abort()
    expect(new Board([], [], undefined).pollsStopped(cancelled.signal)).toBe('the job was cancelled')
  })

  it('interruptAll makes an upload under way UNCONFIRMED, at once, and leaves the others', async () => {
    const board = new Board([testVideo('a.mp4'), testVideo('b.mp4')], [undefined, undefined], undefined)
    await board.apply(0, uploadStarting(board.entries[0].result))
    board.interruptAll('the job was cancelled')
    expect(board.results.map(r => r.status)).toEqual([Status.Unconfirmed, Status.NotAttempted])
    expect(board.results[0].error).toMatch(/^the job was cancelled during its upload/)
  })

  it('decides each admission once, by the ledger, the twins and the calendar', async () => {
    const { ledger } = await tempLedger({
      [H2]: { file: 'b.mp4', status: 'PUBLISH_COMPLETE', publish_id: 'p', post_id: '7', updated_at: '2026-01-01T00:00:00Z' }
    })
    const later = Date.parse('2030-01-01T00:00:00Z')
    const videos = [testVideo('a.mp4'), testVideo('b.mp4'), testVideo('c.mp4'), testVideo('d.mp4', { publishAt: later })]
    const board = new Board(videos, [H1, H2, H1, 'd'.repeat(64)], ledger)
    board.decideAdmissions(true, Date.parse('2026-06-01T00:00:00Z'), undefined)
    expect(board.entries.map(e => e.admission?.kind)).toEqual(['upload', 'skip', 'twin', 'scheduled'])
  })

  it('claim without a ledger starts the upload; with one, a stored UPLOADING entry comes first', async () => {
    const bare = new Board([testVideo('a.mp4')], [undefined], undefined)
    expect(await bare.claim(0, undefined, () => 0, true)).toBeUndefined()
    expect(bare.results[0].status).toBe(Status.Uploading)

    const { ledger, file } = await tempLedger()
    const board = new Board([testVideo('a.mp4')], [H1], ledger)
    expect(await board.claim(0, undefined, () => 0, true)).toBeUndefined()
    expect(board.results[0].status).toBe(Status.Uploading)
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).videos[H1]).toMatchObject({ status: 'UPLOADING' })
  })

  it('claim refuses the upload when the ledger cannot be written, and every upload stops', async () => {
    const { ledger, file } = await tempLedger()
    // A folder where the ledger file was: no write can land.
    fs.rmSync(file)
    fs.mkdirSync(path.join(file, 'in-the-way'), { recursive: true })
    const board = new Board([testVideo('a.mp4')], [H1], ledger)
    expect(await board.claim(0, undefined, () => 0, true)).toBe('refused')
    expect(board.results[0].status).toBe(Status.NotAttempted)
    expect(board.uploadsStopped()).toBeDefined()
  })
})

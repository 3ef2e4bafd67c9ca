import { describe, expect, it } from '@jest/globals'
import { Board } from '../../src/publish/board.js'
import { planAll } from '../../src/publish/plan.js'
import { Status } from '../../src/model/status.js'
import { keptLog, testVideo } from '../support/video.js'

const H = 'a'.repeat(64)

describe('planAll (the dry-run driver)', () => {
  it('plans every video through the admission, through apply, and says each plan in its own log', async () => {
    const later = Date.parse('2030-01-01T00:00:00Z')
    const videos = [testVideo('a.mp4'), testVideo('b.mp4'), testVideo('c.mp4', { publishAt: later })]
    const board = new Board(videos, [H, H, undefined], undefined)
    const log = keptLog()
    expect(await planAll(board, { wait: true, maxUploads: undefined }, Date.parse('2026-06-01T00:00:00Z'), log.logFor)).toBeUndefined()
    expect(board.results.map(r => r.status)).toEqual([Status.DryRun, Status.Skipped, Status.Scheduled])
    expect(board.entries.map(e => e.admission?.kind)).toEqual(['upload', 'twin', 'scheduled'])
    expect(log.lines).toEqual([
      `a.mp4: would upload, ${videos[0].size} bytes, SELF_ONLY, caption: "caption of a.mp4"`,
      `b.mp4: would skip (same content as a.mp4), ${videos[1].size} bytes, SELF_ONLY, caption: "caption of b.mp4"`,
      `c.mp4: would wait: scheduled for 2030-01-01T00:00:00.000Z, ${videos[2].size} bytes, SELF_ONLY, caption: "caption of c.mp4"`
    ])
  })

  it('a twin of a video max-uploads leaves queued says why it would not upload', async () => {
    const videos = [testVideo('a.mp4'), testVideo('b.mp4'), testVideo('c.mp4')]
    const board = new Board(videos, [undefined, H, H], undefined)
    const log = keptLog()
    await planAll(board, { wait: false, maxUploads: 1 }, 0, log.logFor)
    expect(board.results.map(r => r.status)).toEqual([Status.DryRun, Status.Queued, Status.Queued])
    expect(log.lines[2]).toMatch(/^c\.mp4: would not upload: same content as b\.mp4, which is QUEUED, /)
  })
})

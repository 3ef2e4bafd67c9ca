import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { PollBudget } from '../../src/draftclip/poll-budget.js'
import { DEFAULT_TIMINGS } from '../../src/draftclip/retry-policy.js'
import type { Clock, DraftClip } from '../../src/model/ports.js'
import { Status } from '../../src/model/status.js'
import { Board } from '../../src/publish/board.js'
import { publishAll, type PublishSettings } from '../../src/publish/send.js'
import { fakeDraftClip } from '../support/fake-draftclip.js'
import { keptLog, testVideo } from '../support/video.js'

const SETTINGS: PublishSettings = {
  concurrency: 2,
  retries: 0,
  wait: true,
  waitTimeoutMs: 60_000,
  pollIntervalMs: 1000,
  maxPollIntervalMs: 5000,
  maxUploads: undefined
}

/** Time that passes as soon as it is waited for: the driver's logic, no real sleeps. */
function instantClock(): Clock {
  let now = Date.parse('2026-06-01T00:00:00Z')
  return { now: () => now, sleep: ms => Promise.resolve(void (now += ms)), random: () => 0.5 }
}

function deps(client: DraftClip, clock: Clock, logFor = keptLog().logFor) {
  return { client, clock, budget: new PollBudget(6000, clock), timings: DEFAULT_TIMINGS, logFor }
}

describe('publishAll (the real-run driver)', () => {
  it('uploads each video, polls it until there is nothing more to learn, and closes its log', async () => {
    const board = new Board([testVideo('a.mp4'), testVideo('b.mp4')], [undefined, undefined], undefined)
    const client = fakeDraftClip()
    const log = keptLog()
    expect(await publishAll(board, SETTINGS, deps(client, instantClock(), log.logFor))).toBeUndefined()
    expect(client.uploaded.sort()).toEqual(['a.mp4', 'b.mp4'])
    expect(board.results.map(r => [r.status, r.publish_id])).toEqual([
      [Status.PublishComplete, 'p-a.mp4'],
      [Status.PublishComplete, 'p-b.mp4']
    ])
    expect(log.done.sort()).toEqual(['a.mp4: PUBLISH_COMPLETE', 'b.mp4: PUBLISH_COMPLETE'])
    expect(log.lines).toContain('a.mp4: uploading (14 bytes, SELF_ONLY)')
  })

  it('a twin is not sent: it shares the ids of the video it copies', async () => {
    const videos = [testVideo('a.mp4', {}, Buffer.from('same')), testVideo('b.mp4', {}, Buffer.from('same'))]
    // The upload checks the bytes it sends against the hash: the real one.
    const hash = createHash('sha256').update(fs.readFileSync(videos[0].path)).digest('hex')
    const board = new Board(videos, [hash, hash], undefined)
    const client = fakeDraftClip()
    await publishAll(board, SETTINGS, deps(client, instantClock()))
    expect(client.uploaded).toEqual(['a.mp4'])
    expect(board.results.map(r => [r.status, r.publish_id])).toEqual([
      [Status.PublishComplete, 'p-a.mp4'],
      [Status.Skipped, 'p-a.mp4']
    ])
  })

  it('a cancelled job starts no upload: every video stays NOT_ATTEMPTED and the run says why', async () => {
    const board = new Board([testVideo('a.mp4')], [undefined], undefined)
    const client = fakeDraftClip()
    const cancelled = new AbortController()
    cancelled.abort()
    const halt = await publishAll(board, SETTINGS, { ...deps(client, instantClock()), signal: cancelled.signal })
    expect(halt).toMatchObject({ reason: 'the job was cancelled' })
    expect(client.uploaded).toEqual([])
    expect(board.results[0].status).toBe(Status.NotAttempted)
  })

  it('a crash part way goes through apply: an upload under way ends UNCONFIRMED, and the error is thrown', async () => {
    const board = new Board([testVideo('a.mp4')], [undefined], undefined)
    const client: DraftClip = { ...fakeDraftClip(), upload: () => Promise.reject(new Error('the disk went away')) }
    await expect(publishAll(board, SETTINGS, deps(client, instantClock()))).rejects.toThrow('the disk went away')
    expect(board.results[0]).toMatchObject({ status: Status.Unconfirmed, error: 'the disk went away' })
  })
})

import { describe, expect, it } from '@jest/globals'
import type { LedgerEntry } from '../../src/model/ports.js'
import type { Admission } from '../../src/publish/lifecycle.js'
import { mediaVerdicts } from '../../src/publish/media-verdict.js'
import type { MediaProblem } from '../../src/videos/check.js'

const problem = (name: string, over: Partial<MediaProblem> = {}): MediaProblem => ({
  file: `videos/${name}`,
  path: `/ws/videos/${name}`,
  problem: `its frame rate is 22 fps: TikTok takes 23 to 60 fps`,
  rule: 'its frame rate is 22 fps',
  fix: 'ffmpeg -i in.mp4 -vf fps=30 out.mp4',
  anyway: 'its frame rate is 22 fps; it is uploaded anyway (media-check: warn)',
  failReason: 'frame_rate_check_failed',
  ...over
})
const entry = (name: string, twin?: number) => ({ video: { path: `/ws/videos/${name}`, file: `videos/${name}` }, twin })
const stored: LedgerEntry = {
  file: 'videos/a.mp4',
  status: 'PUBLISH_COMPLETE',
  publish_id: 'p-1',
  post_id: null,
  updated_at: '2026-12-07T00:00:00Z'
}

describe('mediaVerdicts: what a broken media rule does, by the video admission', () => {
  const held: [string, Admission][] = [
    ['skip', { kind: 'skip', entry: stored, follow: false }],
    ['confirm', { kind: 'confirm', entry: { ...stored, publish_id: 'p-1' } }],
    ['unconfirmed', { kind: 'unconfirmed', entry: stored }],
    ['busy', { kind: 'busy', run: '7', note: 'run 7 is uploading it' }]
  ]
  it.each(held)('a video the ledger holds (%s) is a notice under error and warn alike, never a refusal', (_, admission) => {
    for (const check of ['error', 'warn'] as const) {
      const [verdict] = mediaVerdicts([problem('a.mp4')], [entry('a.mp4')], [admission], check)
      expect(verdict.kind).toBe('notice')
      expect(verdict.kind === 'notice' && verdict.line).toMatch(
        /^its frame rate is 22 fps; not refused: .*, and this run does not upload it\.$/
      )
    }
  })

  it.each<[string, Admission]>([
    ['upload', { kind: 'upload' }],
    ['scheduled', { kind: 'scheduled', at: 0 }],
    ['queued', { kind: 'queued', reason: 'max-uploads' }]
  ])('a video this run or a later one uploads (%s) is refused under error', (_, admission) => {
    expect(mediaVerdicts([problem('a.mp4')], [entry('a.mp4')], [admission], 'error')).toEqual([
      { kind: 'refuse', problem: problem('a.mp4') }
    ])
  })

  it('under warn, an upload now is warned with the rule own words; a later one says a later run uploads it, with the fix', () => {
    const verdicts = mediaVerdicts(
      [problem('a.mp4'), problem('b.mp4')],
      [entry('a.mp4'), entry('b.mp4')],
      [{ kind: 'upload' }, { kind: 'scheduled', at: 0 }],
      'warn'
    )
    expect(verdicts).toEqual([
      { kind: 'warn', index: 0, problem: problem('a.mp4'), line: problem('a.mp4').anyway },
      {
        kind: 'warn',
        index: 1,
        problem: problem('b.mp4'),
        line: 'its frame rate is 22 fps; a later run uploads it anyway (media-check: warn), and TikTok will likely refuse it (frame_rate_check_failed); to fix it: ffmpeg -i in.mp4 -vf fps=30 out.mp4'
      }
    ])
  })

  it('a twin is judged by the video it shares content with: refused with an upload under error, a notice under warn, a notice when that one is held', () => {
    const entries = [entry('a.mp4'), entry('b.mp4', 0)]
    const twin: Admission = { kind: 'twin', of: 'videos/a.mp4' }
    expect(mediaVerdicts([problem('b.mp4')], entries, [{ kind: 'upload' }, twin], 'error')[0].kind).toBe('refuse')
    const warned = mediaVerdicts([problem('b.mp4')], entries, [{ kind: 'upload' }, twin], 'warn')[0]
    expect(warned).toEqual({
      kind: 'notice',
      problem: problem('b.mp4'),
      line: 'its frame rate is 22 fps; it is not uploaded: the same content as videos/a.mp4.'
    })
    const held = mediaVerdicts([problem('b.mp4')], entries, [{ kind: 'skip', entry: stored, follow: false }, twin], 'error')[0]
    expect(held.kind).toBe('notice')
  })

  it('a problem of a path that is not on the board is left out; the order of the problems is kept', () => {
    const verdicts = mediaVerdicts(
      [problem('z.mp4'), problem('b.mp4'), problem('a.mp4')],
      [entry('a.mp4'), entry('b.mp4')],
      [{ kind: 'upload' }, { kind: 'upload' }],
      'error'
    )
    expect(verdicts.map(v => v.problem.file)).toEqual(['videos/b.mp4', 'videos/a.mp4'])
  })
})

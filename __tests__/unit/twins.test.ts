import { describe, it, expect } from '@jest/globals'
import { pathsToHash, twinIndexes } from '../../src/publish/twins.js'

const videos = [
  { path: '/ws/a.mp4', size: 100 },
  { path: '/ws/b.mp4', size: 200 },
  { path: '/ws/c.mp4', size: 100 },
  { path: '/ws/d.mp4', size: 300 },
  { path: '/ws/e.mp4', size: 200 },
  { path: '/ws/f.mp4', size: 100 }
]

describe('pathsToHash', () => {
  it('with a ledger: every video, in order', () => {
    expect(pathsToHash(videos, true)).toEqual(['/ws/a.mp4', '/ws/b.mp4', '/ws/c.mp4', '/ws/d.mp4', '/ws/e.mp4', '/ws/f.mp4'])
  })

  it('without a ledger: only videos that share their size with another, in order', () => {
    expect(pathsToHash(videos, false)).toEqual(['/ws/a.mp4', '/ws/b.mp4', '/ws/c.mp4', '/ws/e.mp4', '/ws/f.mp4'])
  })

  it('without a ledger and no equal sizes: nothing', () => {
    expect(pathsToHash([videos[0], videos[1], videos[3]], false)).toEqual([])
  })

  it('no videos: nothing either way', () => {
    expect(pathsToHash([], true)).toEqual([])
    expect(pathsToHash([], false)).toEqual([])
  })
})

describe('twinIndexes', () => {
  it('points each video at the first earlier one with the same hash', () => {
    expect(twinIndexes(['h1', undefined, 'h2', 'h1', 'h2', 'h1', 'h3'])).toEqual([undefined, undefined, undefined, 0, 2, 0, undefined])
  })

  it('videos without a hash are never twins, even of each other', () => {
    expect(twinIndexes([undefined, undefined])).toEqual([undefined, undefined])
  })

  it('is empty for no videos', () => {
    expect(twinIndexes([])).toEqual([])
  })
})

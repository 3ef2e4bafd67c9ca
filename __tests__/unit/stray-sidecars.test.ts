import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { straySidecars, videoSiblings } from '../../src/videos/stray-sidecars.js'

const dir = '/ws/videos'
const at = (name: string): string => path.join(dir, name)
const judge = (videos: string[], names: string[]): { sidecar: string; video?: string }[] =>
  straySidecars(videos.map(at), new Map([[dir, names]])).map(s => ({
    sidecar: path.basename(s.sidecar),
    ...(s.video ? { video: path.basename(s.video) } : {})
  }))

describe('straySidecars', () => {
  it('refuses the video whose sidecar is named without its extension: it would go out without its settings', () => {
    expect(judge(['v7.mp4'], ['v7.mp4', 'v7.draftclip.json'])).toEqual([{ sidecar: 'v7.draftclip.json', video: 'v7.mp4' }])
    const [stray] = straySidecars([at('v7.mp4')], new Map([[dir, ['v7.mp4', 'v7.draftclip.json']]]))
    expect(stray.problem).toBe(
      "it is not read: a sidecar is named after the whole file name, 'v7.mp4.draftclip.json', so 'v7.mp4' would go out without these settings; rename it"
    )
  })

  it('refuses each video it could be meant for when two share the name', () => {
    expect(judge(['v7.mp4', 'v7.mov'], ['v7.mov', 'v7.mp4', 'v7.draftclip.json'])).toEqual([
      { sidecar: 'v7.draftclip.json', video: 'v7.mp4' },
      { sidecar: 'v7.draftclip.json', video: 'v7.mov' }
    ])
  })

  it('only says so when the video has its own sidecar as well', () => {
    expect(judge(['v7.mp4'], ['v7.mp4', 'v7.mp4.draftclip.json', 'v7.draftclip.json'])).toEqual([{ sidecar: 'v7.draftclip.json' }])
  })

  it("says a sidecar's video is gone, and refuses nothing", () => {
    expect(judge(['a.mp4'], ['a.mp4', 'gone.mp4.draftclip.json'])).toEqual([{ sidecar: 'gone.mp4.draftclip.json' }])
  })

  it('refuses the video whose sidecar is named without its extension in another case (readSidecars names a whole name spelled so)', () => {
    expect(judge(['v7.mp4'], ['v7.mp4', 'V7.draftclip.json'])).toEqual([{ sidecar: 'V7.draftclip.json', video: 'v7.mp4' }])
    // Its whole name in another case: refused by readSidecars ('must be named exactly'), not said to have lost its video.
    expect(judge(['v7.mp4'], ['v7.mp4', 'V7.MP4.draftclip.json'])).toEqual([])
  })

  it('judges a thousand stray sidecars beside ten thousand videos at once', () => {
    const videos = Array.from({ length: 10_000 }, (_, i) => `v${i}.mp4`)
    const names = [...videos, ...Array.from({ length: 1000 }, (_, i) => `v${i * 10}.draftclip.json`)]
    const started = performance.now()
    expect(judge(videos, names)).toHaveLength(1000)
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('leaves alone the sidecars that are read, and those of files the patterns did not choose', () => {
    expect(judge(['a.mp4'], ['a.mp4', 'a.mp4.draftclip.json', 'b.mp4', 'b.mp4.draftclip.json', 'notes.txt', '.draftclip.json'])).toEqual([])
  })
})

it('videoSiblings lists each folder of the videos once, and a folder it cannot list as empty', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'stray-'))
  try {
    fs.writeFileSync(path.join(ws, 'a.mp4'), '')
    fs.writeFileSync(path.join(ws, 'a.draftclip.json'), '{}')
    const listed = await videoSiblings([path.join(ws, 'a.mp4'), path.join(ws, 'b.mp4'), path.join(ws, 'gone', 'c.mp4')])
    expect([...listed.keys()]).toEqual([ws, path.join(ws, 'gone')])
    expect([...listed.get(ws)!].sort()).toEqual(['a.draftclip.json', 'a.mp4'])
    expect(listed.get(path.join(ws, 'gone'))).toEqual([])
  } finally {
    fs.rmSync(ws, { recursive: true, force: true })
  }
})

import { describe, expect, it } from '@jest/globals'
import { ffmpegFix, fixedPath, remuxFix, shellWord } from '../../src/videos/media-fixes.js'

describe('shellWord: a file name as one bash word that runs nothing', () => {
  it.each([
    ['videos/clip.mp4', 'videos/clip.mp4'],
    ['a_b-c.d/E9.MP4', 'a_b-c.d/E9.MP4'],
    ['/home/runner/work/clip.mp4', '/home/runner/work/clip.mp4']
  ])('%s is plain: bare', (name, word) => {
    expect(shellWord(name)).toBe(word)
  })

  it.each([
    ['my clip.mp4', "'my clip.mp4'"],
    ["it's.mp4", `'it'\\''s.mp4'`],
    ['say "hi".mp4', `'say "hi".mp4'`],
    ['$(touch pwned).mp4', "'$(touch pwned).mp4'"],
    ['`touch pwned`.mp4', "'`touch pwned`.mp4'"],
    ['a;b&c|d>e<f*?[g].mp4', "'a;b&c|d>e<f*?[g].mp4'"],
    ['back\\slash.mp4', "'back\\slash.mp4'"],
    ['héllo 日本.mp4', "'héllo 日本.mp4'"],
    ['~/clip.mp4', "'~/clip.mp4'"],
    ['!!.mp4', "'!!.mp4'"]
  ])("%s: in single quotes, a quote as '\\''", (name, word) => {
    expect(shellWord(name)).toBe(word)
  })

  it("a name starting with '-' is not an option, and a protocol-like first part is a file", () => {
    expect(shellWord('-y.mp4')).toBe('./-y.mp4')
    expect(shellWord('-i x.mp4')).toBe("'./-i x.mp4'")
    expect(shellWord('pipe:1.mp4')).toBe("'./pipe:1.mp4'")
    expect(shellWord('http:x/clip.mp4')).toBe("'./http:x/clip.mp4'")
    // A ':' after the first '/' is not read as a protocol by ffmpeg: left alone.
    expect(shellWord('videos/a:b.mp4')).toBe("'videos/a:b.mp4'")
    expect(shellWord('videos/-x.mp4')).toBe('videos/-x.mp4')
  })

  it('a name the log would show otherwise (controls, bidi overrides) is spelt in escapes, every byte of it', () => {
    expect(shellWord('new\nline.mp4')).toBe("$'new\\x0aline.mp4'")
    expect(shellWord("\u001b[2Jit's\\.mp4")).toBe("$'\\x1b[2Jit\\'s\\\\.mp4'")
    expect(shellWord('clip\u202egpj.mp4')).toBe("$'clip\\xe2\\x80\\xaegpj.mp4'")
    expect(shellWord('tab\t.mp4')).toBe("$'tab\\x09.mp4'")
  })
})

describe('fixedPath: beside the video, never over it', () => {
  it.each([
    ['videos/clip.mp4', 'videos/clip.tiktok.mp4'],
    ['videos/clip.MP4', 'videos/clip.tiktok.mp4'],
    ['videos/clip.mov', 'videos/clip.tiktok.mov'],
    ['videos/CLIP.MOV', 'videos/CLIP.tiktok.mov'],
    ['videos/clip.avi', 'videos/clip.tiktok.mp4'],
    ['v.1/clip', 'v.1/clip.tiktok.mp4'],
    ['videos/.mp4', 'videos/.mp4.tiktok.mp4'],
    ['clip.tiktok.mp4', 'clip.tiktok.tiktok.mp4']
  ])('%s -> %s', (file, fixed) => {
    expect(fixedPath(file)).toBe(fixed)
  })
})

describe('the commands', () => {
  it('name the file and its copy, quoted alike; an AVI becomes an MP4 with AAC sound', () => {
    expect(ffmpegFix("my clip's.mp4", keep => `-t 600 ${keep.all}`)).toBe(
      `ffmpeg -i 'my clip'\\''s.mp4' -t 600 -c copy 'my clip'\\''s.tiktok.mp4'`
    )
    expect(ffmpegFix('v/a.avi', keep => `-vf fps=30 ${keep.audio}`)).toBe('ffmpeg -i v/a.avi -vf fps=30 -c:a aac v/a.tiktok.mp4')
    expect(ffmpegFix('v/a.avi', keep => `-t 600 ${keep.all}`)).toBe('ffmpeg -i v/a.avi -t 600 -c:v copy -c:a aac v/a.tiktok.mp4')
    expect(remuxFix('v/a.mov')).toBe('remux it with its metadata first: ffmpeg -i v/a.mov -c copy -movflags +faststart v/a.tiktok.mov')
  })
})

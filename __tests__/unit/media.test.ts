import { describe, it, expect, afterAll } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { codecName, readContainer, readMedia, type ByteSource, type Reading } from '../../src/videos/media.js'
import { MAX_STREAMED_CHUNKS } from '../../src/videos/media-avi.js'
import { mediaText, type Media, type RunInfo } from '../../src/model/video.js'
import { formatSize } from '../../src/sizes.js'
import { anywayText, isLfsPointer, judgeMedia, MAX_TIKTOK_BYTES, scaleFilter } from '../../src/videos/media-rules.js'
import { checkVideos, VideoCheckError, type FileProblem, type VideoSettings } from '../../src/videos/check.js'
import { fixture, freeBox } from '../support/action.js'
import { DEFAULT_MAX_DURATION_S, parseInputs } from '../../src/inputs.js'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-media-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const read = (name: string): Promise<Reading> =>
  readMedia(fixture(name), fs.statSync(fixture(name)).size, name.endsWith('.avi') ? 'avi' : 'iso')

/** A source over a buffer that counts the bytes asked of it. */
function counted(bytes: Buffer, size = bytes.length): ByteSource & { bytesRead: number } {
  const source = {
    size,
    bytesRead: 0,
    read: async (offset: number, length: number) => {
      const out = Buffer.alloc(Math.max(0, Math.min(length, size - offset)))
      bytes.copy(out, 0, Math.min(offset, bytes.length), Math.min(offset + out.length, bytes.length))
      source.bytesRead += out.length
      return out
    }
  }
  return source
}

const video = (over: Partial<Media> = {}): Reading => ({
  kind: 'video',
  container: 'iso',
  media: { duration: 30, width: 1080, height: 1920, fps: 30, codec: 'h264', audio: true, ...over }
})
const problems = (reading: Reading, maxDuration = 600): string[] =>
  judgeMedia(reading, maxDuration, 'clip.mp4').problems.map(p => p.failReason ?? 'none')

describe('reading the container of real ffmpeg videos', () => {
  it.each([
    ['h264-faststart.mp4', { duration: 2, width: 360, height: 640, fps: 30, codec: 'h264', audio: true }],
    ['h264-moov-at-end.mp4', { duration: 2, width: 360, height: 640, fps: 30, codec: 'h264', audio: false }],
    ['hevc.mp4', { duration: 2, width: 360, height: 640, fps: 25, codec: 'hevc', audio: false }],
    ['vp9.mp4', { duration: 2, width: 360, height: 640, fps: 25, codec: 'vp9', audio: false }],
    // Coded 640x360, turned a quarter by tkhd's matrix: shown upright.
    ['rotated.mp4', { duration: 2, width: 360, height: 640, fps: 30, codec: 'h264', audio: false }],
    ['clip.mov', { duration: 2, width: 360, height: 640, fps: 24, codec: 'h264', audio: false }],
    ['5fps.mp4', { duration: 2, width: 360, height: 640, fps: 5, codec: 'h264', audio: false }],
    ['100x100.mp4', { duration: 2, width: 100, height: 100, fps: 30, codec: 'h264', audio: false }],
    ['12min.mp4', { duration: 720, width: 360, height: 640, fps: 1, codec: 'h264', audio: false }],
    ['mpeg4-part2.mp4', { duration: 0.2, width: 360, height: 640, fps: 25, codec: 'mpeg4', audio: false }],
    ['prores.mov', { width: 360, height: 640, fps: 24, codec: 'prores' }],
    ['mjpeg.mov', { width: 360, height: 640, fps: 24, codec: 'mjpeg' }]
  ])('%s', async (name, media) => {
    const reading = await read(name)
    expect(reading).toMatchObject({ kind: 'video', container: 'iso', media })
  })

  it('reads an AVI from its hdrl list', async () => {
    expect(await read('clip.avi')).toEqual({
      kind: 'video',
      container: 'avi',
      media: { duration: 2, width: 360, height: 640, fps: 25, codec: 'h264', audio: false }
    })
  })

  it('an audio-only file has no video track', async () => {
    expect(await read('audio-only.mp4')).toEqual({ kind: 'no-video', container: 'iso', audio: true })
  })

  it('a cut file (no moov) is unreadable, and says why', async () => {
    expect(await read('cut-no-moov.mp4')).toMatchObject({ kind: 'unreadable', why: expect.stringContaining("no 'moov' box") })
  })

  it('a moov cut short, or one that overruns itself, is damaged', async () => {
    const bytes = fs.readFileSync(fixture('h264-faststart.mp4'))
    const moovAt = bytes.indexOf('moov') - 4
    const cut = await readContainer(counted(bytes.subarray(0, moovAt + 200)), 'iso')
    expect(cut).toMatchObject({ kind: 'unreadable', why: expect.stringContaining('cut short') })
    const broken = Buffer.from(bytes)
    // The first child of moov (mvhd) claims more than moov holds.
    broken.writeUInt32BE(0x7fffffff, moovAt + 8)
    expect(await readContainer(counted(broken), 'iso')).toMatchObject({
      kind: 'unreadable',
      why: expect.stringContaining('does not parse')
    })
  })

  it('a box header that does not parse is unreadable, not a crash', async () => {
    const bytes = Buffer.concat([fs.readFileSync(fixture('tiny.mp4')).subarray(0, 32), Buffer.from([0, 0, 0, 3, 0x66, 0x72, 0x65, 0x65])])
    const ftypEnd = bytes.readUInt32BE(0)
    const junk = Buffer.concat([bytes.subarray(0, ftypEnd), Buffer.from([0, 0, 0, 3, 0x66, 0x72, 0x65, 0x65])])
    expect(await readContainer(counted(junk), 'iso')).toMatchObject({ kind: 'unreadable' })
  })

  it('an AVI without its hdrl list, or with no video stream, is judged', async () => {
    expect(await readContainer(counted(Buffer.from('RIFF\x10\0\0\0AVI JUNK\0\0\0\0', 'latin1')), 'avi')).toMatchObject({
      kind: 'unreadable'
    })
    const avi = Buffer.from(fs.readFileSync(fixture('clip.avi')))
    // Its one stream made an audio stream.
    avi.write('auds', avi.indexOf('vids'), 'latin1')
    expect(await readContainer(counted(avi), 'avi')).toEqual({ kind: 'no-video', container: 'avi', audio: true })
  })

  it('finds a moov after a 64-bit mdat size', async () => {
    const bytes = fs.readFileSync(fixture('h264-moov-at-end.mp4'))
    const mdatAt = bytes.indexOf('mdat') - 4
    const large = Buffer.alloc(16)
    large.writeUInt32BE(1, 0)
    large.write('mdat', 4, 'latin1')
    large.writeBigUInt64BE(BigInt(bytes.readUInt32BE(mdatAt) + 8), 8)
    const rewritten = Buffer.concat([bytes.subarray(0, mdatAt), large, bytes.subarray(mdatAt + 8)])
    expect(await readContainer(counted(rewritten), 'iso')).toMatchObject({ kind: 'video', media: { fps: 30, width: 360, height: 640 } })
  })

  it('judges a 500 MB video whose moov comes after a sparse mdat reading well under 1 MB of it', async () => {
    const bytes = fs.readFileSync(fixture('h264-moov-at-end.mp4'))
    const moovAt = bytes.indexOf('moov') - 4
    const file = path.join(tmp, 'big.mp4')
    const mdatBytes = 500 * 1024 * 1024
    // ftyp, a sparse 500 MB mdat (zeros, never written), then the real moov (its chunk offsets are not followed).
    const mdat = freeBox(mdatBytes)
    mdat.write('mdat', 4, 'latin1')
    const fd = fs.openSync(file, 'w')
    fs.writeSync(fd, bytes.subarray(0, 32))
    fs.writeSync(fd, mdat, 0, 8, 32)
    fs.writeSync(fd, bytes.subarray(moovAt), 0, bytes.length - moovAt, 32 + mdatBytes)
    fs.closeSync(fd)
    const size = fs.statSync(file).size
    expect(size).toBeGreaterThan(mdatBytes)
    const handle = await fs.promises.open(file, 'r')
    let bytesRead = 0
    const spy: Pick<fs.promises.FileHandle, 'read'> = {
      read: (async (buffer: Buffer, offset: number, length: number, position: number) => {
        const r = await handle.read(buffer, offset, length, position)
        bytesRead += r.bytesRead
        return r
      }) as fs.promises.FileHandle['read']
    }
    const { fileSource } = await import('../../src/videos/media.js')
    try {
      const reading = await readContainer(fileSource(spy, size), 'iso')
      expect(reading).toMatchObject({ kind: 'video', media: { duration: 2, fps: 30, width: 360, height: 640 } })
    } finally {
      await handle.close()
    }
    expect(bytesRead).toBeLessThan(100 * 1024)
  })

  it('reads a faststart file in one read of its first 64 KiB', async () => {
    const bytes = fs.readFileSync(fixture('h264-faststart.mp4'))
    let reads = 0
    const handle = {
      read: async (buffer: Buffer, offset: number, length: number, position: number) => {
        reads++
        const n = Math.max(0, Math.min(length, bytes.length - position))
        bytes.copy(buffer, offset, position, position + n)
        return { bytesRead: n, buffer }
      }
    }
    const { fileSource } = await import('../../src/videos/media.js')
    expect(await readContainer(fileSource(handle as unknown as fs.promises.FileHandle, bytes.length), 'iso')).toMatchObject({
      kind: 'video'
    })
    expect(reads).toBe(1)
  })

  /** A file handle over `bytes` that counts its reads. */
  const memoryHandle = (bytes: Buffer): Pick<fs.promises.FileHandle, 'read'> & { reads: number } => {
    const handle = {
      reads: 0,
      read: (async (buffer: Buffer, offset: number, length: number, position: number) => {
        handle.reads++
        const n = Math.max(0, Math.min(length, bytes.length - position))
        bytes.copy(buffer, offset, position, position + n)
        return { bytesRead: n, buffer }
      }) as fs.promises.FileHandle['read']
    }
    return handle
  }
  /** A real faststart file with `count` 8-byte free boxes between its ftyp and its moov. */
  const tinyBoxes = (count: number): Buffer => {
    const real = fs.readFileSync(fixture('h264-faststart.mp4'))
    const ftyp = real.readUInt32BE(0)
    return Buffer.concat([real.subarray(0, ftyp), freeBoxes(count), real.subarray(ftyp)])
  }
  const freeBoxes = (count: number): Buffer => {
    const boxes = Buffer.alloc(8 * count)
    for (let i = 0; i < count; i++) boxes.write('\0\0\0\x08free', i * 8, 'latin1')
    return boxes
  }

  it('walks 100,000 tiny boxes in a few reads ahead, not a read each, and judges as before', async () => {
    const { fileSource } = await import('../../src/videos/media.js')
    for (const [count, kind] of [
      [99_990, 'video'],
      [100_000, 'unjudged']
    ] as const) {
      const bytes = tinyBoxes(count)
      const handle = memoryHandle(bytes)
      const reading = await readContainer(fileSource(handle, bytes.length), 'iso')
      expect(reading).toEqual(await readContainer(counted(bytes), 'iso'))
      expect(reading.kind).toBe(kind)
      // Before: 91,806 reads (one per box header past the first 64 KiB).
      expect(handle.reads).toBeLessThan(20)
    }
  })

  it('serves every read from its blocks exactly as the file has it: straight on, after jumps, at and past the end', async () => {
    const { fileSource } = await import('../../src/videos/media.js')
    const bytes = tinyBoxes(50_000)
    const source = fileSource(memoryHandle(bytes), bytes.length)
    let seed = 7
    const random = (n: number): number => (seed = (seed * 48271) % 2147483647) % n
    const wrong: [number, number][] = []
    for (let i = 0, at = 60_000; i < 3000; i++) {
      // Mostly the next header, sometimes a jump anywhere (past the end too), of any length up to 20 KB.
      at = random(4) === 0 ? random(bytes.length + 100) : at + 8
      const length = random(3) === 0 ? random(20_000) : 8
      const expected = bytes.subarray(Math.min(at, bytes.length), Math.min(at + length, bytes.length))
      if (!(await source.read(at, length)).equals(expected)) wrong.push([at, length])
    }
    expect(wrong).toEqual([])
  })

  it('names codecs by their short names', () => {
    expect(['avc1', 'avc3', 'hvc1', 'hev1', 'vp08', 'vp09', 'av01', 'mp4v', 'apch', 'jpeg', 'H264', 'XVID', 'MJPG'].map(codecName)).toEqual(
      ['h264', 'h264', 'hevc', 'hevc', 'vp8', 'vp9', 'av1', 'mpeg4', 'prores', 'mjpeg', 'h264', 'mpeg4', 'mjpeg']
    )
    expect(codecName('wmv3')).toBe('wmv3')
    expect(codecName('\0\0\0\0')).toBe('unknown')
  })

  it('describes media in one line', () => {
    expect(mediaText({ duration: 2, width: 360, height: 640, fps: 29.97, codec: 'h264', audio: false })).toBe(
      '2 s, 360x640 px, 29.97 fps, h264, no audio'
    )
  })
})

describe("TikTok's rules, at their boundaries", () => {
  it('passes a video inside every rule', () => {
    expect(judgeMedia(video(), 600, 'clip.mp4')).toEqual({ problems: [], warnings: [] })
  })

  it.each([
    [22.99, ['frame_rate_check_failed']],
    [23, []],
    [60, []],
    [60.01, ['frame_rate_check_failed']],
    [29.97, []],
    [5, ['frame_rate_check_failed']]
  ])('%s fps', (fps, expected) => {
    expect(problems(video({ fps }))).toEqual(expected)
  })

  it('names the measured frame rate and the rule', () => {
    expect(judgeMedia(video({ fps: 22.99 }), 600, 'clip.mp4').problems[0].problem).toBe(
      'its frame rate is 22.99 fps: TikTok takes 23 to 60 fps'
    )
  })

  it.each([
    [359, 640, ['picture_size_check_failed']],
    [360, 640, []],
    [360, 4096, []],
    [360, 4097, ['picture_size_check_failed']],
    [4096, 4096, []],
    [4097, 1080, ['picture_size_check_failed']],
    [640, 359, ['picture_size_check_failed']]
  ])('%sx%s px', (width, height, expected) => {
    expect(problems(video({ width, height }))).toEqual(expected)
  })

  it('passes exactly max-duration, and refuses a millisecond more', () => {
    expect(problems(video({ duration: 600 }), 600)).toEqual([])
    expect(problems(video({ duration: 600.001 }), 600)).toEqual(['duration_check_failed'])
    expect(problems(video({ duration: 180 }), 180)).toEqual([])
    expect(judgeMedia(video({ duration: 720 }), 600, 'clip.mp4').problems[0].problem).toBe('it lasts 720 s, over max-duration 600 s')
  })

  it.each(['h264', 'hevc', 'vp8', 'vp9'])('takes %s', codec => {
    expect(problems(video({ codec }))).toEqual([])
  })

  it.each([
    ['mpeg4', 'mpeg4 (MPEG-4 Part 2)'],
    ['prores', 'prores (ProRes)'],
    ['mjpeg', 'mjpeg (Motion JPEG)'],
    ['av1', 'av1 (AV1)'],
    ['wmv3', 'wmv3']
  ])('refuses %s, with the command that re-encodes it', (codec, shown) => {
    expect(judgeMedia(video({ codec }), 600, 'clip.mp4').problems).toEqual([
      {
        problem: `its video codec is ${shown}: TikTok takes H.264, H.265/HEVC, VP8 or VP9`,
        failReason: 'file_format_check_failed',
        fix: 'ffmpeg -i clip.mp4 -c:v libx264 -crf 20 -pix_fmt yuv420p -c:a aac clip.tiktok.mp4'
      }
    ])
  })

  it('gives each rule its fix: the scale that brings a picture within 360 to 4096 px, the rate within 23 to 60 fps', () => {
    expect(scaleFilter(100, 100)).toBe('scale=-2:360')
    expect(scaleFilter(300, 640)).toBe('scale=360:-2')
    expect(scaleFilter(4098, 360)).toBe('scale=4096:-2')
    expect(scaleFilter(1080, 5000)).toBe('scale=-2:4096')
    expect(judgeMedia(video({ fps: 61 }), 600, 'clip.mp4').problems[0].fix).toBe(
      'ffmpeg -i clip.mp4 -vf fps=60 -c:v libx264 -crf 20 -pix_fmt yuv420p -c:a copy clip.tiktok.mp4'
    )
    expect(judgeMedia(video({ duration: 600.5 }), 600, 'clip.mp4').problems[0]).toEqual({
      problem: 'it lasts 600.5 s, over max-duration 600 s',
      failReason: 'duration_check_failed',
      fix: 'ffmpeg -i clip.mp4 -t 600 -c:v libx264 -crf 20 -pix_fmt yuv420p -c:a aac clip.tiktok.mp4'
    })
  })

  it("under warn, a file that could not be judged is uploaded with a warning that does not guess TikTok's answer", () => {
    const finding = { problem: 'it could not be judged: beyond reach', fix: 'remux it' }
    expect(anywayText(finding, false)).toBe(
      'it could not be judged: beyond reach; it is uploaded anyway (media-check: warn); to fix it: remux it'
    )
    expect(anywayText(finding, true)).toBe(
      'it could not be judged: beyond reach; it would be uploaded anyway (media-check: warn); to fix it: remux it'
    )
  })

  it('lists every broken rule of one video', () => {
    expect(problems(video({ codec: 'mpeg4', duration: 700, fps: 5, width: 100, height: 100 }))).toEqual([
      'file_format_check_failed',
      'duration_check_failed',
      'frame_rate_check_failed',
      'picture_size_check_failed'
    ])
  })

  it('refuses a file with no video track, or one that cannot be read', () => {
    expect(judgeMedia({ kind: 'no-video', container: 'iso', audio: true }, 600, 'clip.mp4').problems[0].problem).toBe(
      'it has no video track (audio only): TikTok takes only videos'
    )
    expect(judgeMedia({ kind: 'unreadable', container: 'iso', why: "it has no 'moov' box" }, 600, 'clip.mp4').problems[0].problem).toBe(
      "it is incomplete or damaged: it has no 'moov' box"
    )
  })

  it('warns about AVI, and judges it by the other rules', () => {
    const avi: Reading = {
      kind: 'video',
      container: 'avi',
      media: { duration: 2, width: 360, height: 640, fps: 25, codec: 'h264', audio: false }
    }
    const judged = judgeMedia(avi, 600, 'clip.avi')
    expect(judged.problems).toEqual([])
    expect(judged.warnings).toHaveLength(1)
    expect(judged.warnings[0].problem).toContain('AVI')
    expect(problems({ ...avi, media: { ...(avi as { media: Media }).media, fps: 5 } })).toEqual(['frame_rate_check_failed'])
  })

  it('knows a Git LFS pointer by its first line', async () => {
    expect(isLfsPointer(fs.readFileSync(fixture('lfs-pointer.mp4')))).toBe(true)
    expect(isLfsPointer(fs.readFileSync(fixture('tiny.mp4')))).toBe(false)
  })
})

describe('checkVideos with media-check', () => {
  const copy = (...names: string[]): string[] => {
    const dir = fs.mkdtempSync(path.join(tmp, 'ws-'))
    return names.map(name => {
      fs.copyFileSync(fixture(name), path.join(dir, name))
      return path.join(dir, name)
    })
  }
  const settings = (mediaCheck: 'error' | 'warn' | 'off', maxDuration = 600): VideoSettings => ({
    description: 'caption',
    privacyLevel: 'SELF_ONLY',
    title: undefined,
    workspace: tmp,
    mediaCheck,
    maxDuration
  })
  const noRun = async (): Promise<RunInfo> => ({ vars: {}, event: '' })

  it('error: lists every broken rule of every file, and refuses them all', async () => {
    const paths = copy('5fps.mp4', '100x100.mp4', 'clip.mov')
    const error = await checkVideos(paths, settings('error'), noRun).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VideoCheckError)
    // Each fix names the file as the message does (relative to the workspace), and writes beside it.
    const [fps, size] = paths.map(p => path.relative(tmp, p))
    expect((error as VideoCheckError).problems.map(p => [p.file, p.problem])).toEqual([
      [
        fps,
        `its frame rate is 5 fps: TikTok takes 23 to 60 fps; to fix it: ffmpeg -i ${fps} -vf fps=30 -c:v libx264 -crf 20 -pix_fmt yuv420p -c:a copy ${fps.replace('5fps.mp4', '5fps.tiktok.mp4')}`
      ],
      [
        size,
        `its picture is 100x100 px: TikTok takes a width and a height each from 360 to 4096 px; to fix it: ffmpeg -i ${size} -vf scale=-2:360 -c:v libx264 -crf 20 -pix_fmt yuv420p -c:a copy ${size.replace('100x100.mp4', '100x100.tiktok.mp4')}`
      ]
    ])
  })

  it('warn: each broken rule is a warning naming the file, and the videos go on with their media', async () => {
    const warnings: FileProblem[] = []
    const paths = copy('5fps.mp4', 'clip.avi')
    const videos = await checkVideos(paths, settings('warn'), noRun, undefined, w => warnings.push(w))
    expect(videos.map(v => v.media?.fps)).toEqual([5, 25])
    expect(warnings.map(w => path.basename(w.file))).toEqual(['5fps.mp4', 'clip.avi'])
    const fps = path.relative(tmp, paths[0])
    expect(warnings[0].problem).toBe(
      `its frame rate is 5 fps: TikTok takes 23 to 60 fps; it is uploaded anyway (media-check: warn), and TikTok will likely refuse it (frame_rate_check_failed); to fix it: ffmpeg -i ${fps} -vf fps=30 -c:v libx264 -crf 20 -pix_fmt yuv420p -c:a copy ${fps.replace('.mp4', '.tiktok.mp4')}`
    )
    expect(warnings[1].problem).toContain('AVI is a container DraftClip takes')
  })

  it('error: AVI is a warning, not a refusal', async () => {
    const warnings: FileProblem[] = []
    const videos = await checkVideos(copy('clip.avi'), settings('error'), noRun, undefined, w => warnings.push(w))
    expect(videos[0].media).toMatchObject({ codec: 'h264', fps: 25 })
    expect(warnings).toHaveLength(1)
  })

  it('off: nothing is read and media is null', async () => {
    const videos = await checkVideos(copy('5fps.mp4'), settings('off'), noRun)
    expect(videos[0].media).toBeNull()
  })

  it('max-duration: exactly passes, a shorter ceiling refuses', async () => {
    const paths = copy('clip.mov')
    expect((await checkVideos(paths, settings('error', 2), noRun))[0].media?.duration).toBe(2)
    await expect(checkVideos(paths, settings('error', 1.999), noRun)).rejects.toThrow('it lasts 2 s, over max-duration 1.999 s')
  })

  it('a Git LFS pointer is named as one, whatever media-check is', async () => {
    for (const mode of ['error', 'off'] as const) {
      await expect(checkVideos(copy('lfs-pointer.mp4'), settings(mode), noRun)).rejects.toThrow(
        'lfs-pointer.mp4: it is a Git LFS pointer, not the video: check the repository out with `lfs: true`'
      )
    }
  })
})

describe('the media-check and max-duration inputs', () => {
  const env = (over: Record<string, string> = {}): Record<string, string> => ({
    'INPUT_API-KEY': 'ttapi_x',
    INPUT_VIDEOS: '*.mp4',
    GITHUB_WORKSPACE: tmp,
    ...over
  })

  it('default to error and 600 s', () => {
    expect(parseInputs(env())).toMatchObject({ mediaCheck: 'error', maxDuration: DEFAULT_MAX_DURATION_S })
    expect(DEFAULT_MAX_DURATION_S).toBe(600)
  })

  it('take warn, off (any case) and seconds with decimals', () => {
    expect(parseInputs(env({ 'INPUT_MEDIA-CHECK': 'WARN', 'INPUT_MAX-DURATION': '180' }))).toMatchObject({
      mediaCheck: 'warn',
      maxDuration: 180
    })
    expect(parseInputs(env({ 'INPUT_MEDIA-CHECK': 'off', 'INPUT_MAX-DURATION': '299.5' }))).toMatchObject({
      mediaCheck: 'off',
      maxDuration: 299.5
    })
  })

  it.each([
    ['INPUT_MEDIA-CHECK', 'strict', "Input 'media-check' must be one of error, warn, off, got 'strict'."],
    ['INPUT_MAX-DURATION', '0', "Input 'max-duration' must be a number of seconds from 1 to 3600, got '0'."],
    ['INPUT_MAX-DURATION', '10m', "Input 'max-duration' must be a number of seconds from 1 to 3600, got '10m'."]
  ])('refuses %s=%s', (name, value, message) => {
    expect(() => parseInputs(env({ [name]: value }))).toThrow(message)
  })
})

describe('a fragmented MP4', () => {
  it('is read from its moof boxes: frames, duration and size as for any MP4', async () => {
    expect(await read('fragmented.mp4')).toEqual({
      kind: 'video',
      container: 'iso',
      media: { duration: 1, width: 360, height: 640, fps: 30, codec: 'h264', audio: false }
    })
  })

  it('cut inside a fragment: refused as cut, with how much is missing', async () => {
    const reading = await read('cut-fragmented.mp4')
    expect(reading).toMatchObject({ kind: 'video', missingBytes: expect.any(Number) })
    expect(judgeMedia(reading, 600, 'clip.mp4').problems[0]).toEqual({
      problem: `cut off: ${formatSize((reading as { missingBytes: number }).missingBytes)} of its video data are missing`,
      failReason: 'file_format_check_failed',
      fix: 'download or render it again'
    })
  })
})

describe('a cut download whose metadata survived', () => {
  it.each([
    ['cut-half-moov-first.mp4', 'h264-faststart.mp4'],
    ['cut.avi', 'clip.avi']
  ])('%s: refused from its own tables, without reading the frames', async (name, whole) => {
    const size = fs.statSync(fixture(name)).size
    const bytes = fs.readFileSync(fixture(name))
    const source = counted(bytes)
    const reading = await readContainer(source, name.endsWith('.avi') ? 'avi' : 'iso')
    // What is missing: the whole file's size less what is left (the tables end where the file did).
    expect(reading).toMatchObject({ kind: 'video', missingBytes: fs.statSync(fixture(whole)).size - size })
    expect(judgeMedia(reading, 600, 'clip.mp4').problems.map(p => p.problem)).toEqual([
      expect.stringMatching(/^cut off: [\d.]+ KB of its video data are missing$/)
    ])
    expect(source.bytesRead).toBeLessThan(size)
  })

  it("an AVI's idx1 is read with offsets from its movi list or from the file's start; an entry past the end is cut", async () => {
    const bytes = Buffer.from(fs.readFileSync(fixture('clip.avi')))
    // Offsets count from the movi list's fourcc (ffmpeg's) or from the file's first byte (some writers').
    const movi = bytes.indexOf('movi')
    const idx1 = bytes.indexOf('idx1')
    const entries = bytes.readUInt32LE(idx1 + 4) / 16
    const absolute = Buffer.from(bytes)
    for (let i = 0; i < entries; i++) absolute.writeUInt32LE(bytes.readUInt32LE(idx1 + 8 + i * 16 + 8) + movi, idx1 + 8 + i * 16 + 8)
    expect(await readContainer(counted(absolute), 'avi')).not.toHaveProperty('missingBytes')
    // Its last frame made 100,000 bytes long: RIFF and movi sizes whole, the index says more.
    const last = idx1 + 8 + (entries - 1) * 16
    for (const file of [bytes, absolute]) {
      const lying = Buffer.from(file)
      lying.writeUInt32LE(100_000, last + 12)
      const end = movi + bytes.readUInt32LE(last + 8) + 8 + 100_000
      expect(await readContainer(counted(lying), 'avi')).toMatchObject({ kind: 'video', missingBytes: end - bytes.length })
    }
  })

  it('the whole files are not', async () => {
    for (const name of ['h264-faststart.mp4', 'clip.avi', 'fragmented.mp4']) expect(await read(name)).not.toHaveProperty('missingBytes')
  })
})

describe('an AVI written to a pipe (`ffmpeg ... -f avi pipe:1`): no size, length or index filled in', () => {
  const piped = (): Buffer => Buffer.from(fs.readFileSync(fixture('piped.avi')))

  it('is read as the same video written to a file, its frames counted from the chunk headers alone', async () => {
    const bytes = piped()
    // What ffmpeg leaves unset: the RIFF size, and the stream's length as its placeholder of 2^30 frames.
    expect(bytes.readUInt32LE(4)).toBe(0xffffffff)
    expect(bytes.indexOf('idx1')).toBe(-1)
    const source = counted(bytes)
    const reading = await readContainer(source, 'avi')
    expect(reading).toEqual(await read('clip.avi'))
    expect(source.bytesRead).toBeLessThan(bytes.length / 2)
  })

  it('cut inside a chunk: refused as cut', async () => {
    const reading = await read('cut-piped.avi')
    expect(reading).toMatchObject({ kind: 'video', missingBytes: expect.any(Number) })
    expect(judgeMedia(reading, 600, 'cut-piped.avi').problems.map(p => p.problem)).toEqual([
      expect.stringMatching(/^cut off: \d+ bytes? of its video data are missing$/)
    ])
  })

  it('cut between two chunks, it cannot be told from a shorter video (ffmpeg cannot either): read as that', async () => {
    const bytes = piped()
    // The 26th frame's chunk header: 25 frames whole before it.
    let at = bytes.indexOf('movi')
    for (let i = 0; i < 26; i++) at = bytes.indexOf('00dc', at + 4)
    expect(await readContainer(counted(bytes.subarray(0, at)), 'avi')).toEqual({
      kind: 'video',
      container: 'avi',
      media: { duration: 1, width: 360, height: 640, fps: 25, codec: 'h264', audio: false }
    })
  })

  it(`past ${MAX_STREAMED_CHUNKS.toLocaleString('en-US')} chunks it could not be judged, with the remux that fixes it`, async () => {
    // The real file, then empty frame chunks (an AVI's "same picture again") to the cap and one past it.
    const bytes = piped()
    const empty = (n: number): Buffer => Buffer.concat([bytes, Buffer.from('00dc\0\0\0\0'.repeat(n), 'latin1')])
    // Its 50 frames and the few chunks before them, then the empty ones: within the cap, each counts.
    expect(await readContainer(counted(empty(MAX_STREAMED_CHUNKS - 60)), 'avi')).toMatchObject({
      kind: 'video',
      media: { duration: (50 + MAX_STREAMED_CHUNKS - 60) / 25 }
    })
    const reading = await readContainer(counted(empty(MAX_STREAMED_CHUNKS)), 'avi')
    expect(reading).toEqual({
      kind: 'unjudged',
      container: 'avi',
      why: 'its header does not say its length (it was written to a pipe) and its frames go on past the first 250,000 chunks, where the check stops reading'
    })
    expect(judgeMedia(reading, 600, 'v/long.avi').problems[0].fix).toBe(
      'remux it with its metadata first: ffmpeg -i v/long.avi -c:v copy -c:a aac -movflags +faststart v/long.tiktok.mp4'
    )
  })
})

describe('a size field that lies is damage, not a cut of 16,777,216 TB', () => {
  /** fragmented.mp4 with its mdat's header made 64-bit (size 1), the 8 bytes after it the size `claim`: a real file, one field lying. */
  function lyingMdat(claim: bigint): Buffer {
    const bytes = Buffer.from(fs.readFileSync(fixture('fragmented.mp4')))
    const mdat = bytes.indexOf('mdat') - 4
    bytes.writeUInt32BE(1, mdat)
    bytes.writeBigUInt64BE(claim, mdat + 8)
    return bytes
  }
  const judged = async (bytes: Buffer, container: 'iso' | 'avi' = 'iso'): Promise<{ reading: Reading; problems: string[] }> => {
    const reading = await readContainer(counted(bytes), container)
    return { reading, problems: judgeMedia(reading, 600, `clip.${container === 'avi' ? 'avi' : 'mp4'}`).problems.map(p => p.problem) }
  }

  it("a 64-bit box size of 2^64 - 1: refused, saying its boxes claim more than the file holds, with the file's size", async () => {
    const bytes = lyingMdat(2n ** 64n - 1n)
    const { reading, problems } = await judged(bytes)
    expect(reading).toMatchObject({ kind: 'video', fileBytes: bytes.length, media: { width: 360, height: 640 } })
    expect(problems).toEqual([
      `it is incomplete or damaged: its boxes claim more data than the file holds (the file is ${formatSize(bytes.length)})`
    ])
  })

  it('up to what TikTok takes (4 GB in all) it may be a cut download; a byte more is a lie', async () => {
    const mdat = lyingMdat(0n).indexOf('mdat') - 4
    const upTo = await judged(lyingMdat(BigInt(MAX_TIKTOK_BYTES - mdat)))
    expect(upTo.reading).toMatchObject({ missingBytes: MAX_TIKTOK_BYTES - fs.statSync(fixture('fragmented.mp4')).size })
    expect(upTo.problems).toEqual(['cut off: 4.0 GB of its video data are missing'])
    expect((await judged(lyingMdat(BigInt(MAX_TIKTOK_BYTES - mdat + 1)))).problems).toEqual([
      expect.stringMatching(/^it is incomplete or damaged: its boxes claim more data than the file holds \(the file is [\d.]+ KB\)$/)
    ])
  })

  it('an AVI whose idx1 puts its last frame 4 GB past the movi list: its chunks claim more than it holds', async () => {
    const bytes = Buffer.from(fs.readFileSync(fixture('clip.avi')))
    const idx1 = bytes.indexOf('idx1')
    const last = idx1 + 8 + (bytes.readUInt32LE(idx1 + 4) / 16 - 1) * 16
    bytes.writeUInt32LE(0xffffffff, last + 8)
    bytes.writeUInt32LE(0xffffffff, last + 12)
    expect((await judged(bytes, 'avi')).problems).toEqual([
      `it is incomplete or damaged: its chunks claim more data than the file holds (the file is ${formatSize(bytes.length)})`
    ])
  })
})

describe('a count or size that its box cannot hold is damage', () => {
  it('an stsd claiming 4,294,967,295 sample entries in a few bytes', async () => {
    const bytes = Buffer.from(fs.readFileSync(fixture('h264-faststart.mp4')))
    const stsd = bytes.indexOf('stsd') - 4
    bytes.writeUInt32BE(0xffffffff, stsd + 12)
    const reading = await readContainer(counted(bytes), 'iso')
    expect(reading).toEqual({
      kind: 'unreadable',
      container: 'iso',
      why: expect.stringMatching(/^its 'moov' box does not parse \(its 'stsd' box claims 4,294,967,295 entries in \d+ bytes\)$/)
    })
    expect(judgeMedia(reading, 600, 'clip.mp4').problems[0].problem).toMatch(/^it is incomplete or damaged: /)
  })

  it.each(['stts', 'stsz', 'stco', 'stsc'])('an %s count past its box', async type => {
    const bytes = Buffer.from(fs.readFileSync(fixture('h264-faststart.mp4')))
    const box = bytes.indexOf(type) - 4
    bytes.writeUInt32BE(type === 'stsz' ? 0x10000000 : 0x10000000, box + (type === 'stsz' ? 16 : 12))
    expect(await readContainer(counted(bytes), 'iso')).toMatchObject({
      kind: 'unreadable',
      why: expect.stringContaining(`its '${type}' box claims`)
    })
  })
})

import { describe, it, expect, beforeEach, afterEach } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { MAX_VIDEO_BYTES, formatSize } from '../../src/sizes.js'
import { checkVideos, fileProblems, VideoCheckError, type VideoSettings } from '../../src/videos/check.js'
import type { RunInfo, Video } from '../../src/model/video.js'
import { findVideoPaths } from '../../src/videos/find.js'

// ---------- file contents ----------

/** An ISO-BMFF file start: size, 'ftyp', brand. */
const MP4_HEAD = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\x02\0isomiso2avc1mp41', 'latin1')])
const MOV_FTYP = Buffer.concat([Buffer.from([0, 0, 0, 0x14]), Buffer.from('ftypqt  \0\0\x02\0qt  ', 'latin1')])
const atomHead = (atom: string): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 8]), Buffer.from(atom, 'latin1'), Buffer.alloc(16)])
const AVI_HEAD = Buffer.concat([
  Buffer.from('RIFF', 'latin1'),
  Buffer.from([0x10, 0, 0, 0]),
  Buffer.from('AVI LIST', 'latin1'),
  Buffer.alloc(8)
])

describe('fileProblems', () => {
  it.each([
    ['clip.mp4', MP4_HEAD],
    ['CLIP.MP4', MP4_HEAD],
    ['clip.Mp4', MP4_HEAD],
    ['clip.mov', MOV_FTYP],
    ['clip.MOV', MOV_FTYP],
    ['clip.avi', AVI_HEAD],
    ['CLIP.AVI', AVI_HEAD],
    ['clip.mp4', MP4_HEAD.subarray(0, 8)] // 'ftyp' at 4 is all that is needed
  ])('accepts %s with a matching header', (name, head) => {
    expect(fileProblems(name, 1000, head)).toEqual([])
  })

  it.each(['moov', 'wide', 'mdat', 'free', 'skip', 'pnot'])("accepts a .mov whose first atom is '%s'", atom => {
    expect(fileProblems('old.mov', 1000, atomHead(atom))).toEqual([])
  })

  it("rejects an .mp4 whose first atom is 'moov' (only QuickTime may lack ftyp)", () => {
    expect(fileProblems('clip.mp4', 1000, atomHead('moov'))).toEqual([
      "the content is not an MP4 file (no ISO-BMFF 'ftyp' box at the start)"
    ])
  })

  it.each([
    ['clip.webm', "'.webm' is not a video type DraftClip takes (.mp4, .mov, .avi)"],
    ['clip.mp4.txt', "'.txt' is not a video type DraftClip takes (.mp4, .mov, .avi)"],
    ['clip', "'(no extension)' is not a video type DraftClip takes (.mp4, .mov, .avi)"],
    ['clip.MKV', "'.MKV' is not a video type DraftClip takes (.mp4, .mov, .avi)"]
  ])('rejects the extension of %s (and says nothing else)', (name, problem) => {
    expect(fileProblems(name, 0, Buffer.alloc(0))).toEqual([problem])
  })

  it('rejects an empty file with one problem', () => {
    expect(fileProblems('clip.mp4', 0, Buffer.alloc(0))).toEqual(['the file is empty'])
  })

  it('accepts exactly 524,288,000 bytes', () => {
    expect(MAX_VIDEO_BYTES).toBe(524_288_000)
    expect(fileProblems('big.mp4', 524_288_000, MP4_HEAD)).toEqual([])
  })

  it('rejects one byte more and gives both sizes', () => {
    expect(fileProblems('big.mp4', 524_288_001, MP4_HEAD)).toEqual(["500.0 MB is over DraftClip's limit of 500 MB (524,288,000 bytes)"])
  })

  it('reports both the size and the content of an oversized fake', () => {
    const problems = fileProblems('big.mov', 600 * 1024 * 1024, Buffer.from('hello world!'))
    expect(problems).toEqual([
      "600.0 MB is over DraftClip's limit of 500 MB (524,288,000 bytes)",
      "the content is not a QuickTime/MOV file (no ISO-BMFF 'ftyp' box at the start)"
    ])
  })

  it('rejects a text file named .mp4', () => {
    expect(fileProblems('fake.mp4', 12, Buffer.from('hello world\n'))).toEqual([
      "the content is not an MP4 file (no ISO-BMFF 'ftyp' box at the start)"
    ])
  })

  it('rejects a head too short to hold the box type', () => {
    expect(fileProblems('short.mp4', 6, Buffer.from([0, 0, 0, 8, 0x66, 0x74]))).toHaveLength(1)
  })

  it('rejects an .avi without RIFF....AVI ', () => {
    const expected = ["the content is not an AVI file (no 'RIFF....AVI ' header)"]
    expect(fileProblems('clip.avi', 100, MP4_HEAD)).toEqual(expected)
    expect(fileProblems('clip.avi', 100, Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'))).toEqual(expected)
    expect(fileProblems('clip.avi', 100, Buffer.from('RIFF\0\0\0\0AV', 'latin1'))).toEqual(expected)
  })

  it('rejects an .mp4 that is really an AVI', () => {
    expect(fileProblems('clip.mp4', 100, AVI_HEAD)).toHaveLength(1)
  })
})

describe('formatSize: sizes a person reads, never 0.00 MB', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1023.6, '1.0 KB'],
    [1024, '1.0 KB'],
    [3_174, '3.1 KB'],
    [512 * 1024, '512.0 KB'],
    [1024 * 1024 - 1, '1.0 MB'],
    [1024 * 1024, '1.0 MB'],
    [1.25 * 1024 * 1024, '1.3 MB'],
    [48.2 * 1024 * 1024, '48.2 MB'],
    [524_288_000, '500.0 MB'],
    [1024 ** 3 - 1, '1.0 GB'],
    [4 * 1024 ** 3, '4.0 GB']
  ])('%d -> %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text)
  })
})

// ---------- a temporary workspace ----------

let ws: string

beforeEach(() => {
  ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-videos-')))
})

afterEach(() => {
  fs.rmSync(ws, { recursive: true, force: true })
})

function write(rel: string, content: Buffer | string = MP4_HEAD): string {
  const file = path.join(ws, rel)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, content)
  return file
}

const rel = (files: string[]): string[] => files.map(f => path.relative(ws, f).split(path.sep).join('/'))

const settings = (over: Partial<VideoSettings> = {}): VideoSettings => ({
  description: 'Caption for {name}',
  privacyLevel: 'SELF_ONLY',
  title: undefined,
  workspace: ws,
  ...over
})

const noRunVars = async (): Promise<RunInfo> => {
  throw new Error('loadRun must not be called')
}

async function checkError(paths: string[], s: VideoSettings, load: () => Promise<RunInfo> = noRunVars): Promise<VideoCheckError> {
  let caught: unknown
  try {
    await checkVideos(paths, s, load)
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(VideoCheckError)
  return caught as VideoCheckError
}

describe('findVideoPaths', () => {
  it('returns absolute paths sorted by code point', async () => {
    write('b.mp4')
    write('a.mp4')
    write('C.mp4')
    write('a10.mp4')
    write('a2.mp4')
    const found = await findVideoPaths(['*.mp4'], ws)
    expect(found.every(f => path.isAbsolute(f))).toBe(true)
    expect(rel(found)).toEqual(['C.mp4', 'a.mp4', 'a10.mp4', 'a2.mp4', 'b.mp4'])
  })

  it('de-duplicates files matched by overlapping patterns', async () => {
    write('a.mp4')
    write('b.mov', MOV_FTYP)
    const found = await findVideoPaths(['*.mp4', 'a.*', '*', './a.mp4', `${ws}/a.mp4`], ws)
    expect(rel(found)).toEqual(['a.mp4', 'b.mov'])
  })

  it("drops what a '!' pattern excludes", async () => {
    write('keep/a.mp4')
    write('skip/b.mp4')
    write('c.mp4')
    write('c.raw.mp4')
    const found = await findVideoPaths(['**/*.mp4', '!skip/**', '!*.raw.mp4'], ws)
    expect(rel(found)).toEqual(['c.mp4', 'keep/a.mp4'])
  })

  it('finds videos in nested folders with **', async () => {
    write('x/y/z/deep.mp4')
    write('x/top.mov', MOV_FTYP)
    write('x/y/notes.txt', 'notes')
    expect(rel(await findVideoPaths(['**/*.mp4', '**/*.mov'], ws))).toEqual(['x/top.mov', 'x/y/z/deep.mp4'])
  })

  it('never returns sidecar files, whatever matches them', async () => {
    write('v/a.mp4')
    write('v/a.mp4.draftclip.json', '{"description": "x"}')
    write('v/B.MP4.DRAFTCLIP.JSON', '{}')
    // Only the exact spelling is a sidecar; the other is matched like any file (and refused as not a video).
    expect(rel(await findVideoPaths(['v/*'], ws))).toEqual(['v/B.MP4.DRAFTCLIP.JSON', 'v/a.mp4'])
    expect(rel(await findVideoPaths(['v/*.json'], ws))).toEqual([])
  })

  it('returns nothing when nothing matches', async () => {
    write('a.mov', MOV_FTYP)
    expect(await findVideoPaths(['*.mp4'], ws)).toEqual([])
  })

  it('lists a matched directory (checkVideos decides what it means)', async () => {
    fs.mkdirSync(path.join(ws, 'folder.mp4'))
    expect(rel(await findVideoPaths(['*.mp4'], ws))).toEqual(['folder.mp4'])
  })

  it('lists symbolic links without following them (a loop cannot hang it)', async () => {
    write('real.mp4')
    fs.symlinkSync('loop.mp4', path.join(ws, 'loop.mp4'))
    fs.symlinkSync('missing.mp4', path.join(ws, 'broken.mp4'))
    expect(rel(await findVideoPaths(['*.mp4'], ws))).toEqual(['broken.mp4', 'loop.mp4', 'real.mp4'])
  })

  // BUG demonstration: @actions/glob is created with implicitDescendants: true, so
  // `videos/*` also matches everything BELOW a sub-folder of videos/: an archived
  // video would be published (irreversibly), and any non-video file there fails the run.
  it("'videos/*' does not reach into videos/archive/ (BUG: implicitDescendants)", async () => {
    write('videos/new.mp4')
    write('videos/archive/old.mp4')
    write('videos/archive/notes.txt', 'notes')
    const found = rel(await findVideoPaths(['videos/*'], ws)).filter(f => !fs.statSync(path.join(ws, f)).isDirectory())
    expect(found).toEqual(['videos/new.mp4'])
  })
})

describe('findVideoPaths: a workspace whose path has glob characters', () => {
  let odd: string
  beforeEach(() => {
    odd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-[1]-')))
  })
  afterEach(() => {
    fs.rmSync(odd, { recursive: true, force: true })
  })

  // BUG demonstration: relative patterns are joined to the workspace path and the
  // result is read as a glob, so '[1]' in the workspace is a character class.
  it('finds a.mp4 in /tmp/draftclip-[1]-XXXX (BUG: workspace not escaped)', async () => {
    fs.writeFileSync(path.join(odd, 'a.mp4'), MP4_HEAD)
    expect(await findVideoPaths(['*.mp4'], odd)).toEqual([path.join(odd, 'a.mp4')])
  })
})

describe('checkVideos', () => {
  it('builds the videos in the given order with index, count, type, size and relative file', async () => {
    const paths = [write('a/one.mp4', Buffer.concat([MP4_HEAD, Buffer.alloc(100)])), write('b.MOV', MOV_FTYP), write('c.avi', AVI_HEAD)]
    const videos = await checkVideos(paths, settings({ description: '{index}/{count} {stem} ({name})', title: 'T {index}' }), noRunVars)
    expect(videos.map(v => [v.index, v.file, v.name, v.contentType, v.description, v.title, v.privacyLevel, v.sidecar])).toEqual([
      [1, 'a/one.mp4', 'one.mp4', 'video/mp4', '1/3 one (one.mp4)', 'T 1', 'SELF_ONLY', undefined],
      [2, 'b.MOV', 'b.MOV', 'video/quicktime', '2/3 b (b.MOV)', 'T 2', 'SELF_ONLY', undefined],
      [3, 'c.avi', 'c.avi', 'video/x-msvideo', '3/3 c (c.avi)', 'T 3', 'SELF_ONLY', undefined]
    ])
    expect(videos[0].size).toBe(MP4_HEAD.length + 100)
    expect(videos[0].path).toBe(paths[0])
  })

  it('fills {index}/{count} in the sorted order findVideoPaths gives', async () => {
    write('z.mp4')
    write('m.mp4')
    write('a.mp4')
    const paths = await findVideoPaths(['*.mp4'], ws)
    const videos: Video[] = await checkVideos(paths, settings({ description: '{stem} is {index} of {count}' }), noRunVars)
    expect(videos.map(v => v.description)).toEqual(['a is 1 of 3', 'm is 2 of 3', 'z is 3 of 3'])
  })

  it('returns an empty list for no paths', async () => {
    expect(await checkVideos([], settings(), noRunVars)).toEqual([])
  })

  it('applies a sidecar: description, privacy and title override the inputs for that video only', async () => {
    const a = write('a.mp4')
    const b = write('b.mp4')
    write('a.mp4.draftclip.json', '{"description": "Own {stem} #{index}", "privacy_level": "public_to_everyone", "title": "Own title"}')
    const videos = await checkVideos([a, b], settings({ description: 'Shared {stem}', title: 'Shared title' }), noRunVars)
    expect(videos[0]).toMatchObject({
      description: 'Own a #1',
      privacyLevel: 'PUBLIC_TO_EVERYONE',
      title: 'Own title',
      sidecar: 'a.mp4.draftclip.json'
    })
    expect(videos[1]).toMatchObject({ description: 'Shared b', privacyLevel: 'SELF_ONLY', title: 'Shared title', sidecar: undefined })
  })

  it('a sidecar with only a title keeps the shared description', async () => {
    const a = write('a.mp4')
    write('a.mp4.draftclip.json', '{"title": "T"}')
    const [video] = await checkVideos([a], settings({ description: 'D' }), noRunVars)
    expect(video).toMatchObject({ description: 'D', title: 'T', sidecar: 'a.mp4.draftclip.json' })
  })

  it('a sidecar gives a caption when the description input is unset', async () => {
    const a = write('a.mp4')
    write('a.mp4.draftclip.json', '{"description": "From the sidecar"}')
    const [video] = await checkVideos([a], settings({ description: undefined }), noRunVars)
    expect(video.description).toBe('From the sidecar')
  })

  // Sidecars are read under the exact name only: one spelled in another case is reported, not ignored.
  it('does not silently ignore a sidecar spelled in another case', async () => {
    const a = write('a.mp4')
    write('a.mp4.DraftClip.json', '{"privacy_level": "SELF_ONLY"}')
    const outcome = await checkVideos([a], settings({ privacyLevel: 'PUBLIC_TO_EVERYONE' }), noRunVars).then(
      videos => videos[0].privacyLevel,
      () => 'reported'
    )
    expect(outcome).not.toBe('PUBLIC_TO_EVERYONE')
  })

  it('reports a missing caption', async () => {
    const a = write('clips/a.mp4')
    const error = await checkError([a], settings({ description: undefined }))
    expect(error.problems).toEqual([
      {
        file: 'clips/a.mp4',
        problem: `it has no caption: set the 'description' input, or "description" in a.mp4.draftclip.json beside it`
      }
    ])
  })

  it('reports a caption that is too long, against the file that set it', async () => {
    const a = write('a.mp4')
    const b = write('b.mp4')
    write('b.mp4.draftclip.json', JSON.stringify({ description: 'x'.repeat(2201) }))
    const error = await checkError([a, b], settings({ description: 'ok' }))
    expect(error.problems).toHaveLength(1)
    expect(error.problems[0].file).toBe('b.mp4.draftclip.json')
    expect(error.problems[0].problem).toContain('2201')
  })

  it('counts the caption after placeholders are filled', async () => {
    const name = 'n'.repeat(200) + '.mp4'
    const a = write(name)
    // 2000 + 204 = 2204 units once {name} is filled; the template itself is 2006.
    const error = await checkError([a], settings({ description: 'x'.repeat(2000) + '{name}' }))
    expect(error.problems).toEqual([{ file: name, problem: expect.stringContaining('2204') }])
  })

  it('reports an empty sidecar description against the sidecar', async () => {
    const a = write('a.mp4')
    write('a.mp4.draftclip.json', '{"description": "   "}')
    const error = await checkError([a], settings())
    expect(error.problems).toEqual([{ file: 'a.mp4.draftclip.json', problem: 'line 1: the caption is empty' }])
  })

  it('reports a broken sidecar with its line', async () => {
    const a = write('a.mp4')
    write('a.mp4.draftclip.json', '{\n  "description": "x",\n  "privacy_level": "EVERYONE"\n}')
    const error = await checkError([a], settings())
    expect(error.problems).toEqual([
      { file: 'a.mp4.draftclip.json', problem: expect.stringMatching(/^line 3: privacy_level must be one of/) }
    ])
  })

  it('reports a directory named like a video, and passes by a plain folder', async () => {
    fs.mkdirSync(path.join(ws, 'folder.mp4'))
    fs.mkdirSync(path.join(ws, 'plain'))
    const a = write('a.mp4')
    const error = await checkError([path.join(ws, 'folder.mp4'), path.join(ws, 'plain'), a], settings())
    expect(error.problems).toEqual([{ file: 'folder.mp4', problem: 'it is a directory, not a video file' }])
  })

  it('passes by a plain empty sub-folder matched by a pattern', async () => {
    write('videos/a.mp4')
    fs.mkdirSync(path.join(ws, 'videos', 'empty'))
    const paths = await findVideoPaths(['videos/*'], ws)
    expect(rel(paths)).toEqual(['videos/a.mp4', 'videos/empty'])
    const videos = await checkVideos(paths, settings(), noRunVars)
    expect(videos.map(v => v.file)).toEqual(['videos/a.mp4'])
    expect(videos[0].index).toBe(1)
  })

  it('reports a symbolic link loop', async () => {
    fs.symlinkSync('loop.mp4', path.join(ws, 'loop.mp4'))
    const paths = await findVideoPaths(['*.mp4'], ws)
    const error = await checkError(paths, settings())
    expect(error.problems).toEqual([{ file: 'loop.mp4', problem: 'it is a symbolic link loop' }])
  })

  it('reports a broken symbolic link', async () => {
    fs.symlinkSync('gone.mp4', path.join(ws, 'broken.mp4'))
    const paths = await findVideoPaths(['*.mp4'], ws)
    const error = await checkError(paths, settings())
    expect(error.problems).toEqual([{ file: 'broken.mp4', problem: 'it is a broken symbolic link (its target does not exist)' }])
  })

  it('follows a good symbolic link to a video', async () => {
    write('real/a.mp4')
    fs.symlinkSync(path.join('real', 'a.mp4'), path.join(ws, 'link.mp4'))
    const [video] = await checkVideos([path.join(ws, 'link.mp4')], settings(), noRunVars)
    expect(video).toMatchObject({ file: 'link.mp4', size: MP4_HEAD.length, contentType: 'video/mp4' })
  })

  it('reports a file that is not regular', async () => {
    const error = await checkError(['/dev/null'], settings())
    expect(error.problems).toHaveLength(1)
    expect(error.problems[0].problem).toBe('it is not a regular file')
  })

  it('reports an over-limit file from its real size (sparse file)', async () => {
    const big = write('big.mp4')
    fs.truncateSync(big, MAX_VIDEO_BYTES + 1)
    const error = await checkError([big], settings())
    expect(error.problems).toEqual([{ file: 'big.mp4', problem: expect.stringContaining("over DraftClip's limit") }])
  })

  it('accepts a file of exactly the limit (sparse file)', async () => {
    const big = write('big.mp4')
    fs.truncateSync(big, MAX_VIDEO_BYTES)
    const [video] = await checkVideos([big], settings(), noRunVars)
    expect(video.size).toBe(MAX_VIDEO_BYTES)
  })

  it('reports every problem of every file together, in one error, before anything is sent', async () => {
    const paths = [
      write('a.webm', 'x'),
      write('b.mp4', ''),
      write('c.mp4', 'plain text, not a video'),
      write('d.avi', MP4_HEAD),
      write('ok.mp4')
    ]
    fs.symlinkSync('e.mp4', path.join(ws, 'e.mp4'))
    paths.push(path.join(ws, 'e.mp4'))
    write('ok.mp4.draftclip.json', '{"colour": "red"}')
    const error = await checkError(paths, settings())
    expect(error.problems.map(p => p.file)).toEqual(['a.webm', 'b.mp4', 'c.mp4', 'd.avi', 'e.mp4', 'ok.mp4.draftclip.json'])
    expect(error.name).toBe('VideoCheckError')
    expect(error.message.split('\n')[0]).toBe('6 files cannot be published, so nothing was uploaded:')
    for (const p of error.problems) expect(error.message).toContain(`  - ${p.file}: ${p.problem}`)
  })

  it('says "1 file" when one file has several problems', () => {
    const error = new VideoCheckError([
      { file: 'a.mp4', problem: 'one' },
      { file: 'a.mp4', problem: 'two' }
    ])
    expect(error.message).toBe('1 file cannot be published, so nothing was uploaded:\n  - a.mp4: one\n  - a.mp4: two')
  })

  describe('run placeholders', () => {
    const counting = (): { load: () => Promise<RunInfo>; calls: () => number } => {
      let calls = 0
      return {
        load: async () => {
          calls++
          return { vars: { repo: 'octo/films', tag: 'v2' }, event: 'release' }
        },
        calls: () => calls
      }
    }

    it('does not load the run context when no template needs it', async () => {
      const a = write('a.mp4')
      write('a.mp4.draftclip.json', '{"description": "{name} {index}", "title": "{stem} {unknown}"}')
      const loader = counting()
      await checkVideos([a], settings({ description: '{name} {count}', title: '{stem}' }), loader.load)
      expect(loader.calls()).toBe(0)
    })

    it('loads it once when the description uses one', async () => {
      const paths = [write('a.mp4'), write('b.mp4')]
      const loader = counting()
      const videos = await checkVideos(paths, settings({ description: '{repo} {tag} {stem}' }), loader.load)
      expect(loader.calls()).toBe(1)
      expect(videos.map(v => v.description)).toEqual(['octo/films v2 a', 'octo/films v2 b'])
    })

    it('loads it when only the title uses one', async () => {
      const loader = counting()
      const [video] = await checkVideos([write('a.mp4')], settings({ title: 'Release {tag}' }), loader.load)
      expect(loader.calls()).toBe(1)
      expect(video.title).toBe('Release v2')
    })

    it('loads it when only a sidecar uses one', async () => {
      const a = write('a.mp4')
      write('a.mp4.draftclip.json', '{"description": "from {repo}"}')
      const loader = counting()
      const [video] = await checkVideos([a], settings(), loader.load)
      expect(loader.calls()).toBe(1)
      expect(video.description).toBe('from octo/films')
    })
  })
})

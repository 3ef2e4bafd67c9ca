import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import type { Media } from '../src/model/video.js'
import { readMedia, type Reading } from '../src/videos/media.js'
import * as path from 'node:path'
import { corpus, KINDS, lostOdmlPart, type CorpusFile } from './support/corpus.js'

/**
 * ffprobe is the reading the world agrees on: over a corpus ffmpeg makes at
 * test time (every kind of video people publish, each also cut at 25, 50 and
 * 75 %), the action's `media` must be ffprobe's, or both must refuse the file.
 *
 * The mapping: the first video stream; duration = its `duration` (the
 * format's where it has none); fps = `avg_frame_rate`; width and height after
 * the display matrix's rotation; `codec_name`; audio = any audio stream.
 * Within 0.05 s and 0.1 fps. A file is cut when `ffmpeg -v error -i F -f null -`
 * prints anything, or decodes fewer frames than ffprobe's `nb_frames` where
 * that is known (ffprobe reads a cut file's moov happily): the action refuses
 * exactly those, and the few cases it refuses where ffmpeg says nothing are
 * listed below, each with why.
 *
 * One file's header is no reading at all: an AVI that ffmpeg wrote to a pipe
 * (it cannot seek back to fill in its sizes) says 2^30 frames, ffmpeg's
 * placeholder (AVI_MAX_RIFF_SIZE), and ffprobe's duration is then a guess from
 * the bitrate (352 s for a 2 s file). There nb_frames is not known, and the
 * duration is the frames ffmpeg decoded at `avg_frame_rate`.
 */

const INSTALL = 'apt-get install ffmpeg'
/** -fps_mode (the corpus's variable frame rate) came with ffmpeg 5.1. */
const MIN_VERSION = [5, 1]

/** ffmpeg and ffprobe, one source and one version, at least 5.1; otherwise why not, naming the command that installs them. */
function toolsProblem(): string | undefined {
  const versions = ['ffmpeg', 'ffprobe'].map(tool => {
    const run = spawnSync(tool, ['-version'], { encoding: 'utf8' })
    if (run.error || run.status !== 0) return { tool, problem: `${tool} is not installed (${run.error?.message ?? run.stderr})` }
    return { tool, version: /version (?:n)?(\d+)\.(\d+)(\S*)/.exec(run.stdout)?.slice(1) ?? [] }
  })
  for (const v of versions) if ('problem' in v) return `${v.problem}: the media oracle test needs ffmpeg and ffprobe (${INSTALL})`
  const [ffmpeg, ffprobe] = versions as { tool: string; version: string[] }[]
  if (ffmpeg.version.join('.') !== ffprobe.version.join('.'))
    return `ffmpeg ${ffmpeg.version.join('.')} beside ffprobe ${ffprobe.version.join('.')}: the oracle needs one version of both (${INSTALL})`
  const [major, minor] = ffmpeg.version.map(Number)
  if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1]))
    return `ffmpeg ${ffmpeg.version.join('.')} is older than ${MIN_VERSION.join('.')} (${INSTALL} on Debian bookworm gives 5.1)`
  return undefined
}

/** What ffprobe reads: the media by the mapping, or why it cannot open the file. */
interface Probe {
  opens: boolean
  video: Media | undefined
  audio: boolean
  nbFrames: number | undefined
  /** The header's length is ffmpeg's placeholder (an AVI written to a pipe): neither nb_frames nor the duration is read. */
  unsetLength: boolean
}

/** What ffmpeg's AVI muxer writes for a stream's length when it cannot seek back to fill it in (AVI_MAX_RIFF_SIZE). */
const PLACEHOLDER_FRAMES = 2 ** 30

interface ProbeStream {
  codec_type?: string
  codec_name?: string
  width?: number
  height?: number
  avg_frame_rate?: string
  duration?: string
  nb_frames?: string
  tags?: { rotate?: string }
  side_data_list?: { rotation?: number }[]
}

function probe(file: string): Probe {
  const run = spawnSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'stream:stream_side_data=rotation:stream_tags=rotate:format=duration', '-of', 'json', file],
    { encoding: 'utf8' }
  )
  const out = run.status === 0 ? (JSON.parse(run.stdout || '{}') as { streams?: ProbeStream[]; format?: { duration?: string } }) : {}
  const streams = out.streams ?? []
  const first = streams.find(s => s.codec_type === 'video')
  const audio = streams.some(s => s.codec_type === 'audio')
  if (!first) return { opens: run.status === 0 && streams.length > 0, video: undefined, audio, nbFrames: undefined, unsetLength: false }
  const rotation = Number(first.side_data_list?.find(d => d.rotation !== undefined)?.rotation ?? first.tags?.rotate ?? 0)
  const turned = Math.abs(rotation) % 180 === 90
  const [num, den] = (first.avg_frame_rate ?? '0/0').split('/').map(Number)
  const video: Media = {
    duration: Number(first.duration ?? out.format?.duration),
    width: turned ? first.height! : first.width!,
    height: turned ? first.width! : first.height!,
    fps: den ? num / den : 0,
    codec: first.codec_name ?? '',
    audio
  }
  const nbFrames = first.nb_frames && /^\d+$/.test(first.nb_frames) ? Number(first.nb_frames) : undefined
  const unsetLength = file.endsWith('.avi') && nbFrames === PLACEHOLDER_FRAMES
  return { opens: true, video, audio, nbFrames: unsetLength ? undefined : nbFrames, unsetLength }
}

/** ffmpeg's own verdict on a whole decode: what it printed at -v error, and how many video frames it decoded. */
function decode(file: string): { said: string; frames: number } {
  const run = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-progress', 'pipe:1', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' })
  const frames = [...run.stdout.matchAll(/^frame=(\d+)$/gm)].pop()?.[1]
  return { said: run.stderr.trim(), frames: Number(frames ?? 0) }
}

/** Refused for what the file is (damaged, cut, out of reach), not for a TikTok rule. */
function refusedAsBroken(reading: Reading): boolean {
  return reading.kind === 'unreadable' || reading.kind === 'unjudged' || (reading.kind === 'video' && reading.missingBytes !== undefined)
}

/**
 * Files the action refuses as cut where ffmpeg decodes what is left without a
 * word: each has a box missing its last bytes. Listed so that the list is
 * the truth: a file leaving it, or joining it, fails its row.
 */
const STRICTER: Record<string, string> = {
  // ffmpeg's MP4 reader stops at a fragment cut short without an error; its trun says the frames go on.
  'cut50-frag-empty-moov.mp4': "the last fragment's mdat is cut: its trun's samples end past the end of the file",
  'cut75-frag-sidx.mp4': 'cut inside a moof box; the sidx indexes fragments past the end of the file',
  // ffprobe reads a moov cut short up to where it ends: here the sound track, before the video one.
  'cut75-audio-first.mp4': "its moov (at the end, after the sound's data) is cut short, inside the video track",
  // An AVI written to a pipe has no sizes to tell a cut by: its last chunk, cut short, does. ffmpeg decodes
  // what is left of that PCM chunk (an even number of bytes) without a word; at 25 and 75 % the bytes left are odd and it says so.
  'cut50-h264-piped.avi': 'its last chunk (sound, 2,048 bytes) ends 1,436 bytes past the end of the file'
}

const problem = toolsProblem()

describe('the media check reads every video as ffprobe does', () => {
  if (problem) {
    it('needs ffmpeg and ffprobe', () => {
      throw new Error(problem)
    })
    return
  }
  const made = corpus()

  it(`a corpus of ${KINDS.length} kinds, each whole and cut at 25/50/75 %`, () => {
    expect(made.files).toHaveLength(KINDS.length * 4)
    process.stderr.write(`media oracle: ${made.files.length} files in ${made.dir}, made in ${made.seconds.toFixed(1)} s\n`)
  })

  it.each(made.files.map((f): [string, CorpusFile] => [f.name, f]))('%s', async (_name, file) => {
    const size = fs.statSync(file.path).size
    const reading = await readMedia(file.path, size, file.name.endsWith('.avi') ? 'avi' : 'iso')
    const probed = probe(file.path)
    const decoded = decode(file.path)
    const cut = decoded.said !== '' || (probed.nbFrames !== undefined && decoded.frames < probed.nbFrames)
    const ours = {
      reading: reading.kind,
      broken: refusedAsBroken(reading),
      why: 'why' in reading ? reading.why : reading.kind === 'video' ? reading.missingBytes : undefined
    }
    if (!file.cutAt) expect({ cut, said: decoded.said }).toEqual({ cut: false, said: '' })
    if (file.name in STRICTER) {
      // Listed: ffmpeg still says nothing of it, and the action still refuses it.
      expect({ ...ours, cut, listed: STRICTER[file.name] }).toMatchObject({ cut: false, broken: true })
      return
    }
    if (!probed.opens || cut) {
      // Both refuse: ffprobe cannot open it, or ffmpeg finds it cut; the action says it is damaged or cut.
      expect({ ...ours, ffmpeg: decoded.said.slice(0, 200) }).toMatchObject({ broken: true })
      return
    }
    expect(ours).toMatchObject({ broken: false })
    if (!probed.video) {
      expect(reading).toEqual({ kind: 'no-video', container: reading.container, audio: probed.audio })
      return
    }
    expect(reading.kind).toBe('video')
    const media = (reading as { media: Media }).media
    // Without nb_frames (a fragmented file), ffprobe's avg_frame_rate counts only the fragments it read while probing
    // (with a sidx, the first: 23.88 fps for a 30 fps DASH file): then the frames ffmpeg decoded over the duration.
    const theirs = probed.unsetLength
      ? { ...probed.video, duration: decoded.frames / probed.video.fps }
      : probed.nbFrames === undefined
        ? { ...probed.video, fps: decoded.frames / probed.video.duration }
        : probed.video
    expect({ ...media, duration: near(media.duration, theirs.duration, 0.05), fps: near(media.fps, theirs.fps, 0.1) }).toEqual(theirs)
  })

  it('an OpenDML AVI whose AVIX part is lost (RIFF, movi and idx1 whole; its indx names the part past the end): ffmpeg decodes fewer frames than it counts, the action refuses it as cut', async () => {
    const whole = made.files.find(f => f.name === 'h264.avi')!
    const file = path.join(path.dirname(whole.path), 'odml-part-lost.avi')
    fs.writeFileSync(file, lostOdmlPart(fs.readFileSync(whole.path)))
    const probed = probe(file)
    expect(decode(file).frames).toBeLessThan(probed.nbFrames!)
    const reading = await readMedia(file, fs.statSync(file).size, 'avi')
    expect(reading).toMatchObject({ kind: 'video', missingBytes: 12 + 4096 })
  })
})

/** `ours` where it is within `by` of `theirs` (so the comparison shows theirs), else ours. */
function near(ours: number, theirs: number, by: number): number {
  return Math.abs(ours - theirs) <= by ? theirs : ours
}

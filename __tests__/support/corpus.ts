import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

/**
 * The videos people publish, made by ffmpeg at test time: every container,
 * codec and layout the media check must read as ffprobe does, each also cut at
 * 25, 50 and 75 % of its length. Tiny pictures, a second or two, the
 * ultrafast preset: the whole corpus is made in seconds, once per jest run
 * (TMPDIR is the run's own folder), and shared by the suites that use it.
 */

/** One kind of video: its file name and the ffmpeg arguments after the inputs' `-f lavfi -i`. */
interface Kind {
  name: string
  /** Arguments of the one ffmpeg command that makes it (the output path is appended). */
  args: string[]
  /** A second step on the made file (remux, patch), given its path; returns the final path's bytes. */
  then?: (made: string, out: string) => void
}

const CUTS = [25, 50, 75] as const

const gray = (size: string, rate: string | number, seconds: number): string[] => [
  '-f',
  'lavfi',
  '-i',
  `color=c=gray:s=${size}:r=${rate}:d=${seconds}`
]
const tone = (seconds: number): string[] => ['-f', 'lavfi', '-i', `sine=f=440:d=${seconds}:sample_rate=8000`]
const aac = ['-c:a', 'aac', '-b:a', '8k', '-ac', '1']
const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']
const x265 = (tag: string, bits: 8 | 10): string[] => [
  '-c:v',
  'libx265',
  '-preset',
  'ultrafast',
  '-x265-params',
  'log-level=none',
  '-pix_fmt',
  bits === 10 ? 'yuv420p10le' : 'yuv420p',
  '-tag:v',
  tag
]
const S = '160x90'

/** A copy of `made` with the first video stream's display matrix turned `degrees` (ffmpeg 5 drops the tag on encoding). */
const rotate =
  (degrees: number) =>
  (made: string, out: string): void =>
    ffmpeg(['-i', made, '-c', 'copy', '-metadata:s:v:0', `rotate=${degrees}`, out])

export const KINDS: Kind[] = [
  { name: 'h264-moov-last.mp4', args: [...gray(S, 30, 2), ...tone(2), ...x264, ...aac, '-shortest'] },
  { name: 'h264-moov-first.mp4', args: [...gray(S, 30, 2), ...tone(2), ...x264, ...aac, '-shortest', '-movflags', '+faststart'] },
  { name: 'h264-moov-last.mov', args: [...gray(S, 30, 2), ...tone(2), ...x264, ...aac, '-shortest'] },
  { name: 'h264-moov-first.mov', args: [...gray(S, 24, 2), ...x264, '-movflags', '+faststart'] },
  { name: 'hevc-hvc1.mp4', args: [...gray(S, 25, 2), ...x265('hvc1', 8), '-movflags', '+faststart'] },
  { name: 'hevc-hev1.mp4', args: [...gray(S, 25, 2), ...x265('hev1', 8)] },
  // An iPhone's: HEVC 10-bit in a MOV, with sound, turned upright.
  { name: 'hevc-10bit-hvc1.mov', args: [...gray(S, 30, 2), ...tone(2), ...x265('hvc1', 10), ...aac, '-shortest'], then: rotate(90) },
  { name: 'hevc-10bit-hev1.mp4', args: [...gray(S, 30, 2), ...x265('hev1', 10), '-movflags', '+faststart'] },
  // Fragmented: frames in moof boxes. empty_moov: none in moov; frag_keyframe alone: the first fragment's in moov.
  {
    name: 'frag-empty-moov.mp4',
    args: [...gray(S, 30, 3), ...tone(3), ...x264, ...aac, '-g', '15', '-movflags', 'frag_keyframe+empty_moov']
  },
  { name: 'frag-keyframe.mp4', args: [...gray(S, 30, 3), ...x264, '-g', '15', '-movflags', 'frag_keyframe'] },
  // (ffmpeg 5.1 reads back wrong offsets from frag_keyframe+empty_moov+global_sidx without default_base_moof: not a file to test with.)
  {
    name: 'frag-sidx.mp4',
    args: [...gray(S, 25, 3), ...x264, '-g', '10', '-frag_duration', '0.4', '-movflags', 'empty_moov+default_base_moof+global_sidx']
  },
  { name: 'frag-dash.mp4', args: [...gray(S, 30, 3), ...tone(3), ...x264, ...aac, '-g', '15', '-movflags', 'dash+global_sidx'] },
  { name: 'frag-mehd.mp4', args: [...gray(S, 30, 3), ...x264, '-g', '15', '-movflags', 'frag_keyframe+empty_moov'], then: withMehd },
  { name: 'rotated-90.mp4', args: [...gray(S, 30, 1), ...x264], then: rotate(90) },
  { name: 'rotated-180.mp4', args: [...gray(S, 30, 1), ...x264], then: rotate(180) },
  { name: 'rotated-270.mp4', args: [...gray(S, 30, 1), ...x264], then: rotate(270) },
  { name: 'fps-23.976.mp4', args: [...gray(S, '24000/1001', 2), ...x264] },
  { name: 'fps-29.97.mov', args: [...gray(S, '30000/1001', 2), ...x264] },
  { name: 'fps-59.94.mp4', args: [...gray(S, '60000/1001', 2), ...x264, '-movflags', '+faststart'] },
  // Variable frame rate: 7 of every 10 frames of 40 fps kept, at their own times.
  { name: 'vfr.mp4', args: [...gray(S, 40, 2), ...x264, '-vf', "select='lt(mod(n\\,10)\\,7)'", '-fps_mode', 'vfr'] },
  // Edit lists: B-frames shift the presentation (ctts), an AAC track primes its decoder.
  { name: 'edit-list-bframes.mp4', args: [...gray(S, 30, 2), ...tone(2), ...x264, '-x264-params', 'bframes=2', ...aac, '-shortest'] },
  { name: 'audio-first.mp4', args: [...gray(S, 30, 2), ...tone(2), '-map', '1:a', '-map', '0:v', ...x264, ...aac, '-shortest'] },
  {
    name: 'two-video-tracks.mp4',
    args: [...gray('192x108', 30, 1), ...gray('96x54', 15, 1), '-map', '0:v', '-map', '1:v', ...x264]
  },
  { name: 'vp9.mp4', args: [...gray(S, 25, 1), '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '50k'] },
  { name: 'av1.mp4', args: [...gray(S, 24, 1), '-c:v', 'libsvtav1', '-preset', '12', '-crf', '63'] },
  { name: 'prores.mov', args: [...gray(S, 24, 0.5), '-c:v', 'prores_ks', '-profile:v', '0', '-qscale:v', '31'] },
  // PCM sound: with MP3 the AVI muxer counts 54 video frames in the header and writes 50 (ffmpeg then judges its own file cut).
  { name: 'h264.avi', args: [...gray(S, 25, 2), ...tone(2), ...x264, '-c:a', 'pcm_s16le'] },
  // Written to a pipe: the muxer cannot seek back, so its RIFF and movi sizes stay unset, its length a placeholder, and it has no idx1.
  { name: 'h264-piped.avi', args: [...gray(S, 25, 2), ...tone(2), ...x264, '-c:a', 'pcm_s16le'], then: throughPipe },
  { name: 'mpeg4.avi', args: [...gray(S, 25, 2), '-c:v', 'mpeg4', '-vtag', 'XVID', '-q:v', '31'] },
  { name: 'mjpeg.avi', args: [...gray(S, 25, 1), '-c:v', 'mjpeg', '-q:v', '31', '-pix_fmt', 'yuvj420p'] },
  { name: '4k.mp4', args: [...gray('3840x2160', 30, 0.2), ...x264, '-movflags', '+faststart'] },
  // The edges of TikTok's rules, each side.
  { name: 'edge-360x640.mp4', args: [...gray('360x640', 23, 1), ...x264] },
  { name: 'edge-358x640.mp4', args: [...gray('358x640', 60, 1), ...x264] },
  { name: 'edge-4096x360.mp4', args: [...gray('4096x360', 30, 0.2), ...x264] },
  { name: 'edge-4098x360.mp4', args: [...gray('4098x360', 30, 0.2), ...x264] },
  { name: 'edge-22fps.mp4', args: [...gray(S, 22, 2), ...x264] },
  { name: 'edge-61fps.mp4', args: [...gray(S, 61, 1), ...x264] },
  // 600.5 s: over a max-duration of 600 (2 fps keeps it small; the fps rule refuses it too).
  { name: 'edge-600.5s.mp4', args: [...gray('64x64', 2, 600.5), ...x264, '-movflags', '+faststart'] },
  { name: 'audio-only.mp4', args: [...tone(2), ...aac] }
]

export interface CorpusFile {
  name: string
  path: string
  /** The kind it was made as, and where it was cut (undefined: whole). */
  kind: string
  cutAt?: (typeof CUTS)[number]
}

export interface Corpus {
  files: CorpusFile[]
  /** How long it took to make, in seconds (0 when an earlier suite of this run made it). */
  seconds: number
  dir: string
}

/** Runs ffmpeg quietly; a failure throws with what it said. */
export function ffmpeg(args: string[]): void {
  const run = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], { encoding: 'utf8' })
  if (run.error || run.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${run.error?.message ?? run.stderr}`)
}

/** The corpus of this jest run, made the first time a suite asks for it. */
export function corpus(): Corpus {
  const dir = path.join(os.tmpdir(), 'draftclip-corpus')
  const done = path.join(dir, 'done.json')
  if (fs.existsSync(done)) return { ...(JSON.parse(fs.readFileSync(done, 'utf8')) as Corpus), seconds: 0 }
  // A folder of this worker's own, renamed into place whole: two suites at once never see half a corpus.
  const building = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-corpus-'))
  const started = performance.now()
  const files: CorpusFile[] = []
  for (const kind of KINDS) {
    const out = path.join(building, kind.name)
    if (kind.then) {
      const made = path.join(building, `made-${kind.name}`)
      ffmpeg([...kind.args, made])
      kind.then(made, out)
      fs.rmSync(made)
    } else ffmpeg([...kind.args, out])
    files.push({ name: kind.name, path: path.join(dir, kind.name), kind: kind.name })
    const bytes = fs.readFileSync(out)
    for (const cutAt of CUTS) {
      const name = `cut${cutAt}-${kind.name}`
      fs.writeFileSync(path.join(building, name), bytes.subarray(0, Math.floor((bytes.length * cutAt) / 100)))
      files.push({ name, path: path.join(dir, name), kind: kind.name, cutAt })
    }
  }
  const seconds = (performance.now() - started) / 1000
  const result: Corpus = { files, seconds, dir }
  fs.writeFileSync(path.join(building, 'done.json'), JSON.stringify(result))
  try {
    fs.renameSync(building, dir)
  } catch {
    // Another suite got there first: its corpus is the same.
    fs.rmSync(building, { recursive: true, force: true })
    return { ...(JSON.parse(fs.readFileSync(done, 'utf8')) as Corpus), seconds: 0 }
  }
  return result
}

/** `made` written again as an AVI to ffmpeg's standard output (`ffmpeg ... -f avi pipe:1 > out`). */
function throughPipe(made: string, out: string): void {
  const run = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', made, '-c', 'copy', '-f', 'avi', 'pipe:1'], {
    maxBuffer: 64 * 1024 * 1024
  })
  if (run.error || run.status !== 0) throw new Error(`ffmpeg -f avi pipe:1 failed: ${run.error?.message ?? String(run.stderr)}`)
  fs.writeFileSync(out, run.stdout)
}

/**
 * ffmpeg writes no `mehd` (the whole duration, up front): put one in a real
 * fragmented file, in the room of its `udta` box, so no offset after `moov` moves.
 */
function withMehd(made: string, out: string): void {
  const bytes = fs.readFileSync(made)
  const find = (type: string, from: number, to: number): { at: number; size: number } => {
    for (let at = from; at + 8 <= to; at += bytes.readUInt32BE(at)) {
      if (bytes.toString('latin1', at + 4, at + 8) === type) return { at, size: bytes.readUInt32BE(at) }
    }
    throw new Error(`${made}: no ${type}`)
  }
  const moov = find('moov', 0, bytes.length)
  const mvex = find('mvex', moov.at + 8, moov.at + moov.size)
  const udta = find('udta', moov.at + 8, moov.at + moov.size)
  if (udta.at !== mvex.at + mvex.size) throw new Error(`${made}: udta does not follow mvex`)
  const mvhd = find('mvhd', moov.at + 8, moov.at + moov.size)
  // The movie's timescale; the duration is the tracks' (3 s), which ffmpeg leaves as 0 in an empty moov.
  const timescale = bytes.readUInt32BE(mvhd.at + 20)
  const mehd = Buffer.alloc(16)
  mehd.writeUInt32BE(16, 0)
  mehd.write('mehd', 4, 'latin1')
  mehd.writeUInt32BE(3 * timescale, 12)
  const free = Buffer.alloc(udta.size - 16)
  free.writeUInt32BE(free.length, 0)
  free.write('free', 4, 'latin1')
  const mvexHead = Buffer.from(bytes.subarray(mvex.at, mvex.at + 8))
  mvexHead.writeUInt32BE(mvex.size + 16, 0)
  fs.writeFileSync(
    out,
    Buffer.concat([
      bytes.subarray(0, mvex.at),
      mvexHead,
      // mehd comes first in mvex, before the trex boxes.
      mehd,
      bytes.subarray(mvex.at + 8, mvex.at + mvex.size),
      free,
      bytes.subarray(udta.at + udta.size)
    ])
  )
}

/** The chunks of a RIFF list body from `from` to `to`: id, where its header starts, its size. */
function* riffChunks(bytes: Buffer, from: number, to: number): Generator<{ id: string; at: number; size: number }> {
  for (let at = from; at + 8 <= to;) {
    const size = bytes.readUInt32LE(at + 4)
    yield { id: bytes.toString('latin1', at, at + 4), at, size }
    at += 8 + size + (size & 1)
  }
}

/**
 * The first RIFF of an OpenDML AVI (over 1 GB, as a camera or OBS writes one)
 * whose AVIX part was lost: its RIFF, movi and idx1 are whole, but its stream
 * header counts the frames of both parts and its super index (`indx`) names
 * the lost part's index chunk, past the end of the file. Made from a small
 * ffmpeg AVI (ffmpeg writes an indx only past 1 GB): the JUNK it reserves for
 * the indx becomes one, the frame count doubles.
 */
export function lostOdmlPart(avi: Buffer): Buffer {
  const bytes = Buffer.from(avi)
  const hdrl = [...riffChunks(bytes, 12, bytes.length)].find(
    c => c.id === 'LIST' && bytes.toString('latin1', c.at + 8, c.at + 12) === 'hdrl'
  )!
  const strl = [...riffChunks(bytes, hdrl.at + 12, hdrl.at + 8 + hdrl.size)].find(c => c.id === 'LIST')!
  const inStrl = [...riffChunks(bytes, strl.at + 12, strl.at + 8 + strl.size)]
  const strh = inStrl.find(c => c.id === 'strh')!
  const junk = inStrl.find(c => c.id === 'JUNK')!
  const movi = [...riffChunks(bytes, 12, bytes.length)].find(
    c => c.id === 'LIST' && bytes.toString('latin1', c.at + 8, c.at + 12) === 'movi'
  )!
  if (bytes.toString('latin1', strh.at + 8, strh.at + 12) !== 'vids' || junk.size < 24 + 2 * 16) throw new Error('not an ffmpeg AVI')
  // strh's dwLength: the frames of both parts.
  bytes.writeUInt32LE(bytes.readUInt32LE(strh.at + 8 + 32) * 2, strh.at + 8 + 32)
  // AVISUPERINDEX: 4 longs per entry, an index of indexes, 2 entries of the first stream's '00dc' chunks.
  bytes.write('indx', junk.at, 'latin1')
  const body = junk.at + 8
  bytes.writeUInt16LE(4, body)
  bytes.writeUInt8(0, body + 2)
  bytes.writeUInt8(0, body + 3)
  bytes.writeUInt32LE(2, body + 4)
  bytes.write('00dc', body + 8, 'latin1')
  // The first part's index: its movi list (here); the second's: where the AVIX part began, the end of this file.
  bytes.writeBigUInt64LE(BigInt(movi.at), body + 24)
  bytes.writeUInt32LE(movi.size + 8, body + 32)
  bytes.writeBigUInt64LE(BigInt(bytes.length + 12), body + 40)
  bytes.writeUInt32LE(4096, body + 48)
  return bytes
}

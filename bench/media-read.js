// The media check's cost on the files that cost it most: read calls, bytes read
// and time to judge each, through the action's own reader (src/videos/media.ts,
// transpiled into bench/.work/media-read/, so it measures the current src/).
//
//   node bench/media-read.js            # each file judged 5 times: the median
//   node bench/media-read.js --runs=15
//
// The videos are made once by ffmpeg into bench/.work/media-videos/ (about a
// minute the first time): 10 minutes at 60 fps (the longest TikTok takes, at
// its highest rate), 64x64 so they stay small, in every layout the reader
// walks; one of large fragments; and two made of 100,000 tiny boxes around a
// real file's metadata.

import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { importTranspiled } from './transpile.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const VIDEOS = path.join(ROOT, 'bench', '.work', 'media-videos')
const runs = Number(process.argv.find(a => a.startsWith('--runs='))?.slice(7) ?? 5)

const LONG = ['-f', 'lavfi', '-i', 'color=c=gray:s=64x64:r=60:d=600', '-f', 'lavfi', '-i', 'sine=f=440:d=600:sample_rate=8000']
const X264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '8k', '-ac', '1']

/** name, container, how ffmpeg makes it (the output path last) or how it is built from another. */
const FILES = [
  { name: '10min-60fps-moov-first.mp4', args: [...LONG, ...X264, '-movflags', '+faststart'] },
  { name: '10min-60fps-moov-last.mp4', args: [...LONG, ...X264] },
  { name: '10min-60fps-fragmented.mp4', args: [...LONG, ...X264, '-g', '60', '-movflags', 'frag_keyframe+empty_moov'] },
  // Large fragments (noise, 200 of about 200 KB): each header is a jump past the data before it.
  {
    name: '20s-60fps-noise-200-fragments.mp4',
    args: [
      ...['-f', 'lavfi', '-i', 'nullsrc=s=256x144:r=60:d=20,geq=lum=random(1)*255:cb=128:cr=128'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '6', '-frag_duration', '0.1'],
      ...['-movflags', 'frag_keyframe+empty_moov+default_base_moof']
    ]
  },
  { name: '10min-60fps-indexed.avi', args: [...LONG, ...X264] },
  { name: '10min-60fps-piped.avi', args: [...LONG, ...X264, '-f', 'avi'], pipe: true },
  { name: 'tiny-boxes-99990-then-moov.mp4', boxes: 99_990 },
  { name: 'tiny-boxes-100000-past-cap.mp4', boxes: 100_000 }
]

function ffmpeg(args, stdout) {
  const run = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], {
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', stdout ? 'pipe' : 'ignore', 'pipe']
  })
  if (run.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${run.stderr}`)
  return run.stdout
}

/** A real faststart file's ftyp, `count` 8-byte free boxes, then its moov and mdat (past the cap, or just within it). */
function tinyBoxes(count) {
  const real = fs.readFileSync(path.join(ROOT, '__tests__/fixtures/videos/h264-faststart.mp4'))
  const ftyp = real.readUInt32BE(0)
  const free = Buffer.alloc(8 * count)
  for (let i = 0; i < count; i++) {
    free.writeUInt32BE(8, i * 8)
    free.write('free', i * 8 + 4, 'latin1')
  }
  return Buffer.concat([real.subarray(0, ftyp), free, real.subarray(ftyp)])
}

function make(file) {
  const out = path.join(VIDEOS, file.name)
  if (fs.existsSync(out)) return out
  process.stderr.write(`making ${file.name}\n`)
  // Made under another name and renamed into place: an interrupted run leaves no half a video behind.
  const partial = path.join(VIDEOS, `part-${file.name}`)
  if (file.boxes) fs.writeFileSync(partial, tinyBoxes(file.boxes))
  else if (file.pipe) fs.writeFileSync(partial, ffmpeg([...file.args, 'pipe:1'], true))
  else ffmpeg([...file.args, partial])
  fs.renameSync(partial, out)
  return out
}

/** The file judged as the check judges it, through a handle that counts the reads made of it. */
async function measure(media, file) {
  const size = fs.statSync(file).size
  const handle = await fs.promises.open(file, 'r')
  const counted = { calls: 0, bytes: 0 }
  const counting = {
    read: async (...args) => {
      const result = await handle.read(...args)
      counted.calls++
      counted.bytes += result.bytesRead
      return result
    }
  }
  try {
    const started = performance.now()
    const reading = await media.readContainer(media.fileSource(counting, size), file.endsWith('.avi') ? 'avi' : 'iso')
    return { ms: performance.now() - started, ...counted, size, reading }
  } finally {
    await handle.close()
  }
}

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const mb = bytes => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`)

fs.mkdirSync(VIDEOS, { recursive: true })
const media = await importTranspiled(ROOT, 'src/videos/media.ts', path.join(ROOT, 'bench', '.work', 'media-read'))
console.log(`| file | size | reading | read calls | bytes read | time (median of ${runs}) |`)
console.log('|---|---|---|---|---|---|')
for (const file of FILES) {
  const made = make(file)
  const results = []
  for (let i = 0; i < runs; i++) results.push(await measure(media, made))
  const r = results[0]
  const reading = r.reading.kind === 'video' ? `video ${r.reading.media.duration} s${r.reading.missingBytes ? ' cut' : ''}` : r.reading.kind
  console.log(
    `| ${file.name} | ${mb(r.size)} | ${reading} | ${r.calls} | ${mb(r.bytes)} | ${median(results.map(x => x.ms)).toFixed(1)} ms |`
  )
}

import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fixture } from './support/action.js'
import { printable } from '../src/github/log.js'
import { checkVideos, VideoCheckError, type FileProblem, type VideoSettings } from '../src/videos/check.js'
import { fixedPath } from '../src/videos/media-fixes.js'
import { readMedia } from '../src/videos/media.js'
import { judgeMedia } from '../src/videos/media-rules.js'

/**
 * Each fix command is pasted into bash as the user would: real committed
 * fixtures under hostile names, the command as the check wrote it, run by
 * `bash -c` in the workspace. ffmpeg must write the copy it names (ffprobe
 * reads it; the check, judging it again, no longer finds what the command
 * fixed), and no name may run anything.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-paste-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const NASTY = [
  'with space.mp4',
  "it's.mp4",
  'say "hi".mp4',
  '$(touch pwned).mp4',
  '`touch pwned`.mp4',
  ';touch pwned;.mp4',
  '-y.mp4',
  'pipe:1.mp4',
  'héllo 日本 🎬.mp4',
  'back\\slash $HOME *.mp4',
  'new\nline\u001b[2J.mp4',
  'clip\u202egpj.mp4',
  "sub dir/$(touch pwned)/it's.mp4"
]

const settings = (workspace: string): VideoSettings => ({
  description: 'caption',
  privacyLevel: 'SELF_ONLY',
  title: undefined,
  workspace,
  mediaCheck: 'error',
  maxDuration: 600
})

/** A workspace holding `fixture` under `name`; the check's findings about it, as (file shown, text). */
async function findings(fixtureName: string, name: string): Promise<{ ws: string; texts: string[] }> {
  const ws = fs.mkdtempSync(path.join(tmp, 'ws-'))
  const file = path.join(ws, name)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.copyFileSync(fixture(fixtureName), file)
  const warnings: FileProblem[] = []
  const error = await checkVideos(
    [file],
    settings(ws),
    async () => ({ vars: {}, event: '' }),
    undefined,
    w => warnings.push(w)
  ).then(
    () => undefined,
    (e: unknown) => e
  )
  const problems = error instanceof VideoCheckError ? error.problems : []
  return { ws, texts: [...problems, ...warnings].map(p => p.problem) }
}

/** The ffmpeg command a finding ends with. */
const command = (text: string): string => text.slice(text.indexOf('ffmpeg -i '))

/** Runs a pasted command; what ffprobe then reads of the copy it names. */
function paste(ws: string, line: string, name: string): { width: number; height: number; fps: string; codec: string; seconds: number } {
  expect(printable(line)).toBe(line)
  const run = spawnSync('bash', ['-c', `${line} -nostdin -v error 2>&1`], { cwd: ws, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  expect({ line, status: run.status, out: run.stdout }).toEqual({ line, status: 0, out: '' })
  const out = path.join(ws, fixedPath(name))
  const probe = spawnSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height,avg_frame_rate,codec_name:format=duration',
      '-of',
      'json',
      out
    ],
    { encoding: 'utf8' }
  )
  expect(probe.status).toBe(0)
  const json = JSON.parse(probe.stdout) as { streams: Record<string, string>[]; format: { duration: string } }
  const stream = json.streams[0]
  return {
    width: +stream.width,
    height: +stream.height,
    fps: stream.avg_frame_rate,
    codec: stream.codec_name,
    seconds: +json.format.duration
  }
}

/** No name ran anything: no 'pwned' file anywhere in the workspace or where the test runs. */
function nothingRan(ws: string): void {
  const all = fs.readdirSync(ws, { recursive: true, encoding: 'utf8' })
  expect(all.filter(f => path.basename(f) === 'pwned')).toEqual([])
  expect(fs.existsSync('pwned')).toBe(false)
}

describe('a fix command pasted into bash', () => {
  it.each(NASTY.map(n => [JSON.stringify(n), n]))('names %s and runs nothing else', async (_shown, name) => {
    const { ws, texts } = await findings('5fps.mp4', name)
    expect(texts).toEqual([expect.stringMatching(/^its frame rate is 5 fps: .*; to fix it: ffmpeg -i /)])
    expect(paste(ws, command(texts[0]), name)).toMatchObject({ fps: '30/1', width: 360, height: 640, codec: 'h264' })
    // The video itself untouched.
    expect(fs.readFileSync(path.join(ws, name))).toEqual(fs.readFileSync(fixture('5fps.mp4')))
    nothingRan(ws)
  })

  it.each([
    ['100x100.mp4', '$(touch pwned) 100.mp4', { width: 360, height: 360 }, 'its picture is'],
    ['mpeg4-part2.mp4', "-it's `touch pwned`.mp4", { codec: 'h264' }, 'its video codec is'],
    ['12min.mp4', 'long "$(touch pwned)".mp4', { seconds: 600 }, 'it lasts'],
    ['clip.avi', "clip 'a' $(touch pwned).avi", { codec: 'h264' }, 'AVI is'],
    ['clip.mov', "clip 'm' `touch pwned`.mov", { codec: 'h264' }, 'it could not be judged']
  ])('each kind of fix works on its own file: %s as %s', async (fixtureName, name, expected, fixed) => {
    const { ws, texts } = await findings(fixtureName, name)
    // clip.mov breaks no rule: its fix here is the remux a file beyond the check's reach is given.
    const lines =
      fixtureName === 'clip.mov' ? [judgeMedia({ kind: 'unjudged', container: 'iso', why: 'far' }, 600, name).problems[0].fix!] : texts
    // 12min.mp4 is 1 fps too: its first finding, the duration's, is the one run here.
    expect(lines.length).toBeGreaterThan(0)
    const probed = paste(ws, command(lines[0]), name)
    expect(probed).toMatchObject(expected)
    expect(path.extname(fixedPath(name))).toBe(fixtureName.endsWith('.mov') ? '.mov' : '.mp4')
    // The check, judging the copy, finds a whole video without what the command fixed.
    const out = path.join(ws, fixedPath(name))
    const reading = await readMedia(out, fs.statSync(out).size, 'iso')
    expect(reading).toMatchObject({ kind: 'video' })
    expect(reading).not.toHaveProperty('missingBytes')
    const judged = judgeMedia(reading, 600, fixedPath(name))
    expect([...judged.problems, ...judged.warnings].map(p => p.problem).filter(p => p.startsWith(fixed))).toEqual([])
    nothingRan(ws)
  })
})

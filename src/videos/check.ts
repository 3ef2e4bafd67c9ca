import type { Video, RunInfo, FileStamp, Media } from '../model/video.js'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import type { Inputs, MediaCheck } from '../inputs.js'
import { MAX_VIDEO_BYTES, formatSize } from '../sizes.js'
import {
  captionProblem,
  fillCaption,
  hasLoneSurrogate,
  missingRunPlaceholders,
  PLACEHOLDER_SOURCES,
  usesRunPlaceholders
} from './captions.js'
import { workspacePath } from './find.js'
import { inspectFile, type Reading } from './media.js'
import { anywayText, findingText, isLfsPointer, judgeMedia, LFS_PROBLEM } from './media-rules.js'
import { keyLine, parseSidecar, sidecarPathFor, type Sidecar } from './sidecar.js'
import { scrub } from '../secrets.js'
import { straySidecars, videoSiblings } from './stray-sidecars.js'

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo'
}

export interface FileProblem {
  file: string
  problem: string
}

/** A problem, and the video it refuses (its absolute path): the file itself, or the video whose sidecar or caption it is about. */
export type Refusal = FileProblem & { video?: string }

export class VideoCheckError extends Error {
  readonly problems: Refusal[]
  /** The video each problem refuses (its absolute path), where it refuses one. */
  readonly refuses = new Map<FileProblem, string>()

  constructor(
    refusals: Refusal[],
    /** Every video the checks described, refused or not: the run reports each. */
    readonly videos: Video[] = []
  ) {
    const problems = refusals.map(({ file, problem }) => ({ file, problem }))
    const files = new Set(problems.map(p => p.file)).size
    super(
      `${files} file${files === 1 ? '' : 's'} cannot be published, so nothing was uploaded:\n` +
        problems.map(p => `  - ${p.file}: ${p.problem}`).join('\n')
    )
    this.name = 'VideoCheckError'
    this.problems = problems
    refusals.forEach((r, i) => r.video && this.refuses.set(problems[i], r.video))
  }
}

/** What is wrong with a file as a DraftClip upload, judged from its name, size and first bytes. */
export function fileProblems(name: string, size: number, head: Buffer): string[] {
  const ext = path.extname(name).toLowerCase()
  if (!(ext in CONTENT_TYPES)) {
    return [`'${path.extname(name) || '(no extension)'}' is not a video type DraftClip takes (.mp4, .mov, .avi)`]
  }
  if (size === 0) return ['the file is empty']
  const problems: string[] = []
  if (size > MAX_VIDEO_BYTES) {
    problems.push(`${formatSize(size)} is over DraftClip's limit of 500 MB (${MAX_VIDEO_BYTES.toLocaleString('en-US')} bytes)`)
  }
  const container = containerProblem(ext, head)
  if (container) problems.push(container)
  return problems
}

function containerProblem(ext: string, head: Buffer): string | undefined {
  const at = (offset: number, text: string): boolean =>
    head.length >= offset + text.length && head.toString('latin1', offset, offset + text.length) === text
  if (isLfsPointer(head)) return LFS_PROBLEM
  if (ext === '.avi') {
    return at(0, 'RIFF') && at(8, 'AVI ') ? undefined : "the content is not an AVI file (no 'RIFF....AVI ' header)"
  }
  if (at(4, 'ftyp')) return undefined
  // QuickTime files written before ftyp existed open with one of these atoms.
  if (ext === '.mov' && ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].some(atom => at(4, atom))) return undefined
  return `the content is not ${ext === '.mov' ? 'a QuickTime/MOV' : 'an MP4'} file (no ISO-BMFF 'ftyp' box at the start)`
}

function statProblem(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ELOOP':
      return 'it is a symbolic link loop'
    case 'ENOENT':
      return 'it is a broken symbolic link (its target does not exist)'
    case 'EACCES':
      return 'it cannot be read (permission denied)'
    default:
      return `it cannot be read (${error.code ?? error.message})`
  }
}

/** A broken media rule, judged after the ledger: whether it refuses the step depends on whether this run would upload the video. */
export interface MediaProblem extends Refusal {
  /** The video's path, as on its Video. */
  path: string
  /** The broken rule alone, and its fix (`problem` says both). */
  rule: string
  fix?: string
  /** The words under `media-check: warn`. */
  anyway: string
  /** The fail_reason TikTok would likely give (none: it could not be judged). */
  failReason?: string
}

export type VideoSettings = Pick<Inputs, 'description' | 'privacyLevel' | 'title' | 'workspace'> &
  Partial<Pick<Inputs, 'mediaCheck' | 'maxDuration' | 'dryRun'>> & {
    /** The API key and the token: a caption, title or file name holding one is refused (it would leave in the upload). */
    secrets?: readonly string[]
  }

/**
 * Checks every matched path and builds the list of videos to publish. All
 * problems of all files are collected and thrown together, so nothing is sent
 * when any one file is bad.
 */
export async function checkVideos(
  paths: string[],
  settings: VideoSettings,
  loadRun: () => Promise<RunInfo>,
  notice: (line: string) => void = () => undefined,
  warn: (problem: FileProblem) => void = () => undefined,
  /**
   * Given, a broken media rule goes here instead of refusing (or warning) at
   * once, so the caller judges it after the ledger's admission; it is applied
   * here as before when another problem refuses the step anyway (the whole list).
   */
  deferMedia?: MediaProblem[]
): Promise<Video[]> {
  const problems: Refusal[] = []
  const shown = (p: string): string => workspacePath(p, settings.workspace)
  const found = await statFiles(paths, shown, problems, notice, settings.mediaCheck ?? 'off')
  const videoPaths = found.map(f => f.path)
  for (const stray of straySidecars(videoPaths, await videoSiblings(videoPaths))) {
    if (stray.video) problems.push({ file: shown(stray.sidecar), problem: stray.problem, video: stray.video })
    else warn({ file: shown(stray.sidecar), problem: stray.problem })
  }
  const media = judgeAllMedia(found, settings, shown, problems, warn, deferMedia !== undefined)
  const sidecars = await readSidecars(found, shown, problems)
  const templates = [settings.description, settings.title, ...[...sidecars.values()].flatMap(s => [s.sidecar.description, s.sidecar.title])]
  const run = templates.some(t => t !== undefined && usesRunPlaceholders(t)) ? await loadRun() : { vars: {}, event: '' }
  const videos = found.map((file, i) => describeVideo(file, i, found.length, settings, sidecars.get(file.path), run, shown, problems))
  if (deferMedia) {
    const byMedia = new Set<FileProblem>(media)
    if (problems.some(p => !byMedia.has(p))) {
      // Refused anyway, before the ledger: every problem listed as before, media ones included.
      if ((settings.mediaCheck ?? 'off') !== 'error')
        for (const m of media) {
          // Nothing of this run is uploaded: it would be, were nothing else refused.
          const anyway = anywayText({ problem: m.rule, fix: m.fix, failReason: m.failReason }, true)
          warn({ file: m.file, problem: anyway })
          found.find(f => f.path === m.path)?.warnings.push(anyway)
        }
    } else {
      deferMedia.push(...media)
      return videos
    }
  }
  if (problems.length > 0)
    throw new VideoCheckError(
      problems.map(({ file, problem, video }) => ({ file, problem, video })),
      videos
    )
  return videos
}

interface FoundFile {
  path: string
  size: number
  stamp: FileStamp
  /** What its container says; undefined when it was not read (media-check: off, or its first bytes are wrong). */
  reading: Reading | undefined
  media: Media | null
  /** What the checks warned about it. */
  warnings: string[]
}

/** Each path checked as a file DraftClip takes; the same file reached twice (a link beside its target) is one video. */
async function statFiles(
  paths: string[],
  shown: (p: string) => string,
  problems: Refusal[],
  notice: (line: string) => void,
  mediaCheck: MediaCheck
): Promise<FoundFile[]> {
  const found: FoundFile[] = []
  const seen = new Map<string, string>()
  for (const file of paths) {
    let stat
    try {
      stat = await fs.stat(file)
    } catch (error) {
      problems.push({ file: shown(file), problem: statProblem(error as NodeJS.ErrnoException), video: file })
      continue
    }
    if (stat.isDirectory()) {
      // A folder matched by `videos/*` is just passed by; one named like a video is a mistake worth naming.
      if (path.extname(file).toLowerCase() in CONTENT_TYPES)
        problems.push({ file: shown(file), problem: 'it is a directory, not a video file', video: file })
      continue
    }
    if (!stat.isFile()) {
      problems.push({ file: shown(file), problem: 'it is not a regular file', video: file })
      continue
    }
    const name = path.basename(file)
    const container = path.extname(name).toLowerCase() === '.avi' ? 'avi' : 'iso'
    // The container is read only when its first bytes pass (and media-check is on).
    const readIf = (head: Buffer): 'avi' | 'iso' | undefined =>
      mediaCheck !== 'off' && fileProblems(name, stat.size, head).length === 0 ? container : undefined
    let head: Buffer = Buffer.alloc(0)
    let reading: Reading | undefined
    try {
      if (stat.size > 0) ({ head, reading } = await inspectFile(file, stat.size, 64, readIf))
    } catch (error) {
      problems.push({ file: shown(file), problem: statProblem(error as NodeJS.ErrnoException), video: file })
      continue
    }
    for (const problem of fileProblems(name, stat.size, head)) problems.push({ file: shown(file), problem, video: file })
    const identity = `${stat.dev}:${stat.ino}`
    const first = seen.get(identity)
    if (first) {
      notice(`${shown(file)} is the same file as ${first}; it is published once, as ${first}.`)
      continue
    }
    seen.set(identity, shown(file))
    found.push({ path: file, size: stat.size, stamp: { ino: stat.ino, mtimeMs: stat.mtimeMs }, reading, media: null, warnings: [] })
  }
  return found
}

/**
 * Each video's container (statFiles read it) judged by TikTok's rules
 * (media-rules.ts): under `error` a broken rule is a problem, under `warn` a
 * warning; `off` read nothing. A file that passed its first bytes' check but
 * cannot be judged is a problem too: never passed silently.
 */
function judgeAllMedia(
  found: FoundFile[],
  settings: VideoSettings,
  shown: (p: string) => string,
  problems: Refusal[],
  warn: (problem: FileProblem) => void,
  /** Broken rules under `warn` only returned, not warned yet: the caller judges them after admission. */
  defer: boolean
): MediaProblem[] {
  const mode = settings.mediaCheck ?? 'off'
  const media: MediaProblem[] = []
  for (const video of found) {
    const reading = video.reading
    if (!reading) continue
    const file = shown(video.path)
    if (reading.kind === 'video') video.media = reading.media
    const judged = judgeMedia(reading, settings.maxDuration ?? Infinity, file)
    for (const w of judged.warnings) {
      warn({ file, problem: findingText(w) })
      video.warnings.push(findingText(w))
    }
    for (const p of judged.problems) {
      const anyway = anywayText(p, settings.dryRun === true)
      const broken: MediaProblem = {
        file,
        problem: findingText(p),
        rule: p.problem,
        fix: p.fix,
        path: video.path,
        video: video.path,
        anyway,
        failReason: p.failReason
      }
      media.push(broken)
      // The same object in the list, so a caller that defers can tell media problems from the others.
      if (mode === 'error') problems.push(broken)
      else if (!defer) {
        warn({ file, problem: anyway })
        video.warnings.push(anyway)
      }
    }
  }
  return media
}

interface ReadSidecar {
  sidecar: Sidecar
  text: string
}

/** The sidecar beside each video, where there is one; a sidecar's problems are named with its line. */
async function readSidecars(found: FoundFile[], shown: (p: string) => string, problems: Refusal[]): Promise<Map<string, ReadSidecar>> {
  const sidecars = new Map<string, ReadSidecar>()
  // Each folder's names by their lower case, so a video looks up its own instead of scanning the folder (2,000 videos: 4 million compares).
  const listings = new Map<string, Promise<Map<string, string[]>>>()
  const listing = (dir: string): Promise<Map<string, string[]>> => {
    if (!listings.has(dir))
      listings.set(
        dir,
        fs
          .readdir(dir)
          .catch(() => [])
          .then(entries => {
            const byLower = new Map<string, string[]>()
            for (const entry of entries) {
              const lower = entry.toLowerCase()
              const same = byLower.get(lower)
              if (same) same.push(entry)
              else byLower.set(lower, [entry])
            }
            return byLower
          })
      )
    return listings.get(dir)!
  }
  for (const video of found) {
    const sidecarPath = sidecarPathFor(video.path)
    // A sidecar spelled in another case would be silently ignored on Linux: name it instead.
    const wanted = path.basename(sidecarPath)
    for (const entry of (await listing(path.dirname(video.path))).get(wanted.toLowerCase()) ?? []) {
      if (entry !== wanted) {
        problems.push({
          file: shown(path.join(path.dirname(video.path), entry)),
          problem: `a sidecar must be named exactly ${wanted}`,
          video: video.path
        })
      }
    }
    let text: string
    try {
      text = await fs.readFile(sidecarPath, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // A name too long for the file system cannot exist: that video has no sidecar.
      if (code === 'ENOENT' || code === 'ENAMETOOLONG') continue
      problems.push({ file: shown(sidecarPath), problem: statProblem(error as NodeJS.ErrnoException), video: video.path })
      continue
    }
    const parsed = parseSidecar(text)
    for (const problem of parsed.problems) problems.push({ file: shown(sidecarPath), problem, video: video.path })
    sidecars.set(video.path, { sidecar: parsed.sidecar, text })
  }
  return sidecars
}

type CaptionField = 'description' | 'title'

/** What is wrong with a video's caption and title as filled in; `field` names what set it (undefined: nothing did). */
function captionProblems(
  name: string,
  templates: Record<CaptionField, string | undefined>,
  description: string,
  title: string | undefined,
  run: RunInfo
): { field?: CaptionField; problem: string }[] {
  const found: { field?: CaptionField; problem: string }[] = []
  if (templates.description === undefined) {
    found.push({ problem: `it has no caption: set the 'description' input, or "description" in ${name}.draftclip.json beside it` })
  } else {
    const problem = captionProblem(description)
    if (problem) found.push({ field: 'description', problem })
  }
  if (title !== undefined && hasLoneSurrogate(title))
    found.push({
      field: 'title',
      problem: 'the title has a lone UTF-16 surrogate (half an emoji); DraftClip would get U+FFFD in its place'
    })
  for (const field of ['description', 'title'] as const) {
    for (const placeholder of missingRunPlaceholders(templates[field] ?? '', run.vars)) {
      found.push({
        field,
        problem: `{${placeholder}} has no value on a '${run.event || 'unknown'}' event (${PLACEHOLDER_SOURCES[placeholder]}); it would be posted literally`
      })
    }
  }
  return found
}

/**
 * A secret (or a piece of one long enough to be masked) in what the upload carries: the caption and title are
 * posted on TikTok for anyone to read, and the file's name goes to DraftClip with it. The log shows them masked,
 * so the user would never see why; the video is refused instead, before anything is sent.
 */
export function secretProblems(
  file: string,
  description: string,
  title: string | undefined,
  secrets: readonly string[]
): { field?: CaptionField; problem: string }[] {
  const holds = (text: string): boolean => scrub(text, secrets) !== text
  const found: { field?: CaptionField; problem: string }[] = []
  if (holds(file)) found.push({ problem: 'its path holds a secret (the API key or the GitHub token, or a part of one): rename the file' })
  if (holds(description))
    found.push({
      field: 'description',
      problem: 'the caption holds a secret (the API key or the GitHub token, or a part of one): it would be posted on TikTok'
    })
  if (title !== undefined && holds(title))
    found.push({
      field: 'title',
      problem: 'the title holds a secret (the API key or the GitHub token, or a part of one): it would be posted on TikTok'
    })
  return found
}

/** One video with its settings filled in; its caption's problems go to `problems`, naming the file that set it. */
function describeVideo(
  file: FoundFile,
  i: number,
  count: number,
  settings: VideoSettings,
  read: ReadSidecar | undefined,
  run: RunInfo,
  shown: (p: string) => string,
  problems: Refusal[]
): Video {
  const name = path.basename(file.path)
  const vars = { name, stem: name.slice(0, name.length - path.extname(name).length), index: i + 1, count }
  const sidecar = read?.sidecar
  const template = sidecar?.description ?? settings.description
  const titleTemplate = sidecar?.title ?? settings.title
  const description = template === undefined ? '' : fillCaption(template, vars, run.vars)
  const title = titleTemplate === undefined ? undefined : fillCaption(titleTemplate, vars, run.vars)
  // Where a problem with a field is best fixed: the sidecar's line, or the video (the input).
  const blame = (key: CaptionField, problem: string): Refusal =>
    sidecar?.[key] !== undefined
      ? { file: shown(sidecarPathFor(file.path)), problem: `line ${keyLine(read?.text ?? '', key)}: ${problem}`, video: file.path }
      : { file: shown(file.path), problem, video: file.path }
  const said = captionProblems(name, { description: template, title: titleTemplate }, description, title, run)
  said.push(...secretProblems(shown(file.path), description, title, settings.secrets ?? []))
  for (const problem of said)
    problems.push(
      problem.field ? blame(problem.field, problem.problem) : { file: shown(file.path), problem: problem.problem, video: file.path }
    )
  return {
    index: i + 1,
    path: file.path,
    file: shown(file.path),
    name,
    size: file.size,
    contentType: CONTENT_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream',
    description,
    privacyLevel: sidecar?.privacy_level ?? settings.privacyLevel,
    title,
    sidecar: read ? shown(sidecarPathFor(file.path)) : undefined,
    publishAt: sidecar?.publish_at,
    stamp: file.stamp,
    media: file.media,
    warnings: file.warnings
  }
}

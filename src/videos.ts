import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import * as glob from '@actions/glob'
import { captionProblem, fillCaption, usesRunPlaceholders, type RunVars } from './captions.js'
import type { Inputs, PrivacyLevel } from './inputs.js'
import { isSidecar, keyLine, parseSidecar, sidecarPathFor } from './sidecar.js'

/** DraftClip's limit, "500MB", in PHP's units (upload_max_filesize=500M). */
export const MAX_VIDEO_BYTES = 500 * 1024 * 1024

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo'
}

export interface Video {
  /** 1-based position in the sorted list. */
  index: number
  /** Absolute path. */
  path: string
  /** Path relative to the workspace, with forward slashes: what outputs and logs show. */
  file: string
  name: string
  size: number
  contentType: string
  description: string
  privacyLevel: PrivacyLevel
  title: string | undefined
  /** The sidecar that set this video's settings, relative to the workspace. */
  sidecar: string | undefined
}

export interface FileProblem {
  file: string
  problem: string
}

export class VideoCheckError extends Error {
  constructor(readonly problems: FileProblem[]) {
    const files = new Set(problems.map(p => p.file)).size
    super(
      `${files} file${files === 1 ? '' : 's'} cannot be published, so nothing was uploaded:\n` +
        problems.map(p => `  - ${p.file}: ${p.problem}`).join('\n')
    )
    this.name = 'VideoCheckError'
  }
}

/** Matches the patterns against the workspace: absolute paths, de-duplicated, sorted. */
export async function findVideoPaths(patterns: string[], workspace: string): Promise<string[]> {
  const anchored = patterns.map(p => {
    const negated = p.startsWith('!')
    const bare = negated ? p.slice(1) : p
    const absolute = path.isAbsolute(bare) || bare.startsWith('~') ? bare : path.join(escapeGlob(workspace), bare)
    return (negated ? '!' : '') + absolute
  })
  // Symbolic links are not followed while walking (a loop cannot hang the search);
  // a matched link is resolved and checked like any file below. A folder matched
  // by `videos/*` is not entered: publishing is not undone, so only what a
  // pattern names is published (`videos/**` for everything below).
  const globber = await glob.create(anchored.join('\n'), {
    followSymbolicLinks: false,
    matchDirectories: true,
    implicitDescendants: false
  })
  const matches = new Set<string>()
  for await (const match of globber.globGenerator()) {
    if (!isSidecar(match)) matches.add(match)
  }
  // Plain UTF-16 order, the same on every machine whatever its locale.
  return [...matches].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** A path as logs and outputs show it: relative to the workspace, forward slashes; absolute when outside it. */
export function workspacePath(file: string, workspace: string): string {
  const relative = path.relative(workspace, file)
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/')
}

/** A literal path inside a pattern: @actions/glob reads `*`, `?` and `[` as wildcards unless wrapped in brackets. */
function escapeGlob(literal: string): string {
  return literal.replace(/[*?[]/g, c => `[${c}]`)
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
    problems.push(`${megabytes(size)} is over DraftClip's limit of 500 MB (${MAX_VIDEO_BYTES.toLocaleString('en-US')} bytes)`)
  }
  const container = containerProblem(ext, head)
  if (container) problems.push(container)
  return problems
}

function containerProblem(ext: string, head: Buffer): string | undefined {
  const at = (offset: number, text: string): boolean =>
    head.length >= offset + text.length && head.toString('latin1', offset, offset + text.length) === text
  if (ext === '.avi') {
    return at(0, 'RIFF') && at(8, 'AVI ') ? undefined : "the content is not an AVI file (no 'RIFF....AVI ' header)"
  }
  if (at(4, 'ftyp')) return undefined
  // QuickTime files written before ftyp existed open with one of these atoms.
  if (ext === '.mov' && ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].some(atom => at(4, atom))) return undefined
  return `the content is not ${ext === '.mov' ? 'a QuickTime/MOV' : 'an MP4'} file (no ISO-BMFF 'ftyp' box at the start)`
}

/** Sizes as the log and the summary show them: megabytes (MiB), two decimals below one. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024)
  return `${mb.toFixed(mb < 1 ? 2 : 1)} MB`
}

const CHUNK_BYTES = 1024 * 1024
const RING = 3

/**
 * The file's bytes, read into a small ring of reused buffers: a fresh buffer
 * per read (as fs streams do) leaves tens of MB of garbage between collections.
 * Reuse is safe because undici asks for the next chunk only once the socket
 * has drained the previous one (a 1 MiB chunk is far over the socket's 16 KiB
 * high-water mark), so a buffer is long copied out when it comes round again.
 */
export async function* readChunks(file: string, size: number): AsyncGenerator<{ chunk: Buffer; total: number }> {
  const handle = await fs.open(file, 'r')
  try {
    const ring = Array.from({ length: RING }, () => Buffer.allocUnsafe(CHUNK_BYTES))
    let total = 0
    for (let n = 0; total < size; n++) {
      const buffer = ring[n % RING]
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, size - total), total)
      if (bytesRead === 0) throw new Error(`${file} shrank while it was being uploaded (${total} of ${size} bytes)`)
      total += bytesRead
      yield { chunk: buffer.subarray(0, bytesRead), total }
    }
  } finally {
    await handle.close()
  }
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await fs.open(file, 'r')
  try {
    const buffer = Buffer.alloc(12)
    const { bytesRead } = await handle.read(buffer, 0, 12, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
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

export type VideoSettings = Pick<Inputs, 'description' | 'privacyLevel' | 'title' | 'workspace'>

/**
 * Checks every matched path and builds the list of videos to publish. All
 * problems of all files are collected and thrown together, so nothing is sent
 * when any one file is bad.
 */
export async function checkVideos(
  paths: string[],
  settings: VideoSettings,
  loadRunVars: () => Promise<RunVars>,
  notice: (line: string) => void = () => undefined
): Promise<Video[]> {
  const problems: FileProblem[] = []
  const relative = (p: string): string => workspacePath(p, settings.workspace)
  const found: { path: string; size: number }[] = []
  // The same file reached twice (a symbolic link beside its target) is one video.
  const seen = new Map<string, string>()

  for (const file of paths) {
    const shown = relative(file)
    let stat
    try {
      stat = await fs.stat(file)
    } catch (error) {
      problems.push({ file: shown, problem: statProblem(error as NodeJS.ErrnoException) })
      continue
    }
    if (stat.isDirectory()) {
      // A folder matched by `videos/*` is just passed by; one named like a video is a mistake worth naming.
      if (path.extname(file).toLowerCase() in CONTENT_TYPES) {
        problems.push({ file: shown, problem: 'it is a directory, not a video file' })
      }
      continue
    }
    if (!stat.isFile()) {
      problems.push({ file: shown, problem: 'it is not a regular file' })
      continue
    }
    const ownProblems = fileProblems(path.basename(file), stat.size, stat.size > 0 ? await readHead(file) : Buffer.alloc(0))
    for (const problem of ownProblems) problems.push({ file: shown, problem })
    const identity = `${stat.dev}:${stat.ino}`
    const first = seen.get(identity)
    if (first) {
      notice(`${shown} is the same file as ${first}; it is published once, as ${first}.`)
      continue
    }
    seen.set(identity, shown)
    found.push({ path: file, size: stat.size })
  }

  const sidecars = new Map<string, ReturnType<typeof parseSidecar>['sidecar']>()
  const sidecarTexts = new Map<string, string>()
  const listings = new Map<string, Promise<string[]>>()
  const listing = (dir: string): Promise<string[]> => {
    if (!listings.has(dir))
      listings.set(
        dir,
        fs.readdir(dir).catch(() => [])
      )
    return listings.get(dir)!
  }
  for (const video of found) {
    const sidecarPath = sidecarPathFor(video.path)
    // A sidecar spelled in another case would be silently ignored on Linux: name it instead.
    const wanted = path.basename(sidecarPath)
    for (const entry of await listing(path.dirname(video.path))) {
      if (entry !== wanted && entry.toLowerCase() === wanted.toLowerCase()) {
        problems.push({ file: relative(path.join(path.dirname(video.path), entry)), problem: `a sidecar must be named exactly ${wanted}` })
      }
    }
    let text: string
    try {
      text = await fs.readFile(sidecarPath, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      problems.push({ file: relative(sidecarPath), problem: statProblem(error as NodeJS.ErrnoException) })
      continue
    }
    const parsed = parseSidecar(text)
    for (const problem of parsed.problems) problems.push({ file: relative(sidecarPath), problem })
    sidecars.set(video.path, parsed.sidecar)
    sidecarTexts.set(video.path, text)
  }

  const templates = [settings.description, settings.title, ...[...sidecars.values()].flatMap(s => [s.description, s.title])]
  const runVars = templates.some(t => t !== undefined && usesRunPlaceholders(t)) ? await loadRunVars() : {}

  const videos: Video[] = found.map((video, i) => {
    const name = path.basename(video.path)
    const vars = { name, stem: name.slice(0, name.length - path.extname(name).length), index: i + 1, count: found.length }
    const sidecar = sidecars.get(video.path)
    const template = sidecar?.description ?? settings.description
    const description = template === undefined ? '' : fillCaption(template, vars, runVars)
    const title = sidecar?.title ?? settings.title
    if (template === undefined) {
      problems.push({
        file: relative(video.path),
        problem: `it has no caption: set the 'description' input, or "description" in ${name}.draftclip.json beside it`
      })
    } else {
      const problem = captionProblem(description)
      if (problem && sidecar?.description !== undefined) {
        const line = keyLine(sidecarTexts.get(video.path) ?? '', 'description')
        problems.push({ file: relative(sidecarPathFor(video.path)), problem: `line ${line}: ${problem}` })
      } else if (problem) {
        problems.push({ file: relative(video.path), problem })
      }
    }
    return {
      index: i + 1,
      path: video.path,
      file: relative(video.path),
      name,
      size: video.size,
      contentType: CONTENT_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream',
      description,
      privacyLevel: sidecar?.privacy_level ?? settings.privacyLevel,
      title: title === undefined ? undefined : fillCaption(title, vars, runVars),
      sidecar: sidecar ? relative(sidecarPathFor(video.path)) : undefined
    }
  })

  if (problems.length > 0) throw new VideoCheckError(problems)
  return videos
}

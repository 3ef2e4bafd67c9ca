import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { VideoLog } from '../../src/model/ports.js'
import type { Video } from '../../src/model/video.js'

let videoDir: string | undefined

/** A checked video as the engine gets it, its bytes in a temporary file (TMPDIR is the run's own folder). */
export function testVideo(file: string, over: Partial<Video> = {}, bytes: Buffer = Buffer.from(`bytes of ${file}`)): Video {
  // One folder for a suite's videos: paths sort as their names do (the calendar orders by path).
  videoDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-videos-'))
  const full = path.join(videoDir, path.basename(file))
  fs.writeFileSync(full, bytes)
  return {
    index: 1,
    path: full,
    file,
    name: path.basename(file),
    size: bytes.length,
    contentType: 'video/mp4',
    description: `caption of ${file}`,
    privacyLevel: 'SELF_ONLY',
    title: undefined,
    sidecar: undefined,
    publishAt: undefined,
    ...over
  }
}

/** A VideoLog that keeps its lines, for assertions. */
export function keptLog(): { lines: string[]; done: string[]; logFor: (video: Video) => VideoLog } {
  const lines: string[] = []
  const done: string[] = []
  return {
    lines,
    done,
    logFor: video => ({
      info: line => lines.push(`${video.file}: ${line}`),
      warn: line => lines.push(`${video.file}: warning: ${line}`),
      done: result => done.push(`${video.file}: ${result.status}`)
    })
  }
}

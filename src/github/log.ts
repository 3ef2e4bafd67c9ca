import * as core from '@actions/core'
import type { VideoLog } from '../model/ports.js'
import type { VideoResult } from '../model/result.js'
import { scrub } from '../secrets.js'
import type { Video } from '../model/video.js'

/**
 * The log, as the runner reads it: any line that begins with `::` is a
 * workflow command. Text from outside (file names, the server's words) is
 * made into one line that cannot begin one, and scrubbed of the key.
 */
export function safeLine(text: string): string {
  const one = text.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ⏎ ')
  // The runner trims a line before it looks for '::'.
  return /^\s*::/.test(one) ? `› ${one}` : one
}

export interface Logger {
  info(line: string): void
  warning(line: string, file?: string): void
  error(line: string, file?: string, title?: string): void
  video(video: Video): VideoLog
}

export function logger(secrets: readonly string[], now: () => number = Date.now): Logger {
  const clean = (line: string): string => safeLine(scrub(line, secrets))
  return {
    info: line => core.info(clean(line)),
    // Annotations are commands of their own (@actions/core escapes their text); one line each all the same.
    warning: (line, file) => core.warning(clean(line), file ? { file } : {}),
    error: (line, file, title) => core.error(scrub(line, secrets), { file, title }),
    video: video => videoLog(video, clean, now)
  }
}

/** Lines for one video: shown live, then kept in a log group once the video is done. */
function videoLog(video: Video, clean: (line: string) => string, now: () => number): VideoLog {
  const lines: string[] = []
  const started = now()
  const keep = (line: string): string => {
    lines.push(clean(`[+${((now() - started) / 1000).toFixed(1)}s] ${line}`))
    return `${video.file}: ${line}`
  }
  return {
    info: line => core.info(clean(keep(line))),
    warn: line => core.warning(clean(keep(line)), { file: video.file }),
    done: (result: VideoResult) => {
      core.startGroup(clean(`${video.file}: ${result.status}${result.publish_id ? ` (${result.publish_id})` : ''}`))
      for (const line of lines) core.info(line)
      core.endGroup()
    }
  }
}

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
  const one = printable(text.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ⏎ '))
  // The runner trims a line before it looks for '::'.
  return /^\s*::/.test(one) ? `› ${one}` : one
}

/**
 * Control characters shown, not obeyed: the log viewer renders ANSI escapes (a name could hide or recolour
 * the lines around it, or clear them), and a bidirectional override makes a name read as another
 * ('clip\u202Egpj.mp4'). C0 controls become their Unicode pictures (ESC is ␛), DEL ␡, the rest (C1, bidi
 * overrides and isolates) '�'. A tab stays.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it shows
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, c => {
    const code = c.charCodeAt(0)
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd'
  })
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
    // An annotation's file and title are the user's text too: a name holding a secret is not written out whole.
    warning: (line, file) => core.warning(clean(line), file ? { file: scrub(file, secrets) } : {}),
    // A problem that names its line ("line 4: …", a sidecar's) marks that line on the file's page.
    error: (line, file, title) =>
      core.error(printable(scrub(line, secrets)), {
        file: file && scrub(file, secrets),
        title: title && scrub(title, secrets),
        startLine: file ? Number(/^line (\d+): /.exec(line)?.[1]) || undefined : undefined
      }),
    video: video => videoLog(video, clean, scrub(video.file, secrets), now)
  }
}

/** Lines for one video: shown live, then kept in a log group once the video is done. */
function videoLog(video: Video, clean: (line: string) => string, file: string, now: () => number): VideoLog {
  const lines: string[] = []
  const started = now()
  const keep = (line: string): string => {
    lines.push(clean(`[+${((now() - started) / 1000).toFixed(1)}s] ${line}`))
    return `${video.file}: ${line}`
  }
  return {
    info: line => core.info(clean(keep(line))),
    warn: line => core.warning(clean(keep(line)), { file }),
    done: (result: VideoResult) => {
      core.startGroup(clean(`${video.file}: ${result.status}${result.publish_id ? ` (${result.publish_id})` : ''}`))
      for (const line of lines) core.info(line)
      core.endGroup()
    }
  }
}

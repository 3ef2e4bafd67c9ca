import type { MediaProblem } from '../videos/check.js'
import type { Admission } from './lifecycle.js'

/**
 * The media verdict, after admission, pure: a broken rule refuses the step
 * (under `error`) or is uploaded anyway with a warning (`warn`) only for a
 * video that this run or a later one uploads (upload, scheduled, queued, or a
 * twin of one); for a video the ledger holds it is a notice, so a video
 * published before a rule changed never blocks later runs.
 */
export type MediaVerdict =
  /** The step is refused for it (media-check: error). */
  | { kind: 'refuse'; problem: MediaProblem }
  /** A warning on the video, kept in its result (media-check: warn). */
  | { kind: 'warn'; index: number; problem: MediaProblem; line: string }
  /** A line in the log: this run does not upload it. */
  | { kind: 'notice'; problem: MediaProblem; line: string }

/** Why a video the ledger holds is not uploaded by this run, for the notice about its media. */
const HELD: Partial<Record<Admission['kind'], string>> = {
  skip: 'the ledger says it is already published',
  confirm: 'the ledger holds its earlier upload, which this run confirms',
  unconfirmed: 'the ledger holds an earlier upload of it (unconfirmed)',
  busy: 'another run is uploading it'
}

export function mediaVerdicts(
  media: readonly MediaProblem[],
  /** The run's videos in board order: each one's path, file, and the video it is a twin of. */
  entries: readonly { video: { path: string; file: string }; twin: number | undefined }[],
  /** Each video's admission as the board would give it now. */
  admissions: readonly Admission[],
  mediaCheck: 'error' | 'warn' | 'off'
): MediaVerdict[] {
  const index = new Map(entries.map((e, i) => [e.video.path, i]))
  const verdicts: MediaVerdict[] = []
  for (const problem of media) {
    const i = index.get(problem.path)
    if (i === undefined) continue
    const twin = entries[i].twin
    const own = admissions[i]
    const kind = own.kind === 'twin' && twin !== undefined ? admissions[twin].kind : own.kind
    const held = HELD[kind]
    if (held) verdicts.push({ kind: 'notice', problem, line: `${problem.rule}; not refused: ${held}, and this run does not upload it.` })
    else if (mediaCheck === 'error') verdicts.push({ kind: 'refuse', problem })
    else if (own.kind === 'twin')
      verdicts.push({
        kind: 'notice',
        problem,
        line: `${problem.rule}; it is not uploaded: the same content as ${entries[twin!].video.file}.`
      })
    else verdicts.push({ kind: 'warn', index: i, problem, line: kind === 'upload' ? problem.anyway : laterAnyway(problem) })
  }
  return verdicts
}

/** A broken rule of a video a later run uploads (scheduled, queued), under media-check: warn. */
function laterAnyway(m: MediaProblem): string {
  const verdict = m.failReason ? `, and TikTok will likely refuse it (${m.failReason})` : ''
  return `${m.rule}; a later run uploads it anyway (media-check: warn)${verdict}${m.fix ? `; to fix it: ${m.fix}` : ''}`
}

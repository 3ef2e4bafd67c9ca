import type { VideoLog } from '../model/ports.js'
import { Status } from '../model/status.js'
import { mediaText, type Video } from '../model/video.js'
import { formatSize } from '../sizes.js'
import type { Board } from './board.js'
import { planned, twinDone, type Halt } from './lifecycle.js'

/** The dry run: every video through the same admission as the real run, nothing sent. */
export async function planAll(
  board: Board,
  settings: { wait: boolean; maxUploads: number | undefined },
  now: number,
  logFor: (video: Video) => VideoLog
): Promise<Halt | undefined> {
  board.useLogs(logFor)
  board.decideAdmissions(settings.wait, now, settings.maxUploads)
  for (const [i, entry] of board.entries.entries()) {
    const admission = entry.admission!
    let step = planned(entry.result, admission, board.ref(i))
    // A twin ends as the run ends it: by the planned result of the video it copies (always an earlier one).
    if (admission.kind === 'twin') {
      const held = twinDone(step.result, board.entries[entry.twin!].result).result
      step = { result: held, log: held.status === Status.Skipped ? step.log : { level: 'info', line: `would not upload: ${held.error}` } }
    }
    const r = step.result
    const media = r.media ? `; ${mediaText(r.media)}` : ''
    const line = `${step.log!.line}, ${formatSize(r.size)}, ${r.privacy_level}, caption: ${JSON.stringify(r.description)}${media}`
    await board.apply(i, { ...step, log: { level: 'info', line } })
  }
  return undefined
}

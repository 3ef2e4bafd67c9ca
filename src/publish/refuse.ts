import type { VideoLog } from '../model/ports.js'
import type { Video } from '../model/video.js'
import type { Board } from './board.js'
import { notSentBeside, refused, type Halt } from './lifecycle.js'

/**
 * The driver of a run that sends nothing because a check refused a video:
 * each refused video is REFUSED with its problems; every other one gets what
 * its admission gives before anything is sent (SKIPPED, SCHEDULED, QUEUED; a
 * dry run's plan), else NOT_ATTEMPTED. So `results` lists every video.
 */
export async function refuseAll(
  board: Board,
  /** Each refused video's problems, by its path. */
  problems: Map<string, string[]>,
  settings: { wait: boolean; maxUploads: number | undefined; dryRun: boolean },
  now: number,
  logFor: (video: Video) => VideoLog
): Promise<Halt | undefined> {
  board.useLogs(logFor)
  board.decideAdmissions(settings.wait, now, settings.maxUploads)
  for (const [i, entry] of board.entries.entries()) {
    const own = problems.get(entry.video.path)
    if (own) {
      // Its problems are the step's failure and its file's annotations: said there, once.
      await board.apply(i, { result: refused(entry.result, own).result })
      continue
    }
    await board.apply(i, notSentBeside(entry.result, entry.admission!, board.ref(i), settings.dryRun))
  }
  return undefined
}

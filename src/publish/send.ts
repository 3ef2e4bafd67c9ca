import type { PollBudget } from '../draftclip/poll-budget.js'
import type { Timings } from '../draftclip/retry-policy.js'
import { RateGate } from '../draftclip/rate-gate.js'
import { judgeStatus } from '../draftclip/retry-policy.js'
import { uploadVideo, type UploadOutcome } from '../draftclip/upload.js'
import { waitForVideo, type WaitOutcome } from '../draftclip/wait.js'
import type { Clock, DraftClip, VideoLog } from '../model/ports.js'
import { isSettled, Status } from '../model/status.js'
import type { Video } from '../model/video.js'
import { formatSize } from '../sizes.js'
import { ReadBuffers, readChunks } from '../videos/read.js'
import { CANCELLED, type Board } from './board.js'
import { dueOrder } from './calendar.js'
import type { DeploymentRecorder } from './deployments.js'
import {
  admitted,
  askedOnce,
  crashed,
  deploymentRefused,
  interrupted,
  notAttempted,
  statusSeen,
  twinDone,
  uploadEnded,
  waitEnded,
  type Admission,
  type Halt,
  type OneAnswer,
  type Step
} from './lifecycle.js'
import type { RunState } from '../model/run.js'

export interface PublishSettings {
  concurrency: number
  retries: number
  wait: boolean
  waitTimeoutMs: number
  pollIntervalMs: number
  /** The longest gap between two status requests of a video (poll-schedule.ts). */
  maxPollIntervalMs: number
  /** At most this many new uploads (the workflow is a queue); undefined: no limit. */
  maxUploads: number | undefined
}

interface PublishDeps {
  client: DraftClip
  clock: Clock
  budget: PollBudget
  timings: Timings
  logFor(video: Video): VideoLog
  /** Aborted when the job is cancelled: no new upload or poll starts, and waits end at once. */
  signal?: AbortSignal
  /** Asks GitHub whether a run is still going (a branch ledger shared by runs at once). */
  runState?: (id: string) => Promise<RunState>
  /** Each upload's GitHub Deployment (deployment-environment). */
  deployments?: DeploymentRecorder
  /** GitHub's time before the first upload is over: the first claim settled, or no video is to be uploaded (the pipeline lifts its bound). */
  uploadsBegin?: () => void
}

/** What one video's task shares with the others: the upload slots, and when each video is done (a twin waits for its original). */
interface Shared {
  slots: Semaphore
  done: Promise<void>[]
  /** Every upload waits out a 429's rate window together, and none goes once the quota is spent. */
  gate: RateGate
}

/**
 * Publishes the videos: at most `concurrency` uploads at once, each started
 * video polled while others upload. The board is changed only through
 * lifecycle steps, as things happen, so whatever was learned survives a
 * failure part way. Returns why the run stopped early, if it did.
 */
export async function publishAll(board: Board, settings: PublishSettings, deps: PublishDeps): Promise<Halt | undefined> {
  const shared: Shared = { slots: semaphore(settings.concurrency), done: [], gate: new RateGate(deps.clock, deps.timings) }
  board.decideAdmissions(settings.wait, deps.clock.now(), settings.maxUploads)
  if (!board.entries.some(e => e.admission?.kind === 'upload')) deps.uploadsBegin?.()
  board.useLogs(video => deps.logFor(video))
  // Started (and given upload slots) in the calendar's order: publish_at, then path. Results stay in file order.
  const order = board.entries.map((_, i) => i).sort((a, b) => dueOrder(board.entries[a].video, board.entries[b].video))
  const tasks = order.map(i => {
    const entry = board.entries[i]
    const task = (async () => {
      await publishOne(i, entry.admission!, board, settings, deps, shared)
      entry.log!.done(entry.result)
    })()
      .catch((error: Error) => {
        // Only a video never sent becomes UPLOAD_FAILED; one that may be on TikTok keeps saying so.
        void board.apply(i, crashed(entry.result, error.message))
        throw error
      })
      .finally(() => deps.deployments?.finish(i, entry.video.file, entry.result, entry.hash ? board.ledger?.get(entry.hash) : undefined))
    shared.done[i] = task.catch(() => undefined)
    return task
  })
  const settled = await Promise.allSettled(tasks)
  const crash = settled.find(s => s.status === 'rejected')
  if (crash) throw crash.reason
  const halt = board.runHalt(deps.signal)
  // A ledger that could not be written fails the run, beside whatever else stopped it (even a forgiven quota).
  const problem = await board.ledger?.settled().then(
    () => undefined,
    (error: Error) => error.message
  )
  if (!problem || halt?.reason.includes(problem)) return halt
  return halt ? { ...halt, quota: false, reason: `${halt.reason} ${problem}` } : { scope: 'uploads', reason: problem }
}

async function publishOne(
  i: number,
  admission: Admission,
  board: Board,
  settings: PublishSettings,
  deps: PublishDeps,
  shared: Shared
): Promise<void> {
  const entry = board.entries[i]
  await board.apply(i, admitted(entry.result, admission, board.ref(i)))
  switch (admission.kind) {
    case 'busy':
      return
    case 'twin': {
      const original = entry.twin!
      await shared.done[original]
      return board.apply(i, twinDone(entry.result, board.entries[original].result))
    }
    case 'skip':
      if (!admission.follow && !admission.askOnce) return
      deps.deployments?.adopt(i, admission.entry)
      if (admission.askOnce) return askOnce(i, board, settings, deps)
      return pollUntilSettled(i, board, settings, deps, { earlier: true })
    case 'confirm':
      deps.deployments?.adopt(i, admission.entry)
      return pollUntilSettled(i, board, settings, deps, { earlier: true, confirm: true })
    case 'unconfirmed':
    case 'scheduled':
    case 'queued':
      return
    case 'upload':
      break
  }
  if (await uploadOne(i, board, settings, deps, shared)) return
  const r = entry.result
  if (!settings.wait || r.publish_id === null) return
  if (r.status === Status.Unconfirmed) return pollUntilSettled(i, board, settings, deps, { earlier: false, confirm: true })
  return pollUntilSettled(i, board, settings, deps, { earlier: false })
}

/** Sends one admitted video in an upload slot. True: its task is over (not sent, or decided anew and finished). */
async function uploadOne(i: number, board: Board, settings: PublishSettings, deps: PublishDeps, shared: Shared): Promise<boolean> {
  const entry = board.entries[i]
  const log = entry.log!
  await shared.slots.acquire()
  let released = false
  try {
    const queue = settings.maxUploads !== undefined
    const halt = board.uploadsHalt(deps.signal)
    if (halt) {
      deps.uploadsBegin?.()
      await board.apply(i, notAttempted(entry.result, halt.reason, queue && halt.quota === true))
      return true
    }
    const video = entry.video
    // The first claim is the last GitHub call the bound before the first upload covers.
    const again = await board.claim(i, deps.runState, deps.clock.now, settings.wait).finally(() => deps.uploadsBegin?.())
    if (again === 'refused') return true
    if (again) {
      // Another run's entry arrived first (a merge): this video is decided anew, and not sent by this claim.
      shared.slots.release()
      released = true
      board.admitAs(i, again)
      await publishOne(i, again, board, settings, deps, shared)
      return true
    }
    // Its deployment before its first byte: GitHub refusing the run's first one stops the run with nothing sent.
    const refused = await deps.deployments?.start(i, video.file, entry.hash!)
    if (refused !== undefined) {
      await board.apply(i, deploymentRefused(entry.result, refused))
      return true
    }
    log.info(`uploading (${formatSize(video.size)}, ${video.privacyLevel}${video.sidecar ? `, settings from ${video.sidecar}` : ''})`)
    // This upload's read buffers, from the pool; back to it once the answer came (no byte of them is left to send).
    const ring = ReadBuffers.take()
    const outcome = await uploadVideo(
      {
        name: video.name,
        size: video.size,
        contentType: video.contentType,
        fields: uploadFields(video),
        // The bytes sent are the ones checked (and hashed for the ledger), or the upload stops before its last byte.
        chunks: () => readChunks(video.path, video.size, ring, { shownAs: video.file, sha256: entry.hash, stamp: video.stamp })
      },
      {
        client: board.wire(i).watch(deps.client, deps.signal),
        clock: deps.clock,
        retries: settings.retries,
        timings: deps.timings,
        gate: shared.gate,
        log: line => log.info(line),
        warn: line => log.warn(line),
        stopped: () => board.uploadsStopped(deps.signal),
        signal: deps.signal
      }
    ).finally(() => ring.release())
    // The ledger learns the outcome before the slot goes to the next video.
    await board.apply(i, uploadStep(i, board, outcome, queue, deps.signal))
    return false
  } finally {
    if (!released) shared.slots.release()
  }
}

/** What an upload's outcome makes of the video; one a cancelled job cut short (nothing of it taken) goes by the cancel's own rule, as the signal handler's does. */
function uploadStep(i: number, board: Board, outcome: UploadOutcome, queue: boolean, signal: AbortSignal | undefined): Step {
  const r = board.entries[i].result
  const reach = board.wire(i).reach()
  if (signal?.aborted && reach !== 'may-have-left') return interrupted(r, CANCELLED.reason, board.ref(i), reach)
  return uploadEnded(r, outcome, board.ref(i), queue, board.uploadsHalt()?.quota === true)
}

function uploadFields(video: Video): Record<string, string> {
  const fields: Record<string, string> = { description: video.description, privacy_level: video.privacyLevel }
  if (video.title !== undefined) fields.title = video.title
  return fields
}

/**
 * Polls a video that has a publish id until there is nothing more to learn
 * (or the wait ends). `confirm`: first make sure DraftClip knows the id (an
 * unconfirmed upload), then wait on as usual when `wait` is on. `earlier`: the
 * id comes from an earlier run (the ledger).
 */
async function pollUntilSettled(
  i: number,
  board: Board,
  settings: PublishSettings,
  deps: PublishDeps,
  how: { earlier: boolean; confirm?: boolean }
): Promise<void> {
  const entry = board.entries[i]
  const publishId = entry.result.publish_id!
  const deadline = deps.clock.now() + settings.waitTimeoutMs
  const poll = (untilKnown: boolean): Promise<WaitOutcome> =>
    waitForVideo(publishId, {
      client: deps.client,
      clock: deps.clock,
      budget: deps.budget,
      deadline,
      intervalMs: settings.pollIntervalMs,
      maxIntervalMs: settings.maxPollIntervalMs,
      privacyLevel: entry.result.privacy_level,
      knownStatus: entry.result.status,
      requestMs: deps.timings.statusRequestMs,
      askNow: untilKnown && how.earlier,
      untilKnown,
      log: line => entry.log?.info(line),
      onStatus: status => board.apply(i, statusSeen(entry.result, status, how.earlier, settings.maxUploads !== undefined)),
      stopped: () => board.pollsStopped(deps.signal),
      signal: deps.signal
    })
  const waitSeconds = Math.round(settings.waitTimeoutMs / 1000)
  let outcome = await poll(how.confirm === true)
  if (outcome.kind === 'known') {
    const r = entry.result
    if (!settings.wait || isSettled({ ...outcome.status, postId: outcome.status.postId ?? r.post_id }, r.privacy_level)) return
    outcome = await poll(false)
  }
  if (outcome.kind !== 'complete' && outcome.kind !== 'known') await board.apply(i, waitEnded(entry.result, outcome, waitSeconds))
}

/**
 * wait: false, for an upload an earlier run left with more to learn: one status request (in the
 * run's poll budget), no wait, so that one TikTok refused is reported and published again.
 */
async function askOnce(i: number, board: Board, settings: PublishSettings, deps: PublishDeps): Promise<void> {
  const entry = board.entries[i]
  const publishId = entry.result.publish_id!
  const queue = settings.maxUploads !== undefined
  const stopped = (): string | undefined => board.pollsStopped(deps.signal)
  let answer: OneAnswer
  if (stopped() || !(await deps.budget.take(deps.clock.now() + settings.waitTimeoutMs, deps.signal)) || stopped()) {
    answer = { kind: 'not-asked', reason: stopped() ?? 'the poll budget had no turn for it within wait-timeout' }
  } else {
    answer = judgeStatus(await deps.client.status(publishId, deps.timings.statusRequestMs, deps.signal), publishId)
  }
  await board.apply(i, askedOnce(entry.result, answer, queue))
}

interface Semaphore {
  acquire(): Promise<void>
  release(): void
}

function semaphore(size: number): Semaphore {
  let free = size
  const waiting: (() => void)[] = []
  return {
    acquire: async () => {
      if (free > 0) {
        free--
        return
      }
      await new Promise<void>(resolve => waiting.push(resolve))
    },
    release: () => {
      const next = waiting.shift()
      if (next) next()
      else free++
    }
  }
}

import type { VideoLog, DraftClip, Clock } from '../model/ports.js'
import { isSettled, Status } from '../model/status.js'
import type { PollBudget } from '../draftclip/poll-budget.js'
import type { Timings } from '../draftclip/retry-policy.js'
import { uploadVideo } from '../draftclip/upload.js'
import { waitForVideo, type WaitOutcome } from '../draftclip/wait.js'
import { formatSize } from '../sizes.js'
import { ReadBuffers, readChunks } from '../videos/read.js'
import { type Video, mediaText } from '../model/video.js'
import type { Ledger } from './ledger.js'
import {
  admit,
  admitted,
  busyWith,
  crashed,
  interrupted,
  ledgerUnwritable,
  notAttempted,
  planned,
  statusSeen,
  twinDone,
  uploadEnded,
  runToAsk,
  uploadStarting,
  waitEnded,
  type Admission,
  type Halt,
  type LedgerRef,
  type RunRef,
  type RunState,
  type Step
} from './lifecycle.js'
import type { VideoResult } from '../model/result.js'
import { applyCalendar, dueOrder } from './calendar.js'
import { twinIndexes } from './twins.js'

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

export interface PublishDeps {
  client: DraftClip
  clock: Clock
  budget: PollBudget
  timings: Timings
  ledger: Ledger | undefined
  logFor(video: Video): VideoLog
  /** Aborted when the job is cancelled: no new upload or poll starts, and waits end at once. */
  signal?: AbortSignal
  /** Asks GitHub whether a run is still going (a branch ledger shared by runs at once). */
  runState?: (id: string) => Promise<RunState>
}

const CANCELLED: Halt = { scope: 'everything', reason: 'the job was cancelled' }

/**
 * The videos of a run, their results, and the one way to change them: apply
 * a step of the lifecycle (result, then ledger, then log). The signal handler
 * reads the same board.
 */
export class Board {
  readonly results: VideoResult[]
  private halted: { uploads?: Halt; everything?: Halt } = {}
  private logs: VideoLog[] = []
  /** For each video, the earlier video with the same content, if any. */
  readonly twins: (number | undefined)[]
  /** This run, when the ledger records runs (a branch), and what GitHub said of the other runs its entries name. */
  self: RunRef | undefined
  readonly runStates = new Map<string, RunState>()

  constructor(
    readonly videos: Video[],
    /** Content hashes by video, where known (a ledger, or files of equal size). */
    readonly hashes: (string | undefined)[],
    readonly ledger: Ledger | undefined,
    initial: VideoResult[]
  ) {
    this.results = initial
    this.twins = twinIndexes(hashes)
  }

  ref(i: number): LedgerRef | undefined {
    const hash = this.hashes[i]
    return this.ledger && hash ? { shownAs: this.ledger.shownAs, hash } : undefined
  }

  /** How each video enters the run: its ledger entry and its twins by the lifecycle's one rule, then the calendar. */
  admissions(wait: boolean, now: number, maxUploads: number | undefined): Admission[] {
    const admitted = this.videos.map((_, i) => {
      const twin = this.twins[i]
      return this.admitOne(i, twin === undefined ? undefined : this.videos[twin].file, wait, now)
    })
    return applyCalendar(admitted, this.videos, now, maxUploads)
  }

  private admitOne(i: number, twinOf: string | undefined, wait: boolean, now: number): Admission {
    const hash = this.hashes[i]
    const entry = hash && this.ledger ? this.ledger.get(hash) : undefined
    const run = runToAsk(entry, this.self)
    const busy = busyWith(entry, this.self, run === undefined ? undefined : this.runStates.get(run), now)
    return admit(entry, twinOf, wait, this.videos[i].privacyLevel, busy)
  }

  /** Asks about every other run whose upload entry this run's videos meet, once each. */
  async learnRuns(ask: ((id: string) => Promise<RunState>) | undefined): Promise<void> {
    if (!ask) return
    for (let i = 0; i < this.videos.length; i++) {
      const hash = this.hashes[i]
      const run = runToAsk(hash && this.ledger ? this.ledger.get(hash) : undefined, this.self)
      if (run !== undefined && !this.runStates.has(run)) this.runStates.set(run, await ask(run))
    }
  }

  /**
   * The UPLOADING entry, stored before the first byte. Undefined: it is, go on.
   * Otherwise the video is not sent: another run's entry got there first (decide
   * again with it), or the ledger could not be written (every upload stops).
   */
  async claim(i: number, deps: Pick<PublishDeps, 'runState' | 'clock'>, wait: boolean): Promise<Admission | 'refused' | undefined> {
    const before = this.results[i]
    const step = uploadStarting(before)
    const hash = this.hashes[i]
    if (!this.ledger || !hash || !step.ledger || step.ledger.kind !== 'record') {
      await this.apply(i, step)
      return undefined
    }
    // The result says UPLOADING only once the entry is stored: a video never sent is never UNCONFIRMED.
    try {
      const lost = await this.ledger.claim(hash, step.ledger.entry)
      if (!lost) {
        this.results[i] = step.result
        return undefined
      }
    } catch (error) {
      await this.apply(i, ledgerUnwritable(before, (error as Error).message))
      return 'refused'
    }
    await this.learnRuns(deps.runState)
    return this.admitOne(i, undefined, wait, deps.clock.now())
  }

  /** Each video's log lines go to its own VideoLog from now on. */
  useLogs(logFor: (video: Video) => VideoLog): void {
    this.logs = this.videos.map(logFor)
  }

  log(i: number): VideoLog | undefined {
    return this.logs[i]
  }

  async apply(i: number, step: Step): Promise<void> {
    this.results[i] = step.result
    if (step.halt) this.halt(step.halt)
    const hash = this.hashes[i]
    if (step.log) this.logs[i]?.[step.log.level](step.log.line)
    if (!step.ledger || !this.ledger || !hash) return
    const write =
      step.ledger.kind === 'record'
        ? this.ledger.record(hash, step.ledger.entry)
        : this.ledger.get(hash)
          ? this.ledger.forget(hash)
          : undefined
    // Only an UPLOADING entry must be on disk before the step goes on (before the first byte leaves);
    // other changes share the next write, and a failed one fails the run when it ends (Ledger.settled).
    if (step.result.status === Status.Uploading) await write
    else void write?.catch(() => undefined)
  }

  halt(halt: Halt): void {
    this.halted.uploads ??= halt
    if (halt.scope === 'everything') this.halted.everything ??= halt
  }

  /** Why no upload may start now, if one may not: a halt, or the cancelled job. */
  uploadsHalt(signal?: AbortSignal): Halt | undefined {
    return this.halted.uploads ?? (signal?.aborted ? CANCELLED : undefined)
  }

  uploadsStopped(signal?: AbortSignal): string | undefined {
    return this.uploadsHalt(signal)?.reason
  }

  /** Why the run stopped early: a refused key outranks a spent quota, which a queue would forgive. */
  runHalt(signal?: AbortSignal): Halt | undefined {
    return this.halted.everything ?? this.uploadsHalt(signal)
  }

  pollsStopped(signal?: AbortSignal): string | undefined {
    return (this.halted.everything ?? (signal?.aborted ? CANCELLED : undefined))?.reason
  }

  /** A cancelled job or a crash: every upload under way is UNCONFIRMED, by the lifecycle's rule. */
  interruptAll(why: string): void {
    this.results.forEach((r, i) => (this.results[i] = interrupted(r, why, this.ref(i)).result))
  }
}

/** The dry run: every video through the same admission as the real run, nothing sent. */
export function planAll(
  board: Board,
  settings: Pick<PublishSettings, 'wait' | 'maxUploads'>,
  now: number,
  logFor: (video: Video) => VideoLog
): void {
  board.admissions(settings.wait, now, settings.maxUploads).forEach((admission, i) => {
    let step = planned(board.results[i], admission, board.ref(i))
    // A twin ends as the run ends it: by the planned result of the video it copies (always an earlier one).
    if (admission.kind === 'twin') {
      const held = twinDone(step.result, board.results[board.twins[i]!]).result
      step = { result: held, log: held.status === Status.Skipped ? step.log : { level: 'info', line: `would not upload: ${held.error}` } }
    }
    board.results[i] = step.result
    const r = step.result
    const media = r.media ? `; ${mediaText(r.media)}` : ''
    logFor(board.videos[i]).info(
      `${step.log!.line}, ${formatSize(r.size)}, ${r.privacy_level}, caption: ${JSON.stringify(r.description)}${media}`
    )
  })
}

/**
 * Publishes the videos: at most `concurrency` uploads at once, each started
 * video polled while others upload. The board is changed only through
 * lifecycle steps, as things happen, so whatever was learned survives a
 * failure part way. Returns why the run stopped early, if it did.
 */
export async function publishAll(board: Board, settings: PublishSettings, deps: PublishDeps): Promise<Halt | undefined> {
  const slots = semaphore(settings.concurrency)
  const admissions = board.admissions(settings.wait, deps.clock.now(), settings.maxUploads)
  const finished: Promise<void>[] = []
  board.useLogs(video => deps.logFor(video))
  // Started (and given upload slots) in the calendar's order: publish_at, then path. Results stay in file order.
  const order = board.videos.map((_, i) => i).sort((a, b) => dueOrder(board.videos[a], board.videos[b]))
  const tasks = order.map(i => {
    const log = board.log(i)!
    const task = (async () => {
      await publishOne(i, admissions[i], board, settings, deps, slots, log, finished)
      log.done(board.results[i])
    })().catch((error: Error) => {
      // Only a video never sent becomes UPLOAD_FAILED; one that may be on TikTok keeps saying so.
      board.results[i] = crashed(board.results[i], error.message).result
      throw error
    })
    finished[i] = task.catch(() => undefined)
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
  slots: Semaphore,
  log: VideoLog,
  finished: Promise<void>[]
): Promise<void> {
  await board.apply(i, admitted(board.results[i], admission, board.ref(i)))
  switch (admission.kind) {
    case 'busy':
      return
    case 'twin': {
      const original = board.twins[i]!
      await finished[original]
      return board.apply(i, twinDone(board.results[i], board.results[original]))
    }
    case 'skip':
      return admission.follow ? follow(i, board, settings, deps, { earlier: true }) : undefined
    case 'confirm':
      return follow(i, board, settings, deps, { earlier: true, confirm: true })
    case 'unconfirmed':
    case 'scheduled':
    case 'queued':
      return
    case 'upload':
      break
  }

  await slots.acquire()
  let released = false
  try {
    const queue = settings.maxUploads !== undefined
    const halt = board.uploadsHalt(deps.signal)
    if (halt) return board.apply(i, notAttempted(board.results[i], halt.reason, queue && halt.quota === true))
    const video = board.videos[i]
    const again = await board.claim(i, deps, settings.wait)
    if (again === 'refused') return
    if (again) {
      // Another run's entry arrived first (a merge): this video is decided anew, and not sent by this claim.
      slots.release()
      released = true
      return publishOne(i, again, board, settings, deps, slots, log, finished)
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
        chunks: () => readChunks(video.path, video.size, ring, { shownAs: video.file, sha256: board.hashes[i], stamp: video.stamp })
      },
      {
        client: deps.client,
        clock: deps.clock,
        retries: settings.retries,
        timings: deps.timings,
        log: line => log.info(line),
        warn: line => log.warn(line),
        stopped: () => board.uploadsStopped(deps.signal),
        signal: deps.signal
      }
    ).finally(() => ring.release())
    // The ledger learns the outcome before the slot goes to the next video.
    await board.apply(i, uploadEnded(board.results[i], outcome, board.ref(i), queue, board.uploadsHalt()?.quota === true))
  } finally {
    if (!released) slots.release()
  }
  const r = board.results[i]
  if (!settings.wait || r.publish_id === null) return
  if (r.status === Status.Unconfirmed) return follow(i, board, settings, deps, { earlier: false, confirm: true })
  return follow(i, board, settings, deps, { earlier: false })
}

function uploadFields(video: Video): Record<string, string> {
  const fields: Record<string, string> = { description: video.description, privacy_level: video.privacyLevel }
  if (video.title !== undefined) fields.title = video.title
  return fields
}

/**
 * Polls a video that has a publish id. `confirm`: first make sure DraftClip
 * knows the id (an unconfirmed upload), then wait on as usual when `wait` is on.
 */
async function follow(
  i: number,
  board: Board,
  settings: PublishSettings,
  deps: PublishDeps,
  how: { earlier: boolean; confirm?: boolean }
): Promise<void> {
  const publishId = board.results[i].publish_id!
  const deadline = deps.clock.now() + settings.waitTimeoutMs
  const poll = (untilKnown: boolean): Promise<WaitOutcome> =>
    waitForVideo(publishId, {
      client: deps.client,
      clock: deps.clock,
      budget: deps.budget,
      deadline,
      intervalMs: settings.pollIntervalMs,
      maxIntervalMs: settings.maxPollIntervalMs,
      privacyLevel: board.results[i].privacy_level,
      knownStatus: board.results[i].status,
      requestMs: deps.timings.statusRequestMs,
      askNow: untilKnown && how.earlier,
      untilKnown,
      log: line => board.log(i)?.info(line),
      onStatus: status => board.apply(i, statusSeen(board.results[i], status, how.earlier, settings.maxUploads !== undefined)),
      stopped: () => board.pollsStopped(deps.signal),
      signal: deps.signal
    })
  const waitSeconds = Math.round(settings.waitTimeoutMs / 1000)
  let outcome = await poll(how.confirm === true)
  if (outcome.kind === 'known') {
    const r = board.results[i]
    if (!settings.wait || isSettled({ ...outcome.status, postId: outcome.status.postId ?? r.post_id }, r.privacy_level)) return
    outcome = await poll(false)
  }
  if (outcome.kind !== 'complete' && outcome.kind !== 'known') await board.apply(i, waitEnded(board.results[i], outcome, waitSeconds))
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

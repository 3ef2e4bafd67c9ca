import type { LedgerStore, VideoLog } from '../model/ports.js'
import type { VideoResult } from '../model/result.js'
import { Status } from '../model/status.js'
import type { Video } from '../model/video.js'
import { applyCalendar } from './calendar.js'
import {
  decideAdmission,
  busyWith,
  initialResult,
  interrupted,
  ledgerUnwritable,
  runToAsk,
  uploadClaimed,
  uploadStarting,
  type Admission,
  type Halt,
  type LedgerRef,
  type Step
} from './lifecycle.js'
import type { RunRef, RunState } from '../model/run.js'
import type { LedgerEntry } from '../model/ports.js'
import { pathsToHash, twinIndexes } from './twins.js'
import { Ledger } from '../ledger/ledger.js'
import { hashFile } from '../videos/read.js'
import { UploadWire } from './wire.js'

/** A way to take a board through the run: the real one (send.ts) or the dry run (plan.ts). Returns why the run stopped early. */
export type Driver = (board: Board) => Promise<Halt | undefined>

export const CANCELLED: Halt = { scope: 'everything', reason: 'the job was cancelled' }

/** One video of the run: what it is, and everything the run learns about it. */
export interface Entry {
  readonly video: Video
  /** Its content hash, where known (a ledger, or files of equal size). */
  readonly hash: string | undefined
  /** The earlier video of this run with the same content, if any (its index). */
  readonly twin: number | undefined
  /** How it enters the run, once a driver has decided. */
  readonly admission: Admission | undefined
  /** Changed by Board.apply only. */
  readonly result: VideoResult
  /** Where its log lines go, once a driver has given it one. */
  readonly log: VideoLog | undefined
}

type Writable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * The videos of a run, one Entry each, and the one way to change a result:
 * apply a step of the lifecycle (result, then ledger, then log). The dry run,
 * the real run and the signal handler all go through it.
 */
export class Board {
  readonly entries: readonly Entry[]
  private halted: { uploads?: Halt; everything?: Halt } = {}
  readonly runStates = new Map<string, RunState>()
  /** The ledger entry each video's admission was decided from: a claim is judged against the entry as it stands now. */
  private readonly decidedFrom: (LedgerEntry | undefined)[] = []
  /** Each sent video's upload, as far as a cancelled job must know it. */
  private readonly wires: UploadWire[] = []
  /** A video's GitHub Deployment for its ledger entry (deployment-environment): see publish/deployments.ts entryId. */
  deploymentOf: ((i: number) => { id: number | undefined } | undefined) | undefined

  constructor(
    videos: Video[],
    /** Content hashes by video, where known. */
    hashes: (string | undefined)[],
    readonly ledger: Ledger | undefined,
    /** This run, when the ledger records runs (a branch). */
    readonly self?: RunRef
  ) {
    const twins = twinIndexes(hashes)
    this.entries = videos.map((video, i) => ({
      video,
      hash: hashes[i],
      twin: twins[i],
      admission: undefined,
      result: initialResult({ ...video, sha256: hashes[i] }),
      log: undefined
    }))
  }

  get results(): VideoResult[] {
    return this.entries.map(e => e.result)
  }

  ref(i: number): LedgerRef | undefined {
    const hash = this.entries[i].hash
    return this.ledger && hash ? { shownAs: this.ledger.shownAs, hash } : undefined
  }

  /** How each video enters the run: its ledger entry and its twins by the lifecycle's one rule, then the calendar. */
  decideAdmissions(wait: boolean, now: number, maxUploads: number | undefined): void {
    this.admissionsAt(wait, now, maxUploads).forEach((admission, i) => this.admitAs(i, admission))
  }

  /** The admissions decideAdmissions would give now, without giving them (the pipeline judges media by them). */
  admissionsAt(wait: boolean, now: number, maxUploads: number | undefined): Admission[] {
    const byEntry = this.entries.map((e, i) =>
      this.admissionOf(i, e.twin === undefined ? undefined : this.entries[e.twin].video.file, wait, now)
    )
    const videos = this.entries.map(e => e.video)
    return applyCalendar(byEntry, videos, now, maxUploads)
  }

  /** The admission a video enters with (decided again when another run's claim came first). */
  admitAs(i: number, admission: Admission): void {
    ;(this.entries[i] as Writable<Entry>).admission = admission
  }

  private admissionOf(i: number, twinOf: string | undefined, wait: boolean, now: number): Admission {
    const entry = this.ledgerEntry(i)
    this.decidedFrom[i] = entry
    const run = runToAsk(entry, this.self)
    const busy = busyWith(entry, this.self, run === undefined ? undefined : this.runStates.get(run), now)
    return decideAdmission(entry, twinOf, wait, this.entries[i].video.privacyLevel, busy)
  }

  private ledgerEntry(i: number): LedgerEntry | undefined {
    const hash = this.entries[i].hash
    return hash && this.ledger ? this.ledger.get(hash) : undefined
  }

  /** Asks about every other run whose upload entry this run's videos meet, once each. */
  async learnRuns(ask: ((id: string) => Promise<RunState>) | undefined): Promise<void> {
    if (!ask) return
    for (let i = 0; i < this.entries.length; i++) {
      const run = runToAsk(this.ledgerEntry(i), this.self)
      if (run !== undefined && !this.runStates.has(run)) this.runStates.set(run, await ask(run))
    }
  }

  /**
   * The UPLOADING entry, stored before the first byte. Undefined: it is, go on.
   * Otherwise the video is not sent: another run's entry got there first (decide
   * again with it), or the ledger could not be written (every upload stops).
   */
  async claim(
    i: number,
    runState: ((id: string) => Promise<RunState>) | undefined,
    now: () => number,
    wait: boolean
  ): Promise<Admission | 'refused' | undefined> {
    const before = this.entries[i].result
    const step = uploadStarting(before)
    const hash = this.entries[i].hash
    if (!this.ledger || !hash || !step.ledger || step.ledger.kind !== 'record') {
      await this.apply(i, step)
      return undefined
    }
    // The result says UPLOADING only once the entry is stored: a video never sent is never UNCONFIRMED.
    try {
      const lost = await this.ledger.claim(hash, step.ledger.entry, this.decidedFrom[i] ?? null)
      if (!lost) {
        await this.apply(i, uploadClaimed(before))
        return undefined
      }
    } catch (error) {
      await this.apply(i, ledgerUnwritable(before, (error as Error).message))
      return 'refused'
    }
    await this.learnRuns(runState)
    return this.admissionOf(i, undefined, wait, now())
  }

  /** Each video's log lines go to its own VideoLog from now on. */
  useLogs(logFor: (video: Video) => VideoLog): void {
    for (const entry of this.entries) (entry as Writable<Entry>).log = logFor(entry.video)
  }

  /**
   * The one way a result changes. A step without a ledger write takes effect at
   * once; an UPLOADING entry is on disk before the returned promise resolves.
   */
  async apply(i: number, step: Step): Promise<void> {
    const entry = this.entries[i] as Writable<Entry>
    entry.result = step.result
    if (step.halt) this.halt(step.halt)
    const hash = entry.hash
    if (step.log) entry.log?.[step.log.level](step.log.line)
    if (!step.ledger || !this.ledger || !hash) return
    const write =
      step.ledger.kind === 'record'
        ? this.ledger.record(hash, this.withDeployment(i, step.ledger.entry))
        : this.ledger.get(hash)
          ? this.ledger.forget(hash)
          : undefined
    // Only an UPLOADING entry must be on disk before the step goes on (before the first byte leaves);
    // other changes share the next write, and a failed one fails the run when it ends (Ledger.settled).
    if (step.result.status === Status.Uploading) await write
    else void write?.catch(() => undefined)
  }

  /** An upload of this run keeps its own deployment's id (or none), never an earlier upload's, which a later run would add statuses to. */
  private withDeployment(i: number, entry: Omit<LedgerEntry, 'updated_at'>): Omit<LedgerEntry, 'updated_at'> {
    const own = this.deploymentOf?.(i)
    return own ? { ...entry, deployment_id: own.id } : entry
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

  /** Where the video's upload has got (its attempts are sent through `wire(i).watch`). */
  wire(i: number): UploadWire {
    return (this.wires[i] ??= new UploadWire())
  }

  /**
   * A cancelled job: every upload under way is what the lifecycle's rule makes of how far it got,
   * at once; the ledger writes start now (await ledger.idle() for them).
   */
  interruptAll(why: string): void {
    this.entries.forEach((e, i) => void this.apply(i, interrupted(e.result, why, this.ref(i), this.wires[i]?.reach())))
  }
}

/** A ledger on a store shared by runs at once (a branch): this run, and how to ask GitHub about another. */
export interface SharedLedger {
  run: RunRef
  runState: (id: string) => Promise<RunState>
}

/** The board of the run: each video's starting result, with its content hash where the ledger or its twins need one. */
export async function openBoard(
  videos: Video[],
  store: LedgerStore | undefined,
  secrets: string[],
  shared: SharedLedger | undefined,
  /** Every video's hash, not only those the ledger or twins need (a deployment's payload names it). */
  hashAll = false
): Promise<Board> {
  const ledger = store ? await Ledger.open(store, secrets, shared?.run) : undefined
  const toHash = new Set(pathsToHash(videos, ledger !== undefined || hashAll))
  const hashes: (string | undefined)[] = []
  for (const video of videos) hashes.push(toHash.has(video.path) ? await hashFile(video.path, video.size) : undefined)
  const board = new Board(videos, hashes, ledger, shared?.run)
  // Whether the runs that left upload entries are still going, before anything is decided.
  if (shared) await board.learnRuns(shared.runState)
  return board
}

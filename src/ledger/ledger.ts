import type { LedgerEntry, LedgerStore } from '../model/ports.js'
import type { RunRef } from '../model/run.js'
import { Status } from '../model/status.js'
import { scrubStrings } from '../secrets.js'
import { FileStore } from './file-store.js'
import { EMPTY, LedgerText, parseLedger, type LedgerData } from './format.js'
import { canonical, furtherAlong } from './merge.js'

/** A write of the ledger failed: names the ledger and the problem in words (a bare ENOSPC names neither). */
class LedgerWriteError extends Error {
  constructor(shownAs: string, cause: unknown) {
    const err = cause as NodeJS.ErrnoException
    const problem = err.code ? `${WRITE_PROBLEMS[err.code] ?? err.message} (${err.code})` : err.message
    // A GitHub message often ends in a full stop of its own: one sentence, not '.;'.
    super(`The ledger ${shownAs} could not be written: ${problem.replace(/\.+$/, '')}; what it missed is in the outputs.`, { cause })
    this.name = 'LedgerWriteError'
  }
}

const WRITE_PROBLEMS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'its file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'a folder is in its place',
  ENOTDIR: 'a file is in the place of a folder on its path'
}

/** An UPLOADING entry waiting for a write: held once stored, lost when a merge finds another writer's entry there first. */
interface Claim {
  version: number
  /** The entry as stored when the claim was made (canonical), to see whether another writer changed it since. */
  base: string
  /** The claim's own entry (canonical): found stored, the claim is (a write GitHub took but answered badly). */
  entry: string
  resolve: (theirs: { entry: LedgerEntry | undefined } | undefined) => void
  reject: (error: Error) => void
}

type Lost = { entry: LedgerEntry | undefined } | undefined

/**
 * What this action has published, over a store (a file, a branch): claims,
 * writes batched while one is under way, and merges with what another writer
 * stored meanwhile. It never asks which store it has.
 */
export class Ledger {
  /** The write under way, and whether another must follow it (changes made meanwhile). */
  private writing: Promise<void> | undefined
  private next: Promise<void> | undefined
  private lazy: Promise<void> | undefined
  /** Ends the lazy wait early: a write about to start carries what it held (and a real timer must not outlive the run). */
  private lazyStop: AbortController | undefined
  private readonly text = new LedgerText()
  /** The first write that failed since the last idle(), so a write nobody awaited still fails the run. */
  private failure: Error | undefined
  /** Changes not stored yet, each with a version that moves on every change (a write carries the versions it saw). */
  private readonly unsaved = new Map<string, number>()
  /** Each unsaved entry's stored version it was made from (canonical): a merge sees whether another writer changed it since. */
  private readonly bases = new Map<string, string>()
  private version = 0
  private readonly claims = new Map<string, Claim>()
  private readonly dropped = new Map<string, string>()
  /** Entries of ours a merge gave to another writer's different entry (only a deleted branch makes one): theirs from now on. */
  private readonly givenUp = new Set<string>()

  private constructor(
    readonly store: LedgerStore,
    private data: LedgerData,
    private readonly secrets: readonly string[],
    /** The run writing, where entries name it (a store shared by runs at once). */
    private readonly run?: RunRef
  ) {}

  get shownAs(): string {
    return this.store.shownAs
  }

  /** Reads the ledger from its store; none stored yet is an empty ledger, a corrupt one an error. */
  static async open(store: LedgerStore, secrets: readonly string[] = [], run?: RunRef): Promise<Ledger> {
    const text = await store.read()
    return new Ledger(store, text === undefined ? { ...EMPTY, videos: {} } : parseLedger(text, store.shownAs), secrets, run)
  }

  /** A ledger in a file of the workspace. */
  static async load(file: string, shownAs: string, secrets: readonly string[] = []): Promise<Ledger> {
    return Ledger.open(await FileStore.at(file, shownAs), secrets)
  }

  get(hash: string): LedgerEntry | undefined {
    return this.data.videos[hash]
  }

  /**
   * Sets an entry; resolves once a write that holds it is stored. Changes made
   * while a write is under way share the next write, so a thousand videos do
   * not cost a thousand rewrites of the whole document.
   */
  record(hash: string, entry: Omit<LedgerEntry, 'updated_at'>): Promise<void> {
    const clean = scrubStrings(entry, this.secrets)
    const before = this.data.videos[hash]
    if (this.theirsNow(hash, clean.publish_id ?? null)) return Promise.resolve()
    this.touch(hash)
    this.data.videos[hash] = {
      ...before,
      ...clean,
      updated_at: new Date().toISOString(),
      ...(this.run ? { run_id: this.run.id, run_attempt: this.run.attempt } : {}),
      ...(this.run?.writer ? { writer: this.run.writer } : {})
    }
    this.changed(hash, true)
    // A status that only moved on (the publish id already stored) may ride with the next write, where a write costs.
    const movedOn = before && before.publish_id === (clean.publish_id ?? null)
    if (movedOn && clean.status !== Status.Uploading && clean.status !== Status.Unconfirmed) return this.later()
    return this.flush()
  }

  /** A change held for company: written when the store's lazy wait ends, or sooner with any write (which ends the wait). */
  private later(): Promise<void> {
    const lazy = this.store.lazy
    if (!lazy) return this.flush()
    if (!this.lazy) {
      const stop = new AbortController()
      this.lazyStop = stop
      this.lazy = lazy.clock.sleep(lazy.ms, stop.signal).then(() => {
        this.lazy = this.lazyStop = undefined
        return this.flush()
      })
    }
    return this.lazy
  }

  /**
   * Records the UPLOADING entry that must be stored before a video's first byte
   * leaves. `decidedFrom`: the entry the video's admission was decided from;
   * when a merge has changed it since, the decision is stale and nothing is
   * written. Resolves undefined once stored; with the other writer's entry when
   * the video is another run's now (decide again, send nothing); rejects when
   * it could not be written (nothing was recorded).
   */
  claim(
    hash: string,
    entry: Omit<LedgerEntry, 'updated_at'>,
    decidedFrom: LedgerEntry | null = this.data.videos[hash] ?? null
  ): Promise<Lost> {
    const now = this.data.videos[hash]
    if (canonical(now) !== canonical(decidedFrom)) return Promise.resolve({ entry: now })
    const base = canonical(now)
    // A new claim, decided from the entry as it stands: the video is this run's again if it holds.
    this.givenUp.delete(hash)
    return new Promise<Lost>((resolve, reject) => {
      void this.record(hash, entry).catch(() => undefined)
      this.claims.set(hash, { version: this.unsaved.get(hash)!, base, entry: canonical(this.data.videos[hash]), resolve, reject })
    })
  }

  forget(hash: string): Promise<void> {
    if (this.theirsNow(hash, null)) return Promise.resolve()
    if (this.data.videos[hash]) this.dropped.set(hash, this.data.videos[hash].file)
    this.touch(hash)
    delete this.data.videos[hash]
    this.changed(hash, false)
    return this.flush()
  }

  /**
   * One write: the document as it is now, again after each merge with what
   * another writer stored meanwhile, until the store takes it. Nothing to
   * carry: no write (a commit costs a request and the secondary rate limit).
   */
  private async writeToStore(): Promise<void> {
    for (;;) {
      if (this.unsaved.size === 0) return
      await this.store.ready?.()
      const carried = new Map(this.unsaved)
      const sent = [...carried.keys()].map(hash => canonical(this.data.videos[hash]))
      let stored: boolean
      try {
        stored = await this.store.write(this.text.bytes(this.data), this.named(carried))
      } catch (error) {
        this.unclaim(carried, error)
        throw error
      }
      if (stored) return this.stored(carried, sent)
      const text = await this.store.read()
      this.merge(text === undefined ? { ...EMPTY, videos: {} } : parseLedger(text, this.store.shownAs), text === undefined)
    }
  }

  /** The entries a write carries, for its description; one dropped (DraftClip certainly did not take it) named by its file. */
  private named(carried: Map<string, number>): LedgerEntry[] {
    const removed = (hash: string): LedgerEntry => ({
      file: this.dropped.get(hash) ?? hash,
      status: 'entry removed',
      publish_id: null,
      post_id: null,
      updated_at: ''
    })
    return [...carried.keys()].map(hash => this.data.videos[hash] ?? removed(hash))
  }

  /** A claim not stored is no claim: the video is not sent, and the entry goes back to what is stored. */
  private unclaim(carried: Map<string, number>, error: unknown): void {
    for (const [hash, version] of carried) {
      const claim = this.claims.get(hash)
      if (!claim || claim.version !== version) continue
      this.claims.delete(hash)
      this.restore(hash, JSON.parse(claim.base) as LedgerEntry | null)
      this.saved(hash)
      claim.reject(new LedgerWriteError(this.shownAs, error))
    }
  }

  private stored(carried: Map<string, number>, sent: string[]): void {
    let at = 0
    for (const [hash, version] of carried) {
      const written = sent[at++]
      if (this.unsaved.get(hash) === version) this.saved(hash)
      // Changed again during the write: its next write is based on this one.
      else this.bases.set(hash, written)
      const claim = this.claims.get(hash)
      if (claim && claim.version === version) {
        this.claims.delete(hash)
        claim.resolve(undefined)
      }
    }
    // Everything learned is stored: an earlier failed write no longer fails the run.
    if (this.unsaved.size === 0) this.failure = undefined
  }

  /**
   * Another writer's ledger, merged entry by entry: theirs wherever this run has
   * nothing unsaved. Where it has: a claim found stored as made is stored (a
   * write GitHub took but answered badly); a claim on an entry another writer
   * changed since it was made is lost (that video is theirs now). Any other
   * change of ours gives way to another writer's newer entry (never overwrites
   * its UPLOADING) unless ours is further along for the same publish ID.
   * `vanished`: the stored ledger is gone (its branch deleted); what this run
   * stored goes back on, or the next run would post those videos again.
   */
  private merge(theirs: LedgerData, vanished: boolean): void {
    const ours = this.data.videos
    const videos: Record<string, LedgerEntry> = { ...theirs.videos }
    if (vanished) {
      for (const [hash, entry] of Object.entries(ours)) {
        if (this.unsaved.has(hash) || !this.mine(entry)) continue
        this.unsaved.set(hash, ++this.version)
        this.bases.set(hash, canonical(null))
      }
    }
    for (const hash of [...this.unsaved.keys()]) {
      const stored = theirs.videos[hash]
      if (this.settleClaim(hash, stored)) continue
      const storedText = canonical(stored)
      const mine = ours[hash]
      const changedByOther = stored !== undefined && storedText !== this.bases.get(hash) && !this.mine(stored)
      if (storedText === canonical(mine) || (changedByOther && !furtherAlong(mine, stored))) {
        if (storedText !== canonical(mine) && mine && this.mine(mine)) this.givenUp.add(hash)
        this.saved(hash)
        continue
      }
      if (mine) videos[hash] = mine
      else delete videos[hash]
      this.bases.set(hash, storedText)
    }
    this.data = { ...this.data, videos }
    this.text.reset()
  }

  /** A claim met in a merge: stored as made (held), or another writer's entry there first (lost). True: nothing more to merge for it. */
  private settleClaim(hash: string, stored: LedgerEntry | undefined): boolean {
    const claim = this.claims.get(hash)
    if (!claim) return false
    const storedText = canonical(stored)
    if (storedText === claim.entry) {
      this.claims.delete(hash)
      claim.resolve(undefined)
      if (this.unsaved.get(hash) !== claim.version) return false
      this.saved(hash)
      return true
    }
    if (storedText === claim.base) return false
    this.claims.delete(hash)
    this.saved(hash)
    claim.resolve({ entry: stored })
    return true
  }

  /**
   * A video of ours whose entry a merge gave to another writer (our entry was lost with a deleted branch, and
   * another run claimed the video meanwhile): what we learn of our upload later must not replace their claim or
   * their publish ID, which they and others have read. Ours stays in this run's outputs. A FAILED entry of theirs
   * admits ours, and news of the same publish ID is news.
   */
  private theirsNow(hash: string, publishId: string | null): boolean {
    const theirs = this.data.videos[hash]
    if (!this.givenUp.has(hash) || !theirs || this.mine(theirs) || theirs.status === Status.Failed) return false
    return theirs.status === Status.Uploading || theirs.publish_id !== publishId
  }

  /** Written by this job (its writer id; its run and attempt where entries carry no writer). */
  private mine(entry: LedgerEntry): boolean {
    if (!this.run) return false
    if (this.run.writer !== undefined) return entry.writer === this.run.writer
    return entry.run_id === this.run.id && entry.run_attempt === this.run.attempt
  }

  /** The stored version an entry about to change was made from, kept until the change is stored. */
  private touch(hash: string): void {
    if (!this.unsaved.has(hash)) this.bases.set(hash, canonical(this.data.videos[hash]))
  }

  /** Stored (or given up for another writer's): nothing left to write for it. */
  private saved(hash: string): void {
    this.unsaved.delete(hash)
    this.bases.delete(hash)
  }

  private restore(hash: string, entry: LedgerEntry | null): void {
    if (entry) this.data.videos[hash] = entry
    else delete this.data.videos[hash]
    this.changed(hash, entry !== null)
  }

  private changed(hash: string, present: boolean): void {
    this.text.changed(hash, present)
    this.unsaved.set(hash, ++this.version)
  }

  private flush(): Promise<void> {
    this.lazyStop?.abort()
    if (this.next) return this.next
    const after = this.writing ?? Promise.resolve()
    // Each write is a whole snapshot taken when it starts: one that failed (a full disk) must not block the ones after it.
    const write = after
      .catch(() => undefined)
      // One turn of the event loop first: the changes made meanwhile (the next video's UPLOADING) share this write.
      .then(() => new Promise(resolve => setImmediate(resolve)))
      .then(() => {
        this.next = undefined
        return this.writeToStore().catch((error: unknown): never => {
          throw new LedgerWriteError(this.shownAs, error)
        })
      })
    this.next = write
    this.writing = write
    void write
      .catch((error: Error) => (this.failure ??= error))
      .then(() => {
        if (this.writing === write) this.writing = undefined
      })
    return write
  }

  /** Settles when every write asked for so far has finished (or failed); changes held back are written now. */
  async idle(): Promise<void> {
    if (this.unsaved.size > 0 && !this.writing) void this.flush().catch(() => undefined)
    await this.drain()
    // A change held for company while a write was under way (or finishing): now, not after its wait (a cancel's grace is shorter).
    if (!this.lazy) return
    void this.flush().catch(() => undefined)
    await this.drain()
  }

  private async drain(): Promise<void> {
    while (this.writing) await this.writing.catch(() => undefined)
  }

  /** Waits for every write, and throws the first that failed: a ledger that could not be written must fail the step. */
  async settled(): Promise<void> {
    // A change still held for company is the run's last write (no upload waits on it): it may wait as long as one.
    if (this.lazy) this.store.finishing?.()
    await this.idle()
    // A write that failed left its changes unsaved: one more try before the run reports them lost.
    if (this.unsaved.size > 0) {
      this.store.finishing?.()
      await this.flush().catch(() => undefined)
    }
    await this.store.settle?.().catch((error: Error) => (this.failure ??= new LedgerWriteError(this.shownAs, error)))
    const failure = this.failure
    this.failure = undefined
    if (failure) throw failure
  }
}

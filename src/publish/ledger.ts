import type { LedgerEntry, LedgerStore } from '../model/ports.js'
import { Status } from '../model/status.js'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { scrubStrings } from '../secrets.js'

interface LedgerData {
  version: 1
  videos: Record<string, LedgerEntry>
}

export class LedgerError extends Error {
  constructor(file: string, problem: string) {
    super(`The ledger ${file} ${problem}. It was left untouched and nothing was uploaded; fix or restore it, then run again.`)
    this.name = 'LedgerError'
  }
}

/** A write of the ledger failed: names the ledger and the problem in words (a bare ENOSPC names neither). */
class LedgerWriteError extends Error {
  constructor(shownAs: string, cause: unknown) {
    const err = cause as NodeJS.ErrnoException
    const problem = err.code ? `${WRITE_PROBLEMS[err.code] ?? err.message} (${err.code})` : err.message
    super(`The ledger ${shownAs} could not be written: ${problem}; what it missed is in the outputs.`, { cause })
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

const SHA256 = /^[0-9a-f]{64}$/

/** Parses and checks a ledger's text; a ledger we do not fully understand is never used or overwritten. */
export function parseLedger(text: string, file: string): LedgerData {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new LedgerError(file, `is not valid JSON (${(error as Error).message})`)
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
  if (!isObject(data) || data.version !== 1 || !isObject(data.videos)) {
    throw new LedgerError(file, 'is not a draftclip-publish ledger (expected {"version": 1, "videos": {...}})')
  }
  for (const [hash, entry] of Object.entries(data.videos)) {
    if (!SHA256.test(hash)) throw new LedgerError(file, `has a key that is not a SHA-256: '${hash}'`)
    const ok =
      isObject(entry) &&
      typeof entry.status === 'string' &&
      typeof entry.file === 'string' &&
      (entry.publish_id === null || typeof entry.publish_id === 'string') &&
      (entry.post_id === null || typeof entry.post_id === 'string')
    if (!ok) throw new LedgerError(file, `has an entry for ${hash} without file, status, publish_id and post_id`)
    if (entry.privacy_level !== undefined && typeof entry.privacy_level !== 'string') {
      throw new LedgerError(file, `has an entry for ${hash} whose privacy_level is not a string`)
    }
  }
  return data as unknown as LedgerData
}

/** An UPLOADING entry waiting for a write: held once stored, lost when a merge finds another writer's entry there first. */
interface Claim {
  version: number
  /** The entry as stored when the claim was made (JSON), to see whether another writer changed it since. */
  base: string
  /** The claim's own entry (JSON): found stored, the claim is (a write GitHub took but answered badly). */
  entry: string
  resolve: (theirs: { entry: LedgerEntry | undefined } | undefined) => void
  reject: (error: Error) => void
}

export class Ledger {
  /** The write on disk now, and whether another must follow it (changes made meanwhile). */
  private writing: Promise<void> | undefined
  private next: Promise<void> | undefined
  /** Each entry's lines, made once until the entry changes. */
  private readonly serialized = new Map<string, string>()
  /**
   * The keys, sorted, in buckets by their first two characters (256 for SHA-256s), each with its
   * entries' bytes: a change makes one bucket anew and a write copies the buckets, not thousands
   * of entries (a 2,000-video run writes the file 2,000 times). Made on the first write.
   */
  private buckets: Map<string, Bucket> | undefined
  private prefixes: string[] = []
  /** The bytes of the last write, reused: writes never overlap, and a fresh 500 KB per write is garbage for the GC. */
  private scratch = Buffer.alloc(0)
  /** The ledger's folder, made once (again only if it goes away). */
  private folder: Promise<unknown> | undefined
  /** Written since the last fsync: settled() makes the final state durable. */
  private unsynced = false
  /** The first write that failed since the last idle(), so a write nobody awaited still fails the run. */
  private failure: Error | undefined

  /** A store's changes not stored yet, each with a version that moves on every change (a write carries the versions it saw). */
  private readonly unsaved = new Map<string, number>()
  /** Each unsaved entry's stored version it was made from (JSON): a merge sees whether another writer changed it since. */
  private readonly bases = new Map<string, string>()
  private version = 0
  private readonly claims = new Map<string, Claim>()
  private readonly dropped = new Map<string, string>()

  private constructor(
    /** The file written: the target when the ledger is a symbolic link, so the link keeps pointing at it. */
    readonly file: string,
    readonly shownAs: string,
    private data: LedgerData,
    private readonly secrets: readonly string[],
    /** Set for a ledger kept elsewhere than in a file (a branch); its entries then name the run that wrote them. */
    private readonly store?: LedgerStore,
    private readonly run?: LedgerRun
  ) {}

  /** Reads a ledger from a store (a branch); none stored yet is an empty ledger. */
  static async open(store: LedgerStore, secrets: readonly string[] = [], run?: LedgerRun): Promise<Ledger> {
    const text = await store.read()
    const data = text === undefined ? { version: 1 as const, videos: {} } : parseLedger(text, store.shownAs)
    return new Ledger(store.shownAs, store.shownAs, data, secrets, store, run)
  }

  /** Reads the ledger; a missing file is an empty ledger, an unreadable or corrupt one is an error. */
  static async load(file: string, shownAs: string, secrets: readonly string[] = []): Promise<Ledger> {
    let target: string
    try {
      target = await fs.realpath(file)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // A link to a ledger not written yet: it is created where the link points.
      if (code === 'ENOENT') target = await linkTarget(file)
      else throw new LedgerError(shownAs, `cannot be read (${code})`)
    }
    let text: string
    try {
      text = await fs.readFile(target, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return new Ledger(target, shownAs, { version: 1, videos: {} }, secrets)
      throw new LedgerError(shownAs, `cannot be read (${code})`)
    }
    return new Ledger(target, shownAs, parseLedger(text, shownAs), secrets)
  }

  get(hash: string): LedgerEntry | undefined {
    return this.data.videos[hash]
  }

  /**
   * Sets an entry; resolves once a write that holds it is on disk. Changes
   * made while a write is under way share the next write, so a thousand videos
   * do not cost a thousand rewrites of the whole file.
   */
  record(hash: string, entry: Omit<LedgerEntry, 'updated_at'>): Promise<void> {
    const clean = scrubStrings(entry, this.secrets)
    const before = this.data.videos[hash]
    this.touch(hash)
    this.data.videos[hash] = {
      ...before,
      ...clean,
      updated_at: new Date().toISOString(),
      ...(this.run ? { run_id: this.run.id, run_attempt: this.run.attempt } : {}),
      ...(this.run?.writer ? { writer: this.run.writer } : {})
    }
    this.changed(hash, true)
    // A store's commit costs a request of GitHub's content-creation limit: a status that only moved on
    // (the publish id already stored) rides with the next write, or is written LAZY_MS later at most.
    if (
      this.store &&
      before &&
      before.publish_id === (clean.publish_id ?? null) &&
      clean.status !== Status.Uploading &&
      clean.status !== Status.Unconfirmed
    ) {
      return this.later()
    }
    return this.flush()
  }

  private lazy: Promise<void> | undefined

  private later(): Promise<void> {
    this.lazy ??= new Promise<void>(resolve => setTimeout(resolve, LAZY_MS).unref()).then(() => {
      this.lazy = undefined
      return this.flush()
    })
    return this.lazy
  }

  /**
   * Records the UPLOADING entry that must be stored before a video's first byte
   * leaves. Resolves undefined once it is stored; with the other writer's entry
   * when a merge found the video taken by another run meanwhile (decide again,
   * send nothing); rejects when it could not be written (nothing was recorded).
   */
  claim(
    hash: string,
    entry: Omit<LedgerEntry, 'updated_at'>,
    decidedFrom: LedgerEntry | null = this.data.videos[hash] ?? null
  ): Promise<{ entry: LedgerEntry | undefined } | undefined> {
    // A merge since the decision brought another writer's entry: the decision is stale, the video decided again.
    const now = this.data.videos[hash]
    if (canonical(now) !== canonical(decidedFrom)) return Promise.resolve({ entry: now })
    const base = JSON.stringify(this.data.videos[hash] ?? null)
    if (!this.store) {
      const claimed = this.data.videos[hash]
      return this.record(hash, entry).then(
        () => undefined,
        (error: Error) => {
          // Not on disk, so no claim: a later write must not record an upload that never began.
          if (this.data.videos[hash] !== claimed && this.data.videos[hash]?.status === Status.Uploading)
            this.restore(hash, JSON.parse(base) as LedgerEntry | null)
          throw error
        }
      )
    }
    const claimed = new Promise<{ entry: LedgerEntry | undefined } | undefined>((resolve, reject) => {
      void this.record(hash, entry).catch(() => undefined)
      this.claims.set(hash, { version: this.unsaved.get(hash)!, base, entry: canonical(this.data.videos[hash]), resolve, reject })
    })
    return claimed
  }

  forget(hash: string): Promise<void> {
    if (this.store && this.data.videos[hash]) this.dropped.set(hash, this.data.videos[hash].file)
    this.touch(hash)
    delete this.data.videos[hash]
    this.changed(hash, false)
    return this.flush()
  }

  /**
   * A store's write: the document as it is now, again after each merge with
   * what another writer stored meanwhile, until the store takes it. Nothing to
   * carry: no write (a commit costs a request and the secondary rate limit).
   */
  private async writeToStore(store: LedgerStore): Promise<void> {
    for (;;) {
      if (this.unsaved.size === 0) return
      await store.ready?.()
      const carried = new Map(this.unsaved)
      // An entry dropped (DraftClip certainly did not take the video) is named by its file in the commit message.
      const entries = [...carried.keys()].map(
        hash =>
          this.data.videos[hash] ?? {
            file: this.dropped.get(hash) ?? hash,
            status: 'entry removed',
            publish_id: null,
            post_id: null,
            updated_at: ''
          }
      )
      const sent = [...carried.keys()].map(hash => canonical(this.data.videos[hash]))
      let stored: boolean
      try {
        stored = await store.write(this.bytes(), entries)
      } catch (error) {
        // A claim not stored is no claim: the video is not sent, and the entry goes back to what is stored.
        for (const [hash, version] of carried) {
          const claim = this.claims.get(hash)
          if (!claim || claim.version !== version) continue
          this.claims.delete(hash)
          this.restore(hash, JSON.parse(claim.base) as LedgerEntry | null)
          this.saved(hash)
          claim.reject(new LedgerWriteError(this.shownAs, error))
        }
        throw error
      }
      if (stored) {
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
        return
      }
      const text = await store.read()
      this.merge(text === undefined ? { version: 1, videos: {} } : parseLedger(text, store.shownAs), text === undefined)
    }
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
      const storedText = canonical(stored)
      const claim = this.claims.get(hash)
      if (claim && storedText === claim.entry) {
        this.claims.delete(hash)
        claim.resolve(undefined)
        if (this.unsaved.get(hash) === claim.version) {
          this.saved(hash)
          continue
        }
      } else if (claim && storedText !== canonical(JSON.parse(claim.base) as LedgerEntry | null)) {
        this.claims.delete(hash)
        this.saved(hash)
        claim.resolve({ entry: stored })
        continue
      }
      const mine = ours[hash]
      const changedByOther = stored !== undefined && storedText !== this.bases.get(hash) && !this.mine(stored)
      if (storedText === canonical(mine) || (changedByOther && !furtherAlong(mine, stored))) {
        this.saved(hash)
        continue
      }
      if (mine) videos[hash] = mine
      else delete videos[hash]
      this.bases.set(hash, storedText)
    }
    this.data = { ...this.data, videos }
    this.serialized.clear()
    this.buckets = undefined
  }

  /** Written by this job (its writer id; its run and attempt where entries carry no writer). */
  private mine(entry: LedgerEntry): boolean {
    if (!this.run) return false
    if (this.run.writer !== undefined) return entry.writer === this.run.writer
    return entry.run_id === this.run.id && entry.run_attempt === this.run.attempt
  }

  /** The stored version an entry about to change was made from, kept until the change is stored. */
  private touch(hash: string): void {
    if (this.store && !this.unsaved.has(hash)) this.bases.set(hash, canonical(this.data.videos[hash]))
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

  /** An entry set or gone: its text and its bucket's bytes are made anew on the next write. */
  private changed(hash: string, present: boolean): void {
    this.serialized.delete(hash)
    if (this.store) this.unsaved.set(hash, ++this.version)
    if (!this.buckets) return
    const bucket = this.bucket(hash)
    bucket.text = undefined
    const at = sortedIndex(bucket.keys, hash)
    const there = bucket.keys[at] === hash
    if (present && !there) bucket.keys.splice(at, 0, hash)
    if (!present && there) bucket.keys.splice(at, 1)
  }

  private bucket(hash: string): Bucket {
    const prefix = hash.slice(0, 2)
    let bucket = this.buckets!.get(prefix)
    if (!bucket) {
      bucket = { keys: [], text: undefined, bytes: 0 }
      this.buckets!.set(prefix, bucket)
      this.prefixes.splice(sortedIndex(this.prefixes, prefix), 0, prefix)
    }
    return bucket
  }

  private flush(): Promise<void> {
    if (this.next) return this.next
    const after = this.writing ?? Promise.resolve()
    // Each write is a whole snapshot taken when it starts: one that failed (a full disk) must not block the ones after it.
    const write = after
      .catch(() => undefined)
      // One turn of the event loop first: the changes made meanwhile (the next video's UPLOADING) share this write.
      .then(() => new Promise(resolve => setImmediate(resolve)))
      .then(() => {
        this.next = undefined
        const failed = (error: unknown): never => {
          throw new LedgerWriteError(this.shownAs, error)
        }
        if (this.store) return this.writeToStore(this.store).catch(failed)
        this.unsynced = true
        return this.writeAtomic(this.bytes()).catch(failed)
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

  /** The ledger's bytes (in the reused scratch buffer): keys sorted, each entry serialized once until it changes. */
  private bytes(): Buffer {
    if (!this.buckets) {
      this.buckets = new Map()
      this.prefixes = []
      for (const hash of Object.keys(this.data.videos).sort()) this.bucket(hash).keys.push(hash)
    }
    let at = 0
    // Text is encoded straight into the scratch buffer: no Buffer per write or per bucket for the GC to find late.
    const put = (text: string, bytes = Buffer.byteLength(text)): void => {
      if (at + bytes > this.scratch.length) {
        const grown = Buffer.allocUnsafeSlow(Math.max(at + bytes, 2 * this.scratch.length, 64 * 1024))
        this.scratch.copy(grown, 0, 0, at)
        this.scratch = grown
      }
      at += this.scratch.write(text, at)
    }
    put('{\n  "version": 1,\n  "videos": ')
    let entries = false
    for (const prefix of this.prefixes) {
      const bucket = this.buckets.get(prefix)!
      if (bucket.keys.length === 0) continue
      if (bucket.text === undefined) {
        bucket.text = bucket.keys.map(hash => this.entryText(hash)).join(',\n')
        bucket.bytes = Buffer.byteLength(bucket.text)
      }
      put(entries ? ',\n' : '{\n')
      put(bucket.text, bucket.bytes)
      entries = true
    }
    const { version: _version, videos: _videos, ...rest } = this.data as LedgerData & Record<string, unknown>
    const extra = Object.entries(rest).map(([k, v]) => `,\n  ${JSON.stringify(k)}: ${JSON.stringify(v, null, 2).replace(/\n/g, '\n  ')}`)
    put(`${entries ? '\n  }' : '{}'}${extra.join('')}\n}\n`)
    return this.scratch.subarray(0, at)
  }

  private entryText(hash: string): string {
    let text = this.serialized.get(hash)
    if (text === undefined) {
      text = `    ${JSON.stringify(hash)}: ${JSON.stringify(first(this.data.videos[hash], ENTRY_KEYS), null, 2).replace(/\n/g, '\n    ')}`
      this.serialized.set(hash, text)
    }
    return text
  }

  /**
   * The whole document to a temporary file, renamed over the ledger: a reader (or a
   * killed run's next one) sees the old ledger or the new one, never part of one.
   * No fsync per write: what a write() and rename() left in the page cache
   * outlives the process (a cancelled or crashed run), which is the failure this
   * guards against; settled() syncs the final state once.
   */
  private async writeAtomic(bytes: Uint8Array): Promise<void> {
    const temp = `${this.file}.${process.pid}.tmp`
    for (let attempt = 0; ; attempt++) {
      this.folder ??= fs.mkdir(path.dirname(this.file), { recursive: true }).catch((error: Error) => {
        this.folder = undefined
        throw error
      })
      await this.folder
      try {
        await fs.writeFile(temp, bytes)
        break
      } catch (error) {
        // A part written before the disk filled must not be left for a commit step to pick up.
        await fs.rm(temp, { force: true }).catch(() => undefined)
        // The folder went away meanwhile: make it again, once.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 0) throw error
        this.folder = undefined
      }
    }
    try {
      await fs.rename(temp, this.file)
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined)
      throw error
    }
  }

  /** The ledger's bytes flushed to the disk once, when the run is done with it (its folder is not synced: a lost VM loses the step that commits it anyway). */
  private async sync(): Promise<void> {
    if (!this.unsynced) return
    this.unsynced = false
    const handle = await fs.open(this.file, 'r+')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  }

  /** Settles when every write asked for so far has finished (or failed); a store's changes held back are written now. */
  async idle(): Promise<void> {
    if (this.store && this.unsaved.size > 0 && !this.writing) void this.flush().catch(() => undefined)
    while (this.writing) await this.writing.catch(() => undefined)
  }

  /** Waits for every write, and throws the first that failed: a ledger that could not be written must fail the step. */
  async settled(): Promise<void> {
    await this.idle()
    // A store's write that failed left its changes unsaved: one more try before the run reports them lost.
    if (this.store && this.unsaved.size > 0) {
      this.store.finishing?.()
      await this.flush().catch(() => undefined)
    }
    await this.sync().catch((error: Error) => (this.failure ??= new LedgerWriteError(this.shownAs, error)))
    const failure = this.failure
    this.failure = undefined
    if (failure) throw failure
  }
}

/** Where a symbolic link that points at nothing yet would have its file; the path itself when it is no link. */
async function linkTarget(file: string): Promise<string> {
  try {
    const target = await fs.readlink(file)
    return path.resolve(path.dirname(file), target)
  } catch {
    return file
  }
}

/** The writer a store's entries name: the run, its attempt, and the job (matrix jobs share the first two). */
export interface LedgerRun {
  id: string
  attempt: number
  writer?: string
}

/** How far along an entry is: an upload under way, DraftClip processing, a final status, a final status with its post. */
function progress(entry: LedgerEntry): number {
  if (entry.status === 'UPLOADING' || entry.status === 'UNCONFIRMED' || !entry.publish_id) return 0
  if (!['PUBLISH_COMPLETE', 'FAILED', 'SEND_TO_USER_INBOX'].includes(entry.status)) return 1
  return entry.post_id ? 3 : 2
}

/**
 * Ours strictly further along than theirs for the same publish ID: what we learned is newer than
 * what they stored. An UNCONFIRMED entry without one (another run gave up on ours) yields to the
 * publish ID that confirms it: a publish ID is never lost.
 */
function furtherAlong(ours: LedgerEntry | undefined, theirs: LedgerEntry): boolean {
  if (!ours?.publish_id || theirs.status === 'UPLOADING') return false
  if (theirs.status === 'UNCONFIRMED' && !theirs.publish_id) return true
  return ours.publish_id === theirs.publish_id && progress(ours) > progress(theirs)
}

/** An entry's content whatever the order of its keys (a hand edit, or our rewrite of one), to see whether another writer changed it. */
function canonical(entry: LedgerEntry | null | undefined): string {
  return JSON.stringify(entry ? Object.fromEntries(Object.entries(entry).sort(([a], [b]) => (a < b ? -1 : 1))) : null)
}

/** Keys sharing their first two characters, sorted, and their entries' text (made anew after a change) and its UTF-8 length. */
interface Bucket {
  keys: string[]
  text: string | undefined
  bytes: number
}

/** How long a store's change that needs no haste (a status after the publish id) may wait for company. */
const LAZY_MS = 10_000

const ENTRY_KEYS = ['file', 'status', 'publish_id', 'post_id', 'fail_reason', 'updated_at', 'run_id', 'run_attempt', 'writer']

/** A stable key order keeps diffs small when the ledger is committed back; keys added by hand are kept, after ours. */
function first<T extends object>(value: T, keys: string[]): T {
  const out: Record<string, unknown> = {}
  for (const key of keys) if (key in value) out[key] = (value as Record<string, unknown>)[key]
  return Object.assign(out, value)
}

/** Where `key` goes in a sorted array (or where it is): the order of Array.prototype.sort(). */
function sortedIndex(sorted: string[], key: string): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

import { createHash } from 'node:crypto'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { readChunks } from './videos.js'

/**
 * The ledger: what this action has published, keyed by the SHA-256 of each
 * video's bytes, so that a re-run never posts the same video twice.
 */

/** Written before the upload starts; still there means a run died not knowing the outcome. */
export const UPLOADING = 'UPLOADING'
/** The upload may or may not have been taken by DraftClip. */
export const UNCONFIRMED = 'UNCONFIRMED'

export interface LedgerEntry {
  file: string
  status: string
  publish_id: string | null
  post_id: string | null
  fail_reason?: string | null
  updated_at: string
}

export interface LedgerData {
  version: 1
  videos: Record<string, LedgerEntry>
}

export class LedgerError extends Error {
  constructor(file: string, problem: string) {
    super(`The ledger ${file} ${problem}. It was left untouched and nothing was uploaded; fix or restore it, then run again.`)
    this.name = 'LedgerError'
  }
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
  }
  return data as unknown as LedgerData
}

export type LedgerDecision = { action: 'upload' } | { action: 'skip'; entry: LedgerEntry } | { action: 'unconfirmed'; entry: LedgerEntry }

/** What to do with a video given its ledger entry. */
export function decide(entry: LedgerEntry | undefined): LedgerDecision {
  if (!entry) return { action: 'upload' }
  // TikTok refused it: publishing it again is a new attempt, not a duplicate.
  if (entry.status === 'FAILED') return { action: 'upload' }
  // DraftClip took it (published, in the inbox, or still processing): never again.
  if (entry.publish_id) return { action: 'skip', entry }
  return { action: 'unconfirmed', entry }
}

export function releaseHint(ledgerFile: string, hash: string): string {
  return `If it is not on TikTok (check the account and DraftClip's dashboard), delete the entry "${hash}" from ${ledgerFile} and run again.`
}

/** The SHA-256 of a file's first `size` bytes, read through the same reused buffers as the upload. */
export async function hashFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256')
  for await (const { chunk } of readChunks(file, size)) hash.update(chunk)
  return hash.digest('hex')
}

export class Ledger {
  private writes: Promise<void> = Promise.resolve()

  private constructor(
    readonly file: string,
    readonly shownAs: string,
    private readonly data: LedgerData
  ) {}

  /** Reads the ledger; a missing file is an empty ledger, an unreadable or corrupt one is an error. */
  static async load(file: string, shownAs: string): Promise<Ledger> {
    let text: string
    try {
      text = await fs.readFile(file, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return new Ledger(file, shownAs, { version: 1, videos: {} })
      throw new LedgerError(shownAs, `cannot be read (${code})`)
    }
    return new Ledger(file, shownAs, parseLedger(text, shownAs))
  }

  get(hash: string): LedgerEntry | undefined {
    return this.data.videos[hash]
  }

  /** Sets an entry and writes the whole ledger atomically; writes are queued so they never interleave. */
  record(hash: string, entry: Omit<LedgerEntry, 'updated_at'>): Promise<void> {
    this.data.videos[hash] = { ...this.data.videos[hash], ...entry, updated_at: new Date().toISOString() }
    return this.flush()
  }

  forget(hash: string): Promise<void> {
    delete this.data.videos[hash]
    return this.flush()
  }

  private flush(): Promise<void> {
    const text = JSON.stringify(ordered(this.data), null, 2) + '\n'
    // Each write is a whole snapshot: one that failed (a full disk) must not block the ones after it.
    const write = this.writes.catch(() => undefined).then(() => writeAtomic(this.file, text))
    this.writes = write
    return write
  }

  /** Settles when every write asked for so far has finished (or failed). */
  idle(): Promise<void> {
    return this.writes.catch(() => undefined)
  }
}

const ENTRY_KEYS = ['file', 'status', 'publish_id', 'post_id', 'fail_reason', 'updated_at']

/**
 * A stable key order keeps diffs small when the ledger is committed back;
 * keys we do not know (a note added by hand) are kept, after ours.
 */
function ordered(data: LedgerData): LedgerData {
  const first = <T extends object>(value: T, keys: string[]): T => {
    const out: Record<string, unknown> = {}
    for (const key of keys) if (key in value) out[key] = (value as Record<string, unknown>)[key]
    return Object.assign(out, value)
  }
  const videos: Record<string, LedgerEntry> = {}
  for (const hash of Object.keys(data.videos).sort()) videos[hash] = first(data.videos[hash], ENTRY_KEYS)
  return first({ ...data, videos }, ['version', 'videos'])
}

async function writeAtomic(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.tmp`
  const handle = await fs.open(temp, 'w')
  try {
    await handle.writeFile(text)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await fs.rename(temp, file)
}

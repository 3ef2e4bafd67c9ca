import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { scrubStrings } from '../secrets.js'

/**
 * The ledger: what this action has published, keyed by the SHA-256 of each
 * video's bytes, so that a re-run never posts the same video twice.
 */

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

export class Ledger {
  /** The write on disk now, and whether another must follow it (changes made meanwhile). */
  private writing: Promise<void> | undefined
  private next: Promise<void> | undefined
  private readonly serialized = new Map<string, string>()
  /** The entries' keys in order, kept sorted as entries come and go (sorting thousands per write costs seconds). */
  private sorted: string[] | undefined
  /** The first write that failed since the last idle(), so a write nobody awaited still fails the run. */
  private failure: Error | undefined

  private constructor(
    /** The file written: the target when the ledger is a symbolic link, so the link keeps pointing at it. */
    readonly file: string,
    readonly shownAs: string,
    private readonly data: LedgerData,
    private readonly secrets: readonly string[]
  ) {}

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
    if (!(hash in this.data.videos)) this.sorted = undefined
    this.data.videos[hash] = {
      ...this.data.videos[hash],
      ...clean,
      updated_at: new Date().toISOString()
    }
    this.serialized.delete(hash)
    return this.flush()
  }

  forget(hash: string): Promise<void> {
    delete this.data.videos[hash]
    this.serialized.delete(hash)
    this.sorted = undefined
    return this.flush()
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
        return writeAtomic(this.file, this.text())
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

  /** The ledger's text: keys sorted, each entry serialized once until it changes. */
  private text(): string {
    this.sorted ??= Object.keys(this.data.videos).sort()
    const parts = this.sorted.map(hash => {
      let text = this.serialized.get(hash)
      if (text === undefined) {
        text = JSON.stringify(hash) + ': ' + JSON.stringify(first(this.data.videos[hash], ENTRY_KEYS), null, 2).replace(/\n/g, '\n    ')
        this.serialized.set(hash, text)
      }
      return '    ' + text
    })
    const { version: _version, videos: _videos, ...rest } = this.data as LedgerData & Record<string, unknown>
    const extra = Object.entries(rest).map(([k, v]) => `,\n  ${JSON.stringify(k)}: ${JSON.stringify(v, null, 2).replace(/\n/g, '\n  ')}`)
    const videos = parts.length === 0 ? '{}' : `{\n${parts.join(',\n')}\n  }`
    return `{\n  "version": 1,\n  "videos": ${videos}${extra.join('')}\n}\n`
  }

  /** Settles when every write asked for so far has finished (or failed). */
  async idle(): Promise<void> {
    while (this.writing) await this.writing.catch(() => undefined)
  }

  /** Waits for every write, and throws the first that failed: a ledger that could not be written must fail the step. */
  async settled(): Promise<void> {
    await this.idle()
    const failure = this.failure
    this.failure = undefined
    if (failure)
      throw new Error(
        `The ledger ${this.shownAs} could not be written (${(failure as NodeJS.ErrnoException).code ?? failure.message}); what it missed is in the outputs.`
      )
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

const ENTRY_KEYS = ['file', 'status', 'publish_id', 'post_id', 'fail_reason', 'updated_at']

/** A stable key order keeps diffs small when the ledger is committed back; keys added by hand are kept, after ours. */
function first<T extends object>(value: T, keys: string[]): T {
  const out: Record<string, unknown> = {}
  for (const key of keys) if (key in value) out[key] = (value as Record<string, unknown>)[key]
  return Object.assign(out, value)
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

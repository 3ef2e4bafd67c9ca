import type { LedgerEntry } from '../model/ports.js'

/**
 * The ledger's text: parsed and checked whole (a ledger we do not fully
 * understand is never used or overwritten), and written with sorted keys and
 * a stable key order, so that a ledger committed back makes small diffs.
 */

export interface LedgerData {
  version: 1
  videos: Record<string, LedgerEntry>
}

export const EMPTY: LedgerData = { version: 1, videos: {} }

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
    if (entry.privacy_level !== undefined && typeof entry.privacy_level !== 'string') {
      throw new LedgerError(file, `has an entry for ${hash} whose privacy_level is not a string`)
    }
  }
  return data as unknown as LedgerData
}

/** Keys sharing their first two characters, sorted, and their entries' text (made anew after a change) and its UTF-8 length. */
interface Bucket {
  keys: string[]
  text: string | undefined
  bytes: number
}

const ENTRY_KEYS = ['file', 'status', 'publish_id', 'post_id', 'fail_reason', 'updated_at', 'run_id', 'run_attempt', 'writer']

/**
 * A ledger's bytes, kept between writes: the keys, sorted, in buckets by their first two characters
 * (256 for SHA-256s), each with its entries' bytes. A change makes one bucket anew and a write copies
 * the buckets, not thousands of entries (a 2,000-video run writes the file 2,000 times).
 */
export class LedgerText {
  /** Each entry's lines, made once until the entry changes. */
  private readonly serialized = new Map<string, string>()
  /** Made on the first write. */
  private buckets: Map<string, Bucket> | undefined
  private prefixes: string[] = []
  /** The bytes of the last write, reused: writes never overlap, and a fresh 500 KB per write is garbage for the GC. */
  private scratch = Buffer.alloc(0)

  /** The whole document changed (a merge): everything is made anew on the next write. */
  reset(): void {
    this.serialized.clear()
    this.buckets = undefined
  }

  /** An entry set or gone: its text and its bucket's bytes are made anew on the next write. */
  changed(hash: string, present: boolean): void {
    this.serialized.delete(hash)
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

  /** The ledger's bytes (in the reused scratch buffer): keys sorted, each entry serialized once until it changes. */
  bytes(data: LedgerData): Buffer {
    if (!this.buckets) {
      this.buckets = new Map()
      this.prefixes = []
      for (const hash of Object.keys(data.videos).sort()) this.bucket(hash).keys.push(hash)
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
        bucket.text = bucket.keys.map(hash => this.entryText(hash, data.videos[hash])).join(',\n')
        bucket.bytes = Buffer.byteLength(bucket.text)
      }
      put(entries ? ',\n' : '{\n')
      put(bucket.text, bucket.bytes)
      entries = true
    }
    const { version: _version, videos: _videos, ...rest } = data as LedgerData & Record<string, unknown>
    const extra = Object.entries(rest).map(([k, v]) => `,\n  ${JSON.stringify(k)}: ${JSON.stringify(v, null, 2).replace(/\n/g, '\n  ')}`)
    put(`${entries ? '\n  }' : '{}'}${extra.join('')}\n}\n`)
    return this.scratch.subarray(0, at)
  }

  private entryText(hash: string, entry: LedgerEntry): string {
    let text = this.serialized.get(hash)
    if (text === undefined) {
      text = `    ${JSON.stringify(hash)}: ${JSON.stringify(first(entry, ENTRY_KEYS), null, 2).replace(/\n/g, '\n    ')}`
      this.serialized.set(hash, text)
    }
    return text
  }
}

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

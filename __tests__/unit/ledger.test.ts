import { describe, it, expect, beforeEach, afterEach } from '@jest/globals'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { LedgerError, parseLedger } from '../../src/ledger/format.js'
import { type FileStore } from '../../src/ledger/file-store.js'
import { Ledger } from '../../src/ledger/ledger.js'
import type { LedgerEntry, LedgerStore } from '../../src/model/ports.js'
import { Status } from '../../src/model/status.js'
import { FakeClock } from '../support/fake-clock.js'

const UPLOADING = Status.Uploading

const H1 = 'a'.repeat(64)
const H2 = '0123456789abcdef'.repeat(4)
const sha = (i: number): string => createHash('sha256').update(String(i)).digest('hex')

const entry = (over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  file: 'videos/a.mp4',
  status: 'PUBLISH_COMPLETE',
  publish_id: 'v_pub',
  post_id: '7123456789012345678',
  fail_reason: null,
  updated_at: '2030-01-01T00:00:00.000Z',
  ...over
})

function ledgerError(fn: () => unknown): LedgerError {
  let caught: unknown
  try {
    fn()
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(LedgerError)
  return caught as LedgerError
}

describe('parseLedger', () => {
  it('accepts a valid ledger', () => {
    const data = { version: 1, videos: { [H1]: entry(), [H2]: entry({ status: UPLOADING, publish_id: null, post_id: null }) } }
    expect(parseLedger(JSON.stringify(data), 'ledger.json')).toEqual(data)
  })

  it('accepts an empty ledger', () => {
    expect(parseLedger('{"version": 1, "videos": {}}', 'l.json')).toEqual({ version: 1, videos: {} })
  })

  it('rejects invalid JSON, naming the file and saying it was left untouched', () => {
    const error = ledgerError(() => parseLedger('{"version": 1, ', '.draftclip/ledger.json'))
    expect(error.name).toBe('LedgerError')
    expect(error.message).toMatch(/^The ledger \.draftclip\/ledger\.json is not valid JSON \(/)
    expect(error.message).toContain('left untouched and nothing was uploaded')
  })

  it.each([
    ['version 2', { version: 2, videos: {} }],
    ['version "1"', { version: '1', videos: {} }],
    ['no version', { videos: {} }],
    ['videos an array', { version: 1, videos: [] }],
    ['videos null', { version: 1, videos: null }],
    ['no videos', { version: 1 }],
    ['an array', [1]],
    ['null', null],
    ['a number', 1]
  ])('rejects %s as not a ledger', (_what, data) => {
    expect(ledgerError(() => parseLedger(JSON.stringify(data), 'l.json')).message).toContain(
      'The ledger l.json is not a draftclip-publish ledger (expected {"version": 1, "videos": {...}})'
    )
  })

  it.each([['A'.repeat(64)], ['a'.repeat(63)], ['a'.repeat(65)], ['videos/a.mp4'], ['g'.repeat(64)]])('rejects the key %s', key => {
    const text = JSON.stringify({ version: 1, videos: { [key]: entry() } })
    expect(ledgerError(() => parseLedger(text, 'l.json')).message).toContain(`has a key that is not a SHA-256: '${key}'`)
  })

  it.each([
    ['no file', { status: 'X', publish_id: null, post_id: null }],
    ['no status', { file: 'a', publish_id: null, post_id: null }],
    ['numeric status', { file: 'a', status: 1, publish_id: null, post_id: null }],
    ['missing publish_id', { file: 'a', status: 'X', post_id: null }],
    ['numeric publish_id', { file: 'a', status: 'X', publish_id: 5, post_id: null }],
    ['missing post_id', { file: 'a', status: 'X', publish_id: null }],
    ['numeric post_id', { file: 'a', status: 'X', publish_id: null, post_id: 7123456789 }],
    ['a string entry', 'PUBLISH_COMPLETE'],
    ['null', null],
    ['an array', []]
  ])('rejects an entry with %s', (_what, bad) => {
    const text = JSON.stringify({ version: 1, videos: { [H1]: entry(), [H2]: bad } })
    expect(ledgerError(() => parseLedger(text, 'l.json')).message).toContain(
      `has an entry for ${H2} without file, status, publish_id and post_id`
    )
  })
})

describe('Ledger on disk', () => {
  let dir: string
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-ledger-'))
  })
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const tmpFiles = (d: string): string[] => fs.readdirSync(d).filter(f => f.endsWith('.tmp'))

  it('a missing file is an empty ledger, and loading does not create it', async () => {
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    expect(ledger.get(H1)).toBeUndefined()
    expect((ledger.store as FileStore).file).toBe(file)
    expect(ledger.shownAs).toBe('ledger.json')
    expect(fs.existsSync(file)).toBe(false)
  })

  it('a corrupt file throws a LedgerError naming it as shown, and is left byte for byte', async () => {
    const file = path.join(dir, 'ledger.json')
    const bytes = Buffer.from('{"version": 1, "videos": {\n  "oops": \n', 'utf8')
    fs.writeFileSync(file, bytes)
    const before = fs.statSync(file).mtimeMs
    await expect(Ledger.load(file, '.draftclip/ledger.json')).rejects.toThrow(/^The ledger \.draftclip\/ledger\.json is not valid JSON/)
    expect(fs.readFileSync(file).equals(bytes)).toBe(true)
    expect(fs.statSync(file).mtimeMs).toBe(before)
    expect(tmpFiles(dir)).toEqual([])
  })

  it('a valid JSON file of the wrong shape throws too and is left alone', async () => {
    const file = path.join(dir, 'ledger.json')
    fs.writeFileSync(file, '{"version": 2, "videos": {}}')
    await expect(Ledger.load(file, 'ledger.json')).rejects.toBeInstanceOf(LedgerError)
    expect(fs.readFileSync(file, 'utf8')).toBe('{"version": 2, "videos": {}}')
  })

  it("a directory in the ledger's place cannot be read: LedgerError", async () => {
    await expect(Ledger.load(dir, 'ledger.json')).rejects.toThrow('The ledger ledger.json cannot be read (EISDIR)')
  })

  it('record() writes the ledger (creating folders) and a reload round-trips it', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    const before = Date.now()
    await ledger.record(H1, {
      file: 'a.mp4',
      status: 'PUBLISH_COMPLETE',
      publish_id: 'p1',
      post_id: '7123456789012345678',
      fail_reason: null
    })
    await ledger.record(H2, { file: 'b.mp4', status: UPLOADING, publish_id: null, post_id: null })
    const reloaded = await Ledger.load(file, 'ledger.json')
    expect(reloaded.get(H1)).toMatchObject({
      file: 'a.mp4',
      status: 'PUBLISH_COMPLETE',
      publish_id: 'p1',
      post_id: '7123456789012345678',
      fail_reason: null
    })
    expect(reloaded.get(H2)).toMatchObject({ file: 'b.mp4', status: UPLOADING, publish_id: null, post_id: null })
    const stamp = Date.parse(reloaded.get(H1)!.updated_at)
    expect(stamp).toBeGreaterThanOrEqual(before - 1000)
    expect(reloaded.get(H1)!.updated_at).toBe(new Date(stamp).toISOString())
    expect(tmpFiles(path.dirname(file))).toEqual([])
  })

  it('writes pretty JSON with a final newline, hashes sorted and a stable key order', async () => {
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    await ledger.record(H1, { file: 'z.mp4', status: 'S', publish_id: 'p', post_id: null })
    await ledger.record(H2, { post_id: null, publish_id: null, status: 'T', file: 'y.mp4' })
    const text = fs.readFileSync(file, 'utf8')
    expect(text.endsWith('}\n')).toBe(true)
    expect(text).toContain('\n  "version": 1,\n')
    expect(Object.keys(JSON.parse(text).videos)).toEqual([H2, H1])
    expect(Object.keys(JSON.parse(text).videos[H2])).toEqual(['file', 'status', 'publish_id', 'post_id', 'updated_at'])
  })

  it('overwrites an entry and forget() removes one', async () => {
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    await ledger.record(H1, { file: 'a.mp4', status: UPLOADING, publish_id: null, post_id: null })
    await ledger.record(H1, { file: 'a.mp4', status: 'PROCESSING_UPLOAD', publish_id: 'p', post_id: null })
    await ledger.record(H2, { file: 'b.mp4', status: UPLOADING, publish_id: null, post_id: null })
    await ledger.forget(H2)
    expect(ledger.get(H2)).toBeUndefined()
    const data = JSON.parse(fs.readFileSync(file, 'utf8'))
    expect(Object.keys(data.videos)).toEqual([H1])
    expect(data.videos[H1]).toMatchObject({ status: 'PROCESSING_UPLOAD', publish_id: 'p' })
  })

  it('keeps the entries of an existing ledger when adding one', async () => {
    const file = path.join(dir, 'ledger.json')
    fs.writeFileSync(file, JSON.stringify({ version: 1, videos: { [H1]: entry() } }))
    const ledger = await Ledger.load(file, 'ledger.json')
    await ledger.record(H2, { file: 'b.mp4', status: UPLOADING, publish_id: null, post_id: null })
    const data = JSON.parse(fs.readFileSync(file, 'utf8'))
    expect(data.videos[H1]).toEqual(entry())
    expect(data.videos[H2].status).toBe(UPLOADING)
  })

  it('many concurrent record() calls leave valid JSON with every entry and no temp files', async () => {
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    const n = 60
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        ledger.record(sha(i), {
          file: `v/${i}.mp4`,
          status: i % 2 ? 'PUBLISH_COMPLETE' : UPLOADING,
          publish_id: i % 2 ? `p${i}` : null,
          post_id: null
        })
      )
    )
    const data = parseLedger(fs.readFileSync(file, 'utf8'), 'ledger.json')
    expect(Object.keys(data.videos)).toHaveLength(n)
    for (let i = 0; i < n; i++) expect(data.videos[sha(i)]).toMatchObject({ file: `v/${i}.mp4`, publish_id: i % 2 ? `p${i}` : null })
    expect(tmpFiles(dir)).toEqual([])
  })

  it('a write that failed (say, a full disk) does not block the writes after it', async () => {
    const file = path.join(dir, 'sub', 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    // The folder's place is taken by a file: mkdir fails, like a write on a full disk.
    fs.writeFileSync(path.join(dir, 'sub'), 'in the way')
    await expect(ledger.record(H1, { file: 'a.mp4', status: UPLOADING, publish_id: null, post_id: null })).rejects.toThrow()
    fs.rmSync(path.join(dir, 'sub'))
    await ledger.record(H1, { file: 'a.mp4', status: 'PROCESSING_UPLOAD', publish_id: 'p1', post_id: null })
    await ledger.idle()
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).videos[H1]).toMatchObject({ status: 'PROCESSING_UPLOAD', publish_id: 'p1' })
  })

  it('the last of interleaved record() calls for one hash wins on disk', async () => {
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    const statuses = ['UPLOADING', 'PROCESSING_UPLOAD', 'PROCESSING', 'PUBLISH_COMPLETE']
    await Promise.all(statuses.map(status => ledger.record(H1, { file: 'a.mp4', status, publish_id: 'p', post_id: null })))
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).videos[H1].status).toBe('PUBLISH_COMPLETE')
  })

  // Questionable: parseLedger accepts extra fields (top level and per entry), but
  // record() writes through a replacer allow-list and silently drops them.
  it('keeps fields it does not know when it rewrites the ledger (BUG: dropped)', async () => {
    const file = path.join(dir, 'ledger.json')
    fs.writeFileSync(file, JSON.stringify({ version: 1, note: 'kept by hand', videos: { [H1]: { ...entry(), comment: 'launch video' } } }))
    const ledger = await Ledger.load(file, 'ledger.json')
    await ledger.record(H2, { file: 'b.mp4', status: UPLOADING, publish_id: null, post_id: null })
    const data = JSON.parse(fs.readFileSync(file, 'utf8'))
    expect(data.note).toBe('kept by hand')
    expect(data.videos[H1].comment).toBe('launch video')
  })
})

describe('Ledger: the text on disk', () => {
  let dir: string
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-ledger-text-'))
  })
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('is byte for byte JSON.stringify(data, null, 2) + newline, hashes sorted and keys in our order', async () => {
    const file = path.join(dir, 'ledger.json')
    fs.writeFileSync(
      file,
      JSON.stringify({ note: 'kept by hand', version: 1, videos: { [H1]: { comment: 'launch', ...entry({ file: 'é "q".mp4' }) } } })
    )
    const ledger = await Ledger.load(file, 'ledger.json')
    await ledger.record(H2, { post_id: null, publish_id: 'p2', status: 'PROCESSING_UPLOAD', file: 'b.mp4' })
    await ledger.record(sha(1), { fail_reason: 'spam_risk', post_id: null, publish_id: 'p3', status: 'FAILED', file: 'c\nd.mp4' })
    const at = (hash: string): string => ledger.get(hash)!.updated_at
    const expected = {
      version: 1,
      videos: {
        [H2]: { file: 'b.mp4', status: 'PROCESSING_UPLOAD', publish_id: 'p2', post_id: null, updated_at: at(H2) },
        [sha(1)]: { file: 'c\nd.mp4', status: 'FAILED', publish_id: 'p3', post_id: null, fail_reason: 'spam_risk', updated_at: at(sha(1)) },
        [H1]: { ...entry({ file: 'é "q".mp4' }), comment: 'launch' }
      },
      note: 'kept by hand'
    }
    expect([H2, sha(1), H1]).toEqual([H2, sha(1), H1].sort())
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(expected, null, 2) + '\n')
  })

  it('an entry changed after it was written is written anew (no stale cached text)', async () => {
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    await ledger.record(H1, { file: 'a.mp4', status: UPLOADING, publish_id: null, post_id: null })
    await ledger.record(H2, { file: 'b.mp4', status: UPLOADING, publish_id: null, post_id: null })
    await ledger.record(H1, { file: 'a.mp4', status: 'PUBLISH_COMPLETE', publish_id: 'p', post_id: '7' })
    await ledger.forget(H2)
    const expected = {
      version: 1,
      videos: { [H1]: { file: 'a.mp4', status: 'PUBLISH_COMPLETE', publish_id: 'p', post_id: '7', updated_at: ledger.get(H1)!.updated_at } }
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(expected, null, 2) + '\n')
    await ledger.forget(H1)
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify({ version: 1, videos: {} }, null, 2) + '\n')
  })

  it('after a random mix of records and forgets (many per bucket), the file is still JSON.stringify of the entries, sorted', async () => {
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    const live = new Set<string>()
    let seed = 7
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n
    for (let step = 0; step < 600; step++) {
      // Few distinct prefixes, so buckets hold many keys and empty out again.
      const hash = sha(random(120)).replace(/^../, ['00', '0f', 'a0', 'ff'][random(4)])
      if (random(3) === 0) {
        live.delete(hash)
        await ledger.forget(hash)
      } else {
        live.add(hash)
        await ledger.record(hash, { file: `${step}.mp4`, status: 'PROCESSING', publish_id: `p${step}`, post_id: null })
      }
    }
    const videos: Record<string, unknown> = {}
    for (const hash of [...live].sort()) videos[hash] = ledger.get(hash)
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify({ version: 1, videos }, null, 2) + '\n')
  })

  it('200 records not awaited one by one all complete, and the file is valid JSON with every entry', async () => {
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    const writes: Promise<void>[] = []
    for (let i = 0; i < 200; i++) {
      writes.push(ledger.record(sha(i), { file: `v/${i}.mp4`, status: UPLOADING, publish_id: null, post_id: null }))
      // Some records come while a write is under way.
      if (i % 50 === 0) await new Promise(resolve => setImmediate(resolve))
    }
    await Promise.all(writes)
    const data = parseLedger(fs.readFileSync(file, 'utf8'), 'ledger.json')
    expect(Object.keys(data.videos)).toHaveLength(200)
    for (let i = 0; i < 200; i++) expect(data.videos[sha(i)].file).toBe(`v/${i}.mp4`)
    expect(fs.readdirSync(dir)).toEqual(['ledger.json'])
  })

  it('scrubs a secret (or any 8-character run of it) from what it records', async () => {
    const key = 'ttapi_0123456789abcdefXYZ'
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json', [key])
    await ledger.record(H1, {
      file: 'a.mp4',
      status: 'FAILED',
      publish_id: 'p',
      post_id: null,
      fail_reason: `refused key ${key} (echo: ${key.slice(0, 14)})`
    })
    const text = fs.readFileSync(file, 'utf8')
    expect(JSON.parse(text).videos[H1].fail_reason).toBe('refused key *** (echo: ***)')
    expect(ledger.get(H1)!.fail_reason).toBe('refused key *** (echo: ***)')
    for (let i = 0; i + 8 <= key.length; i++) expect(text).not.toContain(key.slice(i, i + 8))
  })
})

describe('Ledger: a ledger path that is a symbolic link', () => {
  let dir: string
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-ledger-link-')))
  })
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('is written through the link: the link stays a link, the target gets the entry', async () => {
    const target = path.join(dir, 'store', 'ledger.json')
    fs.mkdirSync(path.dirname(target))
    fs.writeFileSync(target, JSON.stringify({ version: 1, videos: { [H1]: entry() } }))
    const link = path.join(dir, 'ledger.json')
    fs.symlinkSync(path.join('store', 'ledger.json'), link)
    const ledger = await Ledger.load(link, 'ledger.json')
    expect((ledger.store as FileStore).file).toBe(target)
    expect(ledger.get(H1)).toEqual(entry())
    await ledger.record(H2, { file: 'b.mp4', status: UPLOADING, publish_id: null, post_id: null })
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true)
    expect(fs.readlinkSync(link)).toBe(path.join('store', 'ledger.json'))
    const data = JSON.parse(fs.readFileSync(target, 'utf8'))
    expect(Object.keys(data.videos)).toEqual([H2, H1])
    expect(data.videos[H2]).toMatchObject({ file: 'b.mp4', status: UPLOADING })
    expect(fs.readdirSync(dir).sort()).toEqual(['ledger.json', 'store'])
  })

  it('a dangling link: the target (and its folder) is created where the link points', async () => {
    const link = path.join(dir, 'ledger.json')
    fs.symlinkSync(path.join('not-yet', 'ledger.json'), link)
    const ledger = await Ledger.load(link, 'ledger.json')
    const target = path.join(dir, 'not-yet', 'ledger.json')
    expect((ledger.store as FileStore).file).toBe(target)
    expect(ledger.get(H1)).toBeUndefined()
    await ledger.record(H1, { file: 'a.mp4', status: UPLOADING, publish_id: null, post_id: null })
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true)
    expect(fs.readlinkSync(link)).toBe(path.join('not-yet', 'ledger.json'))
    expect(JSON.parse(fs.readFileSync(target, 'utf8')).videos[H1]).toMatchObject({ file: 'a.mp4', status: UPLOADING })
    // Read back through the link.
    expect((await Ledger.load(link, 'ledger.json')).get(H1)).toMatchObject({ status: UPLOADING })
  })

  it('an absolute dangling link works too', async () => {
    const link = path.join(dir, 'ledger.json')
    const target = path.join(dir, 'abs', 'l.json')
    fs.symlinkSync(target, link)
    const ledger = await Ledger.load(link, 'ledger.json')
    await ledger.record(H1, { file: 'a.mp4', status: UPLOADING, publish_id: null, post_id: null })
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true)
    expect(JSON.parse(fs.readFileSync(target, 'utf8')).videos[H1].file).toBe('a.mp4')
  })
})

describe("Ledger: a status held for company waits on the store's clock", () => {
  /** A store in memory that holds changes back 10 s on `clock`, as the branch does. */
  const memory = (clock: FakeClock) => {
    const writes: { videos: Record<string, LedgerEntry> }[] = []
    const store: LedgerStore = {
      shownAs: 'the ledger in memory',
      read: () => Promise.resolve(undefined),
      write: bytes => {
        writes.push(JSON.parse(Buffer.from(bytes).toString('utf8')) as { videos: Record<string, LedgerEntry> })
        return Promise.resolve(true)
      },
      lazy: { ms: 10_000, clock }
    }
    return { store, writes }
  }
  const processing = { file: 'a.mp4', status: 'PROCESSING_UPLOAD', publish_id: 'p-1', post_id: null }

  it('is written when the fake clock passes 10 s, not a millisecond before', async () => {
    const clock = new FakeClock(0)
    const { store, writes } = memory(clock)
    const ledger = await Ledger.open(store)
    await ledger.record(H1, processing) // a new publish ID: at once
    expect(writes).toHaveLength(1)
    const held = ledger.record(H1, { ...processing, status: 'PUBLISH_COMPLETE' })
    await clock.advance(9_999)
    expect(writes).toHaveLength(1)
    await clock.advance(1)
    await held
    expect(writes.map(w => w.videos[H1].status)).toEqual(['PROCESSING_UPLOAD', 'PUBLISH_COMPLETE'])
    expect(clock.pending()).toBe(0)
  })

  it('idle() writes it at once and ends the wait: no timer is left behind', async () => {
    const clock = new FakeClock(0)
    const { store, writes } = memory(clock)
    const ledger = await Ledger.open(store)
    await ledger.record(H1, processing)
    const held = ledger.record(H1, { ...processing, status: 'PUBLISH_COMPLETE' })
    expect(clock.pending()).toBe(1)
    await ledger.idle()
    await held
    expect(writes.map(w => w.videos[H1].status)).toEqual(['PROCESSING_UPLOAD', 'PUBLISH_COMPLETE'])
    expect(clock.pending()).toBe(0)
    expect(clock.now()).toBe(0)
  })
})

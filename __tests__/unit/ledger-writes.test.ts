/**
 * How many times the ledger file is rewritten: node:fs/promises is wrapped
 * (the real functions, counted) before the ledger module loads.
 */
import { describe, it, expect, jest, beforeEach, afterEach } from '@jest/globals'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import { createRequire } from 'node:module'
import * as os from 'node:os'
import * as path from 'node:path'
import type * as FsPromises from 'node:fs/promises'

const real = createRequire(import.meta.url)('node:fs/promises') as typeof FsPromises
const renames: string[] = []
jest.unstable_mockModule('node:fs/promises', () => ({
  ...real,
  default: real,
  rename: async (from: string, to: string) => {
    renames.push(to)
    return real.rename(from, to)
  }
}))
const { Ledger } = await import('../../src/ledger/ledger.js')
const { parseLedger } = await import('../../src/ledger/format.js')

const sha = (i: number): string => createHash('sha256').update(String(i)).digest('hex')

describe('Ledger writes coalesce', () => {
  let dir: string
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-ledger-writes-'))
    renames.length = 0
  })
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('200 records in a row, not awaited, cost one write of the file', async () => {
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    const writes = Array.from({ length: 200 }, (_, i) =>
      ledger.record(sha(i), { file: `v/${i}.mp4`, status: 'UPLOADING', publish_id: null, post_id: null })
    )
    await Promise.all(writes)
    expect(renames).toEqual([file])
    const data = parseLedger(fs.readFileSync(file, 'utf8'), 'ledger.json')
    expect(Object.keys(data.videos)).toHaveLength(200)
  })

  it('records that come while a write is under way share the next write', async () => {
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    const writes: Promise<void>[] = []
    for (let i = 0; i < 200; i++) {
      writes.push(ledger.record(sha(i), { file: `v/${i}.mp4`, status: 'UPLOADING', publish_id: null, post_id: null }))
      if (i % 20 === 19) await new Promise(resolve => setImmediate(resolve))
    }
    await Promise.all(writes)
    await ledger.idle()
    // At most one write under way and one to follow at any time: far fewer writes than records.
    expect(renames.length).toBeGreaterThanOrEqual(2)
    expect(renames.length).toBeLessThanOrEqual(20)
    expect(Object.keys(parseLedger(fs.readFileSync(file, 'utf8'), 'ledger.json').videos)).toHaveLength(200)
  })

  it('each awaited record is its own write (the count is real)', async () => {
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    for (let i = 0; i < 3; i++) await ledger.record(sha(i), { file: `v/${i}.mp4`, status: 'UPLOADING', publish_id: null, post_id: null })
    expect(renames).toEqual([file, file, file])
  })

  it('a record resolves only once a write holding it is on disk', async () => {
    const file = path.join(dir, 'ledger.json')
    const ledger = await Ledger.load(file, 'ledger.json')
    const first = ledger.record(sha(1), { file: 'a.mp4', status: 'UPLOADING', publish_id: null, post_id: null })
    await new Promise(resolve => setImmediate(resolve))
    const second = ledger.record(sha(2), { file: 'b.mp4', status: 'UPLOADING', publish_id: null, post_id: null })
    await second
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).videos)).toContain(sha(2))
    await first
  })
})

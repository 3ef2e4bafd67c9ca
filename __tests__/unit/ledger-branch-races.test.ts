import { afterEach, describe, expect, it } from '@jest/globals'
import { BranchStore, LAZY_WRITE_MS } from '../../src/ledger/branch-store.js'
import { GitHubClient } from '../../src/github/client.js'
import type { LedgerEntry, LedgerStore } from '../../src/model/ports.js'
import { Ledger } from '../../src/ledger/ledger.js'
import { decideAdmission as admit, busyWith, runToAsk } from '../../src/publish/lifecycle.js'
import type { RunRef } from '../../src/model/run.js'
import { instantClock } from '../support/fake-clock.js'
import { startGitHub, type GitHubStandIn } from '../support/github-api.js'

/**
 * The branch ledger when GitHub misbehaves or runs overlap: a commit GitHub made
 * but answered 502 for, a branch head moved by another file's commit, a late
 * write meeting another run's newer claim, matrix jobs of one run, a branch
 * deleted mid-run, a file name made to forge commit-message lines.
 */

const BRANCH = 'draftclip-ledger'
const PATH = '.draftclip/ledger.json'
const H = (c: string): string => c.repeat(64)
const KEY = 'ttapi_secret_key_123'

let github: GitHubStandIn | undefined
const rests: GitHubClient[] = []
afterEach(async () => {
  for (const r of rests.splice(0)) await r.close()
  await github?.close()
  github = undefined
})

async function open(run: RunRef = { id: '42', attempt: 1 }) {
  github ??= await startGitHub({})
  const clock = instantClock({ holdMs: LAZY_WRITE_MS })
  const lines: string[] = []
  const rest = new GitHubClient({ apiUrl: github.url, token: github.token, clock, log: l => lines.push(l) })
  rests.push(rest)
  const store = new BranchStore({ rest, repository: github.repository, branch: BRANCH, path: PATH, run, secrets: [KEY] })
  const ledger = await Ledger.open(store, [KEY], run)
  return { ledger, store, rest, clock, lines, run }
}

const entry = (file: string, status = 'UPLOADING', publish_id: string | null = null) => ({ file, status, publish_id, post_id: null })
const stored = () => JSON.parse(github!.file(BRANCH, PATH)!) as { videos: Record<string, LedgerEntry> }
const puts = () => github!.requests.filter(r => r.method === 'PUT').length

describe('a write GitHub made but answered badly', () => {
  it('a commit made, then a 502: not sent again; read back, it is ours, and the claim holds (the video is sent, never UNCONFIRMED)', async () => {
    const { ledger, run } = await open()
    await ledger.claim(H('a'), entry('a.mp4')) // makes the branch
    await ledger.record(H('a'), entry('a.mp4', 'FAILED', 'p-1'))
    github!.addFaults([{ on: 'PUT /contents/', after: true, status: 502, body: { message: 'Bad Gateway' } }])
    const before = puts()
    const lost = await ledger.claim(H('a'), entry('a.mp4'))
    expect(lost).toBeUndefined()
    expect(puts() - before).toBe(1)
    expect(stored().videos[H('a')]).toMatchObject({ status: 'UPLOADING', run_id: run.id })
    // What the run would have decided had the claim been reported lost: the video was never sent.
    const e = ledger.get(H('a'))
    expect(admit(e, undefined, false, 'PUBLIC_TO_EVERYONE', busyWith(e, run, undefined, Date.now())).kind).toBe('unconfirmed')
  })

  it("the branch's first commit: the ref made, then a 502: the claim holds, one ref made", async () => {
    const { ledger } = await open()
    github!.addFaults([{ on: 'POST /git/refs', after: true, status: 502, body: { message: 'Bad Gateway' } }])
    await expect(ledger.claim(H('a'), entry('a.mp4'))).resolves.toBeUndefined()
    expect(github!.requests.filter(r => r.method === 'POST' && r.path.endsWith('/git/refs'))).toHaveLength(1)
    expect(stored().videos[H('a')].status).toBe('UPLOADING')
  })

  it('a 502 that made nothing: the file did not move, so the commit is sent again (the sha makes it safe), then a GitHub-trouble error names the 5xx', async () => {
    const { ledger, clock } = await open()
    await ledger.claim(H('a'), entry('a.mp4'))
    github!.addFaults([{ on: 'PUT /contents/', status: 502, body: { message: 'Bad Gateway' } }])
    await expect(ledger.claim(H('b'), entry('b.mp4'))).resolves.toBeUndefined()
    expect(clock.slept.length).toBeGreaterThan(0)
    const five = Array.from({ length: 5 }, () => ({ on: 'PUT /contents/', status: 503, body: { message: 'Service Unavailable' } }))
    github!.addFaults(five)
    const error = await ledger.claim(H('c'), entry('c.mp4')).catch((e: Error) => e.message)
    expect(error).toMatch(/GitHub failed to take a commit to the branch 'draftclip-ledger'.*503 Service Unavailable, 5 times/)
    expect(error).not.toMatch(/protected/)
  })

  it("the stored entry is the claim as made, though the file moved on (another writer's commit on top of ours): the claim is stored", async () => {
    // A store that takes the write but says it was stale, with another writer's commit on top: what a 502 then a 409 looks like.
    let doc: string | undefined
    let writes = 0
    const store: LedgerStore = {
      shownAs: 'test',
      read: () => Promise.resolve(doc),
      write: bytes => {
        writes++
        const mine = JSON.parse(Buffer.from(bytes).toString('utf8')) as { version: 1; videos: Record<string, LedgerEntry> }
        if (writes === 1) {
          mine.videos[H('f')] = { ...entry('f.mp4'), updated_at: '2026-12-03T12:00:00Z', run_id: '9', run_attempt: 1 }
          doc = JSON.stringify(mine)
          return Promise.resolve(false)
        }
        doc = JSON.stringify(mine)
        return Promise.resolve(true)
      }
    }
    const ledger = await Ledger.open(store, [], { id: '42', attempt: 1, writer: 'w1' })
    await expect(ledger.claim(H('a'), entry('a.mp4'))).resolves.toBeUndefined()
    expect(ledger.get(H('f'))?.run_id).toBe('9')
  })
})

describe("a 409 from the branch's head moving (another file's commit on the same branch)", () => {
  it('is sent again after a pause, and the other file stays', async () => {
    const { ledger, clock } = await open()
    await ledger.claim(H('a'), entry('a.mp4'))
    github!.addFaults([
      { on: 'PUT /contents/', headRace: 'BRAND.json', status: 409, body: null },
      { on: 'PUT /contents/', headRace: 'BRAND.json', status: 409, body: null }
    ])
    await expect(ledger.claim(H('b'), entry('b.mp4'))).resolves.toBeUndefined()
    expect(Object.keys(stored().videos)).toEqual([H('a'), H('b')])
    expect(Object.keys(github!.treeOf(BRANCH)!)).toContain('BRAND.json')
    expect(clock.slept.slice(-2)).toEqual([1000, 2000]) // after the write pacing: a backoff of 1 s, then 2 s
  })

  it('fails after a few, saying the head kept moving, not that the branch is protected', async () => {
    const { ledger } = await open()
    await ledger.claim(H('a'), entry('a.mp4'))
    github!.addFaults(Array.from({ length: 5 }, () => ({ on: 'PUT /contents/', headRace: 'BRAND.json', status: 409, body: null })))
    const error = await ledger.claim(H('b'), entry('b.mp4')).catch((e: Error) => e.message)
    expect(error).toMatch(
      /refused a commit to the branch 'draftclip-ledger' of acme\/rocket 5 times \(409 is at .* but expected .*\): its head kept moving/
    )
    expect(error).not.toMatch(/protected/)
  })

  it('a protected branch (422 "Protected branch update failed", a ruleset 409) is still refused at once, named as such', async () => {
    const { ledger } = await open()
    await ledger.claim(H('a'), entry('a.mp4'))
    github!.addFaults([
      { on: 'PUT /contents/', status: 422, body: { message: 'Protected branch update failed for refs/heads/draftclip-ledger.' } }
    ])
    const before = puts() // a's claim is a PUT too since the branch is made without entries first (issue 21)
    const error = await ledger.claim(H('b'), entry('b.mp4')).catch((e: Error) => e.message)
    expect(error).toMatch(/422 Protected branch update failed.*is it protected\?/)
    expect(puts() - before).toBe(1)
  })
})

describe("a late write meeting another writer's newer entry", () => {
  it("never overwrites another run's newer UPLOADING claim", async () => {
    const X = H('e')
    const A = (await open({ id: '42', attempt: 1 })).ledger
    await A.claim(X, entry('x.mp4'))
    await A.record(X, entry('x.mp4', 'PROCESSING_UPLOAD', 'p-1'))
    void A.record(X, entry('x.mp4', 'FAILED', 'p-1')) // lazy: held for company
    const B = (await open({ id: '44', attempt: 1 })).ledger
    void B.record(X, entry('x.mp4', 'FAILED', 'p-1'))
    await B.settled()
    const C = (await open({ id: '43', attempt: 1 })).ledger
    expect(C.get(X)?.status).toBe('FAILED')
    await expect(C.claim(X, entry('x.mp4'))).resolves.toBeUndefined() // FAILED: uploaded again
    await A.settled() // A's held FAILED: refused as stale, merged
    expect(stored().videos[X]).toMatchObject({ status: 'UPLOADING', run_id: '43' })
    expect(A.get(X)).toMatchObject({ status: 'UPLOADING', run_id: '43' })
  })

  it('keeps ours where it is further along for the same publish ID (a final status over a newer PROCESSING_UPLOAD)', async () => {
    const X = H('e')
    const A = (await open({ id: '42', attempt: 1 })).ledger
    await A.claim(X, entry('x.mp4'))
    await A.record(X, entry('x.mp4', 'PROCESSING_UPLOAD', 'p-1'))
    void A.record(X, entry('x.mp4', 'PUBLISH_COMPLETE', 'p-1'))
    const B = (await open({ id: '44', attempt: 1 })).ledger
    void B.record(X, entry('x.mp4', 'PROCESSING_UPLOAD', 'p-1')) // a status that only moved on: held, written by settled()
    await B.settled()
    await A.settled()
    expect(stored().videos[X]).toMatchObject({ status: 'PUBLISH_COMPLETE', publish_id: 'p-1', run_id: '42' })
  })
})

describe('jobs of one run (a matrix: same run id and attempt)', () => {
  const sibling = { ...entry('x.mp4'), updated_at: new Date().toISOString(), run_id: '42', run_attempt: 1, writer: 'job-a' }

  it("a sibling job's UPLOADING is busy (SKIPPED, naming it), not an earlier attempt's (UNCONFIRMED)", () => {
    const self = { id: '42', attempt: 1, writer: 'job-b' }
    expect(runToAsk(sibling, self)).toBeUndefined()
    const busy = busyWith(sibling, self, undefined, Date.now())
    expect(busy?.note).toMatch(/another job of this run \(run 42, attempt 1\) is uploading it/)
    expect(admit(sibling, undefined, false, 'PUBLIC_TO_EVERYONE', busy).kind).toBe('busy')
  })

  it("this job's own UPLOADING, and an earlier attempt's, are not busy", () => {
    expect(busyWith(sibling, { id: '42', attempt: 1, writer: 'job-a' }, undefined, Date.now())).toBeUndefined()
    const later = { id: '42', attempt: 2, writer: 'job-b' }
    expect(busyWith(sibling, later, undefined, Date.now())).toBeUndefined()
    expect(admit(sibling, undefined, false, 'PUBLIC_TO_EVERYONE', undefined).kind).toBe('unconfirmed')
  })

  it("each entry names the job that wrote it; a sibling's newer claim is not taken for ours", async () => {
    const A = (await open({ id: '42', attempt: 1, writer: 'job-a' })).ledger
    await A.claim(H('a'), entry('a.mp4'))
    await A.record(H('a'), entry('a.mp4', 'FAILED', 'p-1'))
    void A.record(H('a'), entry('a.mp4', 'FAILED', 'p-1')) // held
    const B = (await open({ id: '42', attempt: 1, writer: 'job-b' })).ledger
    await expect(B.claim(H('a'), entry('a.mp4'))).resolves.toBeUndefined()
    await A.settled()
    expect(stored().videos[H('a')]).toMatchObject({ status: 'UPLOADING', writer: 'job-b' })
  })
})

describe('the branch deleted mid-run', () => {
  it("is made again with this job's stored entries, and the log says so", async () => {
    const { ledger, lines } = await open()
    await ledger.claim(H('a'), entry('a.mp4'))
    await ledger.record(H('a'), entry('a.mp4', 'PROCESSING_UPLOAD', 'p-1'))
    github!.deleteBranch(BRANCH)
    await ledger.claim(H('b'), entry('b.mp4'))
    await ledger.settled()
    expect(stored().videos[H('a')]).toMatchObject({ status: 'PROCESSING_UPLOAD', publish_id: 'p-1' })
    expect(stored().videos[H('b')]).toMatchObject({ status: 'UPLOADING' })
    expect(lines.join('\n')).toMatch(/the branch 'draftclip-ledger' was deleted while this run used it/)
  })
  it('a run whose entry went with the branch, and another run claimed the video meanwhile: its later news never replaces their claim or their publish ID', async () => {
    const X = H('e')
    const A = (await open({ id: '42', attempt: 1 })).ledger
    await A.claim(X, entry('x.mp4'))
    github!.deleteBranch(BRANCH)
    const B = (await open({ id: '44', attempt: 1 })).ledger
    await expect(B.claim(X, entry('x.mp4'))).resolves.toBeUndefined() // no entry seen: B uploads too (the deletion's cost)
    await A.record(X, entry('x.mp4', 'PROCESSING_UPLOAD', 'p-1')) // merged: B's claim is there, A gives way
    expect(stored().videos[X]).toMatchObject({ status: 'UPLOADING', run_id: '44' })
    await A.record(X, entry('x.mp4', 'PUBLISH_COMPLETE', 'p-1')) // A's upload ends: still B's entry
    await A.settled()
    expect(stored().videos[X]).toMatchObject({ status: 'UPLOADING', run_id: '44' })
    await B.record(X, entry('x.mp4', 'PROCESSING_UPLOAD', 'p-2'))
    await B.settled()
    await A.settled()
    expect(stored().videos[X]).toMatchObject({ status: 'PROCESSING_UPLOAD', publish_id: 'p-2', run_id: '44' })
  })
})

describe('commit messages', () => {
  it('a file name cannot make lines of its own (a forged trailer), nor smuggle the key split by a carriage return', async () => {
    const { ledger } = await open()
    await ledger.claim(H('a'), entry('a.mp4\n\nSigned-off-by: Mallory <m@example.com>'))
    await ledger.claim(H('b'), entry(`b.mp4 ${KEY.slice(0, 10)}\r${KEY.slice(10)}`))
    const messages = github!.history(BRANCH).map(c => c.message)
    expect(messages.join('\n')).not.toMatch(/^Signed-off-by/m)
    expect(messages.join('\n')).not.toContain(KEY)
    expect(messages[1]).toMatch(/^draftclip-publish: a\.mp4 Signed-off-by: Mallory <m@example\.com> UPLOADING \(run 42, attempt 1\)$/)
  })
})

describe('a rate limit that asks for a long wait', () => {
  const limit = (seconds: number) => ({
    on: 'PUT /contents/',
    status: 403,
    body: { message: 'You have exceeded a secondary rate limit.' },
    headers: { 'retry-after': String(seconds) }
  })

  it('past ten minutes, a claim is not kept waiting: it fails saying how long GitHub asked, and nothing is recorded', async () => {
    const { ledger, clock } = await open()
    await ledger.claim(H('a'), entry('a.mp4'))
    github!.addFaults([limit(20000)])
    const error = await ledger.claim(H('b'), entry('b.mp4')).catch((e: Error) => e.message)
    expect(error).toMatch(/GitHub asked to wait 20000 s before the next request \(a rate limit, 403\)/)
    expect(clock.slept.every(ms => ms < 600_000)).toBe(true)
    expect(ledger.get(H('b'))).toBeUndefined()
    expect(stored().videos[H('b')]).toBeUndefined()
  })

  it('a wait under ten minutes is sat through, as GitHub asks', async () => {
    const { ledger, clock } = await open()
    await ledger.claim(H('a'), entry('a.mp4'))
    github!.addFaults([limit(300)])
    await expect(ledger.claim(H('b'), entry('b.mp4'))).resolves.toBeUndefined()
    expect(clock.slept).toContain(300_000)
  })

  it("the run's last write still waits (up to an hour) so that what was learned is stored", async () => {
    const { ledger, clock } = await open()
    await ledger.claim(H('a'), entry('a.mp4'))
    await ledger.record(H('a'), entry('a.mp4', 'PROCESSING_UPLOAD', 'p-1'))
    void ledger.record(H('a'), entry('a.mp4', 'PUBLISH_COMPLETE', 'p-1')) // held for company
    github!.addFaults([limit(1800), limit(1800)])
    await expect(ledger.settled()).resolves.toBeUndefined()
    expect(clock.slept).toContain(1_800_000)
    expect(stored().videos[H('a')]).toMatchObject({ status: 'PUBLISH_COMPLETE', publish_id: 'p-1' })
  })
})

describe('a publish ID is never lost to a merge', () => {
  it('ours, learned after another run marked the video UNCONFIRMED, is kept over theirs', async () => {
    const X = H('e')
    const A = (await open({ id: '42', attempt: 1 })).ledger
    await A.claim(X, entry('x.mp4'))
    const B = (await open({ id: '44', attempt: 1 })).ledger
    await B.record(X, entry('x.mp4', 'UNCONFIRMED')) // B took run 42 for finished
    await A.record(X, entry('x.mp4', 'PROCESSING_UPLOAD', 'p-1'))
    await A.settled()
    expect(stored().videos[X]).toMatchObject({ status: 'PROCESSING_UPLOAD', publish_id: 'p-1', run_id: '42' })
  })
})

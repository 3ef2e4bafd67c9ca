import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { BranchStore, LAZY_WRITE_MS } from '../../src/ledger/branch-store.js'
import { runState } from '../../src/github/runs.js'
import { GitHubClient } from '../../src/github/client.js'
import { Ledger } from '../../src/ledger/ledger.js'
import { instantClock, settle } from '../support/fake-clock.js'
import { startGitHub, type GitHubStandIn, type StandInOptions } from '../support/github-api.js'

/** The Ledger over a BranchStore, in-process, against the GitHub stand-in (real HTTP on 127.0.0.1, real state). */

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

async function open(options: StandInOptions = {}, run = { id: '42', attempt: 1 }) {
  github ??= await startGitHub(options)
  const clock = instantClock({ holdMs: LAZY_WRITE_MS })
  const lines: string[] = []
  const rest = new GitHubClient({ apiUrl: github.url, token: github.token, clock, log: l => lines.push(l) })
  rests.push(rest)
  const store = new BranchStore({ rest, repository: github.repository, branch: BRANCH, path: PATH, run, secrets: [KEY] })
  const ledger = await Ledger.open(store, [KEY], run)
  return { ledger, store, rest, clock, lines }
}

const entry = (file: string, status = 'UPLOADING', publish_id: string | null = null) => ({ file, status, publish_id, post_id: null })
const stored = () => JSON.parse(github!.file(BRANCH, PATH)!) as { videos: Record<string, Record<string, unknown>> }

describe('a Ledger on a branch', () => {
  it('starts empty when the branch is missing; the first write creates it as an orphan with only the ledger, naming the video and the run', async () => {
    const { ledger, store } = await open()
    expect(ledger.get(H('a'))).toBeUndefined()
    expect(github!.branches()).toEqual([])
    await expect(ledger.claim(H('a'), entry('v/a.mp4'))).resolves.toBeUndefined()
    expect(Object.keys(github!.treeOf(BRANCH)!)).toEqual([PATH])
    // Made holding a ledger without entries, then the claim is its first update (issue 21: a branch that may be made but not updated).
    const [commit, made] = github!.history(BRANCH)
    expect(made.parents).toEqual([])
    expect(made.message).toBe("draftclip-publish: the ledger's branch made (run 42, attempt 1)")
    expect(commit.parents).toEqual([made.sha])
    expect(commit.message).toBe('draftclip-publish: v/a.mp4 UPLOADING (run 42, attempt 1)')
    expect(stored().videos[H('a')]).toMatchObject({ status: 'UPLOADING', run_id: '42', run_attempt: 1 })
    expect(store.commits).toBe(2)
  })

  it("another run's branch made first (GitHub: 422), holding the same ledger without entries: its commit is not counted as this run's", async () => {
    const { ledger, store } = await open()
    // Another run makes the branch between this run's read and its first write, with the same bytes this run would.
    github!.commitFile(BRANCH, PATH, '{\n  "version": 1,\n  "videos": {}\n}\n', 'made by another run')
    await expect(ledger.claim(H('a'), entry('a.mp4'))).resolves.toBeUndefined()
    expect(github!.history(BRANCH).map(c => c.message)).toEqual([
      'draftclip-publish: a.mp4 UPLOADING (run 42, attempt 1)',
      'made by another run'
    ])
    expect(store.commits).toBe(1)
  })

  it('writes for videos in flight at once share one commit, and a status that only moved on waits for company', async () => {
    const { ledger, store, clock } = await open()
    await Promise.all([ledger.claim(H('a'), entry('a.mp4')), ledger.claim(H('b'), entry('b.mp4')), ledger.claim(H('c'), entry('c.mp4'))])
    // The branch's making (its ledger without entries) and one commit for the three claims.
    expect(store.commits).toBe(2)
    expect(github!.history(BRANCH)[0].message).toBe(
      'draftclip-publish: 3 videos (run 42, attempt 1)\n\n- a.mp4 UPLOADING\n- b.mp4 UPLOADING\n- c.mp4 UPLOADING'
    )
    // The publish id: at once.
    await ledger.record(H('a'), entry('a.mp4', 'PROCESSING_UPLOAD', 'p-a'))
    expect(store.commits).toBe(3)
    // A status after the publish id: not a commit of its own...
    void ledger.record(H('a'), entry('a.mp4', 'PUBLISH_COMPLETE', 'p-a'))
    await settle()
    expect(clock.held()).toBe(1) // its 10 s on the store's clock
    expect(store.commits).toBe(3)
    // ...but never lost: the run's end writes it (and ends the wait).
    await ledger.settled()
    expect(store.commits).toBe(4)
    expect(clock.held()).toBe(0)
    expect(stored().videos[H('a')].status).toBe('PUBLISH_COMPLETE')
  })

  it("a status held for company is written when its 10 s on the store's clock are up, the run not over", async () => {
    const { ledger, store, clock } = await open()
    await ledger.claim(H('a'), entry('a.mp4'))
    await ledger.record(H('a'), entry('a.mp4', 'PROCESSING_UPLOAD', 'p-a'))
    const written = ledger.record(H('a'), entry('a.mp4', 'PUBLISH_COMPLETE', 'p-a'))
    await settle()
    expect(store.commits).toBe(3)
    expect(clock.slept).toContain(LAZY_WRITE_MS)
    clock.release()
    await written
    expect(store.commits).toBe(4)
    expect(stored().videos[H('a')].status).toBe('PUBLISH_COMPLETE')
  })

  it('a write for another reason (a claim) carries a held status at once, and ends its wait', async () => {
    const { ledger, store, clock } = await open()
    await ledger.claim(H('a'), entry('a.mp4'))
    await ledger.record(H('a'), entry('a.mp4', 'PROCESSING_UPLOAD', 'p-a'))
    const held = ledger.record(H('a'), entry('a.mp4', 'PUBLISH_COMPLETE', 'p-a'))
    await ledger.claim(H('b'), entry('b.mp4'))
    await held
    expect(clock.held()).toBe(0)
    expect(store.commits).toBe(4)
    expect(stored().videos[H('a')].status).toBe('PUBLISH_COMPLETE')
    expect(stored().videos[H('b')].status).toBe('UPLOADING')
  })

  it('a stale write (409) is merged entry by entry: the other writer keeps its entries, ours go on top', async () => {
    github = await startGitHub()
    github.commitFile(BRANCH, PATH, JSON.stringify({ version: 1, videos: {} }))
    const { ledger } = await open()
    github.commitFile(
      BRANCH,
      PATH,
      JSON.stringify({
        version: 1,
        videos: { [H('f')]: { ...entry('theirs.mp4', 'PUBLISH_COMPLETE', 'p-f'), updated_at: 'x', run_id: '41' } }
      })
    )
    await expect(ledger.claim(H('a'), entry('ours.mp4'))).resolves.toBeUndefined()
    expect(github.requests.filter(r => r.method === 'PUT').map(r => r.status)).toEqual([409, 200])
    expect(Object.keys(stored().videos).sort()).toEqual([H('a'), H('f')])
    expect(ledger.get(H('f'))?.publish_id).toBe('p-f')
  })

  it('a claim another run made first is lost: the Ledger keeps theirs and says so, and writes nothing of ours for it', async () => {
    github = await startGitHub()
    github.commitFile(BRANCH, PATH, JSON.stringify({ version: 1, videos: {} }))
    const { ledger, store } = await open()
    const theirs = { ...entry('a.mp4'), updated_at: new Date().toISOString(), run_id: '41', run_attempt: 1 }
    github.commitFile(BRANCH, PATH, JSON.stringify({ version: 1, videos: { [H('a')]: theirs } }))
    const [lost, held] = await Promise.all([ledger.claim(H('a'), entry('a.mp4')), ledger.claim(H('b'), entry('b.mp4'))])
    expect(lost).toEqual({ entry: theirs })
    expect(held).toBeUndefined()
    expect(ledger.get(H('a'))).toEqual(theirs)
    expect(stored().videos[H('a')]).toEqual(theirs)
    expect(stored().videos[H('b')]).toMatchObject({ run_id: '42' })
    expect(store.commits).toBe(1)
  })

  it('an entry another writer only re-serialized (its keys in another order) is no lost claim', async () => {
    github = await startGitHub()
    const failed = { file: 'a.mp4', status: 'FAILED', publish_id: 'p1', post_id: null, fail_reason: 'internal', updated_at: 'x' }
    const reversed = Object.fromEntries(Object.entries(failed).reverse())
    github.commitFile(BRANCH, PATH, JSON.stringify({ version: 1, videos: { [H('a')]: reversed } }))
    const { ledger } = await open()
    github.commitFile(BRANCH, PATH, JSON.stringify({ version: 1, videos: { [H('a')]: failed, [H('b')]: { ...failed, file: 'b.mp4' } } }))
    await expect(ledger.claim(H('a'), entry('a.mp4'))).resolves.toBeUndefined()
    expect(stored().videos[H('a')].status).toBe('UPLOADING')
  })

  it('two runs creating the branch at once: the second finds the ref taken (422), reads it, and merges', async () => {
    github = await startGitHub()
    const { ledger } = await open()
    // Another run made the branch after our read.
    github.commitFile(
      BRANCH,
      PATH,
      JSON.stringify({ version: 1, videos: { [H('f')]: { ...entry('f.mp4', 'PROCESSING', 'p'), updated_at: 'x' } } })
    )
    await expect(ledger.claim(H('a'), entry('a.mp4'))).resolves.toBeUndefined()
    expect(github.requests.some(r => r.path.endsWith('/git/refs') && r.status === 422)).toBe(true)
    expect(Object.keys(stored().videos).sort()).toEqual([H('a'), H('f')])
    expect(github.history(BRANCH)).toHaveLength(2)
  })

  it('a token without contents: write: the claim is refused naming the permission, and the entry is not left UPLOADING', async () => {
    github = await startGitHub({ permissions: { contents: 'read' } })
    const { ledger } = await open()
    await expect(ledger.claim(H('a'), entry('a.mp4'))).rejects.toThrow(
      /403 Resource not accessible by integration.*permissions: contents: write/
    )
    expect(ledger.get(H('a'))).toBeUndefined()
    // GitHub's message ends its own sentence: one full stop before what follows, not '.;'.
    await expect(ledger.settled()).rejects.toThrow(/could not be written: .*'ledger-branch'; what it missed is in the outputs\.$/)
  })

  it('a protected branch: refused, naming the branch (a 409 whose sha did not move is no stale write)', async () => {
    github = await startGitHub({ protectedBranches: [BRANCH] })
    github.commitFile(BRANCH, PATH, JSON.stringify({ version: 1, videos: {} }))
    const { ledger } = await open()
    await expect(ledger.claim(H('a'), entry('a.mp4'))).rejects.toThrow(
      /the branch 'draftclip-ledger' of acme\/rocket \(409 Repository rule violations found/
    )
  })

  it('waits out a secondary rate limit as told, and sends the write again', async () => {
    github = await startGitHub()
    github.commitFile(BRANCH, PATH, JSON.stringify({ version: 1, videos: {} }))
    github.addFaults([{ status: 403, body: { message: 'You have exceeded a secondary rate limit.' }, headers: { 'retry-after': '30' } }])
    const { ledger, clock, lines } = await open()
    await expect(ledger.claim(H('a'), entry('a.mp4'))).resolves.toBeUndefined()
    expect(clock.slept).toContain(30_000)
    expect(lines).toEqual(["GitHub's rate limit (403): waiting 30 s as it asks, then sending again"])
    expect(stored().videos[H('a')].status).toBe('UPLOADING')
  })

  it('paces its commits under the secondary limit (about 80 a minute)', async () => {
    const { ledger, clock } = await open()
    await ledger.claim(H('a'), entry('a.mp4'))
    await ledger.claim(H('b'), entry('b.mp4'))
    await ledger.claim(H('c'), entry('c.mp4'))
    expect(clock.slept.filter(ms => ms > 0)).toEqual([800, 800])
  })

  it('reads a ledger over the contents API limit through its blob', async () => {
    github = await startGitHub({ contentLimit: 100 })
    const videos = Object.fromEntries(
      ['1', '2', '3'].map(c => [H(c), { ...entry(`${c}.mp4`, 'PUBLISH_COMPLETE', `p${c}`), updated_at: 'x' }])
    )
    github.commitFile(BRANCH, PATH, JSON.stringify({ version: 1, videos }))
    const { ledger } = await open()
    expect(ledger.get(H('2'))?.publish_id).toBe('p2')
    expect(github.requests.some(r => r.path.includes('/git/blobs/'))).toBe(true)
  })

  it('an entry dropped (the upload was certainly refused) leaves the branch, and the commit names its file', async () => {
    const { ledger } = await open()
    await ledger.claim(H('a'), entry('v/a.mp4'))
    await ledger.forget(H('a'))
    expect(stored().videos).toEqual({})
    expect(github!.history(BRANCH)[0].message).toBe('draftclip-publish: v/a.mp4 entry removed (run 42, attempt 1)')
  })

  it('keeps the DraftClip key out of commit messages and the file', async () => {
    const { ledger } = await open()
    await ledger.claim(H('a'), entry(`v/${KEY}.mp4`))
    expect(JSON.stringify(github!.requests)).not.toContain(KEY)
    expect(github!.history(BRANCH)[0].message).toContain('v/***.mp4')
  })

  it('a corrupt ledger on the branch fails before anything is written', async () => {
    github = await startGitHub()
    github.commitFile(BRANCH, PATH, '{"version": 2}')
    await expect(open()).rejects.toThrow(/on branch 'draftclip-ledger' is not a draftclip-publish ledger/)
    expect(github.requests.filter(r => r.method !== 'GET')).toEqual([])
  })
})

describe('runState', () => {
  it('in progress, completed, unknown without actions: read, and a run GitHub does not know is not running', async () => {
    github = await startGitHub({ runs: { '7': 'in_progress', '8': 'completed', '9': 'queued' } })
    const rest = new GitHubClient({ apiUrl: github.url, token: github.token, clock: instantClock(), log: () => undefined })
    rests.push(rest)
    expect(await runState(rest, github.repository, '7')).toBe('in_progress')
    expect(await runState(rest, github.repository, '8')).toBe('completed')
    expect(await runState(rest, github.repository, '9')).toBe('in_progress')
    expect(await runState(rest, github.repository, '10')).toBe('completed')
    expect(await runState(rest, github.repository, 'local-1')).toBe('unknown')
    github.permissions.actions = false
    expect(await runState(rest, github.repository, '7')).toBe('unknown')
  })
})

describe('a claim on the file ledger', () => {
  it('that could not be written is no claim: the entry does not stay UPLOADING for a later write to record', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-claim-'))
    try {
      const ledger = await Ledger.load(path.join(dir, 'sub', 'ledger.json'), 'ledger.json')
      // Its folder's name taken by a file: every write fails.
      fs.writeFileSync(path.join(dir, 'sub'), '')
      await expect(ledger.claim(H('a'), entry('a.mp4'))).rejects.toThrow()
      expect(ledger.get(H('a'))).toBeUndefined()
      await expect(ledger.settled()).rejects.toThrow(/could not be written/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

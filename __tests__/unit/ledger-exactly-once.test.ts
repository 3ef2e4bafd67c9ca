import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from '@jest/globals'
import { PollBudget } from '../../src/draftclip/poll-budget.js'
import { DEFAULT_TIMINGS } from '../../src/draftclip/retry-policy.js'
import { BranchStore } from '../../src/ledger/branch-store.js'
import { runState } from '../../src/github/runs.js'
import { GitHubClient } from '../../src/github/client.js'
import type { LedgerEntry } from '../../src/model/ports.js'
import { Board } from '../../src/publish/board.js'
import { Ledger } from '../../src/ledger/ledger.js'
import type { RunRef } from '../../src/model/run.js'
import { publishAll } from '../../src/publish/send.js'
import { FakeClock, instantClock } from '../support/fake-clock.js'
import { startGitHub, type GitHubStandIn } from '../support/github-api.js'
import { fakeDraftClip } from '../support/fake-draftclip.js'
import { keptLog, testVideo } from '../support/video.js'

/**
 * Issue 21's three defects, each as it was seen from outside: a claim acted on
 * from a read older than the latest merge (twice: after a 409, and after the
 * branch's creation race), and a branch that may be created but not updated.
 */

const BRANCH = 'draftclip-ledger'
const PATH = '.draftclip/ledger.json'
const sha = (text: string): string => createHash('sha256').update(text).digest('hex')

let github: GitHubStandIn | undefined
afterEach(async () => {
  await github?.close()
  github = undefined
})

/** One run of the real engine (ledger on the branch, board, driver) against the stand-in, DraftClip faked. */
async function runOnce(files: string[], concurrency: number, run: RunRef = { id: '42', attempt: 1, writer: 'w42' }) {
  const clock = instantClock()
  const rest = new GitHubClient({ apiUrl: github!.url, token: github!.token, clock, log: () => undefined })
  try {
    const store = new BranchStore({ rest, repository: github!.repository, branch: BRANCH, path: PATH, run, secrets: [] })
    const ledger = await Ledger.open(store, [], run)
    const videos = files.map(f => testVideo(f, {}, Buffer.from(`bytes of ${f}`)))
    const board = new Board(
      videos,
      files.map(f => sha(`bytes of ${f}`)),
      ledger,
      run
    )
    const ask = (id: string) => runState(rest, github!.repository, id)
    await board.learnRuns(ask)
    const client = fakeDraftClip()
    const halt = await publishAll(
      board,
      { concurrency, retries: 0, wait: false, waitTimeoutMs: 60_000, pollIntervalMs: 1000, maxPollIntervalMs: 5000, maxUploads: undefined },
      { client, clock, budget: new PollBudget(600, clock), timings: DEFAULT_TIMINGS, logFor: keptLog().logFor, runState: ask }
    )
    return { uploaded: client.uploaded, halt, results: board.results }
  } finally {
    await rest.close()
  }
}

/** Another run's ledger as it would commit it. */
function ledgerOf(entries: Record<string, Partial<LedgerEntry>>): string {
  const videos = Object.fromEntries(
    Object.entries(entries).map(([file, e]) => [
      sha(`bytes of ${file}`),
      { file, status: 'UPLOADING', publish_id: null, post_id: null, updated_at: new Date().toISOString(), run_attempt: 1, ...e }
    ])
  )
  return `${JSON.stringify({ version: 1, videos }, null, 2)}\n`
}

const stored = () => (JSON.parse(github!.file(BRANCH, PATH)!) as { videos: Record<string, LedgerEntry> }).videos

describe('a decision made before a merge is not acted on after it', () => {
  it("another run commits b as PUBLISH_COMPLETE between this run's read and its first write: b is not uploaded, its entry kept", async () => {
    github = await startGitHub({ runs: { '7': 'in_progress' } })
    github.commitFile(BRANCH, PATH, ledgerOf({}))
    let once = false
    github.onWrite(() => {
      if (once) return
      once = true
      github!.commitFile(
        BRANCH,
        PATH,
        ledgerOf({ 'b.mp4': { status: 'PUBLISH_COMPLETE', publish_id: 'p-other', run_id: '7', writer: 'w7' } })
      )
    })
    const { uploaded, results } = await runOnce(['a.mp4', 'b.mp4', 'c.mp4'], 1)
    expect(uploaded).toEqual(['a.mp4', 'c.mp4'])
    expect(stored()[sha('bytes of b.mp4')]).toMatchObject({ status: 'PUBLISH_COMPLETE', publish_id: 'p-other', run_id: '7' })
    expect(results[1]).toMatchObject({ status: 'SKIPPED', publish_id: 'p-other' })
  })
})

describe('a branch that may be created but not updated (a ruleset)', () => {
  it('fails the step before the first byte of the first video leaves, naming the rule', async () => {
    github = await startGitHub({ createOnlyBranches: [BRANCH] })
    const { uploaded, halt, results } = await runOnce(['a.mp4', 'b.mp4'], 1)
    expect(uploaded).toEqual([])
    expect(halt?.reason).toMatch(/409 Repository rule violations found[\s\S]*is it protected\?/)
    expect(results.map(r => r.status)).not.toContain('UPLOADING')
    expect(stored()).toEqual({})
  })
})

describe('runs that create the branch at once', () => {
  it("a run that lost the creation race and re-read other runs' claims never replaces them", async () => {
    github = await startGitHub({ runs: { '101': 'in_progress', '104': 'in_progress' } })
    const files = Array.from({ length: 8 }, (_, i) => `clip0${i}.mp4`)
    // Run 101 made the branch with clip00-03, and run 104 claimed clip04-07, just before this run's creation lands.
    let once = false
    github.onWrite(() => {
      if (once) return
      once = true
      const claims: Record<string, Partial<LedgerEntry>> = {}
      files.forEach((f, i) => (claims[f] = { run_id: i < 4 ? '101' : '104', writer: i < 4 ? 'w101' : 'w104' }))
      github!.commitFile(BRANCH, PATH, ledgerOf(claims))
    })
    const { uploaded } = await runOnce(files, 4, { id: '102', attempt: 1, writer: 'w102' })
    expect(uploaded).toEqual([])
    for (const [i, f] of files.entries()) expect(stored()[sha(`bytes of ${f}`)]).toMatchObject({ run_id: i < 4 ? '101' : '104' })
  })
})

describe('GitHub before the first upload', () => {
  it('a repository the token cannot see (404) is named so, not as a protected branch', async () => {
    github = await startGitHub({ repository: 'acme/other' })
    const clock = instantClock()
    const rest = new GitHubClient({ apiUrl: github.url, token: github.token, clock, log: () => undefined })
    const store = new BranchStore({
      rest,
      repository: 'acme/rocket',
      branch: BRANCH,
      path: PATH,
      run: { id: '1', attempt: 1 },
      secrets: []
    })
    const ledger = await Ledger.open(store, [], { id: '1', attempt: 1 })
    const error = await ledger
      .claim(sha('a'), { file: 'a.mp4', status: 'UPLOADING', publish_id: null, post_id: null })
      .catch((e: Error) => e.message)
    await rest.close()
    expect(error).toMatch(/the repository acme\/rocket was not found, or the token \('github-token'\) cannot see it/)
    expect(error).not.toMatch(/protected/)
  })

  it('a GitHub that never answers fails within the minute, saying so', async () => {
    const clock = new FakeClock(0)
    const rest = new GitHubClient({
      apiUrl: 'http://github.test',
      token: 't',
      clock,
      log: () => undefined,
      // Every request waits out its timeout (the deadline's rest, at most 60 s), then the connection is given up.
      transport: async ({ timeoutMs }) => {
        await clock.sleep(Math.min(60_000, timeoutMs ?? 60_000))
        throw Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' })
      }
    })
    rest.until(60_000)
    const store = new BranchStore({
      rest,
      repository: 'acme/rocket',
      branch: BRANCH,
      path: PATH,
      run: { id: '1', attempt: 1 },
      secrets: []
    })
    const opened = Ledger.open(store).catch((e: Error) => ({ message: e.message, at: clock.now() }))
    await clock.advance(300_000)
    const failed = (await opened) as { message: string; at: number }
    expect(failed.message).toMatch(/did not answer within 60 s .*nothing was uploaded/)
    expect(failed.at).toBeLessThanOrEqual(60_000)
  })
})

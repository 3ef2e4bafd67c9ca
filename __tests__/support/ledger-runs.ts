import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import fc from 'fast-check'
import { PollBudget } from '../../src/draftclip/poll-budget.js'
import { DEFAULT_TIMINGS } from '../../src/draftclip/retry-policy.js'
import { BranchStore } from '../../src/ledger/branch-store.js'
import { FileStore } from '../../src/ledger/file-store.js'
import { runState } from '../../src/github/runs.js'
import { GitHubClient, type WireAnswer, type WireRequest } from '../../src/github/client.js'
import type { DraftClip, LedgerEntry, LedgerStore } from '../../src/model/ports.js'
import type { VideoResult } from '../../src/model/result.js'
import type { Video } from '../../src/model/video.js'
import { Board } from '../../src/publish/board.js'
import { Ledger } from '../../src/ledger/ledger.js'
import type { RunRef } from '../../src/model/run.js'
import { publishAll } from '../../src/publish/send.js'
import { driveInterleaved, FakeClock } from './fake-clock.js'
import { jsonAnswer } from './fake-draftclip.js'
import { startGitHub, type GitHubStandIn } from './github-api.js'

/**
 * Several runs of the action at once, in process, sharing one branch ledger on
 * the GitHub stand-in and one DraftClip, under fast-check's scheduler: every
 * GitHub request is a step the scheduler releases (the stand-in answers it
 * then), its answer a second step, every upload a step; time is a FakeClock
 * that moves only when nothing else can. GitHub's answers are scripted per
 * request in the order GitHub handles them: latency, a 502 before or after
 * the work, a lost connection before or after it, a 403 with retry-after.
 *
 * Files may share their content (twins, in one run or across runs): the
 * ledger and the uploads know a video by its content. One case in four keeps
 * the ledger in a file instead: the runs then go one after another (a file
 * ledger is never shared at once), each write of the file a step, a scripted
 * fault a full disk, a cancel a kill after the runner's graces.
 */

export const BRANCH = 'draftclip-ledger'
export const PATH = '.draftclip/ledger.json'
export const POOL = ['clip00.mp4', 'clip01.mp4', 'clip02.mp4', 'clip03.mp4', 'clip04.mp4']
/** The SHA-256 of a pool file's bytes. */
export const hashOf = (file: string): string => createHash('sha256').update(`bytes of ${file}`).digest('hex')

export type Fault = 'none' | '502-before' | '502-after' | 'lost-before' | 'lost-after' | '403'

export interface GitHubStep {
  latencyMs: number
  fault: Fault
}

export interface RunPlan {
  /** Indexes into POOL. */
  videos: number[]
  concurrency: number
  /** Cancelled when GitHub has handled this many requests (of all runs). */
  cancelAt: number | undefined
}

export interface Scenario {
  runs: RunPlan[]
  /** Whose bytes each POOL file holds (an index into POOL): files holding the same are twins. */
  contents: number[]
  /** Where the ledger is: a branch shared by the runs at once, or a file the runs use one after another. */
  store: 'branch' | 'file'
  /** GitHub's answers, one per request in the order it handles them; past the end, plain answers. */
  github: GitHubStep[]
  /** The branch is deleted when GitHub has handled this many requests. */
  deleteAt: number | undefined
  /** The branch is there before the runs start (holding an empty ledger). */
  branchThere: boolean
  wait: boolean
}

const step: fc.Arbitrary<GitHubStep> = fc.record({
  latencyMs: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }) }),
  fault: fc.oneof(
    { weight: 12, arbitrary: fc.constant<Fault>('none') },
    { weight: 1, arbitrary: fc.constantFrom<Fault>('502-before', '502-after', 'lost-before', 'lost-after', '403') }
  )
})

export const scenarios: fc.Arbitrary<Scenario> = fc.record({
  runs: fc.array(
    fc.record({
      videos: fc.uniqueArray(fc.integer({ min: 0, max: POOL.length - 1 }), { minLength: 1, maxLength: POOL.length }),
      concurrency: fc.integer({ min: 1, max: 4 }),
      // One run in eight is cancelled.
      cancelAt: fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat(40) })
    }),
    { minLength: 2, maxLength: 4 }
  ),
  // A file in four holds another's bytes.
  contents: fc
    .tuple(...POOL.map(() => fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat(POOL.length - 1) })))
    .map(picked => picked.map((v, i) => (v < 0 ? i : v))),
  store: fc.oneof({ weight: 3, arbitrary: fc.constant<'branch'>('branch') }, { weight: 1, arbitrary: fc.constant<'file'>('file') }),
  github: fc.array(step, { maxLength: 60 }),
  // One case in six deletes the branch.
  deleteAt: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat(40) }),
  branchThere: fc.boolean(),
  wait: fc.boolean()
})

/** What one run left: its results, whether its step failed, its log. */
export interface RunReport {
  ref: RunRef
  results: VideoResult[]
  /** Each result's content hash: equal ones are twins. */
  hashes: string[]
  failed: boolean
  cancelled: boolean
  lines: string[]
}

export interface Upload {
  run: string
  hash: string
  publishId: string
}

/** A claim a run made (an UPLOADING entry it asked its ledger to store), and the file it was for. */
export interface Claim {
  run: string
  hash: string
  file: string
}

export interface Version {
  /** 'run 101', or 'the deletion'. */
  by: string
  /** A write to the branch (a commit of the file, the ref made), not a git object beside it. */
  onBranch: boolean
  /** The writer was answered that it took (no 502 or lost connection after the work): the run knows it wrote. */
  answered: boolean
  videos: Record<string, LedgerEntry> | undefined
  /** The publish IDs the writer had seen on the branch before this write (read, or written by itself): `hash publishId`. */
  seen: ReadonlySet<string>
}

export interface Outcome {
  reports: RunReport[]
  uploads: Upload[]
  claims: Claim[]
  /** The ledger after each write GitHub took (and after the deletion: none), oldest first, and who wrote it. */
  timeline: Version[]
  /** The branch was deleted during the runs (never, for a file). */
  deleted: boolean
  final: Record<string, LedgerEntry> | undefined
}

/** The runner's cancel: uploads answering get this long, the ledger this long more, then the process is gone. */
const CANCEL_GRACE_MS = 7000 + 1500

export async function runScenario(scenario: Scenario, s: fc.Scheduler): Promise<Outcome> {
  const github = await startGitHub({})
  const folder = scenario.store === 'file' ? await fs.mkdtemp(path.join(SCRATCH, 'ledger-runs-')) : undefined
  try {
    return await drive(scenario, s, github, folder && path.join(folder, 'ledger.json'))
  } finally {
    await github.close()
    if (folder) await fs.rm(folder, { recursive: true, force: true })
  }
}

/** Where file ledgers are written: memory where the system has it (an fsync there costs nothing, and CI's budget is time). */
const SCRATCH = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir()

/** The bytes a video of the pool holds: its twins' hash is the same. */
const contentHash = (scenario: Scenario, file: string): string => hashOf(POOL[scenario.contents[POOL.indexOf(file)]])

async function drive(scenario: Scenario, s: fc.Scheduler, github: GitHubStandIn, ledgerFile: string | undefined): Promise<Outcome> {
  const clock = new FakeClock(Date.parse('2026-12-07T12:00:00Z'))
  if (scenario.branchThere) github.commitFile(BRANCH, PATH, '{\n  "version": 1,\n  "videos": {}\n}\n', 'made by hand')
  let handled = 0
  let deleted = false
  const uploads: Upload[] = []
  const claims: Claim[] = []
  const timeline: Version[] = []
  const seen = new Map<string, Set<string>>()
  const saw = (name: string, videos: Record<string, LedgerEntry> | undefined): void => {
    const known = seen.get(name) ?? new Set<string>()
    seen.set(name, known)
    for (const [hash, e] of Object.entries(videos ?? {})) if (e.publish_id) known.add(`${hash} ${e.publish_id}`)
  }
  const stored = async (): Promise<string | undefined> =>
    ledgerFile ? fs.readFile(ledgerFile, 'utf8').catch(() => undefined) : github.file(BRANCH, PATH)
  const snapshot = async (by: string, onBranch = true, answered = true): Promise<void> => {
    const text = await stored()
    const videos = text === undefined ? undefined : (JSON.parse(text) as { videos: Record<string, LedgerEntry> }).videos
    timeline.push({ by, onBranch, answered, videos, seen: new Set(seen.get(by)) })
    // What a run wrote it knows, whatever GitHub answered.
    if (onBranch) saw(by, videos)
  }
  const cancels: (() => void)[] = []
  /** One more thing the world handled (a GitHub request; for a file ledger, a write or an upload): the deletion and cancels are timed by these. */
  const tick = async (): Promise<number> => {
    const n = handled++
    if (scenario.deleteAt === n && scenario.store === 'branch' && github.branches().includes(BRANCH)) {
      github.deleteBranch(BRANCH)
      deleted = true
      await snapshot('the deletion')
    }
    scenario.runs.forEach((run, i) => run.cancelAt === n && cancels[i]?.())
    return n
  }

  const transport =
    (name: string, gone: () => boolean) =>
    async (request: WireRequest): Promise<WireAnswer> => {
      const url = new URL(request.url)
      await s.schedule(Promise.resolve(), `${name} sends ${request.method} ${url.pathname.replace(/^\/repos\/[^/]+\/[^/]+/, '')}`)
      if (gone()) return new Promise<never>(() => undefined)
      const n = await tick()
      const { latencyMs, fault } = scenario.github[n] ?? { latencyMs: 0, fault: 'none' }
      if (latencyMs > 0) await clock.sleep(latencyMs)
      if (fault === 'lost-before') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      if (fault === '502-before') return { status: 502, headers: {}, text: '{"message":"Bad Gateway"}' }
      if (fault === '403')
        return { status: 403, headers: { 'retry-after': '30' }, text: '{"message":"You have exceeded a secondary rate limit."}' }
      const answer = await github.serve({
        method: request.method,
        url: url.pathname + url.search,
        headers: request.headers,
        body: request.body
      })
      if (request.method !== 'GET' && answer.status < 300)
        await snapshot(
          name,
          !url.pathname.endsWith('/blobs') && !/\/git\/(trees|commits)$/.test(url.pathname),
          fault !== '502-after' && fault !== 'lost-after'
        )
      if (fault === 'lost-after') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      await s.schedule(Promise.resolve(), `${name} gets ${fault === '502-after' ? '502 (after the work)' : answer.status}`)
      if (gone()) return new Promise<never>(() => undefined)
      if (fault !== '502-after' && request.method === 'GET') saw(name, ledgerIn(answer))
      return fault === '502-after' ? { status: 502, headers: {}, text: '{"message":"Bad Gateway"}' } : answer
    }

  const draftclip = (name: string, gone: () => boolean): DraftClip => ({
    async upload(video) {
      await s.schedule(Promise.resolve(), `${name} uploads ${video.name}`)
      if (gone()) return new Promise<never>(() => undefined)
      if (ledgerFile) await tick()
      const publishId = `p-${uploads.length + 1}`
      uploads.push({ run: name, hash: contentHash(scenario, video.name), publishId })
      return jsonAnswer({ success: true, data: { publish_id: publishId, status: 'PROCESSING_UPLOAD' } })
    },
    status: publishId =>
      Promise.resolve(
        jsonAnswer({ success: true, data: { publish_id: publishId, status: 'PUBLISH_COMPLETE', publicaly_available_post_id: '' } })
      ),
    close: () => Promise.resolve()
  })

  const runOne = async (plan: RunPlan, i: number): Promise<RunReport> => {
    const ref: RunRef = { id: String(101 + i), attempt: 1, writer: `w${i}` }
    const name = `run ${ref.id}`
    const lines: string[] = []
    const cancel = new AbortController()
    let gone = false
    let board: Board | undefined
    let ended: (report: RunReport) => void = () => undefined
    const processEnd = new Promise<RunReport>(resolve => (ended = resolve))
    const report = (failed: boolean): RunReport => ({
      ref,
      results: board?.results ?? [],
      hashes: board?.entries.map(e => e.hash ?? '') ?? [],
      failed,
      cancelled: cancel.signal.aborted,
      lines
    })
    cancels[i] = () => {
      if (cancel.signal.aborted) return
      cancel.abort()
      // The runner kills the process after its graces: what was not written by then is only in the outputs.
      void clock.sleep(CANCEL_GRACE_MS).then(() => {
        gone = true
        github.runs.set(ref.id, 'completed')
        board?.interruptAll('the job was cancelled')
        ended(report(true))
      })
    }
    github.runs.set(ref.id, 'in_progress')
    const rest = new GitHubClient({
      apiUrl: 'http://github.test',
      token: github.token,
      clock,
      log: l => lines.push(l),
      transport: transport(name, () => gone)
    })
    const work = (async (): Promise<RunReport> => {
      try {
        // A file ledger is the run's alone: its entries name no run, and no run is asked about (as the pipeline does).
        const shared = ledgerFile ? undefined : ref
        const store = ledgerFile
          ? await fileStore(ledgerFile, name, () => gone)
          : new BranchStore({ rest, repository: github.repository, branch: BRANCH, path: PATH, run: ref, secrets: [] })
        const ledger = await Ledger.open(store, [], shared)
        const claim = ledger.claim.bind(ledger)
        ledger.claim = (hash, entry, decidedFrom) => {
          claims.push({ run: name, hash, file: entry.file })
          return claim(hash, entry, decidedFrom)
        }
        const videos = plan.videos.map((v, k) => video(POOL[v], k))
        board = new Board(
          videos,
          videos.map(v => contentHash(scenario, v.name)),
          ledger,
          shared
        )
        const ask = (id: string) => runState(rest, github.repository, id)
        if (shared) await board.learnRuns(ask)
        const halt = await publishAll(
          board,
          {
            concurrency: plan.concurrency,
            retries: 0,
            wait: scenario.wait,
            waitTimeoutMs: 60_000,
            pollIntervalMs: 1000,
            maxPollIntervalMs: 5000,
            maxUploads: undefined
          },
          {
            client: draftclip(name, () => gone),
            clock,
            budget: new PollBudget(600, clock),
            timings: DEFAULT_TIMINGS,
            logFor: v => ({
              info: l => lines.push(`${v.file}: ${l}`),
              warn: l => lines.push(`${v.file}: warning: ${l}`),
              done: () => undefined
            }),
            signal: cancel.signal,
            runState: ask
          }
        )
        return report(halt !== undefined || cancel.signal.aborted)
      } catch (error) {
        lines.push(`failed: ${(error as Error).message}`)
        return report(true)
      } finally {
        if (!gone) github.runs.set(ref.id, 'completed')
      }
    })()
    return Promise.race([work, processEnd])
  }

  /**
   * The file of the workspace, each write a step; a scripted fault is a full disk (nothing written), and a run's
   * process gone (killed after a cancel's graces) writes nothing more.
   */
  const fileStore = async (file: string, name: string, gone: () => boolean): Promise<LedgerStore> => {
    const inner = await FileStore.at(file, '.draftclip/ledger.json')
    return {
      shownAs: inner.shownAs,
      read: async () => {
        const text = await inner.read()
        saw(name, text === undefined ? undefined : (JSON.parse(text) as { videos: Record<string, LedgerEntry> }).videos)
        return text
      },
      write: async bytes => {
        await s.schedule(Promise.resolve(), `${name} writes the ledger file`)
        if (gone()) return new Promise<never>(() => undefined)
        const n = await tick()
        if ((scenario.github[n]?.fault ?? 'none') !== 'none')
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
        await inner.write(bytes)
        await snapshot(name)
        return true
      },
      settle: () => inner.settle()
    }
  }

  let done = false
  // Runs over a file ledger go one after another: two at once on one file is what the docs forbid.
  const all = (
    ledgerFile
      ? scenario.runs.reduce<Promise<RunReport[]>>(
          async (before, plan, i) => [...(await before), await runOne(plan, i)],
          Promise.resolve([])
        )
      : Promise.all(scenario.runs.map(runOne))
  ).finally(() => (done = true))
  // A file's read or write is real I/O: it gets real time (two seconds in all) before the runs count as stalled.
  await driveInterleaved(s, clock, () => done, 'no request, upload, write or timer pending, and the runs did not end', 2000)
  const reports = await all
  const text = await stored()
  return {
    reports,
    uploads,
    claims,
    timeline,
    deleted,
    final: text === undefined ? undefined : (JSON.parse(text) as { videos: Record<string, LedgerEntry> }).videos
  }
}

/** The ledger a read of the contents API answered with, if it did. */
function ledgerIn(answer: WireAnswer): Record<string, LedgerEntry> | undefined {
  if (answer.status !== 200) return undefined
  const file = JSON.parse(answer.text) as { content?: unknown; encoding?: string }
  if (file.encoding !== 'base64' || typeof file.content !== 'string') return undefined
  return (JSON.parse(Buffer.from(file.content, 'base64').toString('utf8')) as { videos: Record<string, LedgerEntry> }).videos
}

function video(file: string, k: number): Video {
  return {
    index: k + 1,
    path: `/nowhere/${file}`,
    file,
    name: file,
    size: 1000,
    contentType: 'video/mp4',
    description: `caption of ${file}`,
    privacyLevel: 'SELF_ONLY',
    title: undefined,
    sidecar: undefined,
    publishAt: undefined
  }
}

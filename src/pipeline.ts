import { randomUUID } from 'node:crypto'
import * as core from '@actions/core'
import { counting, DraftClipClient, type ClientOptions } from './draftclip/client.js'
import { realClock } from './draftclip/clock.js'
import { PollBudget } from './draftclip/poll-budget.js'
import { DEFAULT_TIMINGS, type Timings } from './draftclip/retry-policy.js'
import type { Logger } from './github/log.js'
import { loadRunInfo } from './github/run-context.js'
import { Input, isLoopback, parseInputs, type Inputs } from './inputs.js'
import type { Clock, DraftClip } from './model/ports.js'
import { stepFailure, type RunOutcome, type VideoResult } from './model/result.js'
import type { RunInfo, Video } from './model/video.js'
import type { Board, Driver } from './publish/board.js'
import { openBoard, type SharedLedger } from './publish/board.js'
import type { BranchStore } from './github/ledger-branch.js'
import type { GitHubRest } from './github/rest.js'
import { planAll } from './publish/plan.js'
import { refuseAll } from './publish/refuse.js'
import { initialResult, warned as warnedStep } from './publish/lifecycle.js'
import { Status } from './model/status.js'
import { publishAll } from './publish/send.js'
import { scrub } from './secrets.js'
import { checkVideos, VideoCheckError, type MediaProblem, type Refusal } from './videos/check.js'
import { findVideoPaths, workspacePath } from './videos/find.js'

/** What varies between a runner and a test: time, the transport, the run's context, the process. */
export interface RunDeps {
  clock: Clock
  timings: Timings
  client: (options: ClientOptions) => DraftClip
  loadRunInfo: (env: Record<string, string | undefined>) => Promise<RunInfo>
  /** Where GitHub's REST API is talked to (the branch ledger); default GITHUB_API_URL. */
  githubApiUrl?: string
  /** Listen for the runner's SIGINT/SIGTERM (off in tests that run several runs in one process). */
  signals: boolean
  exit: (code: number) => void
}

export const RUNNER_DEPS: RunDeps = {
  clock: realClock,
  timings: DEFAULT_TIMINGS,
  client: options => new DraftClipClient(options),
  loadRunInfo,
  signals: true,
  exit: code => process.exit(code)
}

/** The run while it goes, as the signal handler reports it when the job is cancelled before the run returns. */
export class RunSoFar {
  board: Board | undefined
  dryRun = false
  readonly notes: string[] = []
  readonly requests = { upload: 0, status: 0 }
  /** Set by the signal handler: why the job stops. */
  cancelled: string | undefined
  /** What the branch ledger cost on GitHub, for the log's last lines. */
  ledgerUse: string | undefined

  outcome(more: Partial<RunOutcome> = {}): RunOutcome {
    return {
      dryRun: this.dryRun,
      results: this.board?.results ?? [],
      stopReason: this.cancelled,
      notes: this.notes,
      requests: this.requests,
      ...more
    }
  }
}

/** The run: inputs -> videos -> board -> a driver (the real run or the dry run) -> its outcome. Never throws: a problem is part of the outcome. */
export async function publishVideos(
  env: Record<string, string | undefined>,
  deps: RunDeps,
  log: Logger,
  secrets: { apiKey: string; all: string[] },
  signal: AbortSignal,
  soFar: RunSoFar
): Promise<RunOutcome> {
  let github: GitHubSide | undefined
  try {
    const inputs = parseInputs(env, secrets.apiKey)
    soFar.dryRun = inputs.dryRun
    if (!isLoopback(inputs.baseUrl) && inputs.pollIntervalMs < 1000) {
      log.warning(`'${Input.PollInterval}' under 1 s polls DraftClip very often; its doc asks clients to be gentle (it uses 5 s).`)
    }
    const media: MediaProblem[] = []
    const { videos, problems } = await findVideos(inputs, env, deps, log, media)
    if (videos.length === 0 && problems.length === 0) return soFar.outcome({ failure: noVideos(inputs, log) })
    // Found, not "to publish": the ledger, twins and the calendar decide that, and each video's line says it.
    if (videos.length > 0) log.info(`${videos.length} video${videos.length === 1 ? '' : 's'} found: ${videos.map(v => v.file).join(', ')}`)

    if (problems.length > 0) return await refuseRun(videos, problems, inputs, env, deps, log, secrets, soFar)
    github = inputs.ledgerBranch ? await openGitHubSide(inputs, env, deps, log, [secrets.apiKey]) : undefined
    const board = await openBoard(videos, inputs, secrets.all, github)
    soFar.board = board
    // Still before any request to DraftClip (a branch ledger has been read from GitHub by now, which is not DraftClip).
    const refusedNow = await judgeMedia(board, media, inputs, deps.clock.now(), log)
    if (refusedNow.length > 0) return await refusedOutcome(board, refusedNow, inputs, deps, log, secrets, soFar)
    const drive: Driver = inputs.dryRun
      ? board => planAll(board, inputs, deps.clock.now(), video => log.video(video))
      : board => sendAll(board, inputs, env, deps, log, signal, soFar.requests, github)
    const halt = await drive(board)
    if (inputs.dryRun) {
      log.info('Dry run: nothing was sent to DraftClip.')
      return soFar.outcome()
    }
    let stopReason = soFar.cancelled
    if (halt?.quota && inputs.maxUploads !== undefined) {
      // A queue: what was not sent waits for a later run, and the step passes.
      const note = `${halt.reason} The videos not sent are QUEUED for a later run.`
      log.warning(note)
      soFar.notes.push(note)
    } else stopReason ??= halt?.reason
    if (inputs.releaseNotes) await linkRelease(inputs, board, env, log, soFar.notes)
    const failure = stepFailure(board.results, stopReason)
    return soFar.outcome({ stopReason, failure: failure && scrub(failure, secrets.all) })
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error)
    return soFar.outcome({ problem, failure: scrub(problem, secrets.all) })
  } finally {
    if (github) {
      const { rest, store } = github
      soFar.ledgerUse = `Ledger on GitHub: ${rest.requests} request${rest.requests === 1 ? '' : 's'}, ${store.commits} commit${store.commits === 1 ? '' : 's'}.`
      await rest.close()
    }
  }
}

/** The branch ledger's parts: the REST client and the store, and how to ask about another run. */
interface GitHubSide extends SharedLedger {
  rest: GitHubRest
  store: BranchStore
}

/** The branch ledger's GitHub side, before any upload: a token that may not read it, or an unreachable API, fails the step here. */
async function openGitHubSide(
  inputs: Inputs,
  env: Record<string, string | undefined>,
  deps: RunDeps,
  log: Logger,
  secrets: string[]
): Promise<GitHubSide> {
  const { GitHubRest } = await import('./github/rest.js')
  const { BranchStore, runState } = await import('./github/ledger-branch.js')
  const repository = env.GITHUB_REPOSITORY!
  const rest = new GitHubRest({
    apiUrl: deps.githubApiUrl ?? (env.GITHUB_API_URL || 'https://api.github.com'),
    token: inputs.githubToken!,
    clock: deps.clock,
    log: line => log.info(line)
  })
  // This job alone, in the entries it writes: matrix jobs share the run's id and attempt.
  const run = {
    id: env.GITHUB_RUN_ID || `local-${process.pid}`,
    attempt: Number(env.GITHUB_RUN_ATTEMPT) || 1,
    writer: randomUUID().slice(0, 13)
  }
  const store = new BranchStore({ rest, repository, branch: inputs.ledgerBranch!, path: inputs.ledgerPath!, run, secrets })
  return { rest, store, run, runState: id => runState(rest, repository, id) }
}

/** The videos found and checked; when a check refuses any, the problems too (and every video the checks described). */
async function findVideos(
  inputs: Inputs,
  env: Record<string, string | undefined>,
  deps: RunDeps,
  log: Logger,
  media: MediaProblem[]
): Promise<{ videos: Video[]; problems: Refusal[] }> {
  const paths = await findVideoPaths(inputs.patterns, inputs.workspace)
  try {
    const videos = await checkVideos(
      paths,
      inputs,
      () => deps.loadRunInfo(env),
      line => log.info(line),
      p => log.warning(`${p.file}: ${p.problem}`, p.file),
      media
    )
    return { videos, problems: [] }
  } catch (error) {
    if (!(error instanceof VideoCheckError)) throw error
    return { videos: error.videos, problems: error.problems.map(p => ({ ...p, video: error.refuses.get(p) })) }
  }
}

/**
 * A check refused a video before the ledger: nothing is sent, and every video
 * is in `results` all the same, with what the ledger and the calendar make of
 * it. The ledger is read to say so (from GitHub for a branch); when it cannot
 * be, the videos are simply not attempted, and the run says why.
 */
async function refuseRun(
  videos: Video[],
  problems: Refusal[],
  inputs: Inputs,
  env: Record<string, string | undefined>,
  deps: RunDeps,
  log: Logger,
  secrets: { apiKey: string; all: string[] },
  soFar: RunSoFar
): Promise<RunOutcome> {
  let github: GitHubSide | undefined
  let board: Board
  try {
    github = inputs.ledgerBranch ? await openGitHubSide(inputs, env, deps, log, [secrets.apiKey]) : undefined
    board = await openBoard(videos, inputs, secrets.all, github)
  } catch (error) {
    soFar.notes.push(`The ledger could not be read, so no video is shown as skipped: ${(error as Error).message}`)
    board = await openBoard(videos, { ledger: undefined, workspace: inputs.workspace }, secrets.all, undefined)
  } finally {
    await github?.rest.close()
  }
  soFar.board = board
  return refusedOutcome(board, problems, inputs, deps, log, secrets, soFar)
}

/** The refused run's outcome: its board driven by refuseAll, a row for each file that never became a video, and the problems as the step's failure. */
async function refusedOutcome(
  board: Board,
  problems: Refusal[],
  inputs: Inputs,
  deps: RunDeps,
  log: Logger,
  secrets: { apiKey: string; all: string[] },
  soFar: RunSoFar
): Promise<RunOutcome> {
  const byVideo = new Map<string, string[]>()
  for (const p of problems) {
    if (!p.video) continue
    // A problem of its sidecar names the sidecar.
    const said = p.file === workspacePath(p.video, inputs.workspace) ? p.problem : `${p.file}: ${p.problem}`
    byVideo.set(p.video, [...(byVideo.get(p.video) ?? []), said])
  }
  await refuseAll(board, byVideo, inputs, deps.clock.now(), video => log.video(video))
  if (inputs.dryRun) log.info('Dry run: nothing was sent to DraftClip.')
  const known = new Set(board.entries.map(e => e.video.path))
  const unread = [...byVideo].filter(([file]) => !known.has(file)).map(([file, own]) => unreadRow(file, own, inputs))
  const results = [...board.results, ...unread].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  const error = new VideoCheckError(problems)
  return soFar.outcome({ results, problem: error.message, failure: scrub(error.message, secrets.all), fileProblems: error.problems })
}

/** A matched path that never became a video (it could not be read): REFUSED, with nothing else known. */
function unreadRow(file: string, problems: string[], inputs: Inputs): VideoResult {
  const r = initialResult({ file: workspacePath(file, inputs.workspace), size: 0, description: '', privacyLevel: inputs.privacyLevel })
  return { ...r, status: Status.Refused, error: problems.join('; ') }
}

/** Why a video the ledger holds is not uploaded by this run, for the notice about its media. */
const HELD: Partial<Record<string, string>> = {
  skip: 'the ledger says it is already published',
  confirm: 'the ledger holds its earlier upload, which this run confirms',
  unconfirmed: 'the ledger holds an earlier upload of it (unconfirmed)',
  busy: 'another run is uploading it'
}

/**
 * The media verdict, after admission: a broken rule refuses the step (under
 * `error`) or is uploaded anyway with a warning (`warn`) only for a video that
 * this run or a later one uploads (upload, scheduled, queued, or a twin of
 * one); for a video the ledger holds it is a notice, so a video published
 * before a rule changed never blocks later runs. The whole list is refused at
 * once, before any request to DraftClip, as checkVideos does.
 */
async function judgeMedia(board: Board, media: MediaProblem[], inputs: Inputs, now: number, log: Logger): Promise<Refusal[]> {
  if (media.length === 0) return []
  const admissions = board.admissionsAt(inputs.wait, now, inputs.maxUploads)
  const index = new Map(board.entries.map((e, i) => [e.video.path, i]))
  const refused: Refusal[] = []
  for (const m of media) {
    const i = index.get(m.path)
    if (i === undefined) continue
    const twin = board.entries[i].twin
    const own = admissions[i]
    const kind = own.kind === 'twin' && twin !== undefined ? admissions[twin].kind : own.kind
    const held = HELD[kind]
    const warned = async (line: string): Promise<void> => {
      log.warning(`${m.file}: ${line}`, m.file)
      await board.apply(i, warnedStep(board.entries[i].result, [line]))
    }
    if (held) log.info(`${m.file}: ${m.rule}; not refused: ${held}, and this run does not upload it.`)
    else if (inputs.mediaCheck === 'error') refused.push({ file: m.file, problem: m.problem, video: m.path })
    else if (own.kind === 'twin')
      log.info(`${m.file}: ${m.rule}; it is not uploaded: the same content as ${board.entries[twin!].video.file}.`)
    else if (kind === 'upload') await warned(m.anyway)
    else await warned(laterAnyway(m))
  }
  return refused
}

/** A broken rule of a video a later run uploads (scheduled, queued), under media-check: warn. */
function laterAnyway(m: MediaProblem): string {
  const verdict = m.failReason ? `, and TikTok will likely refuse it (${m.failReason})` : ''
  return `${m.rule}; a later run uploads it anyway (media-check: warn)${verdict}${m.fix ? `; to fix it: ${m.fix}` : ''}`
}

/** The real run's driver: a DraftClip client (counted, for the `requests` output), closed when the board is done. */
async function sendAll(
  board: Board,
  inputs: Inputs,
  env: Record<string, string | undefined>,
  deps: RunDeps,
  log: Logger,
  signal: AbortSignal,
  requests: { upload: number; status: number },
  github: GitHubSide | undefined
): ReturnType<Driver> {
  const client = deps.client({
    baseUrl: inputs.baseUrl,
    apiKey: inputs.apiKey,
    connectMs: deps.timings.connectMs,
    responseMs: inputs.responseTimeoutMs,
    stallMs: deps.timings.stallMs,
    // Self-hosted runners often sit behind a proxy; a loopback base-url (plain http) never goes through one.
    useProxy: !isLoopback(inputs.baseUrl) && ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some(v => env[v])
  })
  try {
    return await publishAll(board, inputs, {
      // Counted where every request goes out: the `requests` output.
      client: counting(client, requests),
      clock: deps.clock,
      budget: new PollBudget(inputs.maxPollsPerMinute, deps.clock),
      timings: deps.timings,
      logFor: video => log.video(video),
      signal,
      runState: github?.runState
    })
  } finally {
    await client.close()
  }
}

/** No video matched: the words the step fails with, when if-no-files-found says it should. */
function noVideos(inputs: Inputs, log: Logger): string | undefined {
  const message = `No videos matched ${inputs.patterns.map(p => `'${p}'`).join(', ')} in ${inputs.workspace}.`
  if (inputs.ifNoFilesFound === 'error') return `${message} (Set '${Input.IfNoFilesFound}' to warn or ignore if that can be normal.)`
  if (inputs.ifNoFilesFound === 'warn') log.warning(message)
  else log.info(message)
  return undefined
}

async function linkRelease(
  inputs: Inputs,
  board: Board,
  env: Record<string, string | undefined>,
  log: Logger,
  notes: string[]
): Promise<void> {
  const { updateReleaseNotes } = await import('./github/release-notes.js')
  try {
    log.info(await updateReleaseNotes(inputs.githubToken!, board.results, env))
  } catch (error) {
    const problem = `Could not update the release notes: ${(error as Error).message}`
    log.warning(problem)
    notes.push(problem)
  }
}

/** Fails the step with the outcome's words, and points at each bad file. */
export function failStep(outcome: RunOutcome, log: Logger): void {
  if (outcome.failure) core.setFailed(outcome.failure)
  for (const p of outcome.fileProblems ?? []) log.error(p.problem, p.file, 'DraftClip: cannot publish')
}

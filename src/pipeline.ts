import { randomUUID } from 'node:crypto'
import * as core from '@actions/core'
import { counting, DraftClipClient, type ClientOptions, type RequestCount } from './draftclip/client.js'
import { realClock } from './draftclip/clock.js'
import { PollBudget } from './draftclip/poll-budget.js'
import { DEFAULT_TIMINGS, type Timings } from './draftclip/retry-policy.js'
import type { Logger } from './github/log.js'
import { loadRunInfo } from './github/run-context.js'
import { Input, isLoopback, parseInputs, type Inputs } from './inputs.js'
import type { Clock, DraftClip } from './model/ports.js'
import { stepFailure, type RunOutcome, type VideoResult } from './model/result.js'
import { Status } from './model/status.js'
import type { RunInfo, Video } from './model/video.js'
import type { Board, Driver } from './publish/board.js'
import { openBoard, type SharedLedger } from './publish/board.js'
import type { GitHubClient } from './github/client.js'
import { ledgerStore, type BranchSide } from './ledger/open.js'
// A few KB, and they reach GitHub only through the client they are given: bundled with the run (the client loads when the input is set).
import { GitHubDeployments } from './github/deployments.js'
import { DeploymentRecorder } from './publish/deployments.js'
import { planAll } from './publish/plan.js'
import { refuseAll } from './publish/refuse.js'
import { initialResult, warned as warnedStep } from './publish/lifecycle.js'
import { mediaVerdicts } from './publish/media-verdict.js'
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
  /** Where GitHub's REST API is talked to (the branch ledger, release notes); default GITHUB_API_URL. */
  githubApiUrl?: string
  /** GitHub's time before the first upload (ms); default 60 s (a test shortens it). */
  githubBeforeUploadMs?: number
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
  readonly requests: RequestCount = { upload: 0, status: 0, unreached: 0 }
  /** Set by the signal handler: why the job stops. */
  cancelled: string | undefined
  /** What the branch ledger cost on GitHub, for the log's last lines. */
  ledgerUse: string | undefined
  /** The account's handle (tiktok-username), once the inputs are read: the post links. */
  username: string | undefined
  /** Each upload's GitHub Deployment (deployment-environment), once the board is open. */
  deployments: DeploymentRecorder | undefined

  /** A run ended under its videos (a cancelled job): each deployment gets the status its video ends with, for at most `ms`. */
  async settleDeployments(clock: Clock, ms: number): Promise<void> {
    const board = this.board
    if (!this.deployments || !board) return
    board.entries.forEach((e, i) => this.deployments!.finish(i, e.video.file, e.result, e.hash ? board.ledger?.get(e.hash) : undefined))
    const timer = new AbortController()
    await Promise.race([this.deployments.settled(), clock.sleep(ms, timer.signal)])
    timer.abort()
  }

  outcome(more: Partial<RunOutcome> = {}): RunOutcome {
    return {
      dryRun: this.dryRun,
      results: this.board?.results ?? [],
      stopReason: this.cancelled,
      notes: this.notes,
      requests: this.requests,
      username: this.username,
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
  let deploymentsRest: GitHubClient | undefined
  try {
    const inputs = parseInputs(env, secrets.apiKey)
    soFar.dryRun = inputs.dryRun
    soFar.username = inputs.tiktokUsername
    if (!isLoopback(inputs.baseUrl) && inputs.pollIntervalMs < 1000) {
      log.warning(`'${Input.PollInterval}' under 1 s polls DraftClip very often; its doc asks clients to be gentle (it uses 5 s).`)
    }
    // The first status request waits one poll-interval: a shorter wait would end before it, having read nothing.
    if (inputs.wait && inputs.waitTimeoutMs < inputs.pollIntervalMs)
      log.warning(
        `'${Input.WaitTimeout}' (${inputs.waitTimeoutMs / 1000} s) is shorter than '${Input.PollInterval}' (${inputs.pollIntervalMs / 1000} s): the wait ends before its first status request, so no status is read; raise '${Input.WaitTimeout}' or lower '${Input.PollInterval}'.`
      )
    const media: MediaProblem[] = []
    const { videos, problems } = await findVideos(inputs, env, deps, log, media, secrets.all)
    if (videos.length === 0 && problems.length === 0) return soFar.outcome({ failure: noVideos(inputs, log) })
    // Found, not "to publish": the ledger, twins and the calendar decide that, and each video's line says it.
    if (videos.length > 0) log.info(`${videos.length} video${videos.length === 1 ? '' : 's'} found: ${videos.map(v => v.file).join(', ')}`)

    if (problems.length > 0) return await refuseRun(videos, problems, inputs, env, deps, log, secrets, soFar)
    github = inputs.ledgerBranch ? await openGitHubSide(inputs, env, deps, log) : undefined
    // A deployment's payload names every uploaded video's SHA-256 (the real run's only: a dry run creates none).
    const board = await boardOnLedger(videos, inputs, github, deps, secrets, inputs.deployments !== undefined && !inputs.dryRun)
    soFar.board = board
    // Still before any request to DraftClip (a branch ledger has been read from GitHub by now, which is not DraftClip).
    const refusedNow = await judgeMedia(board, media, inputs, deps.clock.now(), log)
    if (refusedNow.length > 0) return await refusedOutcome(board, refusedNow, inputs, deps, log, secrets, soFar)
    deploymentsRest = await openDeployments(inputs, env, deps, log, secrets.all, soFar)
    const drive: Driver = inputs.dryRun
      ? board => planAll(board, inputs, deps.clock.now(), video => log.video(video))
      : board => sendAll(board, inputs, env, deps, log, signal, soFar.requests, github, soFar.deployments)
    const halt = await drive(board)
    if (inputs.dryRun) {
      if (inputs.deployments) planDeployments(inputs.deployments.environment, board, log, soFar.notes)
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
    if (inputs.releaseNotes) await linkRelease(inputs, board, env, deps, log, soFar.notes, github?.client, secrets.all)
    const failure = stepFailure(board.results, stopReason)
    return soFar.outcome({ stopReason, failure: failure && scrub(failure, secrets.all) })
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error)
    return soFar.outcome({ problem, failure: scrub(problem, secrets.all) })
  } finally {
    await closeDeployments(deploymentsRest, log)
    if (github) {
      const { client } = github
      const commits = (soFar.board?.ledger?.store as { commits?: number } | undefined)?.commits ?? 0
      soFar.ledgerUse = `Ledger on GitHub: ${client.requests} request${client.requests === 1 ? '' : 's'}, ${commits} commit${commits === 1 ? '' : 's'}.`
      await client.close()
    }
  }
}

/** How long GitHub may take, in all, before the first upload (reading the branch ledger, asking about runs). */
const GITHUB_BEFORE_UPLOAD_MS = 60_000

/** The branch ledger's GitHub side: the client, this run, and how to ask about another run. */
type GitHubSide = BranchSide & SharedLedger

/** The one GitHub client of the run, for the token and GITHUB_API_URL. */
async function gitHubClient(token: string, env: Record<string, string | undefined>, deps: RunDeps, log: Logger): Promise<GitHubClient> {
  const { GitHubClient } = await import('./github/client.js')
  return new GitHubClient({
    apiUrl: deps.githubApiUrl ?? (env.GITHUB_API_URL || 'https://api.github.com'),
    token,
    clock: deps.clock,
    log: line => log.info(line)
  })
}

/**
 * The run's board over its ledger. GitHub gets a minute before the first upload (the reads, the runs
 * lookup, the first claim: sendAll lifts it): one that never answers fails the step, not holds it for minutes.
 */
async function boardOnLedger(
  videos: Video[],
  inputs: Inputs,
  github: GitHubSide | undefined,
  deps: RunDeps,
  secrets: { apiKey: string; all: string[] },
  hashAll = false
): Promise<Board> {
  github?.client.until(deps.githubBeforeUploadMs ?? GITHUB_BEFORE_UPLOAD_MS)
  return openBoard(videos, await ledgerStore(inputs, github, [secrets.apiKey]), secrets.all, github, hashAll)
}

/** The branch ledger's GitHub side, before any upload: a token that may not read it, or an unreachable API, fails the step here. */
async function openGitHubSide(inputs: Inputs, env: Record<string, string | undefined>, deps: RunDeps, log: Logger): Promise<GitHubSide> {
  const { runState } = await import('./github/runs.js')
  const repository = env.GITHUB_REPOSITORY!
  const client = await gitHubClient(inputs.githubToken!, env, deps, log)
  // This job alone, in the entries it writes: matrix jobs share the run's id and attempt.
  const run = {
    id: env.GITHUB_RUN_ID || `local-${process.pid}`,
    attempt: Number(env.GITHUB_RUN_ATTEMPT) || 1,
    writer: randomUUID().slice(0, 13)
  }
  return { client, repository, run, runState: id => runState(client, repository, id) }
}

/**
 * deployment-environment's recorder (the real run only), over its own GitHub client: its requests
 * are counted apart from the ledger's. Each upload's ledger entry keeps its deployment's id.
 */
async function openDeployments(
  inputs: Inputs,
  env: Record<string, string | undefined>,
  deps: RunDeps,
  log: Logger,
  secrets: string[],
  soFar: RunSoFar
): Promise<GitHubClient | undefined> {
  if (!inputs.deployments || inputs.dryRun || !soFar.board) return undefined
  const rest = await gitHubClient(inputs.githubToken!, env, deps, log)
  // A record is not worth holding the uploads for long: a longer rate limit than this is a failed call, said in the summary.
  rest.waitCeiling = DEPLOYMENT_WAIT_CEILING_MS
  const target = inputs.deployments
  const client = new GitHubDeployments(rest, target, secrets)
  soFar.deployments = new DeploymentRecorder(
    client,
    { environment: target.environment, username: inputs.tiktokUsername },
    { warn: (line, file) => log.warning(line, file), notes: soFar.notes }
  )
  soFar.board.deploymentOf = i => soFar.deployments!.entryId(i)
  return rest
}

async function closeDeployments(rest: GitHubClient | undefined, log: Logger): Promise<void> {
  if (!rest) return
  log.info(`GitHub Deployments: ${rest.requests} request${rest.requests === 1 ? '' : 's'}.`)
  await rest.close()
}

const DEPLOYMENT_WAIT_CEILING_MS = 60_000

/** The dry run's word on deployments: what it would create, and that the permission was not checked. */
function planDeployments(environment: string, board: Board, log: Logger, notes: string[]): void {
  const files = board.results.filter(r => r.status === Status.DryRun).map(r => r.file)
  const note =
    files.length === 0
      ? `No GitHub Deployment would be created in environment '${environment}': no video would be uploaded.`
      : `A GitHub Deployment would be created in environment '${environment}' for each of ${files.length} upload${files.length === 1 ? '' : 's'} (${files.join(', ')}), with statuses as ${files.length === 1 ? 'it publishes' : 'they publish'}. The dry run did not check that the job may create them ('permissions: deployments: write').`
  log.info(note)
  notes.push(note)
}

/** The videos found and checked; when a check refuses any, the problems too (and every video the checks described). */
async function findVideos(
  inputs: Inputs,
  env: Record<string, string | undefined>,
  deps: RunDeps,
  log: Logger,
  media: MediaProblem[],
  secrets: readonly string[]
): Promise<{ videos: Video[]; problems: Refusal[] }> {
  const paths = await findVideoPaths(inputs.patterns, inputs.workspace)
  try {
    const videos = await checkVideos(
      paths,
      { ...inputs, secrets },
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
    github = inputs.ledgerBranch ? await openGitHubSide(inputs, env, deps, log) : undefined
    board = await boardOnLedger(videos, inputs, github, deps, secrets)
  } catch (error) {
    soFar.notes.push(`The ledger could not be read, so no video is shown as skipped: ${(error as Error).message}`)
    board = await openBoard(videos, undefined, secrets.all, undefined)
  } finally {
    await github?.client.close()
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

/**
 * The media verdicts applied, before any request to DraftClip: the refusals are
 * returned (the whole list is refused at once, as checkVideos does), warnings
 * kept on their videos, notices logged.
 */
async function judgeMedia(board: Board, media: MediaProblem[], inputs: Inputs, now: number, log: Logger): Promise<Refusal[]> {
  if (media.length === 0) return []
  const admissions = board.admissionsAt(inputs.wait, now, inputs.maxUploads)
  const refused: Refusal[] = []
  for (const verdict of mediaVerdicts(media, board.entries, admissions, inputs.mediaCheck)) {
    const { file, problem, path } = verdict.problem
    if (verdict.kind === 'refuse') refused.push({ file, problem, video: path })
    else if (verdict.kind === 'notice') log.info(`${file}: ${verdict.line}`)
    else {
      log.warning(`${file}: ${verdict.line}`, file)
      await board.apply(verdict.index, warnedStep(board.entries[verdict.index].result, [verdict.line]))
    }
  }
  return refused
}

/** The real run's driver: a DraftClip client (counted, for the `requests` output), closed when the board is done. */
async function sendAll(
  board: Board,
  inputs: Inputs,
  env: Record<string, string | undefined>,
  deps: RunDeps,
  log: Logger,
  signal: AbortSignal,
  requests: RequestCount,
  github: GitHubSide | undefined,
  deployments: DeploymentRecorder | undefined
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
      budget: new PollBudget(inputs.maxPollsPerMinute, deps.clock, deps.timings),
      timings: deps.timings,
      logFor: video => log.video(video),
      signal,
      runState: github?.runState,
      deployments,
      uploadsBegin: () => github?.client.until(undefined)
    })
  } finally {
    // Each deployment's last status is answered before the outputs are written (and its problems are in the summary).
    await deployments?.settled()
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
  deps: RunDeps,
  log: Logger,
  notes: string[],
  shared: GitHubClient | undefined,
  secrets: readonly string[]
): Promise<void> {
  const { updateReleaseNotes } = await import('./github/release-notes.js')
  const client = shared ?? (await gitHubClient(inputs.githubToken!, env, deps, log))
  try {
    log.info(await updateReleaseNotes(client, board.results, env, inputs.tiktokUsername, secrets))
  } catch (error) {
    const problem = `Could not update the release notes: ${(error as Error).message}`
    log.warning(problem)
    notes.push(problem)
  } finally {
    if (!shared) await client.close()
  }
}

/** Fails the step with the outcome's words, and points at each bad file. */
export function failStep(outcome: RunOutcome, log: Logger): void {
  if (outcome.failure) core.setFailed(outcome.failure)
  for (const p of outcome.fileProblems ?? []) log.error(p.problem, p.file, 'DraftClip: cannot publish')
}

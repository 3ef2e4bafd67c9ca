import * as core from '@actions/core'
import { counting, DraftClipClient, type ClientOptions, type RequestCount } from './draftclip/client.js'
import type { DraftClip, Clock } from './model/ports.js'
import { realClock } from './draftclip/clock.js'
import { PollBudget } from './draftclip/poll-budget.js'
import { DEFAULT_TIMINGS, type Timings } from './draftclip/retry-policy.js'
import { logger, type Logger } from './github/log.js'
import { annotate, scrubbedSummary, setOutputsOrLog, summaryProblem, writeSummary } from './github/report.js'
import { loadRunInfo } from './github/run-context.js'
import { Input, isLoopback, parseInputs, readInput, type Inputs } from './inputs.js'
import { Board, planAll, publishAll } from './publish/driver.js'
import type { BranchStore } from './github/ledger-branch.js'
import type { GitHubRest } from './github/rest.js'
import { Ledger } from './publish/ledger.js'
import { initialResult, type Halt, type RunRef, type RunState } from './publish/lifecycle.js'
import { stepFailure } from './model/result.js'
import { pathsToHash } from './publish/twins.js'
import { scrub } from './secrets.js'
import { checkVideos, VideoCheckError } from './videos/check.js'
import type { RunInfo, Video } from './model/video.js'
import { findVideoPaths, workspacePath } from './videos/find.js'
import { hashFile } from './videos/read.js'

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

const defaults: RunDeps = {
  clock: realClock,
  timings: DEFAULT_TIMINGS,
  client: options => new DraftClipClient(options),
  loadRunInfo,
  signals: true,
  exit: code => process.exit(code)
}

/**
 * A cancelled job gets SIGINT, SIGTERM 7.5 s later and SIGKILL 2.5 s after
 * that. Until SIGTERM (or this long), uploads whose body has left may still
 * answer with their publish id.
 */
export const ANSWER_GRACE_MS = 7000
/** Then how long the ledger writes under way get (a publish id may be in one), well inside SIGKILL's 2.5 s. */
const LEDGER_GRACE_MS = 1500

/**
 * The action: inputs -> videos -> ledger -> publish -> report. The one place
 * that fails the step; outputs and the summary are written whatever happens,
 * with whatever was learned.
 */
export async function run(env: Record<string, string | undefined> = process.env, overrides: Partial<RunDeps> = {}): Promise<void> {
  const deps = { ...defaults, ...overrides }
  // Masked before anything else can print it.
  const apiKey = readInput(env, Input.ApiKey)
  if (apiKey) core.setSecret(apiKey)
  const secrets = [apiKey]
  // The GitHub token goes to GitHub only; masked like the key (the runner masks github.token, not every token).
  const githubToken = readInput(env, Input.LedgerBranch) ? readInput(env, Input.GithubToken) : ''
  if (githubToken) {
    core.setSecret(githubToken)
    secrets.push(githubToken)
  }
  const log = logger(secrets, deps.clock.now)
  let github: GitHubSide | undefined

  let board: Board | undefined
  const requests: RequestCount = { upload: 0, status: 0 }
  const report = {
    dryRun: false,
    stopReason: undefined as string | undefined,
    problem: undefined as string | undefined,
    notes: [] as string[]
  }
  let finished = false
  /** Outputs, annotations and the summary, once, with whatever is known by then. */
  const finish = async (): Promise<void> => {
    if (finished) return
    finished = true
    const results = board?.results ?? []
    const onRunner = env.GITHUB_ACTIONS === 'true'
    // The runner's files may be unusable (unset, a folder gone): then the results go to the log, and the step says why.
    const outputsProblem = setOutputsOrLog(results, secrets, line => log.info(line), onRunner, requests)
    if (outputsProblem) core.setFailed(outputsProblem)
    annotate(results, secrets, report.stopReason)
    let summaryFailed: string | undefined
    if (!process.env.GITHUB_STEP_SUMMARY) {
      if (onRunner) summaryFailed = 'GITHUB_STEP_SUMMARY is not set, so there is no job summary. It follows in the log.'
    } else {
      try {
        await writeSummary(results, { ...report, requests }, secrets)
      } catch (error) {
        summaryFailed = summaryProblem(error)
      }
    }
    if (summaryFailed) {
      log.warning(summaryFailed)
      for (const line of scrubbedSummary(results, { ...report, requests }, secrets)
        .trimEnd()
        .split('\n'))
        log.info(line)
    }
  }

  const cancel = new AbortController()
  /** Aborted by SIGTERM (the runner's last word before SIGKILL) or the end of the run: the grace is over. */
  const hurry = new AbortController()
  let ended: () => void = () => undefined
  const runEnded = new Promise<void>(resolve => (ended = resolve))
  // A cancelled job: start nothing new, give uploads whose body has left until SIGTERM to answer (the
  // run ends by itself once they have), let the ledger finish the writes under way, then leave the outputs behind.
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signal === 'SIGTERM') hurry.abort()
    if (cancel.signal.aborted) return
    cancel.abort()
    report.stopReason = `The job was cancelled (${signal}).`
    log.error(`${report.stopReason} The outputs hold what was learned so far.`)
    void (async () => {
      await Promise.race([runEnded, deps.clock.sleep(ANSWER_GRACE_MS, hurry.signal)])
      hurry.abort()
      const timer = new AbortController()
      await Promise.race([board?.ledger?.idle(), deps.clock.sleep(LEDGER_GRACE_MS, timer.signal)])
      timer.abort()
      board?.interruptAll('the job was cancelled')
      await finish()
    })().finally(() => deps.exit(1))
  }
  if (deps.signals) {
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  }

  try {
    const inputs = parseInputs(env)
    report.dryRun = inputs.dryRun
    if (!isLoopback(inputs.baseUrl) && inputs.pollIntervalMs < 1000) {
      log.warning(`'${Input.PollInterval}' under 1 s polls DraftClip very often; its doc asks clients to be gentle (it uses 5 s).`)
    }
    const videos = await findAndCheck(inputs, env, deps, log)
    if (videos.length === 0) return noVideos(inputs, log)
    // Found, not "to publish": the ledger, twins and the calendar decide that, and each video's line says it.
    log.info(`${videos.length} video${videos.length === 1 ? '' : 's'} found: ${videos.map(v => v.file).join(', ')}`)

    github = inputs.ledgerBranch ? await openBranchLedger(inputs, env, deps, log, [apiKey]) : undefined
    board = await prepareBoard(videos, inputs, secrets, github)
    if (inputs.dryRun) {
      planAll(board, inputs, deps.clock.now(), video => log.video(video))
      log.info('Dry run: nothing was sent to DraftClip.')
      return
    }
    const halt = await publish(board, inputs, env, deps, log, cancel.signal, requests, github?.runState)
    if (halt?.quota && inputs.maxUploads !== undefined) {
      // A queue: what was not sent waits for a later run, and the step passes.
      const note = `${halt.reason} The videos not sent are QUEUED for a later run.`
      log.warning(note)
      report.notes.push(note)
    } else report.stopReason ??= halt?.reason
    if (inputs.releaseNotes) await linkRelease(inputs, board, env, log, report)

    const failure = stepFailure(board.results, report.stopReason)
    if (failure) core.setFailed(scrub(failure, secrets))
  } catch (error) {
    report.problem = failureMessage(error)
    core.setFailed(scrub(report.problem, secrets))
    if (error instanceof VideoCheckError) {
      for (const p of error.problems) log.error(p.problem, p.file, 'DraftClip: cannot publish')
    }
  } finally {
    if (deps.signals) {
      process.removeListener('SIGINT', onSignal)
      process.removeListener('SIGTERM', onSignal)
    }
    if (github) {
      log.info(
        `Ledger on GitHub: ${github.rest.requests} request${github.rest.requests === 1 ? '' : 's'}, ${github.store.commits} commit${github.store.commits === 1 ? '' : 's'}.`
      )
      await github.rest.close()
    }
    try {
      await finish()
    } finally {
      ended()
    }
  }
}

/** The branch ledger's parts: the REST client, the store, and how to ask about another run. */
interface GitHubSide {
  rest: GitHubRest
  store: BranchStore
  run: RunRef
  runState: (id: string) => Promise<RunState>
}

/** The branch ledger, before any upload: a token that may not read it, or an unreachable API, fails the step here. */
async function openBranchLedger(
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
  const run: RunRef = { id: env.GITHUB_RUN_ID || `local-${process.pid}`, attempt: Number(env.GITHUB_RUN_ATTEMPT) || 1 }
  const store = new BranchStore({ rest, repository, branch: inputs.ledgerBranch!, path: inputs.ledgerPath!, run, secrets })
  return { rest, store, run, runState: id => runState(rest, repository, id) }
}

async function findAndCheck(inputs: Inputs, env: Record<string, string | undefined>, deps: RunDeps, log: Logger): Promise<Video[]> {
  const paths = await findVideoPaths(inputs.patterns, inputs.workspace)
  return checkVideos(
    paths,
    inputs,
    () => deps.loadRunInfo(env),
    line => log.info(line),
    p => log.warning(`${p.file}: ${p.problem}`, p.file)
  )
}

/** The board of the run: each video's starting result, with its content hash where the ledger or its twins need one. */
async function prepareBoard(videos: Video[], inputs: Inputs, secrets: string[], github: GitHubSide | undefined): Promise<Board> {
  const ledger = github
    ? await Ledger.open(github.store, secrets, github.run)
    : inputs.ledger
      ? await Ledger.load(inputs.ledger, workspacePath(inputs.ledger, inputs.workspace), secrets)
      : undefined
  const toHash = new Set(pathsToHash(videos, ledger !== undefined))
  const hashes: (string | undefined)[] = []
  for (const video of videos) hashes.push(toHash.has(video.path) ? await hashFile(video.path, video.size) : undefined)
  const results = videos.map((v, i) => initialResult({ ...v, sha256: hashes[i] }))
  const board = new Board(videos, hashes, ledger, results)
  if (github) {
    board.self = github.run
    // Whether the runs that left upload entries are still going, before anything is decided.
    await board.learnRuns(github.runState)
  }
  return board
}

async function publish(
  board: Board,
  inputs: Inputs,
  env: Record<string, string | undefined>,
  deps: RunDeps,
  log: Logger,
  signal: AbortSignal,
  requests: RequestCount,
  runState?: (id: string) => Promise<RunState>
): Promise<Halt | undefined> {
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
      ledger: board.ledger,
      logFor: video => log.video(video),
      signal,
      runState
    })
  } finally {
    await client.close()
  }
}

function noVideos(inputs: Inputs, log: Logger): void {
  const message = `No videos matched ${inputs.patterns.map(p => `'${p}'`).join(', ')} in ${inputs.workspace}.`
  if (inputs.ifNoFilesFound === 'error')
    core.setFailed(`${message} (Set '${Input.IfNoFilesFound}' to warn or ignore if that can be normal.)`)
  else if (inputs.ifNoFilesFound === 'warn') log.warning(message)
  else log.info(message)
}

async function linkRelease(
  inputs: Inputs,
  board: Board,
  env: Record<string, string | undefined>,
  log: Logger,
  report: { notes: string[] }
): Promise<void> {
  const { updateReleaseNotes } = await import('./github/release-notes.js')
  try {
    log.info(await updateReleaseNotes(inputs.githubToken!, board.results, env))
  } catch (error) {
    const problem = `Could not update the release notes: ${(error as Error).message}`
    log.warning(problem)
    report.notes.push(problem)
  }
}

function failureMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

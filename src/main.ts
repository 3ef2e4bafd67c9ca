import * as core from '@actions/core'
import { logger } from './github/log.js'
import { reportOutcome } from './github/report.js'
import { Input, readInput } from './inputs.js'
import { failStep, publishVideos, RUNNER_DEPS, RunSoFar, type RunDeps } from './pipeline.js'

/**
 * A cancelled job gets SIGINT, SIGTERM 7.5 s later and SIGKILL 2.5 s after
 * that. Until SIGTERM (or this long), uploads whose body has left may still
 * answer with their publish id.
 */
export const ANSWER_GRACE_MS = 7000
/** Then how long the ledger writes under way get (a publish id may be in one), well inside SIGKILL's 2.5 s. */
const LEDGER_GRACE_MS = 1500

/**
 * The action: the run (pipeline.ts), then its report. The one place that fails
 * the step; outputs and the summary are written whatever happens, with
 * whatever was learned, a cancelled job included.
 */
export async function run(env: Record<string, string | undefined> = process.env, overrides: Partial<RunDeps> = {}): Promise<void> {
  const deps = { ...RUNNER_DEPS, ...overrides }
  const secrets = maskSecrets(env)
  const log = logger(secrets.all, deps.clock.now)
  const soFar = new RunSoFar()
  let reported = false
  const report = async (outcome = soFar.outcome()): Promise<void> => {
    if (reported) return
    reported = true
    await reportOutcome(outcome, secrets.all, log, env.GITHUB_ACTIONS === 'true')
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
    soFar.cancelled = `The job was cancelled (${signal}).`
    log.error(`${soFar.cancelled} The outputs hold what was learned so far.`)
    void (async () => {
      await Promise.race([runEnded, deps.clock.sleep(ANSWER_GRACE_MS, hurry.signal)])
      hurry.abort()
      const timer = new AbortController()
      await Promise.race([soFar.board?.ledger?.idle(), deps.clock.sleep(LEDGER_GRACE_MS, timer.signal)])
      timer.abort()
      soFar.board?.interruptAll('the job was cancelled')
      await report()
    })().finally(() => deps.exit(1))
  }
  if (deps.signals) {
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  }

  try {
    const outcome = await publishVideos(env, deps, log, secrets, cancel.signal, soFar)
    failStep(outcome, log)
    if (deps.signals) {
      process.removeListener('SIGINT', onSignal)
      process.removeListener('SIGTERM', onSignal)
    }
    if (soFar.ledgerUse) log.info(soFar.ledgerUse)
    await report(outcome)
  } finally {
    ended()
  }
}

/** The key (and the GitHub token, which goes to GitHub only), read once and masked before anything else can print them. */
function maskSecrets(env: Record<string, string | undefined>): { apiKey: string; all: string[] } {
  const apiKey = readInput(env, Input.ApiKey)
  // The runner masks github.token, not every token: masked like the key.
  const githubToken = readInput(env, Input.LedgerBranch) ? readInput(env, Input.GithubToken) : ''
  for (const secret of [apiKey, githubToken]) if (secret) core.setSecret(secret)
  return { apiKey, all: githubToken ? [apiKey, githubToken] : [apiKey] }
}

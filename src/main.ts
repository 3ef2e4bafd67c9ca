import * as core from '@actions/core'
import { logger } from './github/log.js'
import { reportOutcome } from './github/report.js'
import { watchForCancel } from './cancel.js'
import { Input, readInput } from './inputs.js'
import { failStep, publishVideos, RUNNER_DEPS, RunSoFar, type RunDeps } from './pipeline.js'

/**
 * The action: the run (pipeline.ts), then its report. The one place that fails
 * the step; outputs and the summary are written whatever happens, with
 * whatever was learned, a cancelled job included (cancel.ts).
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
  const cancel = watchForCancel(deps, soFar, log, () => report())

  try {
    const outcome = await publishVideos(env, deps, log, secrets, cancel.signal, soFar)
    failStep(outcome, log)
    cancel.stopWatching()
    if (soFar.ledgerUse) log.info(soFar.ledgerUse)
    await report(outcome)
  } finally {
    cancel.runEnded()
  }
}

/** The key (and the GitHub token, which goes to GitHub only), read once and masked before anything else can print them. */
function maskSecrets(env: Record<string, string | undefined>): { apiKey: string; all: string[] } {
  const apiKey = readInput(env, Input.ApiKey)
  // The runner masks github.token, not every token (a personal token for release-notes or ledger-branch): masked like the key.
  const githubToken = readInput(env, Input.GithubToken)
  for (const secret of [apiKey, githubToken]) if (secret) core.setSecret(secret)
  return { apiKey, all: githubToken ? [apiKey, githubToken] : [apiKey] }
}

import type { Logger } from './github/log.js'
import type { RunDeps, RunSoFar } from './pipeline.js'

/**
 * A cancelled job gets SIGINT, SIGTERM 7.5 s later and SIGKILL 2.5 s after
 * that. Until SIGTERM (or this long), uploads whose body has left may still
 * answer with their publish id.
 */
export const ANSWER_GRACE_MS = 7000
/** Then how long the ledger writes get (a publish id may be in one, or what a cancel made of an upload), well inside SIGKILL's 2.5 s. */
const LEDGER_GRACE_MS = 1500
/** Then each deployment's last status (deployment-environment), before the outputs; still inside SIGKILL's 2.5 s. */
const DEPLOYMENT_GRACE_MS = 600

/** What the run needs from the runner's cancel: a signal to start nothing new, and two calls for its end. */
export interface CancelWatch {
  /** Aborted by the first SIGINT or SIGTERM. */
  signal: AbortSignal
  /** The run finished by itself: the signals are no longer the run's to handle. */
  stopWatching(): void
  /** The run has ended (whatever way): a cancel under way need not wait for answers any longer. */
  runEnded(): void
}

/**
 * A cancelled job: start nothing new, stop uploads whose last bytes have not left (the client
 * holds them back), give those whose have until SIGTERM to answer (the run ends by itself once
 * they have), make of each still unanswered what the lifecycle's rule says, let the ledger
 * store it, then leave the outputs behind (`report`) and exit 1.
 */
export function watchForCancel(
  deps: Pick<RunDeps, 'clock' | 'signals' | 'exit'>,
  soFar: RunSoFar,
  log: Logger,
  report: () => Promise<void>
): CancelWatch {
  const cancel = new AbortController()
  /** Aborted by SIGTERM (the runner's last word before SIGKILL) or the end of the run: the grace is over. */
  const hurry = new AbortController()
  let ended: () => void = () => undefined
  const runEnded = new Promise<void>(resolve => (ended = resolve))
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signal === 'SIGTERM') hurry.abort()
    if (cancel.signal.aborted) return
    cancel.abort()
    soFar.cancelled = `The job was cancelled (${signal}).`
    log.error(`${soFar.cancelled} The outputs hold what was learned so far.`)
    void (async () => {
      await Promise.race([runEnded, deps.clock.sleep(ANSWER_GRACE_MS, hurry.signal)])
      hurry.abort()
      // What each upload still under way is, first, so that its ledger write is among those the grace waits for.
      soFar.board?.interruptAll('the job was cancelled')
      const timer = new AbortController()
      await Promise.race([soFar.board?.ledger?.idle(), deps.clock.sleep(LEDGER_GRACE_MS, timer.signal)])
      timer.abort()
      await soFar.settleDeployments(deps.clock, DEPLOYMENT_GRACE_MS)
      await report()
    })().finally(() => deps.exit(1))
  }
  if (deps.signals) {
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  }
  return {
    signal: cancel.signal,
    stopWatching: () => {
      if (!deps.signals) return
      process.removeListener('SIGINT', onSignal)
      process.removeListener('SIGTERM', onSignal)
    },
    runEnded: () => ended()
  }
}

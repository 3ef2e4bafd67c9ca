/** The workflow run a ledger entry names, and what GitHub says of another run: plain data, no I/O. */

/** The workflow run that writes a ledger entry: GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT. */
export interface RunRef {
  id: string
  attempt: number
  /** This job's own id (matrix jobs share the run's id and attempt), kept in the entries it writes. */
  writer?: string
}

/** What GitHub says of a run: `unknown` when the token may not ask (no `actions: read`) or GitHub would not say. */
export type RunState = 'in_progress' | 'completed' | 'unknown'

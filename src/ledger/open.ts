import type { GitHubClient } from '../github/client.js'
import type { LedgerStore } from '../model/ports.js'
import type { RunRef } from '../model/run.js'
import { workspacePath } from '../videos/find.js'
import { BranchStore } from './branch-store.js'
import { FileStore } from './file-store.js'

/** Where the inputs put the ledger. */
export interface LedgerPlace {
  /** A file of the workspace (absolute). */
  ledger: string | undefined
  ledgerBranch: string | undefined
  /** The file's path on the branch. */
  ledgerPath: string | undefined
  workspace: string
}

/** What a ledger on a branch talks through, and the run its entries name. */
export interface BranchSide {
  client: GitHubClient
  repository: string
  run: RunRef
}

/** The one place a ledger's backend is chosen: a new one is an adapter and a line here. */
export async function ledgerStore(
  place: LedgerPlace,
  branch: BranchSide | undefined,
  secrets: readonly string[]
): Promise<LedgerStore | undefined> {
  if (place.ledgerBranch && branch)
    return new BranchStore({
      rest: branch.client,
      repository: branch.repository,
      branch: place.ledgerBranch,
      path: place.ledgerPath!,
      run: branch.run,
      secrets
    })
  if (place.ledger) return FileStore.at(place.ledger, workspacePath(place.ledger, place.workspace))
  return undefined
}

import type { RunState } from '../model/run.js'
import type { GitHubClient } from './client.js'

/** Asks GitHub whether a run is still going: GET /actions/runs/{id}, which needs `actions: read`. */
export async function runState(client: GitHubClient, repository: string, id: string): Promise<RunState> {
  if (!/^\d+$/.test(id)) return 'unknown'
  const answer = await client.call('GET', `/repos/${repository.split('/').map(encodeURIComponent).join('/')}/actions/runs/${id}`)
  if (answer.status === 200) return (answer.json as { status?: string }).status === 'completed' ? 'completed' : 'in_progress'
  // A run GitHub does not know (deleted) is not running.
  if (answer.status === 404) return 'completed'
  return 'unknown'
}

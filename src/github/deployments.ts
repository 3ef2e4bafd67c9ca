import { cut, type DeploymentStatus } from '../model/deployment.js'
import { scrub } from '../secrets.js'
import type { GitHubAnswer } from './client.js'

/**
 * GitHub Deployments, the two calls deployment-environment makes: a
 * deployment per upload, and its statuses. Every call goes through one
 * `call(method, route, body)` (the GitHub client); a POST is never sent
 * twice (a second deployment would be a second record), so an answer that
 * never came is reported, not retried.
 */

/** Where the deployments go: the repository, the environment, the commit, and the run's page (each status's log_url). */
export interface DeploymentTarget {
  repository: string
  environment: string
  sha: string
  runUrl: string | undefined
}

/**
 * What a deployment's creation came to. `refused`: GitHub answered no; `unsent`: not made (a rate limit
 * longer than the run waits); `lost`: no answer, or one that says nothing (it may exist).
 */
export type Created =
  { kind: 'created'; id: number } | { kind: 'refused'; status: number; message: string } | { kind: 'unsent' | 'lost'; message: string }

/** The one method of the run's GitHub client (github/client.ts) this needs. */
export interface GitHubCall {
  call(method: 'GET' | 'POST', route: string, body?: unknown, idempotent?: boolean): Promise<GitHubAnswer>
}

/** The deployment of one video: its file named, and its bytes by SHA-256 (file names are untrusted text: scrubbed, cut). */
export function deploymentBody(
  target: DeploymentTarget,
  file: string,
  sha256: string,
  secrets: readonly string[]
): Record<string, unknown> {
  const name = scrub(file, secrets)
  return {
    ref: target.sha,
    environment: target.environment,
    task: 'publish',
    auto_merge: false,
    required_contexts: [],
    description: cut(`Publish ${name} to TikTok`),
    payload: { file: name, sha256 },
    transient_environment: false
  }
}

/** A status as GitHub takes it: the run's page as its log, never marking the environment's other deployments inactive. */
export function statusBody(target: DeploymentTarget, status: DeploymentStatus, secrets: readonly string[]): Record<string, unknown> {
  return {
    state: status.state,
    description: cut(scrub(status.description, secrets)),
    ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
    ...(target.runUrl ? { log_url: target.runUrl } : {}),
    auto_inactive: false
  }
}

export class GitHubDeployments {
  constructor(
    private readonly github: GitHubCall,
    private readonly target: DeploymentTarget,
    private readonly secrets: readonly string[]
  ) {}

  async create(file: string, sha256: string): Promise<Created> {
    let answer: GitHubAnswer
    try {
      answer = await this.github.call(
        'POST',
        `/repos/${this.target.repository}/deployments`,
        deploymentBody(this.target, file, sha256, this.secrets),
        false
      )
    } catch (error) {
      // The client throws only before GitHub acted: a rate limit longer than it waits.
      return { kind: 'unsent', message: (error as Error).message }
    }
    const id = (answer.json as { id?: unknown } | undefined)?.id
    if (answer.status === 201 && typeof id === 'number' && Number.isSafeInteger(id)) return { kind: 'created', id }
    if (answer.status >= 400 && answer.status < 500) return { kind: 'refused', status: answer.status, message: answer.message }
    return { kind: 'lost', message: answer.status === 0 ? answer.message : `${answer.status}: ${answer.message}` }
  }

  /** Adds a status; the problem in words when GitHub did not take it. */
  async addStatus(id: number, status: DeploymentStatus): Promise<string | undefined> {
    const answer = await this.send(
      `/repos/${this.target.repository}/deployments/${id}/statuses`,
      statusBody(this.target, status, this.secrets)
    )
    if (answer.status === 201) return undefined
    return answer.status === 0 ? answer.message : `${answer.status}: ${answer.message}`
  }

  /** One POST, never resent: a rate limit longer than the client waits, or no connection, is an answer of its own. */
  private async send(route: string, body: unknown): Promise<GitHubAnswer> {
    try {
      return await this.github.call('POST', route, body, false)
    } catch (error) {
      return { status: 0, json: undefined, message: (error as Error).message }
    }
  }
}

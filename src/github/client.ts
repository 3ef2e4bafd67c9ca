import { Agent, request, type Dispatcher } from 'undici'
import type { Clock } from '../model/ports.js'

/**
 * The one client for GitHub's REST API: the branch ledger, the runs lookup,
 * the release notes (and deployments) all call through it, over undici's
 * `request` (already in the bundle; Octokit would add most of the bundle's
 * cold start for a handful of endpoints). Only the GitHub token goes out, and
 * only to GITHUB_API_URL. Nothing here decides what an answer means to its caller.
 *
 * The policy, written once:
 * - A write (POST, PUT, PATCH, DELETE, unless the caller says it is idempotent) is
 *   never sent again after a 5xx or a lost connection: GitHub may have made the
 *   commit, ref or deployment. It comes back as it is (`uncertain`), and the
 *   caller reads to see whether it was made.
 * - A read (and a write named by its content: a blob, a tree, a commit object) is
 *   sent again after a 5xx or a lost connection, after 1, 2, 4 s.
 * - A 403/429 that is a rate limit (`retry-after`, `x-ratelimit-reset`, a secondary
 *   limit) is waited out as GitHub asks, up to `waitCeiling` (10 minutes), then sent
 *   again: GitHub did not act on it.
 * - Before the first upload (`until`), no call waits past a deadline: a GitHub that
 *   never answers fails the step in at most a minute, saying so.
 */

export interface GitHubAnswer {
  status: number
  json: unknown
  /** GitHub's `message`, for errors. */
  message: string
}

/**
 * A write that may or may not have happened: a 5xx, or a connection lost after
 * the request left. Never sent again blindly (GitHub may have made the commit):
 * the caller reads what is there and lets its compare-and-swap decide.
 */
export function uncertain(answer: GitHubAnswer): boolean {
  return answer.status === 0 || answer.status >= 500
}

export class GitHubUnreachable extends Error {
  constructor(
    readonly api: string,
    cause: string
  ) {
    super(`GitHub's API at ${api} could not be reached (${cause})`)
    this.name = 'GitHubUnreachable'
  }
}

/** GitHub did not answer before the deadline (`until`): a step must not hang on it before the first upload. */
export class GitHubTooSlow extends Error {
  constructor(
    readonly api: string,
    seconds: number,
    cause: string
  ) {
    super(
      `GitHub's API at ${api} did not answer within ${seconds} s (${cause}); nothing was uploaded. Run the workflow again later (githubstatus.com).`
    )
    this.name = 'GitHubTooSlow'
  }
}

/** GitHub asked for a wait longer than the run will give it (`waitCeiling`): the write is not made. */
export class GitHubRateLimited extends Error {
  constructor(
    readonly waitMs: number,
    status: number
  ) {
    super(
      `GitHub asked to wait ${Math.ceil(waitMs / 1000)} s before the next request (a rate limit, ${status}), longer than this run waits for it`
    )
    this.name = 'GitHubRateLimited'
  }
}

/** The longest rate-limit wait a write of the run sits through: past it, new uploads stop rather than wait for hours. */
export const WAIT_CEILING_MS = 10 * 60 * 1000

/** A request as it goes on the wire, and its answer: what a transport moves (undici, or a test's GitHub in process). */
export interface WireRequest {
  method: string
  url: string
  headers: Record<string, string>
  body: string | undefined
  /** At most this long for the answer (a deadline); the transport's own timeouts otherwise. */
  timeoutMs?: number
}

export interface WireAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

/** Sends one request; throws (with the error's `code`) when no answer came. */
export type Transport = (request: WireRequest) => Promise<WireAnswer>

export interface RestOptions {
  apiUrl: string
  token: string
  clock: Clock
  /** A line for the log when a rate limit makes the run wait. */
  log: (line: string) => void
  /** Connection failures tried again this many times before giving up. */
  retries?: number
  /** How requests travel; default undici over a keep-alive agent. */
  transport?: Transport
}

/** How long a 403/429 asks us to wait, if it is a rate limit (pure; `now` in ms). */
export function rateLimitWait(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  message: string,
  now: number
): number | undefined {
  if (status !== 403 && status !== 429) return undefined
  const header = (name: string): string | undefined => {
    const value = headers[name]
    return Array.isArray(value) ? value[0] : value
  }
  const retryAfter = header('retry-after')
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000
  const reset = header('x-ratelimit-reset')
  if (reset !== undefined && /^\d+$/.test(reset.trim()) && (header('x-ratelimit-remaining') === '0' || status === 429))
    return Math.max(0, Number(reset) * 1000 - now) + 1000
  // GitHub's docs: a secondary limit without either header means at least a minute.
  if (status === 429 || /secondary rate limit/i.test(message)) return 60_000
  return undefined
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export class GitHubClient {
  private readonly agent: Dispatcher
  private readonly transport: Transport
  /** Requests sent, rate-limit answers included: the run's cost, for the log and the benchmark. */
  requests = 0
  /** The longest rate-limit wait sat through; the ledger's last write may raise it (see BranchStore.finishing). */
  waitCeiling = WAIT_CEILING_MS
  /** GitHub's time left (ms), and how it was set: see until(). Time spent elsewhere (hashing videos) does not count. */
  private deadline: { ms: number; spent: number } | undefined

  constructor(private readonly options: RestOptions) {
    this.agent = new Agent({ connect: { timeout: 10_000 }, headersTimeout: 60_000, bodyTimeout: 60_000 })
    this.transport = options.transport ?? (request => this.send(request))
  }

  private async send({ method, url, headers, body, timeoutMs }: WireRequest): Promise<WireAnswer> {
    // The deadline's rest bounds this request too: the agent's own timeouts (60 s each) would outlast it.
    const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(Math.max(1, timeoutMs))
    try {
      const answer = await request(url, { method: method, dispatcher: this.agent, headers, body, signal })
      return { status: answer.statusCode, headers: answer.headers, text: await answer.body.text() }
    } catch (error) {
      if (signal?.aborted) throw Object.assign(new Error('no answer before the deadline'), { code: 'no answer before the deadline' })
      throw error
    }
  }

  get clock(): Clock {
    return this.options.clock
  }

  get api(): string {
    return this.options.apiUrl
  }

  log(line: string): void {
    this.options.log(line)
  }

  /**
   * Calls from now on fail rather than take more than `ms` in all (undefined: no bound): the time
   * before the first upload. Only time inside calls counts (a run hashing its videos is not GitHub slow).
   */
  until(ms: number | undefined): void {
    this.deadline = ms === undefined ? undefined : { ms, spent: 0 }
  }

  /** What is left of the deadline for a call that started at `since`, or throws when it is spent. */
  private left(cause: string, since: number): number | undefined {
    if (!this.deadline) return undefined
    const left = this.deadline.ms - this.deadline.spent - (this.options.clock.now() - since)
    if (left <= 0) throw new GitHubTooSlow(this.options.apiUrl, Math.round(this.deadline.ms / 1000), cause)
    return left
  }

  /**
   * One call, by the policy above. `idempotent` (default: a GET) says whether it may be sent again
   * after a 5xx or a lost connection; otherwise such an answer comes back as it is (status 0 for a
   * lost connection), see `uncertain`.
   */
  async call(method: Method, route: string, body?: unknown, idempotent: boolean = method === 'GET'): Promise<GitHubAnswer> {
    const since = this.options.clock.now()
    const deadline = this.deadline
    try {
      return await this.attempts(method, route, body, idempotent, since)
    } finally {
      if (deadline) deadline.spent += this.options.clock.now() - since
    }
  }

  private async attempts(method: Method, route: string, body: unknown, idempotent: boolean, since: number): Promise<GitHubAnswer> {
    const url = `${this.options.apiUrl.replace(/\/+$/, '')}${route}`
    const retries = this.options.retries ?? 3
    for (let failures = 0; ;) {
      const left = this.left('no answer yet', since)
      let answer: WireAnswer
      try {
        this.requests++
        answer = await this.transport({
          method,
          url,
          headers: this.headers(body),
          body: body === undefined ? undefined : JSON.stringify(body),
          timeoutMs: left
        })
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
        if (!idempotent) return { status: 0, json: undefined, message: `no answer: ${code}` }
        if (++failures > retries) throw new GitHubUnreachable(this.options.apiUrl, code)
        await this.pause(1000 * 2 ** (failures - 1), code, since)
        continue
      }
      const json = parseJson(answer.text)
      const message =
        typeof (json as { message?: unknown })?.message === 'string' ? (json as { message: string }).message : answer.text.slice(0, 200)
      const wait = rateLimitWait(answer.status, answer.headers, message, this.options.clock.now())
      if (wait !== undefined) {
        if (wait > this.waitCeiling) throw new GitHubRateLimited(wait, answer.status)
        this.options.log(`GitHub's rate limit (${answer.status}): waiting ${Math.ceil(wait / 1000)} s as it asks, then sending again`)
        await this.pause(wait, `a rate limit (${answer.status})`, since)
        continue
      }
      if (answer.status >= 500 && idempotent && ++failures <= retries) {
        await this.pause(1000 * 2 ** (failures - 1), `${answer.status}`, since)
        continue
      }
      return { status: answer.status, json, message }
    }
  }

  private headers(body: unknown): Record<string, string> {
    return {
      accept: 'application/vnd.github+json',
      // The scheme Octokit sends; GitHub takes 'Bearer' as well.
      authorization: `token ${this.options.token}`,
      'user-agent': 'draftclip-publish',
      'x-github-api-version': '2022-11-28',
      ...(body === undefined ? {} : { 'content-type': 'application/json' })
    }
  }

  /** A wait before sending again; none may outlast the deadline. */
  private async pause(ms: number, cause: string, since: number): Promise<void> {
    const left = this.left(cause, since)
    if (left !== undefined && ms >= left) throw new GitHubTooSlow(this.options.apiUrl, Math.round(this.deadline!.ms / 1000), cause)
    await this.options.clock.sleep(ms)
  }

  async close(): Promise<void> {
    await this.agent.close()
  }
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text)
  } catch {
    return undefined
  }
}

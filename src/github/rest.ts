import { Agent, request, type Dispatcher } from 'undici'
import type { Clock } from '../model/ports.js'

/**
 * GitHub's REST API, the little of it the branch ledger needs, over undici's
 * `request` (already in the bundle): Octokit would add most of the bundle's
 * cold start for five endpoints. Only the GitHub token goes out, and only to
 * GITHUB_API_URL. Rate limits are waited out as GitHub says; nothing here
 * decides what an answer means for the ledger.
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

export class GitHubRest {
  private readonly agent: Dispatcher
  private readonly transport: Transport
  /** Requests sent, rate-limit answers included: the run's cost, for the log and the benchmark. */
  requests = 0
  /** The longest rate-limit wait sat through; the ledger's last write may raise it (see BranchStore.finishing). */
  waitCeiling = WAIT_CEILING_MS

  constructor(private readonly options: RestOptions) {
    this.agent = new Agent({ connect: { timeout: 10_000 }, headersTimeout: 60_000, bodyTimeout: 60_000 })
    this.transport = options.transport ?? (request => this.send(request))
  }

  private async send({ method, url, headers, body }: WireRequest): Promise<WireAnswer> {
    const answer = await request(url, { method: method, dispatcher: this.agent, headers, body })
    return { status: answer.statusCode, headers: answer.headers, text: await answer.body.text() }
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
   * One call; a rate limit is waited out (as often as GitHub says). A connection failure or a 5xx
   * is tried again a few times when the call is `idempotent` (a GET; a blob, tree or commit, named
   * by its content); otherwise it comes back as it is (status 0 for a lost connection), see `uncertain`.
   */
  async call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    route: string,
    body?: unknown,
    idempotent: boolean = method === 'GET'
  ): Promise<GitHubAnswer> {
    const url = `${this.options.apiUrl.replace(/\/+$/, '')}${route}`
    const retries = this.options.retries ?? 3
    for (let failures = 0; ;) {
      let answer: WireAnswer
      try {
        this.requests++
        answer = await this.transport({
          method,
          url,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.options.token}`,
            'user-agent': 'draftclip-publish',
            'x-github-api-version': '2022-11-28',
            ...(body === undefined ? {} : { 'content-type': 'application/json' })
          },
          body: body === undefined ? undefined : JSON.stringify(body)
        })
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
        if (!idempotent) return { status: 0, json: undefined, message: `no answer: ${code}` }
        if (++failures > retries) throw new GitHubUnreachable(this.options.apiUrl, code)
        await this.options.clock.sleep(1000 * 2 ** (failures - 1))
        continue
      }
      const text = answer.text
      let json: unknown
      try {
        json = text === '' ? undefined : JSON.parse(text)
      } catch {
        json = undefined
      }
      const message =
        typeof (json as { message?: unknown })?.message === 'string' ? (json as { message: string }).message : text.slice(0, 200)
      const wait = rateLimitWait(answer.status, answer.headers, message, this.options.clock.now())
      if (wait !== undefined) {
        if (wait > this.waitCeiling) throw new GitHubRateLimited(wait, answer.status)
        this.options.log(`GitHub's rate limit (${answer.status}): waiting ${Math.ceil(wait / 1000)} s as it asks, then sending again`)
        await this.options.clock.sleep(wait)
        continue
      }
      if (answer.status >= 500 && idempotent && ++failures <= retries) {
        await this.options.clock.sleep(1000 * 2 ** (failures - 1))
        continue
      }
      return { status: answer.status, json, message }
    }
  }

  async close(): Promise<void> {
    await this.agent.close()
  }
}

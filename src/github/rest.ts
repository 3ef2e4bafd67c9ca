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

class GitHubUnreachable extends Error {
  constructor(
    readonly api: string,
    cause: string
  ) {
    super(`GitHub's API at ${api} could not be reached (${cause})`)
    this.name = 'GitHubUnreachable'
  }
}

interface RestOptions {
  apiUrl: string
  token: string
  clock: Clock
  /** A line for the log when a rate limit makes the run wait. */
  log: (line: string) => void
  /** Connection failures tried again this many times before giving up. */
  retries?: number
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
  /** Requests sent, rate-limit answers included: the run's cost, for the log and the benchmark. */
  requests = 0

  constructor(private readonly options: RestOptions) {
    this.agent = new Agent({ connect: { timeout: 10_000 }, headersTimeout: 60_000, bodyTimeout: 60_000 })
  }

  get clock(): Clock {
    return this.options.clock
  }

  get api(): string {
    return this.options.apiUrl
  }

  /** One call; a rate limit is waited out (as often as GitHub says), a connection failure tried again a few times. */
  async call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', route: string, body?: unknown): Promise<GitHubAnswer> {
    const url = `${this.options.apiUrl.replace(/\/+$/, '')}${route}`
    const retries = this.options.retries ?? 3
    for (let failures = 0; ;) {
      let answer: Dispatcher.ResponseData
      try {
        this.requests++
        answer = await request(url, {
          method,
          dispatcher: this.agent,
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
        if (++failures > retries) throw new GitHubUnreachable(this.options.apiUrl, code)
        await this.options.clock.sleep(1000 * 2 ** (failures - 1))
        continue
      }
      const text = await answer.body.text()
      let json: unknown
      try {
        json = text === '' ? undefined : JSON.parse(text)
      } catch {
        json = undefined
      }
      const message =
        typeof (json as { message?: unknown })?.message === 'string' ? (json as { message: string }).message : text.slice(0, 200)
      const wait = rateLimitWait(answer.statusCode, answer.headers, message, this.options.clock.now())
      if (wait !== undefined) {
        this.options.log(`GitHub's rate limit (${answer.statusCode}): waiting ${Math.ceil(wait / 1000)} s as it asks, then sending again`)
        await this.options.clock.sleep(wait)
        continue
      }
      if (answer.statusCode >= 500 && ++failures <= retries) {
        await this.options.clock.sleep(1000 * 2 ** (failures - 1))
        continue
      }
      return { status: answer.statusCode, json, message }
    }
  }

  async close(): Promise<void> {
    await this.agent.close()
  }
}

import { PRIVACY_LEVELS, type PrivacyLevel } from './model/video.js'
import * as path from 'node:path'

/** Every input of action.yml, named once. */
export const Input = {
  ApiKey: 'api-key',
  Videos: 'videos',
  Description: 'description',
  PrivacyLevel: 'privacy-level',
  Title: 'title',
  Wait: 'wait',
  WaitTimeout: 'wait-timeout',
  PollInterval: 'poll-interval',
  MaxPollInterval: 'max-poll-interval',
  IfNoFilesFound: 'if-no-files-found',
  BaseUrl: 'base-url',
  Retries: 'retries',
  Ledger: 'ledger',
  Concurrency: 'concurrency',
  DryRun: 'dry-run',
  ReleaseNotes: 'release-notes',
  GithubToken: 'github-token',
  ResponseTimeout: 'response-timeout',
  MaxPollsPerMinute: 'max-polls-per-minute',
  MaxUploads: 'max-uploads',
  MediaCheck: 'media-check',
  MaxDuration: 'max-duration',
  LedgerBranch: 'ledger-branch',
  TiktokUsername: 'tiktok-username',
  DeploymentEnvironment: 'deployment-environment'
} as const

const NO_FILES_OPTIONS = ['error', 'warn', 'ignore'] as const
type NoFilesOption = (typeof NO_FILES_OPTIONS)[number]

const MEDIA_CHECK_OPTIONS = ['error', 'warn', 'off'] as const
export type MediaCheck = (typeof MEDIA_CHECK_OPTIONS)[number]
/** TikTok's API ceiling, in seconds (many accounts may post only 180 or 300). */
export const DEFAULT_MAX_DURATION_S = 600

export const MAX_CONCURRENCY = 8
export const MAX_RETRIES = 10

export interface Inputs {
  apiKey: string
  patterns: string[]
  description: string | undefined
  privacyLevel: PrivacyLevel
  title: string | undefined
  wait: boolean
  waitTimeoutMs: number
  pollIntervalMs: number
  /** The longest gap between two status requests of a video; never below pollIntervalMs. */
  maxPollIntervalMs: number
  ifNoFilesFound: NoFilesOption
  baseUrl: URL
  retries: number
  ledger: string | undefined
  /** The branch that holds the ledger (then `ledger` is undefined and `ledgerPath` is the file's path on it). */
  ledgerBranch: string | undefined
  ledgerPath: string | undefined
  concurrency: number
  dryRun: boolean
  releaseNotes: boolean
  githubToken: string | undefined
  responseTimeoutMs: number
  maxPollsPerMinute: number
  /** At most this many new uploads in the run (a queue); undefined: no limit. */
  maxUploads: number | undefined
  /** What TikTok's media rules do to a video that breaks them: refuse it, warn, or nothing (not read). */
  mediaCheck: MediaCheck
  /** Seconds. */
  maxDuration: number
  workspace: string
  /** The account's handle, without '@', for the post links; undefined: the handle-less form. */
  tiktokUsername: string | undefined
  /** Each upload gets a GitHub Deployment in this environment (github/deployments.ts); undefined: off. */
  deployments: DeploymentSettings | undefined
}

/** Where the run's deployments are made: the environment, the commit, and the run's page for each status's log_url. */
export interface DeploymentSettings {
  environment: string
  repository: string
  sha: string
  /** The workflow run's page (GITHUB_SERVER_URL/owner/name/actions/runs/ID); undefined outside a runner. */
  runUrl: string | undefined
}

export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} inputs are invalid:\n${problems.map(p => `  - ${p}`).join('\n')}`)
    this.name = 'InputError'
  }
}

type Env = Record<string, string | undefined>

/**
 * The default of every input that has one, as action.yml writes it: an empty
 * input is parsed as its default, so the two cannot disagree (inputs.test holds
 * action.yml to this table). github-token's default is an expression the runner fills in.
 */
export const DEFAULTS: Partial<Record<(typeof Input)[keyof typeof Input], string>> = {
  [Input.PrivacyLevel]: 'SELF_ONLY',
  [Input.Wait]: 'true',
  [Input.WaitTimeout]: '300',
  [Input.PollInterval]: '5',
  [Input.MaxPollInterval]: '20',
  [Input.IfNoFilesFound]: 'error',
  [Input.BaseUrl]: 'https://drafttok.app',
  [Input.Retries]: '3',
  [Input.Concurrency]: '1',
  [Input.ResponseTimeout]: '600',
  [Input.MaxPollsPerMinute]: '30',
  [Input.MediaCheck]: 'error',
  [Input.MaxDuration]: String(DEFAULT_MAX_DURATION_S),
  [Input.DryRun]: 'false',
  [Input.ReleaseNotes]: 'false'
}

/** The runner's spelling of an input's variable: upper-cased, spaces as underscores, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

export function readInput(env: Env, name: string): string {
  return (env[inputVariable(name)] ?? '').trim()
}

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.test(url.hostname)
}

/**
 * Reads every input once, checks it, and returns typed values. All problems
 * are reported together, each naming its input, before anything else runs.
 */
/** `apiKey`: the key as the run already read it (it is read once). */
export function parseInputs(env: Env, apiKey = readInput(env, Input.ApiKey)): Inputs {
  const problems: string[] = []
  const get = (name: string): string => readInput(env, name) || (DEFAULTS[name as keyof typeof DEFAULTS] ?? '')

  // A bad value is a problem (thrown below), so what the parsers return for one does not matter.
  const bool = (name: string): boolean => {
    const raw = get(name)
    if (['true', 'True', 'TRUE'].includes(raw)) return true
    if (['false', 'False', 'FALSE'].includes(raw)) return false
    problems.push(`Input '${name}' must be true or false, got '${raw}'.`)
    return false
  }

  const seconds = (name: string, min: number, max: number): number => {
    const raw = get(name)
    const value = Number(raw)
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(raw) || !Number.isFinite(value) || value < min || value > max) {
      problems.push(`Input '${name}' must be a number of seconds from ${min} to ${max}, got '${raw}'.`)
      return 0
    }
    return Math.round(value * 1000)
  }

  const integer = (name: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = get(name)
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`
      problems.push(`Input '${name}' must be a whole number ${range}, got '${raw}'.`)
      return 0
    }
    return Number(raw)
  }

  const oneOf = <T extends string>(name: string, options: readonly T[], fold: (s: string) => string): T => {
    const raw = get(name)
    const value = fold(raw) as T
    if (!options.includes(value)) {
      problems.push(`Input '${name}' must be one of ${options.join(', ')}, got '${raw}'.`)
      return options[0]
    }
    return value
  }

  const dryRun = bool(Input.DryRun)
  if (apiKey === '' && !dryRun) {
    problems.push(`Input '${Input.ApiKey}' is required: pass your DraftClip key from a secret, e.g. \${{ secrets.DRAFTCLIP_API_KEY }}.`)
  } else if (/\s/.test(apiKey)) {
    problems.push(`Input '${Input.ApiKey}' contains white space; check the secret's value.`)
  } else if (apiKey !== '' && !/^[\x21-\x7e]+$/.test(apiKey)) {
    // A zero-width space or a curly quote pasted with the key: no HTTP header can carry it.
    problems.push(
      `Input '${Input.ApiKey}' contains a character that is not printable ASCII (often a pasted invisible character); check the secret's value.`
    )
  }

  const patterns = get(Input.Videos)
    .split(/\r?\n/)
    .map(p => p.trim())
    .filter(p => p !== '' && !p.startsWith('#'))
  if (patterns.length === 0) {
    problems.push(`Input '${Input.Videos}' is required: one or more glob patterns, one per line (e.g. release/*.mp4).`)
  } else if (patterns.every(p => p.startsWith('!'))) {
    problems.push(`Input '${Input.Videos}' has only exclusions ('!' patterns); add a pattern that includes videos.`)
  }

  const description = get(Input.Description) || undefined
  const title = get(Input.Title) || undefined
  const privacyLevel = oneOf(Input.PrivacyLevel, PRIVACY_LEVELS, s => s.toUpperCase())
  const wait = bool(Input.Wait)
  const waitTimeoutMs = seconds(Input.WaitTimeout, 1, 6 * 3600)
  const pollIntervalMs = seconds(Input.PollInterval, 0.05, 3600)
  // poll-interval is the first and shortest gap: a ceiling below it is lifted to it.
  const maxPollIntervalMs = Math.max(pollIntervalMs, seconds(Input.MaxPollInterval, 0.05, 3600))
  const ifNoFilesFound = oneOf(Input.IfNoFilesFound, NO_FILES_OPTIONS, s => s.toLowerCase())
  const retries = integer(Input.Retries, 0, MAX_RETRIES)
  const concurrency = integer(Input.Concurrency, 1, MAX_CONCURRENCY)
  const releaseNotes = bool(Input.ReleaseNotes)
  const responseTimeoutMs = seconds(Input.ResponseTimeout, 1, 3600)
  const maxPollsPerMinute = integer(Input.MaxPollsPerMinute, 1)
  const maxUploads = get(Input.MaxUploads) === '' ? undefined : integer(Input.MaxUploads, 0)
  const githubToken = get(Input.GithubToken) || undefined
  const mediaCheck = oneOf(Input.MediaCheck, MEDIA_CHECK_OPTIONS, s => s.toLowerCase())
  const maxDuration = seconds(Input.MaxDuration, 1, 3600) / 1000

  const baseUrl = parseBaseUrl(get(Input.BaseUrl), problems)

  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const ledgerRaw = get(Input.Ledger)
  // A full ref names the same branch: 'refs/heads/x' must not make a branch called 'refs/heads/x'.
  const ledgerBranch = get(Input.LedgerBranch).replace(/^refs\/heads\//, '') || undefined
  const ledger = ledgerRaw === '' || ledgerBranch ? undefined : path.resolve(workspace, ledgerRaw)
  const ledgerPath = ledgerBranch ? branchPath(ledgerRaw || DEFAULT_BRANCH_LEDGER, problems) : undefined
  if (ledgerBranch) {
    if (!isBranchName(ledgerBranch)) problems.push(`Input '${Input.LedgerBranch}' is not a valid branch name: '${ledgerBranch}'.`)
    if (!githubToken) problems.push(`Input '${Input.LedgerBranch}' needs '${Input.GithubToken}' (its default is \${{ github.token }}).`)
    if (!/^[^/\s]+\/[^/\s]+$/.test(env.GITHUB_REPOSITORY ?? ''))
      problems.push(
        `Input '${Input.LedgerBranch}' needs GITHUB_REPOSITORY (owner/name), which the runner sets; it is '${env.GITHUB_REPOSITORY ?? ''}'.`
      )
  }

  if (maxUploads !== undefined && ledger === undefined && ledgerBranch === undefined) {
    problems.push(
      `Input '${Input.MaxUploads}' needs a ledger ('${Input.LedgerBranch}' or '${Input.Ledger}'): a queue is drained over several runs, and without a ledger every run would publish the same videos again.`
    )
  }
  const tiktokUsername = parseUsername(get(Input.TiktokUsername), problems)
  const deployments = parseDeployments(get(Input.DeploymentEnvironment), env, githubToken, dryRun, problems)
  if (releaseNotes && !githubToken) {
    problems.push(`Input '${Input.ReleaseNotes}' needs '${Input.GithubToken}' (its default is \${{ github.token }}).`)
  }

  if (problems.length > 0) throw new InputError(problems)

  return {
    apiKey,
    patterns,
    description,
    privacyLevel,
    title,
    wait,
    waitTimeoutMs,
    pollIntervalMs,
    maxPollIntervalMs,
    ifNoFilesFound,
    baseUrl: baseUrl as URL,
    retries,
    ledger,
    ledgerBranch,
    ledgerPath,
    concurrency,
    dryRun,
    releaseNotes,
    githubToken,
    responseTimeoutMs,
    maxPollsPerMinute,
    maxUploads,
    mediaCheck,
    maxDuration,
    workspace,
    tiktokUsername,
    deployments
  }
}

/** A TikTok handle, with or without '@': 2 to 24 letters, digits, '_' or '.', not ending in '.'. */
const USERNAME = /^@?([A-Za-z0-9_.]{2,24})$/

function parseUsername(raw: string, problems: string[]): string | undefined {
  if (raw === '') return undefined
  const m = USERNAME.exec(raw)
  if (!m || m[1].endsWith('.')) {
    problems.push(
      `Input '${Input.TiktokUsername}' must be the account's TikTok handle (2 to 24 letters, digits, '_' or '.', not ending in '.', with or without '@'), got '${raw}'.`
    )
    return undefined
  }
  return m[1]
}

/** GitHub's limit on an environment's name. */
const ENVIRONMENT_MAX = 255

/** deployment-environment and what it needs from the runner; a dry run sends nothing to GitHub, so it needs only the name. */
function parseDeployments(
  environment: string,
  env: Env,
  githubToken: string | undefined,
  dryRun: boolean,
  problems: string[]
): DeploymentSettings | undefined {
  if (environment === '') return undefined
  const name = `Input '${Input.DeploymentEnvironment}'`
  // eslint-disable-next-line no-control-regex -- a name GitHub shows on its pages: one line of text
  if (environment.length > ENVIRONMENT_MAX || /[\x00-\x1f\x7f]/.test(environment))
    problems.push(`${name} must be an environment's name of at most ${ENVIRONMENT_MAX} characters on one line, got '${environment}'.`)
  const repository = env.GITHUB_REPOSITORY ?? ''
  const sha = env.GITHUB_SHA ?? ''
  if (!dryRun) {
    if (!githubToken) problems.push(`${name} needs '${Input.GithubToken}' (its default is \${{ github.token }}).`)
    if (!/^[^/\s]+\/[^/\s]+$/.test(repository))
      problems.push(`${name} needs GITHUB_REPOSITORY (owner/name), which the runner sets; it is '${repository}'.`)
    if (sha === '') problems.push(`${name} needs GITHUB_SHA (the commit each deployment is made from), which the runner sets.`)
  }
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const runUrl = repository && env.GITHUB_RUN_ID ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined
  return { environment, repository, sha, runUrl }
}

/** Where a branch ledger is kept on its branch when the `ledger` input is empty. */
const DEFAULT_BRANCH_LEDGER = '.draftclip/ledger.json'

/** Git's rules for a branch name, the ones a typo meets (git check-ref-format). */
function isBranchName(name: string): boolean {
  return (
    // eslint-disable-next-line no-control-regex -- git refuses control characters in a ref
    !/[\x00-\x20\x7f~^:?*[\\]/.test(name) && !/(^|\/)\.|\.\.|\/\/|@\{|\.lock(\/|$)/.test(name) && !/^[-/]|[/.]$/.test(name) && name !== '@'
  )
}

/** The ledger's path on its branch: relative, inside the repository, '/'-separated. */
function branchPath(raw: string, problems: string[]): string {
  const parts = raw.replace(/\\/g, '/').replace(/^\.\//, '').split('/')
  if (raw.startsWith('/') || parts.some(p => p === '' || p === '.' || p === '..' || p === '.git')) {
    problems.push(
      `Input '${Input.Ledger}' with '${Input.LedgerBranch}' is the file's path on that branch, relative and inside it, e.g. ${DEFAULT_BRANCH_LEDGER}; got '${raw}'.`
    )
  }
  return parts.join('/')
}

function parseBaseUrl(raw: string, problems: string[]): URL | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    problems.push(`Input '${Input.BaseUrl}' is not a URL: '${raw}'.`)
    return undefined
  }
  if (url.username || url.password) {
    problems.push(`Input '${Input.BaseUrl}' must not carry credentials; the key goes in '${Input.ApiKey}'.`)
  } else if (url.search || url.hash) {
    problems.push(`Input '${Input.BaseUrl}' must be an origin with an optional path, without '?' or '#': '${raw}'.`)
  } else if (url.protocol === 'http:' && !isLoopback(url)) {
    problems.push(
      `Input '${Input.BaseUrl}' uses plain http to '${url.hostname}': the API key would travel in clear. Use https (plain http is allowed only to localhost/127.0.0.1/[::1]).`
    )
  } else if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`Input '${Input.BaseUrl}' must be an https URL, got '${url.protocol}'.`)
  }
  url.pathname = url.pathname.replace(/\/+$/, '')
  return url
}

// The command line of `npm run sandbox` (sandbox/serve.js), read into the
// sandbox server's own options (server.d.ts), so a person can script what
// DraftClip and TikTok answer: a refusal with its fail_reason, the inbox, slow
// processing, a 429.

export const DEFAULT_PORT = 8787
const DEFAULT_POLLS = 2
const DEFAULT_FAIL_REASON = 'file_format_check_failed'
const DEFAULT_SLOW_POLLS = 60
const DEFAULT_RETRY_AFTER = 5
const DEFAULT_MODERATION_POLLS = 3

export const OPTIONS_HELP = `Options:
  --port N, -p N             listen on 127.0.0.1:N (default ${DEFAULT_PORT})
  --polls N                  status polls answered PROCESSING before the final status (default ${DEFAULT_POLLS})
  --fail FILE[=REASON]       TikTok refuses FILE: it ends FAILED with fail_reason REASON
                             (default ${DEFAULT_FAIL_REASON}; e.g. duration_check_failed, spam_risk_too_many_posts)
  --inbox FILE               FILE ends SEND_TO_USER_INBOX (TikTok's draft inbox), without a post ID
  --slow FILE[=POLLS]        FILE stays PROCESSING for POLLS status polls (default ${DEFAULT_SLOW_POLLS}) before its final status
  --never FILE               FILE never leaves PROCESSING
  --moderation FILE[=POLLS]  FILE's post ID comes POLLS status polls after PUBLISH_COMPLETE (default ${DEFAULT_MODERATION_POLLS}):
                             TikTok's moderation; only a PUBLIC_TO_EVERYONE video ever gets a post ID
  --rate-limit N[:SECONDS]   the next N upload requests are answered 429 with Retry-After SECONDS (default ${DEFAULT_RETRY_AFTER})
  --daily-limit N[:SECONDS]  a 429 once N uploads were taken (TikTok's daily cap), with Retry-After SECONDS if given; also SANDBOX_DAILY_LIMIT=N
  -h, --help                 this text

FILE is the video's file name as uploaded (trailer.mp4), or * for every video; the
options for one FILE combine (--fail a.mp4 --slow a.mp4=10: slow, then refused).`

/**
 * Reads serve.js's arguments (and SANDBOX_DAILY_LIMIT). Returns the port, the
 * startSandbox() options, and one line per scripted outcome for the console;
 * throws an Error naming the argument for anything it cannot read.
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} [env]
 * @returns {{ help: boolean, port: number, options: import('./server.js').SandboxOptions, scripted: string[] }}
 */
export function parseServeArgs(argv, env = {}) {
  let port = DEFAULT_PORT
  let pollsToComplete = DEFAULT_POLLS
  /** @type {Record<string, import('./server.js').FileBehaviour>} */
  const files = {}
  /** @type {import('./server.js').Fault[]} */
  const uploadFaults = []
  const scripted = []
  let dailyLimit = env.SANDBOX_DAILY_LIMIT ? count('SANDBOX_DAILY_LIMIT', env.SANDBOX_DAILY_LIMIT, 1) : undefined
  let dailyRetryAfter
  const file = name => (files[name] ??= {})

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '-h' || arg === '--help') return { help: true, port, options: {}, scripted }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const flag = eq > 0 ? arg.slice(0, eq) : arg
    const takes = ['--port', '-p', '--polls', '--fail', '--inbox', '--slow', '--never', '--moderation', '--rate-limit', '--daily-limit']
    if (!takes.includes(flag)) throw new Error(`unknown argument '${arg}'`)
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined || value === '') throw new Error(`${flag} needs a value`)
    switch (flag) {
      case '--port':
      case '-p':
        port = count('--port', value, 1, 65535)
        break
      case '--polls':
        pollsToComplete = count('--polls', value, 0)
        break
      case '--fail': {
        const [name, reason] = split(value)
        if (reason !== undefined && !/^[a-z0-9_]+$/.test(reason)) {
          throw new Error(`--fail ${value}: REASON is one of TikTok's fail_reason words (letters, digits, _), got '${reason}'`)
        }
        Object.assign(file(name), { final: 'FAILED', failReason: reason ?? DEFAULT_FAIL_REASON })
        scripted.push(`${shown(name)} ends FAILED: ${reason ?? DEFAULT_FAIL_REASON}`)
        break
      }
      case '--inbox':
        file(name(value)).final = 'SEND_TO_USER_INBOX'
        scripted.push(`${shown(value)} ends SEND_TO_USER_INBOX`)
        break
      case '--slow': {
        const [name, polls] = split(value)
        file(name).pollsToComplete = polls === undefined ? DEFAULT_SLOW_POLLS : count(`--slow ${value}: POLLS`, polls, 0)
        scripted.push(`${shown(name)} stays PROCESSING for ${file(name).pollsToComplete} polls`)
        break
      }
      case '--never':
        file(name(value)).never = true
        scripted.push(`${shown(value)} never leaves PROCESSING`)
        break
      case '--moderation': {
        const [name, polls] = split(value)
        file(name).postIdDelay = polls === undefined ? DEFAULT_MODERATION_POLLS : count(`--moderation ${value}: POLLS`, polls, 0)
        scripted.push(`${shown(name)} gets its post ID ${file(name).postIdDelay} polls after PUBLISH_COMPLETE, if public`)
        break
      }
      case '--rate-limit': {
        const [n, seconds] = value.split(':')
        const times = count('--rate-limit N', n, 1)
        const retryAfter = seconds === undefined ? DEFAULT_RETRY_AFTER : count('--rate-limit SECONDS', seconds, 0)
        const body = JSON.stringify({ success: false, error: 'Too many requests: rate limit exceeded' })
        for (let k = 0; k < times; k++) {
          uploadFaults.push({ type: 'respond', status: 429, body, headers: { 'Retry-After': String(retryAfter) } })
        }
        scripted.push(`the next ${times} upload${times === 1 ? '' : 's'} answered 429 (Retry-After: ${retryAfter})`)
        break
      }
      case '--daily-limit': {
        const [n, seconds] = value.split(':')
        dailyLimit = count('--daily-limit N', n, 1)
        dailyRetryAfter = seconds === undefined ? undefined : count('--daily-limit SECONDS', seconds, 0)
        break
      }
    }
  }
  if (dailyLimit !== undefined) {
    const says = dailyRetryAfter === undefined ? '' : `, Retry-After: ${dailyRetryAfter}`
    scripted.push(`a 429 once ${dailyLimit} upload${dailyLimit === 1 ? ' was' : 's were'} taken (daily cap${says})`)
  }
  /** @type {import('./server.js').SandboxOptions} */
  const options = { pollsToComplete, files, uploadFaults }
  if (dailyLimit !== undefined) options.dailyLimit = dailyLimit
  if (dailyRetryAfter !== undefined) options.dailyLimitRetryAfter = dailyRetryAfter
  return { help: false, port, options, scripted }
}

function count(what, text, min, max = Number.MAX_SAFE_INTEGER) {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new Error(`${what} needs a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, got '${text}'`)
  }
  return Number(text)
}

/** FILE[=VALUE]: a file name may itself hold '=' only before the last one. */
function split(value) {
  const at = value.lastIndexOf('=')
  return at > 0 ? [name(value.slice(0, at)), value.slice(at + 1)] : [name(value), undefined]
}

function name(value) {
  if (value.includes('/') || value.includes('\\')) {
    throw new Error(`'${value}': name the video as uploaded (its file name, like trailer.mp4), not a path`)
  }
  return value
}

const shown = name => (name === '*' ? 'every video' : name)

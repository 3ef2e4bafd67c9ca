import { describe, it, expect } from '@jest/globals'
import { endpoint } from '../../src/draftclip/answers.js'
import * as fs from 'node:fs'
import { parse } from 'yaml'
import * as path from 'node:path'
import {
  DEFAULTS,
  Input,
  InputError,
  inputVariable,
  isLoopback,
  MAX_CONCURRENCY,
  MAX_RETRIES,
  parseInputs,
  readInput,
  type Inputs
} from '../../src/inputs.js'

type Env = Record<string, string | undefined>

const WORKSPACE = path.resolve('/tmp/ws-under-test')

/** A minimal valid environment plus overrides; `undefined` removes a variable. */
function env(overrides: Env = {}): Env {
  const base: Env = {
    'INPUT_API-KEY': 'ttapi_key',
    INPUT_VIDEOS: 'release/*.mp4',
    GITHUB_WORKSPACE: WORKSPACE
  }
  const merged = { ...base, ...overrides }
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k]
  return merged
}

/** Runs parseInputs and returns the InputError it throws (fails the test when it does not). */
function problemsOf(e: Env): InputError {
  let caught: unknown
  try {
    parseInputs(e)
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(InputError)
  return caught as InputError
}

/** Asserts exactly one problem, naming the input, and returns its text. */
function oneProblem(e: Env, input: string): string {
  const error = problemsOf(e)
  expect(error.problems).toHaveLength(1)
  expect(error.problems[0]).toContain(`'${input}'`)
  expect(error.message).toBe(error.problems[0])
  expect(error.name).toBe('InputError')
  return error.problems[0]
}

describe('inputVariable / readInput', () => {
  it('upper-cases, keeps hyphens, turns spaces into underscores', () => {
    expect(inputVariable('api-key')).toBe('INPUT_API-KEY')
    expect(inputVariable('if-no-files-found')).toBe('INPUT_IF-NO-FILES-FOUND')
    expect(inputVariable('my input')).toBe('INPUT_MY_INPUT')
  })

  it('trims the value and treats a missing variable as empty', () => {
    expect(readInput({ INPUT_TITLE: '  hello \n' }, 'title')).toBe('hello')
    expect(readInput({}, 'title')).toBe('')
  })
})

describe('parseInputs: defaults', () => {
  it('fills every default from a minimal environment', () => {
    const inputs: Inputs = parseInputs(env())
    expect(inputs.apiKey).toBe('ttapi_key')
    expect(inputs.patterns).toEqual(['release/*.mp4'])
    expect(inputs.description).toBeUndefined()
    expect(inputs.title).toBeUndefined()
    expect(inputs.privacyLevel).toBe('SELF_ONLY')
    expect(inputs.wait).toBe(true)
    expect(inputs.waitTimeoutMs).toBe(300_000)
    expect(inputs.pollIntervalMs).toBe(5_000)
    expect(inputs.maxPollIntervalMs).toBe(20_000)
    expect(inputs.ifNoFilesFound).toBe('error')
    expect(inputs.baseUrl.href).toBe('https://drafttok.app/')
    expect(inputs.retries).toBe(3)
    expect(inputs.ledger).toBeUndefined()
    expect(inputs.concurrency).toBe(1)
    expect(inputs.dryRun).toBe(false)
    expect(inputs.releaseNotes).toBe(false)
    expect(inputs.githubToken).toBeUndefined()
    expect(inputs.responseTimeoutMs).toBe(600_000)
    expect(inputs.maxPollsPerMinute).toBe(30)
    expect(inputs.workspace).toBe(WORKSPACE)
    // The transport's timings are no longer inputs (nor DRAFTCLIP_TEST_* variables).
    expect('timings' in inputs).toBe(false)
  })

  it('uses the current directory when GITHUB_WORKSPACE is unset', () => {
    expect(parseInputs(env({ GITHUB_WORKSPACE: undefined })).workspace).toBe(process.cwd())
  })
})

describe('parseInputs: accepted values', () => {
  it('parses every input when all are set', () => {
    const inputs = parseInputs(
      env({
        INPUT_VIDEOS: 'a/*.mp4\n# a comment\n\n  b/**/*.mov  \r\n!b/skip.mov',
        INPUT_DESCRIPTION: '  Hello {name}\nline two  \n',
        'INPUT_PRIVACY-LEVEL': 'PUBLIC_TO_EVERYONE',
        INPUT_TITLE: ' My title ',
        INPUT_WAIT: 'false',
        'INPUT_WAIT-TIMEOUT': '12.5',
        'INPUT_POLL-INTERVAL': '0.05',
        'INPUT_IF-NO-FILES-FOUND': 'WARN',
        'INPUT_BASE-URL': 'https://api.example.com/prefix/',
        INPUT_RETRIES: '10',
        INPUT_LEDGER: '.draftclip/ledger.json',
        INPUT_CONCURRENCY: '8',
        'INPUT_DRY-RUN': 'False',
        'INPUT_RELEASE-NOTES': 'TRUE',
        'INPUT_GITHUB-TOKEN': 'ghs_token',
        'INPUT_RESPONSE-TIMEOUT': '3600',
        'INPUT_MAX-POLLS-PER-MINUTE': '120'
      })
    )
    expect(inputs.patterns).toEqual(['a/*.mp4', 'b/**/*.mov', '!b/skip.mov'])
    expect(inputs.description).toBe('Hello {name}\nline two')
    expect(inputs.privacyLevel).toBe('PUBLIC_TO_EVERYONE')
    expect(inputs.title).toBe('My title')
    expect(inputs.wait).toBe(false)
    expect(inputs.waitTimeoutMs).toBe(12_500)
    expect(inputs.pollIntervalMs).toBe(50)
    expect(inputs.ifNoFilesFound).toBe('warn')
    expect(inputs.baseUrl.href).toBe('https://api.example.com/prefix')
    expect(inputs.retries).toBe(MAX_RETRIES)
    expect(inputs.ledger).toBe(path.join(WORKSPACE, '.draftclip', 'ledger.json'))
    expect(inputs.concurrency).toBe(MAX_CONCURRENCY)
    expect(inputs.dryRun).toBe(false)
    expect(inputs.releaseNotes).toBe(true)
    expect(inputs.githubToken).toBe('ghs_token')
    expect(inputs.responseTimeoutMs).toBe(3_600_000)
    expect(inputs.maxPollsPerMinute).toBe(120)
  })

  it.each([
    ['self_only', 'SELF_ONLY'],
    ['Mutual_Follow_Friends', 'MUTUAL_FOLLOW_FRIENDS'],
    ['  public_to_everyone  ', 'PUBLIC_TO_EVERYONE']
  ])('case-folds privacy-level %j to %s', (raw, expected) => {
    expect(parseInputs(env({ 'INPUT_PRIVACY-LEVEL': raw })).privacyLevel).toBe(expected)
  })

  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false]
  ])('reads wait %j as %s', (raw, expected) => {
    expect(parseInputs(env({ INPUT_WAIT: raw })).wait).toBe(expected)
  })

  it('accepts retries 0 and the bounds of the second-valued inputs', () => {
    const inputs = parseInputs(env({ INPUT_RETRIES: '0', 'INPUT_WAIT-TIMEOUT': '21600', 'INPUT_RESPONSE-TIMEOUT': '1' }))
    expect(inputs.retries).toBe(0)
    expect(inputs.waitTimeoutMs).toBe(21_600_000)
    expect(inputs.responseTimeoutMs).toBe(1_000)
  })

  it('keeps an absolute ledger path as it is', () => {
    expect(parseInputs(env({ INPUT_LEDGER: '/var/ledger.json' })).ledger).toBe(path.resolve('/var/ledger.json'))
  })

  it('resolves a relative ledger with .. against the workspace', () => {
    expect(parseInputs(env({ INPUT_LEDGER: '../shared/l.json' })).ledger).toBe(path.resolve(WORKSPACE, '..', 'shared', 'l.json'))
  })

  it('treats a whitespace-only description as unset', () => {
    expect(parseInputs(env({ INPUT_DESCRIPTION: ' \n\t ' })).description).toBeUndefined()
  })
})

describe('parseInputs: rejected values name their input', () => {
  it('rejects an unknown privacy-level and lists the allowed ones', () => {
    const problem = oneProblem(env({ 'INPUT_PRIVACY-LEVEL': 'FRIENDS' }), Input.PrivacyLevel)
    expect(problem).toContain("'FRIENDS'")
    expect(problem).toContain('SELF_ONLY, MUTUAL_FOLLOW_FRIENDS, PUBLIC_TO_EVERYONE')
  })

  it.each(['yes', '1', 'on', 'tRUE'])('rejects wait %j (not a boolean)', raw => {
    expect(oneProblem(env({ INPUT_WAIT: raw }), Input.Wait)).toContain(`'${raw}'`)
  })

  it.each(['abc', '-1', '5s', '0', '21601', '1e3', '.5', 'Infinity'])('rejects wait-timeout %j', raw => {
    expect(oneProblem(env({ 'INPUT_WAIT-TIMEOUT': raw }), Input.WaitTimeout)).toContain(`got '${raw}'`)
  })

  it.each(['0', '0.01', '-5', '3601'])('rejects poll-interval %j', raw => {
    expect(oneProblem(env({ 'INPUT_POLL-INTERVAL': raw }), Input.PollInterval)).toContain(`got '${raw}'`)
  })

  it.each(['0', '-5', '3601', '1m'])('rejects max-poll-interval %j', raw => {
    expect(oneProblem(env({ 'INPUT_MAX-POLL-INTERVAL': raw }), Input.MaxPollInterval)).toContain(`got '${raw}'`)
  })

  it('max-poll-interval is the ceiling of the gaps; one below poll-interval is lifted to it (the first gap is the shortest)', () => {
    expect(parseInputs(env({ 'INPUT_MAX-POLL-INTERVAL': '120' })).maxPollIntervalMs).toBe(120_000)
    const lifted = parseInputs(env({ 'INPUT_POLL-INTERVAL': '45', 'INPUT_MAX-POLL-INTERVAL': '10' }))
    expect([lifted.pollIntervalMs, lifted.maxPollIntervalMs]).toEqual([45_000, 45_000])
    const shortPolls = parseInputs(env({ 'INPUT_POLL-INTERVAL': '0.1', 'INPUT_MAX-POLL-INTERVAL': '0.1' }))
    expect([shortPolls.pollIntervalMs, shortPolls.maxPollIntervalMs]).toEqual([100, 100])
  })

  it.each(['11', '-1', '1.5', 'three'])('rejects retries %j', raw => {
    const problem = oneProblem(env({ INPUT_RETRIES: raw }), Input.Retries)
    expect(problem).toContain('from 0 to 10')
  })

  it.each(['0', '9', '2.0', 'x'])('rejects concurrency %j', raw => {
    const problem = oneProblem(env({ INPUT_CONCURRENCY: raw }), Input.Concurrency)
    expect(problem).toContain('from 1 to 8')
  })

  it.each([
    ['1', 1],
    [' 7 ', 7],
    ['30', 30],
    ['100000', 100_000]
  ])('reads max-polls-per-minute %j as %d', (raw, expected) => {
    expect(parseInputs(env({ 'INPUT_MAX-POLLS-PER-MINUTE': raw })).maxPollsPerMinute).toBe(expected)
  })

  it.each(['0', '-1', '1.5', '2.0', '1e3', 'ten', '0x10'])('rejects max-polls-per-minute %j', raw => {
    expect(oneProblem(env({ 'INPUT_MAX-POLLS-PER-MINUTE': raw }), Input.MaxPollsPerMinute)).toBe(
      `Input 'max-polls-per-minute' must be a whole number of 1 or more, got '${raw}'.`
    )
  })

  it('spells the input max-polls-per-minute', () => {
    expect(Input.MaxPollsPerMinute).toBe('max-polls-per-minute')
  })

  it.each(['0', '3601'])('rejects response-timeout %j', raw => {
    oneProblem(env({ 'INPUT_RESPONSE-TIMEOUT': raw }), Input.ResponseTimeout)
  })

  it('rejects an if-no-files-found outside error/warn/ignore', () => {
    const problem = oneProblem(env({ 'INPUT_IF-NO-FILES-FOUND': 'fail' }), Input.IfNoFilesFound)
    expect(problem).toContain('error, warn, ignore')
  })

  it.each(['yes', 'no'])('rejects dry-run %j and release-notes %j', raw => {
    oneProblem(env({ 'INPUT_DRY-RUN': raw }), Input.DryRun)
    oneProblem(env({ 'INPUT_RELEASE-NOTES': raw }), Input.ReleaseNotes)
  })

  it('rejects release-notes without a github-token', () => {
    const problem = oneProblem(env({ 'INPUT_RELEASE-NOTES': 'true' }), Input.ReleaseNotes)
    expect(problem).toContain(`'${Input.GithubToken}'`)
  })
})

describe('parseInputs: api-key', () => {
  it('is required when not a dry run', () => {
    const problem = oneProblem(env({ 'INPUT_API-KEY': undefined }), Input.ApiKey)
    expect(problem).toContain('required')
  })

  it('a whitespace-only key counts as empty', () => {
    oneProblem(env({ 'INPUT_API-KEY': '   ' }), Input.ApiKey)
  })

  it('is not needed in a dry run', () => {
    const inputs = parseInputs(env({ 'INPUT_API-KEY': undefined, 'INPUT_DRY-RUN': 'true' }))
    expect(inputs.apiKey).toBe('')
    expect(inputs.dryRun).toBe(true)
  })

  it.each(['ttapi_ab cd', 'ttapi_ab\ncd', 'ttapi_ab\tcd'])('rejects inner white space in %j', raw => {
    expect(oneProblem(env({ 'INPUT_API-KEY': raw }), Input.ApiKey)).toContain('white space')
  })

  it('never echoes the key in its problem', () => {
    const error = problemsOf(env({ 'INPUT_API-KEY': 'ttapi_secret value' }))
    expect(error.message).not.toContain('ttapi_secret')
  })

  it('trims surrounding white space from the key', () => {
    expect(parseInputs(env({ 'INPUT_API-KEY': '  ttapi_k \n' })).apiKey).toBe('ttapi_k')
  })
})

describe('parseInputs: videos', () => {
  it.each([
    ['empty', ''],
    ['blank lines', '\n  \n'],
    ['only comments', '# one\n  # two\n']
  ])('is required (%s)', (_what, raw) => {
    expect(oneProblem(env({ INPUT_VIDEOS: raw }), Input.Videos)).toContain('required')
  })

  it('is missing altogether', () => {
    oneProblem(env({ INPUT_VIDEOS: undefined }), Input.Videos)
  })

  it("rejects only '!' exclusions", () => {
    expect(oneProblem(env({ INPUT_VIDEOS: '!a.mp4\n!b/**' }), Input.Videos)).toContain('only exclusions')
  })
})

describe('parseInputs: base-url', () => {
  const base = (raw: string): URL => parseInputs(env({ 'INPUT_BASE-URL': raw })).baseUrl

  it('rejects what is not a URL', () => {
    expect(oneProblem(env({ 'INPUT_BASE-URL': 'drafttok.app' }), Input.BaseUrl)).toContain('not a URL')
  })

  it.each(['http://drafttok.app', 'http://10.0.0.5:8080', 'http://localhost.example.com'])(
    'rejects plain http to a remote host %s',
    raw => {
      expect(oneProblem(env({ 'INPUT_BASE-URL': raw }), Input.BaseUrl)).toContain('plain http')
    }
  )

  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
    ['http://127.1.2.3', 'http://127.1.2.3/'],
    ['http://localhost:3000/', 'http://localhost:3000/'],
    ['http://LOCALHOST:3000', 'http://localhost:3000/'],
    ['http://[::1]:9000', 'http://[::1]:9000/'],
    ['https://drafttok.app', 'https://drafttok.app/'],
    ['https://example.com:8443/api-proxy///', 'https://example.com:8443/api-proxy']
  ])('accepts %s', (raw, href) => {
    expect(base(raw).href).toBe(href)
  })

  it.each(['https://user:pass@drafttok.app', 'https://user@drafttok.app', 'http://user:pw@localhost'])('rejects credentials in %s', raw => {
    const problem = oneProblem(env({ 'INPUT_BASE-URL': raw }), Input.BaseUrl)
    expect(problem).toContain('credentials')
    expect(problem).not.toContain('pass')
  })

  it.each(['https://drafttok.app/?x=1', 'https://drafttok.app/#frag'])('rejects a query or fragment in %s', raw => {
    expect(oneProblem(env({ 'INPUT_BASE-URL': raw }), Input.BaseUrl)).toContain("without '?' or '#'")
  })

  it.each(['ftp://drafttok.app', 'file:///etc/passwd'])('rejects the scheme of %s', raw => {
    expect(oneProblem(env({ 'INPUT_BASE-URL': raw }), Input.BaseUrl)).toContain('https')
  })
})

describe('parseInputs: several problems at once', () => {
  it('reports every bad input together in one InputError', () => {
    const error = problemsOf(
      env({
        'INPUT_API-KEY': undefined,
        INPUT_VIDEOS: '# nothing',
        'INPUT_PRIVACY-LEVEL': 'nobody',
        INPUT_WAIT: 'maybe',
        INPUT_RETRIES: '11',
        INPUT_CONCURRENCY: '0',
        'INPUT_BASE-URL': 'http://example.com'
      })
    )
    expect(error.problems).toHaveLength(7)
    for (const name of [Input.ApiKey, Input.Videos, Input.PrivacyLevel, Input.Wait, Input.Retries, Input.Concurrency, Input.BaseUrl]) {
      expect(error.problems.filter(p => p.includes(`'${name}'`))).toHaveLength(1)
    }
    expect(error.message.split('\n')[0]).toBe('7 inputs are invalid:')
    expect(error.message.split('\n')).toHaveLength(8)
    for (const p of error.problems) expect(error.message).toContain(`  - ${p}`)
  })
})

describe('isLoopback', () => {
  it.each([
    ['http://localhost', true],
    ['http://LocalHost:80', true],
    ['http://127.0.0.1', true],
    ['http://127.255.255.254', true],
    ['http://[::1]:1234', true],
    ['http://128.0.0.1', false],
    ['http://localhost.evil.com', false],
    ['http://127.0.0.1.nip.io', false],
    ['http://evil-localhost', false],
    ['http://[::2]', false],
    ['https://drafttok.app', false]
  ])('%s -> %s', (raw, expected) => {
    expect(isLoopback(new URL(raw))).toBe(expected)
  })
})

describe('endpoint', () => {
  it('puts api/<file> below the origin', () => {
    expect(endpoint(new URL('https://drafttok.app'), 'upload.php').href).toBe('https://drafttok.app/api/upload.php')
  })

  it('keeps a path prefix', () => {
    expect(endpoint(new URL('https://example.com/proxy/draftclip'), 'video_status.php').href).toBe(
      'https://example.com/proxy/draftclip/api/video_status.php'
    )
  })

  it('collapses trailing slashes of the prefix', () => {
    expect(endpoint(new URL('https://example.com/proxy///'), 'upload.php').href).toBe('https://example.com/proxy/api/upload.php')
    expect(endpoint(new URL('http://127.0.0.1:8080/'), 'upload.php').href).toBe('http://127.0.0.1:8080/api/upload.php')
  })

  it('does not modify the URL it was given', () => {
    const base = new URL('https://example.com/p/')
    endpoint(base, 'upload.php')
    expect(base.href).toBe('https://example.com/p/')
  })

  it('works on a base-url as parseInputs returns it', () => {
    const { baseUrl } = parseInputs(env({ 'INPUT_BASE-URL': 'https://example.com/prefix//' }))
    expect(endpoint(baseUrl, 'upload.php').href).toBe('https://example.com/prefix/api/upload.php')
  })
})

describe('max-uploads', () => {
  it('is no limit by default, and any whole number from 0 with a ledger', () => {
    expect(parseInputs(env()).maxUploads).toBeUndefined()
    expect(parseInputs(env({ 'INPUT_MAX-UPLOADS': '0', INPUT_LEDGER: 'l.json' })).maxUploads).toBe(0)
    expect(parseInputs(env({ 'INPUT_MAX-UPLOADS': '15', INPUT_LEDGER: 'l.json' })).maxUploads).toBe(15)
  })

  it('needs a ledger: without one every run of a queue would publish the same videos again', () => {
    expect(problemsOf(env({ 'INPUT_MAX-UPLOADS': '2' })).problems).toEqual([
      "Input 'max-uploads' needs a ledger ('ledger-branch' or 'ledger'): a queue is drained over several runs, and without a ledger every run would publish the same videos again."
    ])
  })

  it('refuses what is not a whole number', () => {
    expect(problemsOf(env({ 'INPUT_MAX-UPLOADS': '-1', INPUT_LEDGER: 'l.json' })).problems).toEqual([
      "Input 'max-uploads' must be a whole number of 0 or more, got '-1'."
    ])
  })
})

describe('DEFAULTS', () => {
  it("is action.yml's defaults, input for input: an empty input means the same in both", () => {
    const action = parse(fs.readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
      inputs: Record<string, { default?: string }>
    }
    const { 'github-token': token, ...fromYml } = Object.fromEntries(
      Object.entries(action.inputs).flatMap(([name, input]) => (input.default === undefined ? [] : [[name, String(input.default)]]))
    )
    expect(token).toBe('${{ github.token }}')
    expect(fromYml).toEqual(DEFAULTS)
  })

  it('an input left empty is parsed as its default', () => {
    const env: Record<string, string> = { 'INPUT_API-KEY': 'k', INPUT_VIDEOS: 'v/*.mp4' }
    const withDefaults = { ...env }
    for (const [name, value] of Object.entries(DEFAULTS)) withDefaults[inputVariable(name)] = value
    expect(parseInputs(env)).toEqual(parseInputs(withDefaults))
  })
})

describe('ledger-branch given as a full ref', () => {
  it("'refs/heads/x' names the branch x, not a branch called 'refs/heads/x'", () => {
    const inputs = parseInputs(
      env({ 'INPUT_LEDGER-BRANCH': 'refs/heads/draftclip-ledger', 'INPUT_GITHUB-TOKEN': 'ghs_token', GITHUB_REPOSITORY: 'acme/rocket' })
    )
    expect(inputs.ledgerBranch).toBe('draftclip-ledger')
  })
})

describe('tiktok-username', () => {
  it('is unset by default, and kept without its @', () => {
    expect(parseInputs(env()).tiktokUsername).toBeUndefined()
    expect(parseInputs(env({ 'INPUT_TIKTOK-USERNAME': '@rocket.team' })).tiktokUsername).toBe('rocket.team')
    expect(parseInputs(env({ 'INPUT_TIKTOK-USERNAME': 'r_2' })).tiktokUsername).toBe('r_2')
    expect(parseInputs(env({ 'INPUT_TIKTOK-USERNAME': 'a'.repeat(24) })).tiktokUsername).toBe('a'.repeat(24))
  })

  it.each([
    'a',
    '@a',
    'a'.repeat(25),
    'rocket.',
    '@rocket.',
    'rock et',
    'röcket',
    '@@rocket',
    'rocket/video',
    'https://www.tiktok.com/@rocket'
  ])('refuses %j, naming the input, before anything else happens', raw => {
    const problem = oneProblem(env({ 'INPUT_TIKTOK-USERNAME': raw }), Input.TiktokUsername)
    expect(problem).toContain(`'${raw}'`)
  })
})

describe('deployment-environment', () => {
  const runner = { 'INPUT_GITHUB-TOKEN': 'ghs_x', GITHUB_REPOSITORY: 'acme/rocket', GITHUB_SHA: 'a'.repeat(40), GITHUB_RUN_ID: '42' }

  it('is off by default', () => {
    expect(parseInputs(env(runner)).deployments).toBeUndefined()
  })

  it("names the environment, the repository, the commit and the run's page", () => {
    expect(
      parseInputs(env({ ...runner, 'INPUT_DEPLOYMENT-ENVIRONMENT': 'tiktok', GITHUB_SERVER_URL: 'https://ghe.example/' })).deployments
    ).toEqual({
      environment: 'tiktok',
      repository: 'acme/rocket',
      sha: 'a'.repeat(40),
      runUrl: 'https://ghe.example/acme/rocket/actions/runs/42'
    })
  })

  it.each([
    ['INPUT_GITHUB-TOKEN', 'github-token'],
    ['GITHUB_REPOSITORY', 'GITHUB_REPOSITORY'],
    ['GITHUB_SHA', 'GITHUB_SHA']
  ])('needs %s', (variable, named) => {
    const problem = oneProblem(
      env({ ...runner, [variable]: undefined, 'INPUT_DEPLOYMENT-ENVIRONMENT': 'tiktok' }),
      Input.DeploymentEnvironment
    )
    expect(problem).toContain(named)
  })

  it('a dry run needs nothing from GitHub', () => {
    const inputs = parseInputs(env({ 'INPUT_DEPLOYMENT-ENVIRONMENT': 'tiktok', 'INPUT_DRY-RUN': 'true' }))
    expect(inputs.deployments?.environment).toBe('tiktok')
  })

  it('refuses a name GitHub would not take', () => {
    oneProblem(env({ ...runner, 'INPUT_DEPLOYMENT-ENVIRONMENT': 'x'.repeat(256) }), Input.DeploymentEnvironment)
    oneProblem(env({ ...runner, 'INPUT_DEPLOYMENT-ENVIRONMENT': 'tik\ttok' }), Input.DeploymentEnvironment)
  })
})

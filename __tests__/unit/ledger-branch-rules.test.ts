import { describe, expect, it } from '@jest/globals'
import { rateLimitWait } from '../../src/github/client.js'
import { parseInputs } from '../../src/inputs.js'
import type { LedgerEntry } from '../../src/model/ports.js'
import { decideAdmission, admitted, busyWith, initialResult, JOB_LIMIT_MS, planned, runToAsk } from '../../src/publish/lifecycle.js'
import { Status } from '../../src/model/status.js'
import { stepFailure } from '../../src/model/result.js'

/** The pure rules behind the branch ledger: which runs to ask about, when a video is another run's, rate-limit waits, the inputs. */

const NOW = Date.parse('2026-12-03T12:00:00Z')
const self = { id: '500', attempt: 2 }

function uploading(run_id: string | undefined, age = 60_000, run_attempt = 1): LedgerEntry {
  return {
    file: 'a.mp4',
    status: Status.Uploading,
    publish_id: null,
    post_id: null,
    updated_at: new Date(NOW - age).toISOString(),
    ...(run_id === undefined ? {} : { run_id, run_attempt })
  }
}

describe('runToAsk', () => {
  it("names another run's UPLOADING entry", () => {
    expect(runToAsk(uploading('499'), self)).toBe('499')
  })

  it('asks nothing about this run (an earlier attempt: attempts never overlap), an entry without a run, or another status', () => {
    expect(runToAsk(uploading('500', 0, 1), self)).toBeUndefined()
    expect(runToAsk(uploading(undefined), self)).toBeUndefined()
    expect(runToAsk({ ...uploading('499'), status: Status.Unconfirmed }, self)).toBeUndefined()
    expect(runToAsk({ ...uploading('499'), status: Status.PublishComplete, publish_id: 'p' }, self)).toBeUndefined()
    expect(runToAsk(undefined, self)).toBeUndefined()
    // A file ledger knows no run: the rule is today's.
    expect(runToAsk(uploading('499'), undefined)).toBeUndefined()
  })
})

describe('busyWith', () => {
  it('another run in progress: busy, naming it', () => {
    expect(busyWith(uploading('499'), self, 'in_progress', NOW)).toEqual({ run: '499', note: expect.stringContaining('run 499') })
  })

  it('a completed run: not busy (its entry is UNCONFIRMED as ever)', () => {
    expect(busyWith(uploading('499'), self, 'completed', NOW)).toBeUndefined()
  })

  it('unknown (no actions: read): busy while younger than the 6-hour job limit, and the note says why', () => {
    const busy = busyWith(uploading('499', 30 * 60_000), self, 'unknown', NOW)
    expect(busy?.note).toContain("grant 'actions: read'")
    expect(busy?.note).toContain('30 min ago')
    expect(busyWith(uploading('499', JOB_LIMIT_MS + 1), self, 'unknown', NOW)).toBeUndefined()
    // A date from the future or no date at all is no evidence of a run still going.
    expect(busyWith(uploading('499', -3_600_000), self, 'unknown', NOW)).toBeUndefined()
    expect(busyWith({ ...uploading('499'), updated_at: 'garbage' }, self, 'unknown', NOW)).toBeUndefined()
  })

  it('an earlier attempt of this run is never busy, whatever GitHub says', () => {
    expect(busyWith(uploading('500', 0, 1), self, 'in_progress', NOW)).toBeUndefined()
  })
})

describe('admission of a video another run is uploading', () => {
  const r = initialResult({ file: 'a.mp4', size: 10, description: 'd', privacyLevel: 'SELF_ONLY' })

  it('is busy -> SKIPPED with the note, and the step does not fail for it', () => {
    const entry = uploading('499')
    const admission = decideAdmission(entry, undefined, true, 'SELF_ONLY', busyWith(entry, self, 'in_progress', NOW))
    expect(admission.kind).toBe('busy')
    const step = admitted(r, admission, undefined)
    expect(step.result.status).toBe(Status.Skipped)
    expect(step.result.error).toContain('run 499')
    expect(step.ledger).toBeUndefined()
    expect(stepFailure([step.result], undefined)).toBeUndefined()
    expect(planned(r, admission, undefined).log?.line).toMatch(/^would skip \(run 499/)
  })

  it('a twin stays a twin, and no entry is no busy video', () => {
    expect(decideAdmission(uploading('499'), 'b.mp4', true, 'SELF_ONLY', { run: '499', note: 'n' }).kind).toBe('twin')
    expect(decideAdmission(undefined, undefined, true, 'SELF_ONLY', { run: '499', note: 'n' }).kind).toBe('upload')
  })

  it("a completed run's UPLOADING entry stays UNCONFIRMED, failing the step", () => {
    const entry = uploading('499')
    const step = admitted(r, decideAdmission(entry, undefined, true, 'SELF_ONLY', busyWith(entry, self, 'completed', NOW)), undefined)
    expect(step.result.status).toBe(Status.Unconfirmed)
    expect(stepFailure([step.result], undefined)).toContain('UNCONFIRMED')
  })
})

describe('rateLimitWait', () => {
  it('waits retry-after seconds on a 403 or 429', () => {
    expect(rateLimitWait(403, { 'retry-after': '7' }, 'You have exceeded a secondary rate limit', NOW)).toBe(7000)
    expect(rateLimitWait(429, { 'retry-after': '2' }, '', NOW)).toBe(2000)
  })

  it('waits until x-ratelimit-reset when the limit is spent', () => {
    expect(
      rateLimitWait(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 30) }, 'API rate limit exceeded', NOW)
    ).toBe(31_000)
  })

  it('a secondary limit without a header: a minute, as GitHub says', () => {
    expect(rateLimitWait(403, {}, 'You have exceeded a secondary rate limit.', NOW)).toBe(60_000)
  })

  it('a 403 for a missing permission is no rate limit', () => {
    expect(rateLimitWait(403, {}, 'Resource not accessible by integration', NOW)).toBeUndefined()
    expect(
      rateLimitWait(403, { 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': '1' }, 'Resource not accessible by integration', NOW)
    ).toBeUndefined()
    expect(rateLimitWait(409, { 'retry-after': '1' }, '', NOW)).toBeUndefined()
  })
})

describe('ledger-branch input', () => {
  const env = (extra: Record<string, string>): Record<string, string> => ({
    'INPUT_API-KEY': 'ttapi_key',
    INPUT_VIDEOS: 'v/*.mp4',
    'INPUT_GITHUB-TOKEN': 'ghs_x',
    GITHUB_REPOSITORY: 'acme/rocket',
    GITHUB_WORKSPACE: '/tmp/ws',
    ...extra
  })

  it('keeps the ledger at .draftclip/ledger.json on the branch when ledger is empty; no workspace file', () => {
    const inputs = parseInputs(env({ 'INPUT_LEDGER-BRANCH': 'draftclip-ledger' }))
    expect(inputs.ledgerBranch).toBe('draftclip-ledger')
    expect(inputs.ledgerPath).toBe('.draftclip/ledger.json')
    expect(inputs.ledger).toBeUndefined()
  })

  it('takes ledger as the path on the branch, and satisfies max-uploads', () => {
    const inputs = parseInputs(
      env({ 'INPUT_LEDGER-BRANCH': 'ledgers/tiktok', INPUT_LEDGER: './accounts/MAIN.json', 'INPUT_MAX-UPLOADS': '1' })
    )
    expect(inputs.ledgerPath).toBe('accounts/MAIN.json')
    expect(inputs.maxUploads).toBe(1)
  })

  it('refuses a bad branch, a path leaving the branch, a missing token or repository, all at once', () => {
    expect(() =>
      parseInputs(env({ 'INPUT_LEDGER-BRANCH': 'bad..name', INPUT_LEDGER: '../x.json', 'INPUT_GITHUB-TOKEN': '', GITHUB_REPOSITORY: '' }))
    ).toThrow(
      /4 inputs are invalid[\s\S]*relative and inside it[\s\S]*not a valid branch name: 'bad\.\.name'[\s\S]*needs 'github-token'[\s\S]*needs GITHUB_REPOSITORY/
    )
    for (const bad of ['-x', 'a b', 'x.lock', '.hidden', 'a/', 'a:b'])
      expect(() => parseInputs(env({ 'INPUT_LEDGER-BRANCH': bad }))).toThrow(/not a valid branch name/)
  })
})

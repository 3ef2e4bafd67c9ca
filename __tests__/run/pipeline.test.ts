import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { API_KEY, workspace, writeMp4 } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'
import { startGitHub } from '../support/github-api.js'

let sandbox: Sandbox | undefined
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
  for (const close of closers.splice(0)) await close()
})

const base = (url: string): Record<string, string> => ({ 'api-key': API_KEY, 'base-url': url, 'poll-interval': '0.05' })

describe('per-video sidecars', () => {
  it('override the caption, privacy and title of their own video only', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = workspace()
    writeMp4(path.join(ws, 'queue/one.mp4'))
    writeMp4(path.join(ws, 'queue/two.mp4'))
    fs.writeFileSync(
      path.join(ws, 'queue/two.mp4.draftclip.json'),
      JSON.stringify({ description: 'Two, in its own words #{stem}', privacy_level: 'mutual_follow_friends', title: 'Second' }, null, 2)
    )
    const run = await runInProcess(ws, { ...base(sandbox.url), videos: 'queue/*', description: 'default for {name}' })
    expect(run.code).toBe(0)
    expect(run.results.map(r => r.file)).toEqual(['queue/one.mp4', 'queue/two.mp4'])
    expect(sandbox.uploads.map(u => u.fields)).toEqual([
      { description: 'default for one.mp4', privacy_level: 'SELF_ONLY' },
      { description: 'Two, in its own words #two', privacy_level: 'MUTUAL_FOLLOW_FRIENDS', title: 'Second' }
    ])
  })

  it('a bad sidecar fails the step before any upload, naming the file and the line', async () => {
    sandbox = await startSandbox()
    const ws = workspace()
    writeMp4(path.join(ws, 'queue/one.mp4'))
    writeMp4(path.join(ws, 'queue/two.mp4'))
    fs.writeFileSync(path.join(ws, 'queue/two.mp4.draftclip.json'), '{\n  "description": "ok",\n  "privacy": "PUBLIC"\n}\n')
    const run = await runInProcess(ws, { ...base(sandbox.url), videos: 'queue/*', description: 'x' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("queue/two.mp4.draftclip.json: line 3: unknown key 'privacy'")
    expect(sandbox.requests).toHaveLength(0)
  })

  it('a video with no caption anywhere is refused before any upload', async () => {
    sandbox = await startSandbox()
    const ws = workspace()
    writeMp4(path.join(ws, 'a.mp4'))
    const run = await runInProcess(ws, { ...base(sandbox.url), videos: 'a.mp4' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      'a.mp4: it has no caption: set the \'description\' input, or "description" in a.mp4.draftclip.json beside it'
    )
    expect(sandbox.requests).toHaveLength(0)
  })
})

describe('dry run', () => {
  it('prints the plan, sends nothing, needs no key, and sets DRY_RUN outputs', async () => {
    sandbox = await startSandbox()
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'), 3 * 1024 * 1024)
    writeMp4(path.join(ws, 'v/b.mp4'))
    const run = await runInProcess(ws, {
      'base-url': sandbox.url,
      videos: 'v/*.mp4',
      description: 'Hello {stem}',
      'dry-run': 'true',
      'api-key': ''
    })
    expect(run.code).toBe(0)
    expect(sandbox.requests).toHaveLength(0)
    expect(run.results.map(r => [r.file, r.status, r.description])).toEqual([
      ['v/a.mp4', 'DRY_RUN', 'Hello a'],
      ['v/b.mp4', 'DRY_RUN', 'Hello b']
    ])
    expect(run.stdout).toContain('v/a.mp4: would upload, 3.0 MB, SELF_ONLY, caption: "Hello a"')
    expect(run.summary).toContain('dry run: nothing was sent')
    expect(run.summary).toContain('| 📝 | v/a.mp4 | 3.0 MB | SELF_ONLY | Hello a | upload |')
  })

  it('shows what the ledger would skip', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const inputs = { ...base(sandbox.url), videos: 'v/*.mp4', description: 'x', ledger: 'ledger.json' }
    const first = await runInProcess(ws, inputs)
    expect(first.code).toBe(0)
    writeMp4(path.join(ws, 'v/b.mp4'))
    const dry = await runInProcess(ws, { ...inputs, 'dry-run': 'true' })
    expect(dry.code).toBe(0)
    expect(sandbox.uploads).toHaveLength(1)
    expect(dry.stdout).toContain('v/a.mp4: would skip (already published)')
    expect(dry.stdout).toContain('v/b.mp4: would upload')
    expect(dry.results[0].publish_id).toBe(first.outputs['publish-id'])
  })
})

describe('concurrency', () => {
  it('keeps results in file order whatever finishes first, with several uploads in flight', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1, uploadFaults: [{ type: 'delay', ms: 600 }, null, null, null] })
    const ws = workspace()
    for (const n of ['1', '2', '3', '4']) writeMp4(path.join(ws, `v/${n}.mp4`))
    const run = await runInProcess(ws, { ...base(sandbox.url), videos: 'v/*.mp4', description: 'x', concurrency: '4' })
    expect(run.code).toBe(0)
    // The first upload was answered last (so the others were in flight beside it), yet comes first.
    const answered = (n: string): number => run.stdout.indexOf(`v/${n}.mp4: uploaded: publish ID`)
    expect(answered('4')).toBeGreaterThan(0)
    expect(answered('1')).toBeGreaterThan(answered('4'))
    expect(run.results.map(r => r.file)).toEqual(['v/1.mp4', 'v/2.mp4', 'v/3.mp4', 'v/4.mp4'])
    expect(JSON.parse(run.outputs['publish-ids'])).toEqual(
      ['1.mp4', '2.mp4', '3.mp4', '4.mp4'].map(f => sandbox!.uploads.find(u => u.filename === f)!.publishId)
    )
  })
})

describe('the first five minutes', () => {
  it('a placeholder with no value for this event fails before any upload, naming it and the event', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const ws = workspace()
    writeMp4(path.join(ws, 'trailer.mp4'))
    const run = await runInProcess(
      ws,
      { ...base(sandbox.url), videos: 'trailer.mp4', description: '{repo} {tag} is out! #release' },
      { deps: { loadRunInfo: async () => ({ vars: { repo: 'octo-org/clips', ref: 'main' }, event: 'push' }) } }
    )
    expect(run.code).toBe(1)
    expect(sandbox.requests).toHaveLength(0)
    expect(run.stdout).toContain("trailer.mp4: {tag} has no value on a 'push' event (set on release events and tag pushes)")
    expect(run.summary).toContain('{tag} has no value')
  })

  it('the summary says what went wrong when the step fails before uploading', async () => {
    sandbox = await startSandbox()
    const ws = workspace()
    fs.writeFileSync(path.join(ws, 'notes.mp4'), 'just text, renamed')
    const run = await runInProcess(ws, { ...base(sandbox.url), videos: '*.mp4', description: 'x' })
    expect(run.code).toBe(1)
    expect(run.summary).toContain('Nothing was published')
    expect(run.summary).toContain("notes.mp4: the content is not an MP4 file (no ISO-BMFF 'ftyp' box at the start)")
    expect(run.summary).not.toContain('No videos matched')

    const bad = await runInProcess(ws, { ...base(sandbox.url), videos: '*.mp4', description: 'x', retries: '99' })
    expect(bad.summary).toContain("Input 'retries' must be a whole number from 0 to 10, got '99'.")
  })
})

describe('the run with its ledger on a branch (in this process)', () => {
  it('publishes, keeps the ledger on the branch, and says what GitHub cost after the step is decided', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const github = await startGitHub({ runs: { '300': 'in_progress' } })
    closers.push(() => github.close())
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const run = await runInProcess(
      ws,
      { ...base(sandbox.url), videos: 'v/*.mp4', description: 'x', 'ledger-branch': 'draftclip-ledger', 'github-token': github.token },
      {
        env: { GITHUB_REPOSITORY: github.repository, GITHUB_RUN_ID: '300', GITHUB_RUN_ATTEMPT: '1' },
        deps: { githubApiUrl: github.url }
      }
    )
    expect(run.code).toBe(0)
    expect(run.results.map(r => r.status)).toEqual(['PUBLISH_COMPLETE'])
    expect(github.branches()).toEqual(['draftclip-ledger'])
    expect(run.stdout).toMatch(/Ledger on GitHub: \d+ requests, \d+ commits?\./)
    // The token, like the key, never reaches the log.
    expect(run.stdout).toContain(`::add-mask::${github.token}`)
    expect(run.stdout.split('\n').filter(l => l.includes(github.token))).toEqual([`::add-mask::${github.token}`])
  })

  it("bounds GitHub's time before the first upload through the first claim: writes that never answer fail the step, nothing sent", async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const github = await startGitHub({ runs: { '300': 'in_progress' } })
    // Reads answer; every write (the branch's creation, the claim) hangs until the test ends.
    let release!: () => void
    const hung = new Promise<void>(resolve => (release = resolve))
    github.onWrite(() => hung)
    closers.push(() => github.close())
    closers.push(async () => release())
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const started = Date.now()
    const run = await runInProcess(
      ws,
      { ...base(sandbox.url), videos: 'v/*.mp4', description: 'x', 'ledger-branch': 'draftclip-ledger', 'github-token': github.token },
      {
        env: { GITHUB_REPOSITORY: github.repository, GITHUB_RUN_ID: '300', GITHUB_RUN_ATTEMPT: '1' },
        deps: { githubApiUrl: github.url, githubBeforeUploadMs: 2000 }
      }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/did not answer within 2 s/)
    expect(sandbox.uploads).toHaveLength(0)
    expect(run.results.map(r => r.status)).toEqual(['NOT_ATTEMPTED'])
    expect(Date.now() - started).toBeLessThan(15_000)
  }, 30_000)
})

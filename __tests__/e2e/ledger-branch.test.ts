import * as path from 'node:path'
import * as fs from 'node:fs'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { API_KEY, runAction, workspace, writeMp4, type ActionRun } from '../support/action.js'
import { startGitHub, type GitHubStandIn } from '../support/github-api.js'

/** The bundle against the DraftClip sandbox and a GitHub stand-in: the ledger lives on a branch of the repository. */

let sandbox: Sandbox | undefined
let github: GitHubStandIn | undefined
const folders: string[] = []
afterEach(async () => {
  await sandbox?.close()
  await github?.close()
  sandbox = undefined
  github = undefined
  for (const f of folders.splice(0)) fs.rmSync(f, { recursive: true, force: true })
})

const LEDGER = '.draftclip/ledger.json'

function videos(n: number): string {
  const ws = workspace()
  folders.push(ws)
  for (let i = 0; i < n; i++) writeMp4(path.join(ws, `videos/clip-${i}.mp4`), 4096 + i)
  return ws
}

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'api-key': API_KEY,
    'base-url': sandbox!.url,
    videos: 'videos/*.mp4',
    description: 'Clip {index} #draftclip',
    'poll-interval': '0.05',
    'ledger-branch': 'draftclip-ledger',
    'github-token': github!.token,
    ...extra
  }
}

function env(runId: string, attempt = '1'): Record<string, string> {
  return { GITHUB_API_URL: github!.url, GITHUB_REPOSITORY: github!.repository, GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: attempt }
}

function ledger(): {
  videos: Record<string, { file: string; status: string; publish_id: string | null; run_id?: string; fail_reason?: string | null }>
} {
  return JSON.parse(github!.file('draftclip-ledger', LEDGER)!) as ReturnType<typeof ledger>
}

const statuses = (run: ActionRun): string[] => run.results.map(r => r.status as string)

describe('the ledger on a branch', () => {
  it('creates the branch on the first run (an orphan holding only the ledger), and a rerun skips every video', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    github = await startGitHub({ runs: { '100': 'in_progress' } })
    const ws = videos(3)
    const first = await runAction(ws, inputs({ concurrency: '2' }), env('100'))
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(statuses(first)).toEqual(['PUBLISH_COMPLETE', 'PUBLISH_COMPLETE', 'PUBLISH_COMPLETE'])
    expect(github.branches()).toEqual(['draftclip-ledger'])
    expect(Object.keys(github.treeOf('draftclip-ledger')!)).toEqual([LEDGER])
    const history = github.history('draftclip-ledger')
    expect(history.at(-1)!.parents).toEqual([])
    for (const commit of history) expect(commit.message).toContain('run 100')
    expect(history.some(c => c.message.includes('videos/clip-0.mp4'))).toBe(true)
    const entries = Object.values(ledger().videos)
    expect(entries.map(e => [e.file, e.status, e.run_id]).sort()).toEqual([
      ['videos/clip-0.mp4', 'PUBLISH_COMPLETE', '100'],
      ['videos/clip-1.mp4', 'PUBLISH_COMPLETE', '100'],
      ['videos/clip-2.mp4', 'PUBLISH_COMPLETE', '100']
    ])

    // No workspace copy of the ledger is needed or made: a fresh checkout reruns from the branch.
    expect(fs.existsSync(path.join(ws, LEDGER))).toBe(false)
    const commits = history.length
    const rerun = await runAction(ws, inputs(), env('100', '2'))
    expect(rerun.code).toBe(0)
    expect(statuses(rerun)).toEqual(['SKIPPED', 'SKIPPED', 'SKIPPED'])
    expect(sandbox.uploads).toHaveLength(3)
    // Nothing learned, nothing committed.
    expect(github.history('draftclip-ledger')).toHaveLength(commits)
  })

  it('two runs at once (concurrency 4 each, the same 8 videos) upload each video once between them', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1, uploadFaults: Array(8).fill({ type: 'delay', ms: 150 }) })
    github = await startGitHub({ runs: { '201': 'in_progress', '202': 'in_progress' } })
    const ws = videos(8)
    const [a, b] = await Promise.all([
      runAction(ws, inputs({ concurrency: '4', wait: 'false' }), env('201')),
      runAction(ws, inputs({ concurrency: '4', wait: 'false' }), env('202'))
    ])
    expect(a.stderr + b.stderr).toBe('')
    expect([a.code, b.code]).toEqual([0, 0])
    const sent = sandbox.uploads.map(u => u.filename).sort()
    expect(sent).toEqual(Array.from({ length: 8 }, (_, i) => `clip-${i}.mp4`))
    // Each video: uploaded by exactly one run, SKIPPED by the other with a note naming the uploader.
    for (let i = 0; i < 8; i++) {
      const pair = [a.results[i], b.results[i]]
      const skipped = pair.filter(r => r.status === 'SKIPPED')
      expect(skipped).toHaveLength(1)
      expect(String(skipped[0].error)).toMatch(/run 20[12]/)
    }
    expect(
      Object.values(ledger().videos).every(
        e => e.status === 'PROCESSING_UPLOAD' || e.status === 'PUBLISH_COMPLETE' || e.status === 'PROCESSING'
      )
    ).toBe(true)
    expect(Object.keys(ledger().videos)).toHaveLength(8)
  })

  it('merges a stale write entry by entry: another writer’s entry survives, and the write goes through', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    github = await startGitHub({ runs: { '300': 'in_progress' } })
    const other = '0'.repeat(64)
    const seed = { version: 1, videos: {} as Record<string, unknown> }
    github.commitFile('draftclip-ledger', LEDGER, JSON.stringify(seed))
    let once = true
    github.onWrite(({ method }) => {
      if (method !== 'PUT' || !once) return
      once = false
      // Another run commits between our read and our first write: our sha is stale now.
      seed.videos[other] = {
        file: 'elsewhere.mp4',
        status: 'PUBLISH_COMPLETE',
        publish_id: 'p-other',
        post_id: '1',
        updated_at: '2026-01-01T00:00:00Z'
      }
      github!.commitFile('draftclip-ledger', LEDGER, JSON.stringify(seed), 'another run')
    })
    const ws = videos(1)
    const run = await runAction(ws, inputs(), env('300'))
    expect(run.code).toBe(0)
    expect(github.requests.filter(r => r.method === 'PUT').map(r => r.status)).toContain(409)
    const videos_ = ledger().videos
    expect(videos_[other].publish_id).toBe('p-other')
    expect(Object.values(videos_).find(e => e.file === 'videos/clip-0.mp4')!.status).toBe('PUBLISH_COMPLETE')
    expect(sandbox.uploads).toHaveLength(1)
  })

  it('fails before any upload when the token may not write (403), naming the permission', async () => {
    sandbox = await startSandbox()
    github = await startGitHub({ permissions: { contents: 'read' } })
    const ws = videos(2)
    const run = await runAction(ws, inputs({ concurrency: '2' }), env('400'))
    expect(run.code).toBe(1)
    expect(sandbox.uploads).toHaveLength(0)
    expect(sandbox.requests).toHaveLength(0)
    expect(run.stdout).toContain('permissions: contents: write')
    expect(statuses(run)).toEqual(['NOT_ATTEMPTED', 'NOT_ATTEMPTED'])
    expect(run.summary).toContain('contents: write')
  })

  it('fails before any upload on a protected branch, naming it', async () => {
    sandbox = await startSandbox()
    github = await startGitHub({ protectedBranches: ['draftclip-ledger'] })
    github.commitFile('draftclip-ledger', LEDGER, '{"version":1,"videos":{}}')
    const ws = videos(1)
    const run = await runAction(ws, inputs(), env('401'))
    expect(run.code).toBe(1)
    expect(sandbox.requests).toHaveLength(0)
    expect(run.stdout).toContain("the branch 'draftclip-ledger'")
    expect(statuses(run)).toEqual(['NOT_ATTEMPTED'])
  })

  it('fails before any upload when GitHub cannot be reached', async () => {
    sandbox = await startSandbox()
    github = await startGitHub()
    const url = github.url
    await github.close()
    const ws = videos(1)
    const run = await runAction(ws, inputs(), { ...env('402'), GITHUB_API_URL: url })
    expect(run.code).toBe(1)
    expect(sandbox.requests).toHaveLength(0)
    expect(run.stdout).toContain('could not be reached')
  }, 30000)

  it('a write failing after uploads began stops new uploads, keeps trying, and the outputs and summary hold what was learned', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    github = await startGitHub()
    github.commitFile('draftclip-ledger', LEDGER, '{"version":1,"videos":{}}')
    let puts = 0
    // The first commit (the first video's UPLOADING entry) goes through; from then on the token may not write.
    github.onWrite(({ method }) => {
      if (method === 'PUT' && ++puts === 1) github!.permissions.contents = 'read'
    })
    const ws = videos(3)
    const run = await runAction(ws, inputs({ wait: 'false' }), env('450'))
    expect(run.code).toBe(1)
    expect(sandbox.uploads).toHaveLength(1)
    expect(statuses(run)).toEqual(['PROCESSING_UPLOAD', 'NOT_ATTEMPTED', 'NOT_ATTEMPTED'])
    expect(run.results[0].publish_id).toBe(sandbox.uploads[0].publishId)
    expect(JSON.parse(run.outputs['publish-ids'])).toEqual([sandbox.uploads[0].publishId])
    expect(String(run.results[1].error)).toContain('permissions: contents: write')
    expect(run.summary).toContain('could not be written')
    // It kept trying: the publish ID's write, the next claim, and once more at the end.
    expect(github.requests.filter(r => r.method === 'PUT' && r.status === 403).length).toBeGreaterThanOrEqual(2)
    // The branch still has the UPLOADING entry, so no later run uploads it blindly.
    expect(Object.values(ledger().videos).map(e => e.status)).toEqual(['UPLOADING'])
  })

  it('waits out a secondary rate limit as told (retry-after), and drops no write', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    github = await startGitHub({
      faults: [
        null,
        null,
        null,
        {
          status: 403,
          body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
          headers: { 'retry-after': '1' }
        }
      ]
    })
    const ws = videos(2)
    const run = await runAction(ws, inputs(), env('500'))
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("GitHub's rate limit (403): waiting 1 s")
    expect(github.requests.filter(r => r.status === 403)).toHaveLength(1)
    expect(Object.values(ledger().videos).map(e => e.status)).toEqual(['PUBLISH_COMPLETE', 'PUBLISH_COMPLETE'])
  })

  it('sends the DraftClip key in no request to GitHub, and the GitHub token in none to DraftClip', async () => {
    // DraftClip's answer carries the key (an echo in fail_reason), so the ledger's entry and its commit message would
    // too. (A file name that carries it is refused before anything is sent: below.)
    sandbox = await startSandbox({ pollsToComplete: 1, files: { '*': { final: 'FAILED', failReason: `rejected ${API_KEY}` } } })
    github = await startGitHub()
    const ws = workspace()
    folders.push(ws)
    writeMp4(path.join(ws, 'videos/clip.mp4'))
    writeMp4(path.join(ws, `videos/${API_KEY}.mp4`))
    const refused = await runAction(ws, inputs(), env('599'))
    expect(refused.code).toBe(1)
    expect(refused.results.map(r => [r.file, r.status])).toEqual([
      ['videos/clip.mp4', 'NOT_ATTEMPTED'],
      ['videos/***.mp4', 'REFUSED']
    ])
    expect(sandbox.requests).toHaveLength(0)
    fs.rmSync(path.join(ws, `videos/${API_KEY}.mp4`))
    const run = await runAction(ws, inputs(), env('600'))
    expect(run.code).toBe(1)
    expect(run.results.map(r => [r.status, r.fail_reason])).toEqual([['FAILED', 'rejected ***']])
    expect(Object.values(ledger().videos).map(e => e.fail_reason)).toEqual(['rejected ***'])
    const toGitHub = JSON.stringify(github.requests)
    expect(toGitHub).not.toContain(API_KEY)
    expect(toGitHub).not.toContain(Buffer.from(API_KEY).toString('base64').slice(0, 12))
    for (const c of github.history('draftclip-ledger')) expect(c.message).not.toContain(API_KEY)
    expect(github.file('draftclip-ledger', LEDGER)).not.toContain(API_KEY)
    expect(JSON.stringify(sandbox.requests)).not.toContain(github.token)
    // Only the runner's mask command names it (that is how it gets masked).
    expect(run.stdout.replace(`::add-mask::${github.token}\n`, '')).not.toContain(github.token)
    expect(run.stdout).toContain(`::add-mask::${github.token}`)
  })

  it('an UPLOADING entry of a run still in progress is SKIPPED; one of a completed run stays UNCONFIRMED', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    github = await startGitHub({ runs: { '700': 'in_progress', '701': 'completed' } })
    const ws = videos(2)
    const first = await runAction(ws, { ...inputs(), 'dry-run': 'true' }, env('699'))
    const [h0, h1] = first.results.map(r => r.sha256 as string)
    const now = new Date().toISOString()
    github.commitFile(
      'draftclip-ledger',
      LEDGER,
      JSON.stringify({
        version: 1,
        videos: {
          [h0]: {
            file: 'videos/clip-0.mp4',
            status: 'UPLOADING',
            publish_id: null,
            post_id: null,
            updated_at: now,
            run_id: '700',
            run_attempt: 1
          },
          [h1]: {
            file: 'videos/clip-1.mp4',
            status: 'UPLOADING',
            publish_id: null,
            post_id: null,
            updated_at: now,
            run_id: '701',
            run_attempt: 1
          }
        }
      })
    )
    const run = await runAction(ws, inputs(), env('702'))
    expect(statuses(run)).toEqual(['SKIPPED', 'UNCONFIRMED'])
    expect(run.results[0].error).toContain('run 700')
    expect(sandbox.uploads).toHaveLength(0)
    expect(run.code).toBe(1)
  })

  it('without actions: read, a young UPLOADING entry of another run counts as in progress, and the note says so', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    github = await startGitHub({ permissions: { actions: false } })
    const ws = videos(1)
    const plan = await runAction(ws, { ...inputs(), 'dry-run': 'true' }, env('799'))
    const hash = plan.results[0].sha256 as string
    github.commitFile(
      'draftclip-ledger',
      LEDGER,
      JSON.stringify({
        version: 1,
        videos: {
          [hash]: {
            file: 'videos/clip-0.mp4',
            status: 'UPLOADING',
            publish_id: null,
            post_id: null,
            updated_at: new Date().toISOString(),
            run_id: '800'
          }
        }
      })
    )
    const run = await runAction(ws, inputs(), env('801'))
    expect(run.code).toBe(0)
    expect(statuses(run)).toEqual(['SKIPPED'])
    expect(run.results[0].error).toContain("grant 'actions: read'")
    expect(sandbox.uploads).toHaveLength(0)
  })
})

import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server.js'
import type { DraftClip } from '../../src/model/ports.js'
import { API_KEY, workspace, writeMp4 } from '../support/action.js'
import { startGitHub, type GitHubStandIn, type StandInOptions } from '../support/github-api.js'
import { runInProcess } from '../support/in-process.js'

/**
 * deployment-environment against the DraftClip sandbox and the GitHub stand-in
 * (github-deployments.js): one deployment per upload, made before its first
 * byte, and the statuses the table gives each way a video can end.
 */

const SHA = '3f786850e387550fdab836ed7e6dc881de23001b'
const RUN_URL = 'https://github.com/acme/rocket/actions/runs/77'

let sandbox: Sandbox | undefined
let github: GitHubStandIn | undefined
afterEach(async () => {
  await sandbox?.close()
  await github?.close()
  sandbox = github = undefined
})

async function start(
  sandboxOptions: SandboxOptions = {},
  githubOptions: StandInOptions = {}
): Promise<{ sandbox: Sandbox; github: GitHubStandIn }> {
  sandbox = await startSandbox({ pollsToComplete: 1, ...sandboxOptions })
  github = await startGitHub(githubOptions)
  return { sandbox, github }
}

function publicVideo(ws: string, file: string): void {
  writeMp4(path.join(ws, file), 4096 + file.length)
  fs.writeFileSync(path.join(ws, `${file}.draftclip.json`), JSON.stringify({ privacy_level: 'PUBLIC_TO_EVERYONE' }))
}

/** A run with deployments on (unless the input is overridden), as the runner would start it. */
function deployRun(
  ws: string,
  inputs: Record<string, string> = {},
  wrap?: (real: DraftClip) => DraftClip
): ReturnType<typeof runInProcess> {
  return runInProcess(
    ws,
    {
      'api-key': API_KEY,
      'base-url': sandbox!.url,
      videos: 'v/*.mp4',
      description: 'x',
      'poll-interval': '0.05',
      'max-poll-interval': '0.05',
      'deployment-environment': 'tiktok',
      'github-token': github!.token,
      ...inputs
    },
    {
      env: { GITHUB_REPOSITORY: github!.repository, GITHUB_SHA: SHA, GITHUB_RUN_ID: '77', GITHUB_SERVER_URL: 'https://github.com' },
      deps: { githubApiUrl: github!.url },
      client: wrap
    }
  )
}

/** Each deployment's file and its statuses' states, oldest first. */
const statesByFile = (gh: GitHubStandIn): Record<string, string[]> =>
  Object.fromEntries(gh.deployments.list().map(d => [String(d.payload.file), d.statuses.map(s => s.state)]))

describe('deployment-environment: one GitHub Deployment per upload', () => {
  it('published, private, inbox and failed videos: created before the first byte, then the status each ends with', async () => {
    await start({
      files: {
        'fail.mp4': { final: 'FAILED', failReason: 'duration_check_failed' },
        'inbox.mp4': { final: 'SEND_TO_USER_INBOX' },
        // A private post never gets a post ID (whatever the sandbox would give after many polls).
        'private.mp4': { postIdDelay: 1000 }
      }
    })
    const ws = workspace()
    publicVideo(ws, 'v/a-public.mp4')
    for (const file of ['v/fail.mp4', 'v/inbox.mp4', 'v/private.mp4']) writeMp4(path.join(ws, file), 4096 + file.length)
    // How many deployments existed when each upload began: the video's own was made before its first byte.
    const deploymentsAtUpload: number[] = []
    const run = await deployRun(ws, { 'tiktok-username': '@rocket.team' }, real => ({
      upload: request => {
        deploymentsAtUpload.push(github!.deployments.list().length)
        return real.upload(request)
      },
      status: (id, ms, signal) => real.status(id, ms, signal),
      close: () => real.close()
    }))

    expect(run.results.map(r => [r.file, r.status])).toEqual([
      ['v/a-public.mp4', 'PUBLISH_COMPLETE'],
      ['v/fail.mp4', 'FAILED'],
      ['v/inbox.mp4', 'SEND_TO_USER_INBOX'],
      ['v/private.mp4', 'PUBLISH_COMPLETE']
    ])
    expect(deploymentsAtUpload).toEqual([1, 2, 3, 4])
    const deployments = github!.deployments.list()
    expect(deployments).toHaveLength(4)
    for (const [i, d] of deployments.entries()) {
      const upload = sandbox!.uploads[i]
      expect(d).toMatchObject({
        ref: SHA,
        environment: 'tiktok',
        task: 'publish',
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
        payload: { file: run.results[i].file, sha256: upload.sha256 }
      })
      expect(d.description).toContain(run.results[i].file)
      for (const s of d.statuses) expect(s).toMatchObject({ log_url: RUN_URL, auto_inactive: false })
    }
    expect(statesByFile(github!)).toEqual({
      'v/a-public.mp4': ['in_progress', 'success'],
      'v/fail.mp4': ['in_progress', 'failure'],
      'v/inbox.mp4': ['in_progress', 'success'],
      'v/private.mp4': ['in_progress', 'success']
    })
    const final = (i: number): { description: string; environment_url: string } => deployments[i].statuses.at(-1)!
    const postId = run.results[0].post_id as string
    expect(final(0).environment_url).toBe(`https://www.tiktok.com/@rocket.team/video/${postId}`)
    expect(final(0).environment_url).toBe(run.outputs['post-url'])
    expect(final(0).description).toContain(run.results[0].publish_id)
    expect(final(1).description).toContain('duration_check_failed')
    expect(final(2).description).toContain('sent to the inbox as a draft')
    // Never a link without a post ID.
    for (const i of [1, 2, 3]) expect(final(i).environment_url).toBe('')
    // auto_inactive: false, so one post does not mark the others inactive.
    expect(Object.values(github!.deployments.latest())).not.toContain('inactive')
    // Three GitHub requests a video: the deployment, in_progress, the final status.
    expect(github!.requests.map(r => `${r.method} ${r.status}`)).toEqual(Array(12).fill('POST 201'))
    expect(run.stdout).toContain('GitHub Deployments: 12 requests.')
    // fail.mp4 is FAILED: the step fails for it, as without deployments.
    expect(run.code).toBe(1)
  })

  it('an UNCONFIRMED upload (the connection lost after the body) ends its deployment in error', async () => {
    await start({ uploadFaults: [{ type: 'reset-after-body' }] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/lost.mp4'))
    const run = await deployRun(ws, { retries: '0' })
    expect(run.results.map(r => r.status)).toEqual(['UNCONFIRMED'])
    expect(statesByFile(github!)).toEqual({ 'v/lost.mp4': ['in_progress', 'error'] })
    const last = github!.deployments.list()[0].statuses.at(-1)!
    expect(last.description.length).toBeLessThanOrEqual(140)
    expect(last.description).toMatch(/^unconfirmed/)
    expect(run.code).toBe(1)
  })

  it('a late post ID: success without a URL, and the run that learns the ID (with the ledger) adds a success with it', async () => {
    // More polls without the post ID than the first run's 1 s wait can make (20 at 50 ms).
    await start({ files: { 'late.mp4': { postIdDelay: 30 } } })
    const ws = workspace()
    publicVideo(ws, 'v/late.mp4')
    const first = await deployRun(ws, { ledger: 'ledger.json', 'wait-timeout': '1' })
    expect(first.code).toBe(0)
    expect(first.results[0]).toMatchObject({ status: 'PUBLISH_COMPLETE', post_id: null, post_url: null })
    const [deployment] = github!.deployments.list()
    expect(deployment.statuses.map(s => [s.state, s.environment_url])).toEqual([
      ['in_progress', ''],
      ['success', '']
    ])
    const ledger = JSON.parse(fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')) as {
      videos: Record<string, { deployment_id?: number }>
    }
    expect(Object.values(ledger.videos).map(e => e.deployment_id)).toEqual([deployment.id])

    const second = await deployRun(ws, { ledger: 'ledger.json', 'wait-timeout': '10' })
    expect(second.code).toBe(0)
    const postId = second.results[0].post_id as string
    expect(postId).toMatch(/^\d+$/)
    // No second deployment: the earlier one gets the status this run learned.
    expect(github!.deployments.list()).toHaveLength(1)
    expect(deployment.statuses.map(s => [s.state, s.environment_url])).toEqual([
      ['in_progress', ''],
      ['success', ''],
      ['success', `https://www.tiktok.com/share/video/${postId}`]
    ])
    expect(second.outputs['post-urls']).toBe(JSON.stringify([`https://www.tiktok.com/share/video/${postId}`]))
  })

  it('wait: false leaves the deployment in_progress; a later run with the ledger adds the final status', async () => {
    await start()
    const ws = workspace()
    writeMp4(path.join(ws, 'v/quick.mp4'))
    const first = await deployRun(ws, { ledger: 'ledger.json', wait: 'false' })
    expect(first.results[0].status).toBe('PROCESSING_UPLOAD')
    // Still in_progress, but no longer "uploading": the publish ID is on GitHub even if no later run comes.
    expect(statesByFile(github!)).toEqual({ 'v/quick.mp4': ['in_progress', 'in_progress'] })
    const [deployment] = github!.deployments.list()
    expect(deployment.statuses.map(s => s.description)).toEqual([
      'uploading to DraftClip',
      `TikTok is processing it (publish ID ${String(first.results[0].publish_id)})`
    ])
    const second = await deployRun(ws, { ledger: 'ledger.json' })
    expect(second.results[0].status).toBe('SKIPPED')
    expect(statesByFile(github!)).toEqual({ 'v/quick.mp4': ['in_progress', 'in_progress', 'success'] })
    // A third run learns nothing new, and adds nothing.
    await deployRun(ws, { ledger: 'ledger.json' })
    expect(statesByFile(github!)).toEqual({ 'v/quick.mp4': ['in_progress', 'in_progress', 'success'] })
    expect(github!.deployments.list()).toHaveLength(1)
  })

  it('without the permission: the step fails naming it, and nothing is uploaded (concurrency 2 included)', async () => {
    await start({}, { permissions: { deployments: 'read' } })
    const ws = workspace()
    for (const file of ['v/a.mp4', 'v/b.mp4', 'v/c.mp4']) writeMp4(path.join(ws, file), 4096 + file.length)
    const run = await deployRun(ws, { ledger: 'ledger.json', concurrency: '2' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("::error::GitHub refused to create a deployment in environment 'tiktok' (403")
    expect(run.stdout).toContain("the job needs 'permissions: deployments: write'")
    expect(sandbox!.requests).toHaveLength(0)
    expect(run.results.map(r => r.status)).toEqual(['NOT_ATTEMPTED', 'NOT_ATTEMPTED', 'NOT_ATTEMPTED'])
    // One refused request, not one per video; and the ledger holds no upload that never began.
    expect(github!.requests.map(r => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /repos/acme/rocket/deployments 403'])
    const ledger = JSON.parse(fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')) as { videos: Record<string, unknown> }
    expect(ledger.videos).toEqual({})
  })

  it('a deployment that fails after uploads began: published all the same, not sent again, said in the log and summary', async () => {
    await start()
    github!.deployments.addCreateFaults([null, { status: 502, after: true }])
    const ws = workspace()
    for (const file of ['v/a.mp4', 'v/b.mp4']) writeMp4(path.join(ws, file), 4096 + file.length)
    const run = await deployRun(ws)
    expect(run.code).toBe(0)
    expect(run.results.map(r => r.status)).toEqual(['PUBLISH_COMPLETE', 'PUBLISH_COMPLETE'])
    expect(run.outputs['publish-ids']).toBe(JSON.stringify(sandbox!.uploads.map(u => u.publishId)))
    // GitHub made the second one but its answer was a 502: never a second record of one upload.
    const creations = github!.requests.filter(r => r.path === '/repos/acme/rocket/deployments')
    expect(creations.map(r => r.status)).toEqual([201, 502])
    expect(github!.deployments.list()).toHaveLength(2)
    expect(statesByFile(github!)).toEqual({ 'v/a.mp4': ['in_progress', 'success'], 'v/b.mp4': [] })
    // Not "no deployment was made": GitHub made one, and the Environments page shows it (without a status).
    expect(run.stdout).toMatch(
      /::warning file=v\/b.mp4::GitHub Deployments: v\/b.mp4: GitHub may have made its deployment, but no answer said so \(502: .*\); not asked again/
    )
    expect(run.summary).toContain('GitHub Deployments: v/b.mp4: GitHub may have made its deployment')
    expect(run.stdout).not.toContain('no GitHub Deployment was made')
  })

  it('a dry run says what it would create and that it did not check the permission, and asks GitHub nothing', async () => {
    await start()
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const run = await deployRun(ws, { 'dry-run': 'true', 'api-key': '' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("A GitHub Deployment would be created in environment 'tiktok' for each of 1 upload (v/a.mp4)")
    expect(run.summary).toContain("did not check that the job may create them ('permissions: deployments: write')")
    expect(github!.requests).toHaveLength(0)
  })

  it('with the input empty nothing else changes: no GitHub request, no deployment words, no extra hashing', async () => {
    await start()
    const ws = workspace()
    for (const file of ['v/a.mp4', 'v/bb.mp4']) writeMp4(path.join(ws, file), 4096 + file.length)
    const run = await deployRun(ws, { 'deployment-environment': '' })
    expect(run.code).toBe(0)
    expect(github!.requests).toHaveLength(0)
    expect(run.stdout).not.toMatch(/deployment/i)
    expect(run.summary).not.toMatch(/deployment/i)
    // Without a ledger or twins, no video is read twice for its hash, as before.
    expect(run.results.map(r => r.sha256)).toEqual([null, null])
    const on = await deployRun(ws)
    expect((on.results as { sha256: string }[]).map(r => r.sha256)).toEqual(sandbox!.uploads.slice(2).map(u => u.sha256))
  })

  it('a first deployment GitHub refuses as invalid (422, a commit it does not have) also fails the step before any upload', async () => {
    await start({}, { deploymentRefs: ['main'] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const run = await deployRun(ws)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`(422: No ref found for: ${SHA})`)
    expect(run.stdout).toContain("check 'deployment-environment' and the commit the workflow runs on")
    expect(sandbox!.requests).toHaveLength(0)
  })

  it('a deployment gone from GitHub (404) when a later run adds its status: a warning, and the run goes on', async () => {
    await start()
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    await deployRun(ws, { ledger: 'ledger.json', wait: 'false' })
    const [gone] = github!.deployments.list().splice(0)
    const later = await deployRun(ws, { ledger: 'ledger.json' })
    expect(later.code).toBe(0)
    expect(later.results[0].status).toBe('SKIPPED')
    expect(later.stdout).toContain(`GitHub Deployments: v/a.mp4: its deployment ${gone.id} did not get the status success (404: Not Found)`)
    expect(later.summary).toContain(`its deployment ${gone.id} did not get the status success`)
    expect(github!.deployments.list()).toHaveLength(0)
  })

  it('a rate limit on a deployment is waited out when short (then sent again: GitHub did not act on it), never past a minute', async () => {
    const limit = (seconds: number) => ({
      status: 403,
      body: { message: 'You have exceeded a secondary rate limit.' },
      headers: { 'retry-after': String(seconds) }
    })
    await start({}, { faults: [limit(1)] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const first = await deployRun(ws)
    expect(first.code).toBe(0)
    const creations = (): number[] => github!.requests.filter(r => r.path === '/repos/acme/rocket/deployments').map(r => r.status)
    expect(creations()).toEqual([403, 201])
    expect(statesByFile(github!)).toEqual({ 'v/a.mp4': ['in_progress', 'success'] })
    // Asked to wait 2 minutes: no deployment for it, published all the same, and not a permission problem.
    fs.rmSync(path.join(ws, 'v/a.mp4'))
    writeMp4(path.join(ws, 'v/b.mp4'))
    github!.addFaults([limit(120)])
    const began = Date.now()
    const second = await deployRun(ws)
    expect(Date.now() - began).toBeLessThan(20_000)
    expect(second.code).toBe(0)
    expect(second.results.map(r => r.status)).toEqual(['PUBLISH_COMPLETE'])
    expect(creations()).toEqual([403, 201, 403])
    expect(github!.deployments.list()).toHaveLength(1)
    expect(second.stdout).toMatch(
      /::warning file=v\/b.mp4::GitHub Deployments: v\/b.mp4: no GitHub Deployment was made for it \(GitHub asked to wait 120 s/
    )
    expect(second.stdout).not.toContain('deployments: write')
  }, 30_000)

  it('a job cancelled during an upload: its deployment ends in error before the outputs are written', async () => {
    await start({ uploadFaults: [{ type: 'hang' }] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const exits: number[] = []
    const running = runInProcess(
      ws,
      {
        'api-key': API_KEY,
        'base-url': sandbox!.url,
        videos: 'v/*.mp4',
        description: 'x',
        'deployment-environment': 'tiktok',
        'github-token': github!.token
      },
      {
        env: { GITHUB_REPOSITORY: github!.repository, GITHUB_SHA: SHA, GITHUB_RUN_ID: '77' },
        deps: { githubApiUrl: github!.url, signals: true, exit: code => void exits.push(code) }
      }
    )
    const s = sandbox!
    for (const end = Date.now() + 10_000; s.uploads.length === 0 && Date.now() < end;) await new Promise(r => setTimeout(r, 10))
    process.emit('SIGTERM', 'SIGTERM')
    for (const end = Date.now() + 10_000; exits.length === 0 && Date.now() < end;) await new Promise(r => setTimeout(r, 10))
    expect(exits).toEqual([1])
    // Said before the outputs: the status was sent by the cancel, not by the run that lives on below.
    expect(statesByFile(github!)).toEqual({ 'v/a.mp4': ['in_progress', 'error'] })
    await s.close()
    sandbox = undefined
    const run = await running
    expect(run.results.map(r => r.status)).toEqual(['UNCONFIRMED'])
    expect(statesByFile(github!)).toEqual({ 'v/a.mp4': ['in_progress', 'error'] })
    expect(process.listenerCount('SIGTERM')).toBe(0)
  })
})

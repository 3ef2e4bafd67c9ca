import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { API_KEY, workspace, writeMp4 } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

/** A later run judges a ledgered video by the privacy it was published with, not by today's input (issue 18). */

let sandbox: Sandbox | undefined
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

type Entry = Record<string, unknown>
const ledgerOf = (ws: string): { version: 1; videos: Record<string, Entry> } =>
  JSON.parse(fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')) as { version: 1; videos: Record<string, Entry> }

const inputs = (url: string, privacy: string): Record<string, string> => ({
  'base-url': url,
  'api-key': API_KEY,
  videos: 'v.mp4',
  description: 'a video',
  ledger: 'ledger.json',
  'poll-interval': '0.05',
  'max-poll-interval': '0.05',
  'wait-timeout': '3',
  'privacy-level': privacy
})

const statusRequests = (s: Sandbox): number => s.requests.filter(r => r.path === '/api/video_status.php').length

describe('the privacy a video was published with', () => {
  // A private post never gets a post ID: the sandbox is told to hold it back as TikTok does.
  const setUp = async (): Promise<{ s: Sandbox; ws: string }> => {
    const s = await startSandbox({ pollsToComplete: 1, files: { 'v.mp4': { postIdDelay: 1_000_000 } } })
    sandbox = s
    const ws = workspace()
    writeMp4(path.join(ws, 'v.mp4'))
    return { s, ws }
  }

  it('is kept in the ledger, and a later run with PUBLIC_TO_EVERYONE does not poll the SELF_ONLY video for a post ID', async () => {
    const { s, ws } = await setUp()
    const first = await runInProcess(ws, inputs(s.url, 'SELF_ONLY'))
    expect(first.code).toBe(0)
    expect(first.results[0]).toMatchObject({ status: 'PUBLISH_COMPLETE', post_id: null, privacy_level: 'SELF_ONLY' })
    const [entry] = Object.values(ledgerOf(ws).videos)
    expect(entry).toMatchObject({ status: 'PUBLISH_COMPLETE', privacy_level: 'SELF_ONLY' })

    const before = statusRequests(s)
    expect(before).toBeGreaterThan(0)
    const second = await runInProcess(ws, inputs(s.url, 'PUBLIC_TO_EVERYONE'))
    expect(second.code).toBe(0)
    expect(statusRequests(s) - before).toBe(0)
    expect(s.uploads).toHaveLength(1)
    expect(second.results[0]).toMatchObject({ status: 'SKIPPED', post_id: null, privacy_level: 'SELF_ONLY', error: null })
    expect(second.stdout).not.toContain('post ID will come')
    expect(second.stdout).not.toMatch(/later run/)
    // The entry still says how it was published.
    expect(Object.values(ledgerOf(ws).videos)[0]).toMatchObject({ privacy_level: 'SELF_ONLY' })
  })

  it('the other way round: a video published PUBLIC_TO_EVERYONE is still followed for its post ID when today says SELF_ONLY', async () => {
    const { s, ws } = await setUp()
    const first = await runInProcess(ws, { ...inputs(s.url, 'PUBLIC_TO_EVERYONE'), wait: 'false' })
    expect(first.code).toBe(0)
    expect(Object.values(ledgerOf(ws).videos)[0]).toMatchObject({ privacy_level: 'PUBLIC_TO_EVERYONE' })

    const before = statusRequests(s)
    const second = await runInProcess(ws, { ...inputs(s.url, 'SELF_ONLY'), 'wait-timeout': '1' })
    expect(s.uploads).toHaveLength(1)
    expect(second.results[0]).toMatchObject({ status: 'SKIPPED', privacy_level: 'PUBLIC_TO_EVERYONE' })
    expect(statusRequests(s) - before).toBeGreaterThan(1)
  })

  it('an older ledger without privacy_level still loads, and its entry is judged by the privacy of today', async () => {
    const { s, ws } = await setUp()
    await runInProcess(ws, inputs(s.url, 'SELF_ONLY'))
    const data = ledgerOf(ws)
    for (const entry of Object.values(data.videos)) delete entry.privacy_level
    fs.writeFileSync(path.join(ws, 'ledger.json'), JSON.stringify(data, null, 2))

    const before = statusRequests(s)
    const second = await runInProcess(ws, inputs(s.url, 'SELF_ONLY'))
    expect(second.code).toBe(0)
    expect(second.results[0]).toMatchObject({ status: 'SKIPPED', privacy_level: 'SELF_ONLY' })
    expect(statusRequests(s) - before).toBe(0)
  })
})

import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import type { Fault, Sandbox } from '../../sandbox/server.js'
import { sandboxPerTest } from '../support/sandbox.js'
import { workspace, writeMp4 } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

/** Seven ways a video's rules used to be broken at the seams between run, ledger and plan; each from source. */

const KEY = 'ttapi_lifecycle_key_4b1d'
let sandbox: Sandbox | undefined
const startSandbox = sandboxPerTest()

const respond = (status: number, body: string, headers?: Record<string, string>): Fault => ({ type: 'respond', status, body, headers })
const inputs = (url: string, more: Record<string, string> = {}): Record<string, string> => ({
  'api-key': KEY,
  'base-url': url,
  videos: 'v/*.mp4',
  description: 'x',
  'poll-interval': '0.05',
  ledger: 'ledger.json',
  ...more
})
type Entry = { status: string; publish_id: string | null; post_id: string | null }
const ledger = (ws: string): Record<string, Entry> =>
  (JSON.parse(fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')) as { videos: Record<string, Entry> }).videos
const uploadRequests = (s: Sandbox): number => s.requests.filter(r => r.path === '/api/upload.php').length

describe('one lifecycle: the promises at the seams', () => {
  it.each([302, 303, 307])('a %i after the whole video was sent may have been taken: UNCONFIRMED, kept, never sent again', async code => {
    sandbox = await startSandbox({ apiKeys: [KEY], uploadFaults: [respond(code, '', { Location: '/thanks.php' })] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const first = await runInProcess(ws, inputs(sandbox.url))
    expect(first.code).toBe(1)
    expect(first.results[0]).toMatchObject({ status: 'UNCONFIRMED' })
    expect(String(first.results[0].error)).toContain(`HTTP ${code}`)
    expect(Object.values(ledger(ws)).map(e => e.status)).toEqual(['UNCONFIRMED'])
    // The redirect is never followed with the key.
    expect(sandbox.requests.some(r => r.path === '/thanks.php')).toBe(false)

    const again = await runInProcess(ws, inputs(sandbox.url))
    expect(again.code).toBe(1)
    expect(again.results[0].status).toBe('UNCONFIRMED')
    expect(uploadRequests(sandbox)).toBe(1)
  })

  it('UNCONFIRMED with a publish id survives a rerun until a status answer confirms it', async () => {
    const body = JSON.stringify({ success: true, data: { publish_id: 'v_never_known', status: 'PROCESSING_UPLOAD' } })
    sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1, uploadFaults: [respond(500, body)] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const first = await runInProcess(ws, inputs(sandbox.url))
    expect(first.results[0]).toMatchObject({ status: 'UNCONFIRMED', publish_id: 'v_never_known' })

    const again = await runInProcess(ws, inputs(sandbox.url))
    expect(again.code).toBe(1)
    expect(again.results[0]).toMatchObject({ status: 'UNCONFIRMED', publish_id: 'v_never_known' })
    expect(String(again.results[0].error)).toContain('does not know publish ID v_never_known')
    expect(uploadRequests(sandbox)).toBe(1)
    expect(sandbox.requests.filter(r => r.path === '/api/video_status.php').length).toBeGreaterThan(0)
    expect(Object.values(ledger(ws))[0]).toMatchObject({ status: 'UNCONFIRMED', publish_id: 'v_never_known' })
  })

  it('an unconfirmed ledger entry that DraftClip knows is confirmed, then skipped with its post id', async () => {
    sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    // Public: only a public post gets a post ID.
    const first = await runInProcess(ws, inputs(sandbox.url, { wait: 'false', 'privacy-level': 'PUBLIC_TO_EVERYONE' }))
    const publishId = first.results[0].publish_id as string
    const file = path.join(ws, 'ledger.json')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"PROCESSING_UPLOAD"', '"UNCONFIRMED"'))

    const again = await runInProcess(ws, inputs(sandbox.url, { 'privacy-level': 'PUBLIC_TO_EVERYONE' }))
    expect(again.code).toBe(0)
    expect(again.results[0]).toMatchObject({ status: 'SKIPPED', publish_id: publishId, error: null })
    expect(again.results[0].post_id).toMatch(/^\d{19}$/)
    expect(Object.values(ledger(ws))[0]).toMatchObject({ status: 'PUBLISH_COMPLETE', publish_id: publishId })
    expect(uploadRequests(sandbox)).toBe(1)
  })

  it("a status answer about another publish id is not believed: its post id is not this video's", async () => {
    const other = JSON.stringify({
      success: true,
      data: {
        publish_id: 'v_someone_else',
        status: 'PUBLISH_COMPLETE',
        is_complete: true,
        publicaly_available_post_id: '1111111111111111111'
      }
    })
    sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1, statusFaults: [respond(200, other)] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.code).toBe(0)
    expect(run.results[0].status).toBe('PUBLISH_COMPLETE')
    expect(run.results[0].post_id).not.toBe('1111111111111111111')
    expect(run.stdout).toContain('the answer was about another publish id')
  })

  it('a publish id sent as a JSON number is kept as text, digit for digit', async () => {
    const body = '{"success":true,"data":{"publish_id":74125896301234567890,"status":"PROCESSING_UPLOAD"}}'
    sandbox = await startSandbox({ apiKeys: [KEY], uploadFaults: [respond(200, body)] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const run = await runInProcess(ws, inputs(sandbox.url, { wait: 'false' }))
    expect(run.code).toBe(0)
    expect(run.results[0]).toMatchObject({ status: 'PROCESSING_UPLOAD', publish_id: '74125896301234567890' })
    expect(run.outputs['publish-id']).toBe('74125896301234567890')
    expect(Object.values(ledger(ws))[0].publish_id).toBe('74125896301234567890')
  })

  it('a huge answer keeps the publish id at its head', async () => {
    const body = `{"success":true,"data":{"publish_id":"v_head_of_a_big_answer","status":"PROCESSING_UPLOAD"},"debug":"${'x'.repeat(2 * 1024 * 1024)}"}`
    sandbox = await startSandbox({ apiKeys: [KEY], uploadFaults: [respond(200, body)] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const run = await runInProcess(ws, inputs(sandbox.url, { wait: 'false' }))
    expect(run.results[0]).toMatchObject({ status: 'UNCONFIRMED', publish_id: 'v_head_of_a_big_answer' })
    expect(Object.values(ledger(ws))[0].publish_id).toBe('v_head_of_a_big_answer')
    expect(uploadRequests(sandbox)).toBe(1)
  })

  it('wait-timeout bounds a status request that hangs', async () => {
    sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1, statusFaults: [{ type: 'hang' }] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const started = Date.now()
    // A status request on its own may last 60 s; the video's wait ends at 1 s, and so must the request.
    const run = await runInProcess(ws, inputs(sandbox.url, { 'wait-timeout': '1', 'poll-interval': '0.1' }))
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('still not complete after 1 s')
  })

  describe('twins: one rule for the run and the dry run, with or without a ledger', () => {
    it.each([
      ['with a ledger', true],
      ['without a ledger', false]
    ])('%s: the dry run and the run both publish identical files once', async (_label, withLedger) => {
      sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
      const ws = workspace()
      writeMp4(path.join(ws, 'v/a.mp4'))
      fs.copyFileSync(path.join(ws, 'v/a.mp4'), path.join(ws, 'v/b.mp4'))
      writeMp4(path.join(ws, 'v/c.mp4'), 5000)
      const more: Record<string, string> = withLedger ? {} : { ledger: '' }
      const dry = await runInProcess(ws, inputs(sandbox.url, { ...more, 'dry-run': 'true' }))
      expect(dry.results.map(r => r.status)).toEqual(['DRY_RUN', 'SKIPPED', 'DRY_RUN'])
      expect(dry.stdout).toContain('v/b.mp4: would skip (same content as v/a.mp4)')

      const real = await runInProcess(ws, inputs(sandbox.url, more))
      expect(real.code).toBe(0)
      expect(real.results.map(r => r.status)).toEqual(['PUBLISH_COMPLETE', 'SKIPPED', 'PUBLISH_COMPLETE'])
      expect(real.results[1].publish_id).toBe(real.results[0].publish_id)
      expect(sandbox.uploads.map(u => u.filename)).toEqual(['a.mp4', 'c.mp4'])
    })
  })
})

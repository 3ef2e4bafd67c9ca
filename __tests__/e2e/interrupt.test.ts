import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { runAction, startAction, workspace, writeMp4 } from '../support/action.js'

/** A killed or cancelled runner: these need the bundle in a process of its own. */

const KEY = 'ttapi_CANARY_7f3a9c_do_not_leak'

let sandbox: Sandbox | undefined
/** Workspaces of this file, removed after each test. */
const folders: string[] = []
function fresh(): string {
  const ws = workspace()
  folders.push(ws)
  return ws
}

afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
  for (const f of folders.splice(0)) fs.rmSync(f, { recursive: true, force: true })
})

const withLedger = (url: string, more: Record<string, string> = {}): Record<string, string> => ({
  'api-key': KEY,
  'base-url': url,
  videos: 'v/*.mp4',
  description: 'x',
  'poll-interval': '0.05',
  'max-polls-per-minute': '600000',
  ledger: 'ledger.json',
  ...more
})

const ledgerEntries = (ws: string): { status: string }[] =>
  Object.values(
    (JSON.parse(fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')) as { videos: Record<string, { status: string }> }).videos
  )

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise(r => setTimeout(r, 20))
  }
}

describe('a killed or cancelled runner (the bundle, as the runner starts it)', () => {
  it('a run killed mid-upload leaves an UPLOADING entry, and the next run does not upload blindly', async () => {
    sandbox = await startSandbox({ apiKeys: [KEY], uploadFaults: [{ type: 'hang' }] })
    const ws = fresh()
    writeMp4(path.join(ws, 'v/a.mp4'), 2 * 1024 * 1024)
    const inputs = withLedger(sandbox.url)
    const started = startAction(ws, inputs)
    const s = sandbox
    await waitFor(() => s.uploads.length === 1)
    started.child.kill('SIGKILL')
    const killed = await started.done
    expect(killed.signal).toBe('SIGKILL')
    expect(ledgerEntries(ws).map(e => e.status)).toEqual(['UPLOADING'])

    const again = await runAction(ws, inputs)
    expect(again.code).toBe(1)
    expect(sandbox.requests.filter(r => r.path === '/api/upload.php')).toHaveLength(1)
    expect(again.results[0].status).toBe('UNCONFIRMED')
    expect(String(again.results[0].error)).toMatch(/delete the entry "[0-9a-f]{64}" from ledger\.json and run again/)
  })

  it('a cancelled job (SIGTERM mid-upload) still writes its outputs and summary', async () => {
    sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1, uploadFaults: [null, { type: 'hang' }] })
    const ws = fresh()
    writeMp4(path.join(ws, 'v/a.mp4'))
    writeMp4(path.join(ws, 'v/b.mp4'))
    const inputs = withLedger(sandbox.url, { wait: 'false' })
    const started = startAction(ws, inputs)
    const s = sandbox
    await waitFor(() => s.uploads.length === 2)
    started.child.kill('SIGTERM')
    const run = await started.done
    expect(run.code).toBe(1)
    expect(run.results.map(r => r.status)).toEqual(['PROCESSING_UPLOAD', 'UNCONFIRMED'])
    expect(String(run.results[1].error)).toMatch(/cancelled during its upload.*delete the entry "[0-9a-f]{64}" from ledger\.json/)
    expect(run.outputs['publish-ids']).toBe(JSON.stringify([s.uploads[0].publishId]))
    expect(run.summary).toContain('The job was cancelled (SIGTERM)')
    // Changed: the ledger says UNCONFIRMED, as the outputs do (it kept UPLOADING).
    expect(
      ledgerEntries(ws)
        .map(e => e.status)
        .sort()
    ).toEqual(['PROCESSING_UPLOAD', 'UNCONFIRMED'])

    // Its whole body was sent: a later run never uploads it blindly.
    const again = await runAction(ws, inputs)
    expect(s.uploads).toHaveLength(2)
    expect(s.requests.filter(r => r.path === '/api/upload.php')).toHaveLength(2)
    expect(again.results.map(r => r.status)).toEqual(['SKIPPED', 'UNCONFIRMED'])
  })

  it('a cancel (SIGINT) before the whole video was sent: not sent, its ledger entry let go, and the next run uploads it once', async () => {
    // The server reads nothing of the body: the upload can only end when the job's cancel stops it.
    sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1, uploadFaults: [{ type: 'stall' }] })
    const ws = fresh()
    writeMp4(path.join(ws, 'v/a.mp4'), 48 * 1024 * 1024)
    const inputs = withLedger(sandbox.url, { 'wait-timeout': '10' })
    const started = startAction(ws, inputs)
    const s = sandbox
    await waitFor(() => s.requests.some(r => r.path === '/api/upload.php'))
    await new Promise(r => setTimeout(r, 300))
    const sigint = Date.now()
    started.child.kill('SIGINT')
    const run = await started.done
    // Nothing waited for an answer that could not come: well before the runner's SIGTERM.
    expect(Date.now() - sigint).toBeLessThan(5000)
    expect(run.code).toBe(1)
    expect(s.uploads).toHaveLength(0)
    expect(run.results.map(r => [r.status, r.error])).toEqual([
      [
        'NOT_ATTEMPTED',
        'not sent: the job was cancelled before the whole video was sent, so DraftClip did not take it; a later run uploads it'
      ]
    ])
    expect(JSON.parse(run.outputs.results)[0].status).toBe('NOT_ATTEMPTED')
    expect(run.summary).toContain('The job was cancelled (SIGINT)')
    expect(run.summary).toContain('NOT_ATTEMPTED')
    expect(run.summary).not.toContain('UNCONFIRMED')
    expect(ledgerEntries(ws)).toEqual([])

    const again = await runAction(ws, inputs)
    expect(again.code).toBe(0)
    expect(s.uploads.map(u => u.filename)).toEqual(['a.mp4'])
    expect(again.results.map(r => r.status)).toEqual(['PUBLISH_COMPLETE'])
    expect(ledgerEntries(ws).map(e => e.status)).toEqual(['PUBLISH_COMPLETE'])
  })
  it('a cancel (SIGINT) while an answer is on its way: the answer that comes before SIGTERM is kept, with its publish ID', async () => {
    // The server takes the video, then answers 2 s later.
    sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1, uploadFaults: [{ type: 'delay', ms: 2000 }] })
    const ws = fresh()
    writeMp4(path.join(ws, 'v/a.mp4'))
    writeMp4(path.join(ws, 'v/b.mp4'))
    const started = startAction(ws, withLedger(sandbox.url))
    const s = sandbox
    await waitFor(() => s.uploads.length === 1)
    started.child.kill('SIGINT')
    const run = await started.done
    expect(run.code).toBe(1)
    expect(run.results.map(r => r.status)).toEqual(['PROCESSING_UPLOAD', 'NOT_ATTEMPTED'])
    expect(run.results[0].publish_id).toBe(s.uploads[0].publishId)
    expect(run.outputs['publish-ids']).toBe(JSON.stringify([s.uploads[0].publishId]))
    expect(run.summary).toContain('The job was cancelled (SIGINT)')
    expect(s.uploads).toHaveLength(1)
    expect(ledgerEntries(ws).map(e => e.status)).toEqual(['PROCESSING_UPLOAD'])
  })

  it("a cancel whose answer does not come before the runner's SIGTERM: the outputs are written at once, the upload UNCONFIRMED", async () => {
    sandbox = await startSandbox({ apiKeys: [KEY], uploadFaults: [{ type: 'delay', ms: 60_000 }] })
    const ws = fresh()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const started = startAction(ws, withLedger(sandbox.url))
    const s = sandbox
    await waitFor(() => s.uploads.length === 1)
    started.child.kill('SIGINT')
    await new Promise(r => setTimeout(r, 300))
    const term = Date.now()
    started.child.kill('SIGTERM')
    const run = await started.done
    // Well inside the 2.5 s the runner leaves before SIGKILL.
    expect(Date.now() - term).toBeLessThan(2000)
    expect(run.code).toBe(1)
    expect(run.results.map(r => r.status)).toEqual(['UNCONFIRMED'])
    expect(run.summary).toContain('The job was cancelled (SIGINT)')
  })
})

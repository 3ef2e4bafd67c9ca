import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { workspace, writeMp4 } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

/** main.ts's signal handler, from source: the runner's SIGTERM in the middle of an upload. */

let sandbox: Sandbox | undefined
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise(r => setTimeout(r, 10))
  }
}

describe('a cancelled job', () => {
  it('starts nothing new, leaves the cut-off upload UNCONFIRMED in outputs, summary and ledger, then exits 1', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1, uploadFaults: [null, { type: 'hang' }] })
    const ws = workspace()
    for (const name of ['a.mp4', 'b.mp4', 'c.mp4']) writeMp4(path.join(ws, 'v', name))
    const exits: number[] = []
    const running = runInProcess(
      ws,
      {
        'api-key': 'ttapi_sandbox_key',
        'base-url': sandbox.url,
        videos: 'v/*.mp4',
        description: 'x',
        wait: 'false',
        ledger: 'ledger.json'
      },
      { deps: { signals: true, exit: code => void exits.push(code) } }
    )
    const s = sandbox
    await until(() => s.uploads.length === 2)
    process.emit('SIGTERM', 'SIGTERM')
    await until(() => exits.length === 1)
    // The hung upload ends when its server goes; the run then finishes without writing anything twice.
    await s.close()
    sandbox = undefined
    const run = await running
    expect(exits).toEqual([1])
    expect(run.results.map(r => r.status)).toEqual(['PROCESSING_UPLOAD', 'UNCONFIRMED', 'NOT_ATTEMPTED'])
    expect(String(run.results[1].error)).toMatch(/^the job was cancelled during its upload; DraftClip may or may not have taken it\./)
    expect(run.summary).toContain('The job was cancelled (SIGTERM).')
    expect(s.uploads.map(u => u.filename)).toEqual(['a.mp4', 'b.mp4'])
    const ledger = JSON.parse(fs.readFileSync(path.join(ws, 'ledger.json'), 'utf8')) as { videos: Record<string, { status: string }> }
    // UPLOADING when the runner kills the process (the e2e suite); here the run lived on until the server
    // went, and the upload whose body had all left became UNCONFIRMED: held back either way.
    expect(
      Object.values(ledger.videos)
        .map(e => e.status)
        .sort()
    ).toEqual(['PROCESSING_UPLOAD', 'UNCONFIRMED'])
    expect(process.listenerCount('SIGTERM')).toBe(0)
  })
})

import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import type { DraftClip } from '../../src/model/ports.js'
import { workspace, writeMp4 } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

/**
 * A ledger that cannot be written, from source. The disk is really full:
 * the ledger's temporary file is a link to /dev/full, where every write fails
 * with ENOSPC (no root, no tmpfs needed; the e2e suite fills a real tmpfs).
 */

let sandbox: Sandbox | undefined
const folders: string[] = []
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
  for (const f of folders.splice(0)) fs.rmSync(f, { recursive: true, force: true })
})

const OLD_ENTRY = {
  file: 'old.mp4',
  status: 'PUBLISH_COMPLETE',
  publish_id: 'v_pub_old',
  post_id: '7000000000000000001',
  updated_at: '2026-01-01T00:00:00.000Z'
}

function setUp(): { ws: string; ledger: string; temp: string; before: string } {
  const ws = workspace()
  folders.push(ws)
  for (const name of ['a.mp4', 'b.mp4', 'c.mp4']) writeMp4(path.join(ws, 'v', name))
  const ledger = path.join(ws, 'ledger.json')
  const before = JSON.stringify({ version: 1, videos: { ['0'.repeat(64)]: OLD_ENTRY } }, null, 2) + '\n'
  fs.writeFileSync(ledger, before)
  return { ws, ledger, temp: `${ledger}.${process.pid}.tmp`, before }
}

const inputs = (url: string): Record<string, string> => ({
  'api-key': 'ttapi_sandbox_key',
  'base-url': url,
  videos: 'v/*.mp4',
  description: 'x',
  wait: 'false',
  ledger: 'ledger.json'
})

describe('a full disk under the ledger', () => {
  it('from the start: nothing is sent, every video is NOT_ATTEMPTED, the ledger is named, and no temporary file is left', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const { ws, ledger, temp, before } = setUp()
    fs.symlinkSync('/dev/full', temp)
    const run = await runInProcess(ws, inputs(sandbox.url), {})

    expect(run.code).toBe(1)
    expect(sandbox.requests.filter(r => r.path === '/api/upload.php')).toHaveLength(0)
    expect(run.results.map(r => r.status)).toEqual(['NOT_ATTEMPTED', 'NOT_ATTEMPTED', 'NOT_ATTEMPTED'])
    const named = 'The ledger ledger.json could not be written: the disk is full (ENOSPC)'
    for (const r of run.results) expect(String(r.error)).toContain(`not attempted: ${named}`)
    expect(run.stdout).toContain(`::error::${named}`)
    expect(run.stdout).not.toMatch(/UNCONFIRMED|may have been published/)
    // The summary agrees with the outputs: three rows not attempted, the reason, and no "nothing was published" block above them.
    expect(run.summary).toContain('**3 videos, ')
    expect(run.summary).toContain(':** 3 NOT_ATTEMPTED')
    expect(run.summary).toContain(`> [!WARNING]\n> ${named}`)
    expect(run.summary).not.toContain('[!CAUTION]')
    expect(fs.readdirSync(ws).filter(f => f.endsWith('.tmp'))).toEqual([])
    expect(fs.readFileSync(ledger, 'utf8')).toBe(before)
  })

  it('mid-run: the video DraftClip took keeps its publish ID in the outputs, no further upload starts, and the step fails naming the ledger', async () => {
    sandbox = await startSandbox({ pollsToComplete: 1 })
    const { ws, temp } = setUp()
    // The disk fills while the first upload is on its way: its answer cannot be recorded, nor the next UPLOADING.
    const fillOnFirstUpload = (real: DraftClip): DraftClip => ({
      status: (...args) => real.status(...args),
      close: () => real.close(),
      upload: async video => {
        const attempt = await real.upload(video)
        if (!fs.existsSync(temp)) fs.symlinkSync('/dev/full', temp)
        return attempt
      }
    })
    const run = await runInProcess(ws, inputs(sandbox.url), { client: fillOnFirstUpload })

    expect(run.code).toBe(1)
    expect(sandbox.uploads.map(u => u.filename)).toEqual(['a.mp4'])
    expect(run.results.map(r => r.status)).toEqual(['PROCESSING_UPLOAD', 'NOT_ATTEMPTED', 'NOT_ATTEMPTED'])
    expect(run.results[0].publish_id).toBe(sandbox.uploads[0].publishId)
    expect(JSON.parse(run.outputs['publish-ids'])).toEqual([sandbox.uploads[0].publishId])
    expect(run.summary).toContain(':** 1 PROCESSING_UPLOAD, 2 NOT_ATTEMPTED')
    expect(run.summary).toContain('The ledger ledger.json could not be written: the disk is full (ENOSPC)')
    expect(run.summary).not.toContain('[!CAUTION]')
    expect(fs.readdirSync(ws).filter(f => f.endsWith('.tmp'))).toEqual([])
  })
})

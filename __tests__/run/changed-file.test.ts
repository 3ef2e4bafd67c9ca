import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import type { DraftClip, UploadRequest } from '../../src/model/ports.js'
import { workspace, writeMp4, type ActionRun } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

/**
 * A video that changes between its check and the end of its upload (a render
 * finishing late, a sync tool, another job writing the same path): never sent
 * whole, never counted as published, and named as changed.
 */

let sandbox: Sandbox | undefined
const folders: string[] = []
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
  for (const f of folders.splice(0)) fs.rmSync(f, { recursive: true, force: true })
})

const MIB = 1024 * 1024
const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

/** The file is changed by `change` once the first chunk of the first upload has been handed to the socket (or before the upload, `before`). */
function changing(change: () => void, when: 'before' | 'mid-upload'): (real: DraftClip) => DraftClip {
  let done = false
  return real => ({
    status: (...args) => real.status(...args),
    close: () => real.close(),
    upload: (video: UploadRequest) => {
      if (when === 'before' && !done) {
        done = true
        change()
      }
      return real.upload({
        ...video,
        chunks: async function* () {
          for await (const c of video.chunks()) {
            yield c
            if (!done) {
              done = true
              change()
            }
          }
        }
      })
    }
  })
}

async function runWith(
  ws: string,
  client: (real: DraftClip) => DraftClip,
  ledger: boolean
): Promise<{ run: ActionRun; entries: Record<string, { status: string; publish_id: string | null }> }> {
  sandbox ??= await startSandbox({ pollsToComplete: 1 })
  const run = await runInProcess(
    ws,
    {
      'api-key': 'ttapi_sandbox_key',
      'base-url': sandbox.url,
      videos: 'v/*.mp4',
      description: 'x',
      wait: 'false',
      retries: '3',
      ...(ledger ? { ledger: 'ledger.json' } : {})
    },
    { client }
  )
  const file = path.join(ws, 'ledger.json')
  const entries = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).videos : {}
  return { run, entries }
}

function newWorkspace(): string {
  const ws = workspace()
  folders.push(ws)
  return ws
}

describe('a video that changes during its upload', () => {
  it('replaced by another file of the same size before its upload: not taken, named, and the next run sends and records the new content', async () => {
    const ws = newWorkspace()
    const video = writeMp4(path.join(ws, 'v/a.mp4'), 3 * MIB)
    const checked = sha256(video)
    // A sync tool's way: a new file renamed over the old one.
    const replacement = writeMp4(path.join(ws, 'new/b.mp4'), 3 * MIB)
    const { run, entries } = await runWith(
      ws,
      changing(() => fs.renameSync(replacement, video), 'before'),
      true
    )
    expect(run.code).toBe(1)
    expect(run.results[0].status).toBe('UPLOAD_FAILED')
    expect(String(run.results[0].error)).toMatch(
      /^v\/a\.mp4 changed during its upload \(.*\); it was stopped before its last bytes, so DraftClip did not take it/
    )
    expect(run.results[0].sha256).toBe(checked)
    // Stopped once, not retried with content nobody checked; the server took nothing.
    expect(sandbox!.requests.filter(r => r.path === '/api/upload.php')).toHaveLength(1)
    expect(sandbox!.uploads).toEqual([])
    expect(entries).toEqual({})

    const again = await runWith(ws, real => real, true)
    expect(again.run.code).toBe(0)
    const sent = sandbox!.uploads[0].sha256
    expect(sent).toBe(sha256(video))
    expect(Object.keys(again.entries)).toEqual([sent])
  })

  it('rewritten in place mid-upload with its size and time kept: the hash of the bytes sent tells, and the ledger records nothing', async () => {
    const ws = newWorkspace()
    const video = writeMp4(path.join(ws, 'v/a.mp4'), 3 * MIB)
    // A whole second, which utimes sets back exactly.
    const stamp = new Date('2026-01-01T00:00:00Z')
    fs.utimesSync(video, stamp, stamp)
    const rewrite = (): void => {
      const fd = fs.openSync(video, 'r+')
      fs.writeSync(fd, Buffer.alloc(64 * 1024, 7), 0, 64 * 1024, 2 * MIB + 5)
      fs.closeSync(fd)
      // Hides the write from a check of size and time: only the content tells.
      fs.utimesSync(video, stamp, stamp)
    }
    const { run, entries } = await runWith(ws, changing(rewrite, 'mid-upload'), true)
    expect(run.results[0].status).toBe('UPLOAD_FAILED')
    expect(String(run.results[0].error)).toContain('v/a.mp4 changed during its upload (its content is not the content that was checked)')
    expect(sandbox!.uploads).toEqual([])
    expect(entries).toEqual({})
  })

  it.each([
    ['grew', (file: string) => fs.appendFileSync(file, Buffer.alloc(1000, 1)), /it has 3146728 bytes now; it had 3145728/],
    ['shrank', (file: string) => fs.truncateSync(file, 2 * MIB), /it shrank to 2097152 bytes; it had 3145728/]
  ])(
    'that %s mid-upload is never sent cut off, and the error says the file changed, not that the connection broke',
    async (_, change, said) => {
      const ws = newWorkspace()
      const video = writeMp4(path.join(ws, 'v/a.mp4'), 3 * MIB)
      // No ledger: nothing is hashed, the file's size and stamp still tell.
      const { run } = await runWith(
        ws,
        changing(() => change(video), 'mid-upload'),
        false
      )
      expect(run.code).toBe(1)
      expect(run.results[0].status).toBe('UPLOAD_FAILED')
      expect(String(run.results[0].error)).toMatch(said)
      expect(String(run.results[0].error)).toMatch(/^v\/a\.mp4 changed during its upload/)
      expect(run.stdout).not.toMatch(/connection broke/)
      expect(sandbox!.uploads).toEqual([])
      expect(sandbox!.requests.filter(r => r.path === '/api/upload.php')).toHaveLength(1)
    }
  )

  it('a file left alone uploads as before, and the ledger holds the hash of the bytes DraftClip got', async () => {
    const ws = newWorkspace()
    writeMp4(path.join(ws, 'v/a.mp4'), 3 * MIB)
    const { run, entries } = await runWith(ws, real => real, true)
    expect(run.results[0].status).toBe('PROCESSING_UPLOAD')
    expect(Object.keys(entries)).toEqual([sandbox!.uploads[0].sha256])
  })
})

import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { startAction, workspace, writeMp4 } from '../support/action.js'

/**
 * A real full disk under the ledger: a 64 KiB tmpfs, filled while the bundle
 * runs. Mounting needs root (CI runs as root); elsewhere this suite shows as
 * skipped, never as passed, and __tests__/run/full-disk.test.ts still runs
 * the same failure from source on /dev/full.
 */

const mounts: string[] = []
const folders: string[] = []
let sandbox: Sandbox | undefined

afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
  for (const m of mounts.splice(0)) spawnSync('umount', [m])
  for (const f of folders.splice(0)) fs.rmSync(f, { recursive: true, force: true })
})

/** Mounts a small tmpfs on `dir`; false when this machine does not let us. */
function mountTmpfs(dir: string): boolean {
  fs.mkdirSync(dir, { recursive: true })
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' })
  if (mounted.status !== 0) return false
  mounts.push(dir)
  return true
}

/** Whether tmpfs can be mounted here, tried once on a folder of its own. */
const canMount = ((): boolean => {
  if (process.getuid?.() !== 0) return false
  const probe = workspace()
  try {
    const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' }).status === 0
    if (ok) spawnSync('umount', [probe])
    return ok
  } finally {
    fs.rmSync(probe, { recursive: true, force: true })
  }
})()

/** Fills the file system under `dir` to its last byte. */
function fill(dir: string): void {
  const block = Buffer.alloc(4096, 1)
  const fd = fs.openSync(path.join(dir, 'filler'), 'a')
  try {
    for (;;) fs.writeSync(fd, block)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  } finally {
    fs.closeSync(fd)
  }
}

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise(r => setTimeout(r, 10))
  }
}

const maybe = canMount ? it : it.skip

describe(`the ledger on a disk that fills (the bundle, a real tmpfs${canMount ? '' : ': SKIPPED, this machine cannot mount one'})`, () => {
  maybe('names the ledger and the problem, leaves no temporary file, starts no upload after, and the summary agrees', async () => {
    // The first upload's answer comes late: the disk fills meanwhile.
    sandbox = await startSandbox({ pollsToComplete: 1, uploadFaults: [{ type: 'delay', ms: 800 }] })
    const ws = workspace()
    folders.push(ws)
    for (const name of ['a.mp4', 'b.mp4', 'c.mp4']) writeMp4(path.join(ws, 'v', name))
    const state = path.join(ws, 'state')
    expect(mountTmpfs(state)).toBe(true)
    const started = startAction(ws, {
      'api-key': 'ttapi_sandbox_key',
      'base-url': sandbox.url,
      videos: 'v/*.mp4',
      description: 'x',
      wait: 'false',
      ledger: 'state/ledger.json'
    })
    const s = sandbox
    await waitFor(() => s.uploads.length === 1)
    fill(state)
    const run = await started.done

    expect(run.code).toBe(1)
    expect(s.uploads.map(u => u.filename)).toEqual(['a.mp4'])
    const results = JSON.parse(run.outputs.results) as { status: string; publish_id: string | null; error: string | null }[]
    expect(results.map(r => r.status)).toEqual(['PROCESSING_UPLOAD', 'NOT_ATTEMPTED', 'NOT_ATTEMPTED'])
    expect(results[0].publish_id).toBe(s.uploads[0].publishId)
    const named = 'The ledger state/ledger.json could not be written: the disk is full (ENOSPC)'
    expect(results[1].error).toContain(`not attempted: ${named}`)
    expect(run.stdout).toContain(`::error::${named}`)
    expect(run.stdout + run.stderr).not.toMatch(/UNCONFIRMED|\n\s+at /)
    expect(run.summary).toContain(':** 1 PROCESSING_UPLOAD, 2 NOT_ATTEMPTED')
    expect(run.summary).toContain(named)
    expect(fs.readdirSync(state).sort()).toEqual(['filler', 'ledger.json'])
    // What reached the disk before it filled: a's UPLOADING, which a later run holds back rather than post again.
    const ledger = JSON.parse(fs.readFileSync(path.join(state, 'ledger.json'), 'utf8')) as {
      videos: Record<string, { file: string; status: string }>
    }
    expect(Object.values(ledger.videos).map(e => [e.file, e.status])).toEqual([['v/a.mp4', 'UPLOADING']])
  })
})

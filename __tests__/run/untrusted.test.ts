import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import type { Fault, Sandbox } from '../../sandbox/server.js'
import { ledgerRunInputs, sandboxPerTest } from '../support/sandbox.js'
import type { DraftClip } from '../../src/model/ports.js'
import { whenAborted } from '../../src/draftclip/clock.js'
import { SECRET_RUN } from '../../src/secrets.js'
import { everything, workspace, writeMp4 } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

/** Text from outside (file names, the server's words) is untrusted everywhere it goes. */

const KEY = 'ttapi_UNTRUSTED_canary_9e8d7c6b5a4f3e2d'
let sandbox: Sandbox | undefined
const startSandbox = sandboxPerTest()

const inputs = (url: string, more: Record<string, string> = {}): Record<string, string> => ledgerRunInputs(KEY, url, more)
const respond = (status: number, body: string): Fault => ({ type: 'respond', status, body })

/** Every run of SECRET_RUN characters of the key that shows anywhere. */
function keyPieces(text: string): string[] {
  const found: string[] = []
  for (let i = 0; i + SECRET_RUN <= KEY.length; i++)
    if (text.includes(KEY.slice(i, i + SECRET_RUN))) found.push(KEY.slice(i, i + SECRET_RUN))
  return found
}

/**
 * Lines the runner would take as a command that the injected text chose: the
 * command or its properties came from it, or its data starts with it.
 */
function forged(stdout: string): string[] {
  return stdout.split('\n').filter(line => {
    const command = /^\s*::([^\s:]+)([^:]*)::(.*)$/.exec(line)
    if (!command) return false
    const [, name, properties, data] = command
    return /INJECTED/.test(name + properties) || /^INJECTED/.test(data) || (name === 'add-mask' && data !== KEY) || name === 'stop-commands'
  })
}

describe('the key never leaks, whole or in part', () => {
  it('a fail_reason that echoes the key is scrubbed from the ledger, log, outputs and summary', async () => {
    sandbox = await startSandbox({
      apiKeys: [KEY],
      pollsToComplete: 1,
      files: { 'a.mp4': { final: 'FAILED', failReason: `auth_removed (token ${KEY} revoked)` } }
    })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.results[0].status).toBe('FAILED')
    expect(String(run.results[0].fail_reason)).toContain('auth_removed (token *** revoked)')
    const lines = everything(run, path.join(ws, 'ledger.json'))
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
    expect(keyPieces(lines.join('\n'))).toEqual([])
  })

  it.each([20, 40, 117])('an error page that echoes the key, cut after %i characters by the server, leaves nothing of it', async cut => {
    const page = `<html><body>Bad gateway for Authorization: Bearer ${KEY}</body></html>`
    const at = page.indexOf(KEY) + cut
    sandbox = await startSandbox({ apiKeys: [KEY], uploadFaults: [respond(502, page.slice(0, at))] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.results[0].status).toBe('UNCONFIRMED')
    const text = everything(run, path.join(ws, 'ledger.json'))
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n')
    expect(keyPieces(text)).toEqual([])
  })
})

describe('no workflow command can be forged', () => {
  it('a file name with a line break and a command after it stays one harmless line', async () => {
    sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
    const ws = workspace()
    writeMp4(path.join(ws, 'v', 'a\n::warning::INJECTED-BY-FILENAME.mp4'))
    writeMp4(path.join(ws, 'v', '::error title=X::INJECTED-AT-START.mp4'))
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.code).toBe(0)
    expect(sandbox.uploads).toHaveLength(2)
    expect(forged(run.stdout)).toEqual([])
  })

  it("the server's error text, fail_reason and status description cannot start a line", async () => {
    const evil = 'nope\n::error title=X::INJECTED-BY-SERVER\n::add-mask::INJECTED\n::stop-commands::INJECTED'
    const status = JSON.stringify({ success: true, data: { status: 'PROCESSING', status_description: evil, is_complete: false } })
    sandbox = await startSandbox({
      apiKeys: [KEY],
      pollsToComplete: 1,
      uploadFaults: [respond(400, JSON.stringify({ error: evil })), null],
      statusFaults: [respond(500, JSON.stringify({ error: evil })), respond(200, status)],
      files: { 'b.mp4': { final: 'FAILED', failReason: evil } }
    })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    writeMp4(path.join(ws, 'v/b.mp4'))
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.results.map(r => r.status)).toEqual(['UPLOAD_FAILED', 'FAILED'])
    expect(run.stdout).toContain('INJECTED-BY-SERVER')
    expect(forged(run.stdout)).toEqual([])
  })
})

describe('odd files', () => {
  it('a caption with a lone surrogate is refused before any upload, naming the sidecar', async () => {
    sandbox = await startSandbox({ apiKeys: [KEY] })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    fs.writeFileSync(path.join(ws, 'v/a.mp4.draftclip.json'), '{\n  "description": "half an emoji \\ud83d"\n}\n')
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.code).toBe(1)
    expect(sandbox.requests).toHaveLength(0)
    expect(run.stdout).toContain('v/a.mp4.draftclip.json: line 2: the caption has a lone UTF-16 surrogate')
    expect(run.summary).toContain('lone UTF-16 surrogate')
  })

  it('a long valid name (whose sidecar name would be too long) is published', async () => {
    sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
    const ws = workspace()
    const name = `${'映'.repeat(80)}.mp4`
    expect(Buffer.byteLength(name)).toBe(244)
    writeMp4(path.join(ws, 'v', name))
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.code).toBe(0)
    expect(run.results[0]).toMatchObject({ file: `v/${name}`, status: 'PUBLISH_COMPLETE' })
  })

  it('a ledger reached through a symbolic link is written through it', async () => {
    sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    fs.mkdirSync(path.join(ws, 'cache'))
    fs.symlinkSync(path.join('cache', 'ledger.json'), path.join(ws, 'ledger.json'))
    const first = await runInProcess(ws, inputs(sandbox.url))
    expect(first.code).toBe(0)
    expect(fs.lstatSync(path.join(ws, 'ledger.json')).isSymbolicLink()).toBe(true)
    expect(fs.readFileSync(path.join(ws, 'cache/ledger.json'), 'utf8')).toContain('PUBLISH_COMPLETE')
    const again = await runInProcess(ws, inputs(sandbox.url))
    expect(again.results[0].status).toBe('SKIPPED')
    expect(sandbox.uploads).toHaveLength(1)
  })
})

describe('the shared poll budget', () => {
  it('twenty waiting videos never send more status requests a minute than max-polls-per-minute', async () => {
    // Fake time: a minute passes in milliseconds, and every request is stamped with the fake clock.
    let now = Date.parse('2026-11-25T12:00:00Z')
    const timers: { at: number; resolve: () => void }[] = []
    const clock = {
      now: () => now,
      random: () => 0.5,
      sleep: (ms: number, signal?: AbortSignal) =>
        new Promise<void>(resolve => {
          if (signal?.aborted) return resolve()
          // The run's one signal, shared by twenty waits: one listener for all, as realClock does.
          const forget = signal ? whenAborted(signal, resolve) : undefined
          timers.push({
            at: now + ms,
            resolve: () => {
              forget?.()
              resolve()
            }
          })
        })
    }
    let stop = false
    const tick = async (): Promise<void> => {
      while (!stop) {
        await new Promise(r => setImmediate(r))
        timers.sort((a, b) => a.at - b.at)
        const next = timers.shift()
        if (next) {
          now = Math.max(now, next.at)
          next.resolve()
        }
      }
    }
    const stamps: number[] = []
    const polls = new Map<string, number>()
    const fake = (): DraftClip => ({
      upload: async () => {
        const id = `v_${polls.size}`
        polls.set(id, 0)
        return {
          kind: 'answer',
          httpStatus: 200,
          bodySent: true,
          retryAfter: undefined,
          text: '',
          json: { success: true, data: { publish_id: id, status: 'PROCESSING_UPLOAD' } }
        }
      },
      status: async (id: string) => {
        stamps.push(now)
        const n = (polls.get(id) ?? 0) + 1
        polls.set(id, n)
        const done = n >= 4
        const data = {
          publish_id: id,
          status: done ? 'PUBLISH_COMPLETE' : 'PROCESSING',
          is_complete: done,
          publicaly_available_post_id: done ? `7${id.slice(2).padStart(18, '0')}` : undefined
        }
        return {
          kind: 'answer',
          httpStatus: 200,
          bodySent: true,
          retryAfter: undefined,
          text: '',
          json: { success: true, data }
        }
      },
      close: async () => undefined
    })
    const ws = workspace()
    for (let i = 0; i < 20; i++) writeMp4(path.join(ws, 'v', `${String(i).padStart(2, '0')}.mp4`), 1000 + i)
    const ticking = tick()
    const run = await runInProcess(
      ws,
      inputs('http://127.0.0.1:9', {
        'poll-interval': '5',
        'wait-timeout': '600',
        concurrency: '4',
        ledger: '',
        'max-polls-per-minute': '30'
      }),
      { clock, client: () => fake() }
    )
    stop = true
    await ticking
    expect(run.code).toBe(0)
    expect(stamps).toHaveLength(80)
    for (const t of stamps) expect(stamps.filter(s => s >= t && s < t + 60_000).length).toBeLessThanOrEqual(30)
  })
})

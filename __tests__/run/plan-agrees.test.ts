import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import type { Sandbox } from '../../sandbox/server.js'
import { sandboxPerTest } from '../support/sandbox.js'
import { workspace, writeMp4 } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

/**
 * The README's promise: the dry run gives every video the status the real run
 * would. One workspace per admission kind (and per kind of original a twin
 * copies); each file's planned status must match what the run then does. An
 * upload is planned DRY_RUN and run into one of DraftClip's statuses.
 */

const KEY = 'ttapi_plan_agrees_key'
const FUTURE = '2999-12-24T17:00:00Z'
let sandbox: Sandbox | undefined
const startSandbox = sandboxPerTest()

type Setup = (ws: string) => Record<string, string>

const video = (ws: string, name: string, publishAt?: string): string => {
  const file = writeMp4(path.join(ws, 'v', name), 4096 + name.charCodeAt(0))
  if (publishAt) fs.writeFileSync(`${file}.draftclip.json`, JSON.stringify({ publish_at: publishAt }))
  return file
}
const twin = (ws: string, of: string, name: string): void => fs.copyFileSync(path.join(ws, 'v', of), path.join(ws, 'v', name))
const sha = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex')
const ledger = (ws: string, entries: [string, Record<string, string | null>][]): void => {
  const videos = Object.fromEntries(
    entries.map(([name, entry]) => [
      sha(path.join(ws, 'v', name)),
      { file: `v/${name}`, publish_id: null, post_id: null, fail_reason: null, updated_at: '2026-12-01T00:00:00.000Z', ...entry }
    ])
  )
  fs.writeFileSync(path.join(ws, 'ledger.json'), JSON.stringify({ version: 1, videos }))
}
const published = { status: 'PUBLISH_COMPLETE', publish_id: 'v_pub_earlier', post_id: '7123456789012345678' }

const cases: [string, Setup, string[]][] = [
  ['upload', ws => (video(ws, 'a.mp4'), {}), ['DRY_RUN']],
  [
    'upload again after TikTok refused it (ledger FAILED)',
    ws => (video(ws, 'a.mp4'), ledger(ws, [['a.mp4', { status: 'FAILED', publish_id: 'v_x' }]]), {}),
    ['DRY_RUN']
  ],
  ['scheduled', ws => (video(ws, 'a.mp4', FUTURE), {}), ['SCHEDULED']],
  ['queued', ws => (video(ws, 'a.mp4'), video(ws, 'b.mp4'), { 'max-uploads': '1' }), ['DRY_RUN', 'QUEUED']],
  ['skip (ledger)', ws => (video(ws, 'a.mp4'), ledger(ws, [['a.mp4', published]]), {}), ['SKIPPED']],
  [
    'confirm (ledger: unconfirmed with a publish id DraftClip does not know)',
    ws => (video(ws, 'a.mp4'), ledger(ws, [['a.mp4', { status: 'UNCONFIRMED', publish_id: 'v_unknown' }]]), {}),
    ['UNCONFIRMED']
  ],
  [
    'unconfirmed (ledger: UPLOADING, no publish id)',
    ws => (video(ws, 'a.mp4'), ledger(ws, [['a.mp4', { status: 'UPLOADING' }]]), {}),
    ['UNCONFIRMED']
  ],
  ['twin of an upload', ws => (video(ws, 'a.mp4'), twin(ws, 'a.mp4', 'b.mp4'), {}), ['DRY_RUN', 'SKIPPED']],
  ['twin of a scheduled video', ws => (video(ws, 'a.mp4', FUTURE), twin(ws, 'a.mp4', 'b.mp4'), {}), ['SCHEDULED', 'SCHEDULED']],
  ['twin of a queued video', ws => (video(ws, 'a.mp4'), twin(ws, 'a.mp4', 'b.mp4'), { 'max-uploads': '0' }), ['QUEUED', 'QUEUED']],
  [
    'twin of a skipped video',
    ws => (video(ws, 'a.mp4'), twin(ws, 'a.mp4', 'b.mp4'), ledger(ws, [['a.mp4', published]]), {}),
    ['SKIPPED', 'SKIPPED']
  ],
  [
    'twin of an unconfirmed video',
    ws => (video(ws, 'a.mp4'), twin(ws, 'a.mp4', 'b.mp4'), ledger(ws, [['a.mp4', { status: 'UPLOADING' }]]), {}),
    ['UNCONFIRMED', 'SKIPPED']
  ]
]

const UPLOADED = ['PROCESSING_UPLOAD', 'PROCESSING', 'PUBLISH_COMPLETE', 'SEND_TO_USER_INBOX']
/** What the plan's status promises about the run's. */
const promised = (planned: string): string | string[] => (planned === 'DRY_RUN' ? UPLOADED : planned)

describe('the dry run and the run agree for every admission kind', () => {
  it.each(cases)('%s', async (_kind, setup, expected) => {
    sandbox = await startSandbox({ apiKeys: [KEY], pollsToComplete: 1 })
    const ws = workspace()
    const more = setup(ws)
    const inputs = {
      'api-key': KEY,
      'base-url': sandbox.url,
      videos: 'v/*.mp4',
      description: 'x',
      'poll-interval': '0.05',
      'wait-timeout': '5',
      ledger: 'ledger.json',
      ...more
    }
    const plan = await runInProcess(ws, { ...inputs, 'dry-run': 'true' })
    expect(sandbox.requests).toEqual([])
    expect(plan.results.map(r => r.status)).toEqual(expected)
    const run = await runInProcess(ws, inputs)
    expect(run.results.map(r => r.file)).toEqual(plan.results.map(r => r.file))
    const planned = plan.results.map(r => `${String(r.file)}: ${String(r.status)}`)
    const ran = run.results.map((r, i) => {
      const want = promised(String(plan.results[i].status))
      const agrees = Array.isArray(want) ? want.includes(String(r.status)) : want === r.status
      return `${String(r.file)}: ${agrees ? String(plan.results[i].status) : `${String(r.status)} (planned ${String(plan.results[i].status)})`}`
    })
    expect(ran).toEqual(planned)
    fs.rmSync(ws, { recursive: true, force: true })
  })
})

import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import type { Sandbox } from '../../sandbox/server.js'
import { sandboxPerTest } from '../support/sandbox.js'
import { API_KEY, everything, workspace, writeMp4 } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

let sandbox: Sandbox | undefined
const startSandbox = sandboxPerTest()

async function sandboxWith(): Promise<Sandbox> {
  sandbox = await startSandbox({ pollsToComplete: 1 })
  return sandbox
}

const fast = (url: string): Record<string, string> => ({ 'base-url': url, 'poll-interval': '0.05', 'api-key': API_KEY })
const emoji = '\u{1F3AC}' // 🎬: two UTF-16 code units

/** The videos each case's files refuse (the others: none; the step fails on an input before any video is looked at). */
const REFUSED: Record<string, string[]> = {
  'a wrong extension': ['clip.webm'],
  'a directory that matches': ['folder.mp4'],
  'a symlink loop': ['loop.mp4'],
  'a broken symlink': ['link.mp4'],
  'an emoji caption one unit over': ['a.mp4', 'good.mp4'],
  'a sidecar caption over the limit': ['a.mp4'],
  'an MP4 that is not one': ['fake.mp4'],
  'an empty file': ['empty.mp4'],
  'a file over 500 MiB': ['huge.mp4'],
  'a caption of 2,201 units': ['a.mp4', 'good.mp4'],
  'the key in the caption': ['a.mp4', 'good.mp4'],
  'a piece of the key in a sidecar title': ['a.mp4'],
  'the key in a file name': ['leak-***.mp4'],
  "a sidecar named without its video's extension": ['v7.mp4']
}

describe('nothing is sent when any input or file is bad', () => {
  const cases: [string, (ws: string) => Record<string, string>, RegExp][] = [
    [
      'a wrong extension',
      ws => (fs.writeFileSync(path.join(ws, 'clip.webm'), 'x'), { videos: 'clip.*' }),
      /clip\.webm: '\.webm' is not a video type/
    ],
    [
      'a directory that matches',
      ws => (fs.mkdirSync(path.join(ws, 'folder.mp4')), { videos: '*.mp4' }),
      /folder\.mp4: it is a directory, not a video file/
    ],
    [
      'a symlink loop',
      ws => (fs.symlinkSync('loop.mp4', path.join(ws, 'loop.mp4')), { videos: '*.mp4' }),
      /loop\.mp4: it is a symbolic link loop/
    ],
    [
      'a broken symlink',
      ws => (fs.symlinkSync('gone.mp4', path.join(ws, 'link.mp4')), { videos: '*.mp4' }),
      /link\.mp4: it is a broken symbolic link/
    ],
    [
      'an emoji caption one unit over',
      ws => (writeMp4(path.join(ws, 'a.mp4')), { videos: 'a.mp4', description: 'a'.repeat(2199) + emoji }),
      /a\.mp4: the caption is 2201 UTF-16 code units long; TikTok allows 2200 \(an emoji counts 2\)/
    ],
    [
      'a corrupt ledger',
      ws => (fs.writeFileSync(path.join(ws, 'ledger.json'), '[1, 2'), { videos: 'good.mp4', ledger: 'ledger.json' }),
      /The ledger ledger\.json is not valid JSON/
    ],
    [
      'a ledger that is a folder',
      ws => (fs.mkdirSync(path.join(ws, 'ledger')), { videos: 'good.mp4', ledger: 'ledger' }),
      /The ledger ledger cannot be read \(EISDIR\)/
    ],
    [
      'an http:// base URL to a remote host',
      () => ({ videos: 'good.mp4', 'base-url': 'http://drafttok.app' }),
      /plain http to 'drafttok\.app': the API key would travel in clear/
    ],
    ['a base URL that is not one', () => ({ videos: 'good.mp4', 'base-url': 'drafttok dot app' }), /Input 'base-url' is not a URL/],
    [
      'retries out of range',
      () => ({ videos: 'good.mp4', retries: '-1' }),
      /Input 'retries' must be a whole number from 0 to 10, got '-1'/
    ],
    [
      'concurrency out of range',
      () => ({ videos: 'good.mp4', concurrency: '9' }),
      /Input 'concurrency' must be a whole number from 1 to 8, got '9'/
    ],
    ['a zero poll interval', () => ({ videos: 'good.mp4', 'poll-interval': '0' }), /Input 'poll-interval' must be a number of seconds/],
    ['wait that is not a boolean', () => ({ videos: 'good.mp4', wait: 'yes' }), /Input 'wait' must be true or false, got 'yes'/],
    [
      'an unknown if-no-files-found',
      () => ({ videos: 'good.mp4', 'if-no-files-found': 'fail' }),
      /Input 'if-no-files-found' must be one of error, warn, ignore/
    ],
    [
      'dry-run that is not a boolean',
      () => ({ videos: 'good.mp4', 'dry-run': 'maybe' }),
      /Input 'dry-run' must be true or false, got 'maybe'/
    ],
    [
      'a response timeout of zero',
      () => ({ videos: 'good.mp4', 'response-timeout': '0' }),
      /Input 'response-timeout' must be a number of seconds from 1 to 3600/
    ],
    [
      'a key with a pasted zero-width space',
      () => ({ videos: 'good.mp4', 'api-key': 'ttapi_abc\u200b' }),
      /Input 'api-key' contains a character that is not printable ASCII/
    ],
    [
      'a sidecar caption over the limit',
      ws => (
        writeMp4(path.join(ws, 'a.mp4')),
        fs.writeFileSync(path.join(ws, 'a.mp4.draftclip.json'), `{\n  "title": "t",\n  "description": "${'x'.repeat(2201)}"\n}`),
        { videos: 'a.mp4' }
      ),
      /a\.mp4\.draftclip\.json: line 3: the caption is 2201 UTF-16 code units long/
    ],
    ['a key with white space', () => ({ videos: 'good.mp4', 'api-key': 'ttapi_abc def' }), /Input 'api-key' contains white space/],

    [
      'an MP4 that is not one',
      ws => (fs.writeFileSync(path.join(ws, 'fake.mp4'), 'just text, renamed'), { videos: 'fake.mp4' }),
      /fake\.mp4: the content is not an MP4 file/
    ],
    ['an empty file', ws => (fs.writeFileSync(path.join(ws, 'empty.mp4'), ''), { videos: 'empty.mp4' }), /empty\.mp4: the file is empty/],
    [
      'a file over 500 MiB',
      ws => {
        writeMp4(path.join(ws, 'huge.mp4'))
        fs.truncateSync(path.join(ws, 'huge.mp4'), 524_288_001)
        return { videos: 'huge.mp4' }
      },
      /huge\.mp4: 500\.0 MB is over DraftClip's limit/
    ],
    [
      'a caption of 2,201 units',
      ws => (writeMp4(path.join(ws, 'a.mp4')), { videos: 'a.mp4', description: 'x'.repeat(2201) }),
      /a\.mp4: the caption is 2201 UTF-16 code units long/
    ],
    [
      'the key in the caption',
      ws => (writeMp4(path.join(ws, 'a.mp4')), { videos: 'a.mp4', description: `new drop! key=${API_KEY}` }),
      /a\.mp4: the caption holds a secret \(the API key or the GitHub token, or a part of one\): it would be posted on TikTok/
    ],
    [
      'a piece of the key in a sidecar title',
      ws => (
        writeMp4(path.join(ws, 'a.mp4')),
        fs.writeFileSync(path.join(ws, 'a.mp4.draftclip.json'), `{\n  "title": "x${API_KEY.slice(3, 13)}x"\n}`),
        { videos: 'a.mp4' }
      ),
      /a\.mp4\.draftclip\.json: line 2: the title holds a secret/
    ],
    [
      'the key in a file name',
      ws => (writeMp4(path.join(ws, `leak-${API_KEY}.mp4`)), { videos: 'leak-*.mp4' }),
      /leak-\*\*\*\.mp4: its path holds a secret \(the API key or the GitHub token, or a part of one\): rename the file/
    ],
    [
      "a sidecar named without its video's extension",
      ws => (
        writeMp4(path.join(ws, 'v7.mp4')),
        fs.writeFileSync(path.join(ws, 'v7.draftclip.json'), '{ "publish_at": "2030-01-01T00:00:00Z" }'),
        { videos: '*.mp4' }
      ),
      /v7\.draftclip\.json: it is not read: a sidecar is named after the whole file name, 'v7\.mp4\.draftclip\.json'/
    ],
    [
      'an unknown privacy level',
      ws => (writeMp4(path.join(ws, 'a.mp4')), { videos: 'a.mp4', 'privacy-level': 'FRIENDS' }),
      /Input 'privacy-level' must be one of/
    ],
    [
      'a timeout that is not a number',
      ws => (writeMp4(path.join(ws, 'a.mp4')), { videos: 'a.mp4', 'wait-timeout': 'soon' }),
      /Input 'wait-timeout' must be a number/
    ],
    ['an empty key', ws => (writeMp4(path.join(ws, 'a.mp4')), { videos: 'a.mp4', 'api-key': '' }), /Input 'api-key' is required/],
    ['a pattern that matches nothing', () => ({ videos: 'nothing/*.mp4' }), /No videos matched 'nothing\/\*\.mp4'/]
  ]

  it.each(cases)('%s', async (_name, setup, message) => {
    const s = await sandboxWith()
    const ws = workspace()
    writeMp4(path.join(ws, 'good.mp4'))
    const inputs: Record<string, string> = { ...fast(s.url), description: 'fine', ...setup(ws) }
    if (!inputs.videos.includes('nothing')) inputs.videos += '\ngood.mp4'
    const run = await runInProcess(ws, inputs)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(message)
    expect(s.requests).toHaveLength(0)
    // A refused file: every video is in results, the refused ones REFUSED and the others not sent; a refused input (or
    // ledger): no video was looked at.
    const refused = REFUSED[_name] ?? []
    const expected = refused.length === 0 ? [] : [...new Set([...refused, 'good.mp4'])].sort()
    expect(run.results.map(r => [r.file, r.status, r.status === 'REFUSED' ? 'its problem' : r.error])).toEqual(
      expected.map(f => (refused.includes(f) ? [f, 'REFUSED', 'its problem'] : [f, 'NOT_ATTEMPTED', 'not sent: another video was refused']))
    )
    for (const r of run.results.filter(r => r.status === 'REFUSED')) expect(run.stdout).toContain(String(r.error).split('; ')[0])
    const leaks = everything(run)
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::') && l.includes(API_KEY))
    expect(leaks).toEqual([])
  })

  it('lists every bad file at once', async () => {
    const s = await sandboxWith()
    const ws = workspace()
    fs.writeFileSync(path.join(ws, 'one.mp4'), 'text')
    fs.writeFileSync(path.join(ws, 'two.avi'), 'text')
    const run = await runInProcess(ws, { ...fast(s.url), videos: '*', description: 'x' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('2 files cannot be published, so nothing was uploaded')
    expect(run.stdout).toMatch(/::error [^:]*file=one\.mp4::the content is not an MP4 file/)
    expect(run.stdout).toMatch(/::error [^:]*file=two\.avi::the content is not an AVI file/)
    expect(s.requests).toHaveLength(0)
  })

  it('warns of a sidecar whose video is gone, and publishes the others', async () => {
    const s = await sandboxWith()
    const ws = workspace()
    writeMp4(path.join(ws, 'good.mp4'))
    fs.writeFileSync(path.join(ws, 'gone.mp4.draftclip.json'), '{ "description": "old" }')
    const run = await runInProcess(ws, { ...fast(s.url), videos: '*.mp4', description: 'x' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(
      "::warning file=gone.mp4.draftclip.json::gone.mp4.draftclip.json: its video 'gone.mp4' is not there (renamed or removed?): the sidecar is not used"
    )
    expect(run.results.map(r => [r.file, r.status])).toEqual([['good.mp4', 'PUBLISH_COMPLETE']])
  })

  it.each([
    ['2', '5', true],
    ['5', '5', false]
  ])('wait-timeout %s s with poll-interval %s s: warned that no status would be read, %s', async (timeout, interval, warned) => {
    const ws = workspace()
    writeMp4(path.join(ws, 'good.mp4'))
    const run = await runInProcess(ws, {
      'api-key': API_KEY,
      videos: 'good.mp4',
      description: 'x',
      'dry-run': 'true',
      'wait-timeout': timeout,
      'poll-interval': interval
    })
    expect(run.code).toBe(0)
    const warning = `::warning::'wait-timeout' (${timeout} s) is shorter than 'poll-interval' (${interval} s): the wait ends before its first status request`
    expect(run.stdout.includes(warning)).toBe(warned)
  })

  it('only warns when nothing matches and if-no-files-found is warn', async () => {
    const s = await sandboxWith()
    const run = await runInProcess(workspace(), { ...fast(s.url), videos: '*.mp4', 'if-no-files-found': 'warn' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('::warning::No videos matched')
    expect(run.outputs['publish-ids']).toBe('[]')
  })
})

it('an emoji caption exactly at 2,200 units is sent', async () => {
  const s = await sandboxWith()
  const ws = workspace()
  writeMp4(path.join(ws, 'a.mp4'))
  const caption = 'a'.repeat(2198) + emoji
  const run = await runInProcess(ws, { ...fast(s.url), videos: 'a.mp4', description: caption, wait: 'false' })
  expect(run.code).toBe(0)
  expect(s.uploads[0].fields.description).toBe(caption)
})

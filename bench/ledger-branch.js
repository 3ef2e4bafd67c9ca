// node bench/ledger-branch.js [--action=path/to/index.js] [--sizes=1,10,100] [--concurrency=1] [--check=docs/reliability.md]
//
// What the branch ledger costs GitHub: the requests and commits of one run of
// 1, 10 and 100 videos (a new branch, wait on), with the action run as the
// runner runs it (sandbox/runner.js, on Node 24 as bench/node24.js finds it)
// against the DraftClip sandbox and the GitHub stand-in of the tests
// (__tests__/support/github-api.js), both on 127.0.0.1. Prints Markdown.
// Counts, not times: the stand-in answers at once, and commits are paced at
// about 80 a minute as on GitHub, so 100 videos take a minute or two.
// With --check, the counts are also compared with those the given doc states
// (bench/ledger-docs.js reads them), and a difference exits 1: .ci/run does
// this, since with concurrency 1 the counts are the same on every run.

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startGitHub } from '../__tests__/support/github-api.js'
import { startSandbox } from '../sandbox/server.js'
import { startAction } from '../sandbox/runner.js'
import { countDifferences, documentedCounts } from './ledger-docs.js'
import { findNode24 } from './node24.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const arg = (name, fallback) => process.argv.find(a => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback
const action = path.resolve(arg('action', path.join(ROOT, 'dist', 'index.js')))
const sizes = arg('sizes', '1,10,100').split(',').map(Number)
const concurrency = arg('concurrency', '1')
const check = arg('check', null)

const node = process.env.DRAFTCLIP_BENCH_NODE || findNode24().path
const sample = fs.readFileSync(path.join(ROOT, '__tests__', 'fixtures', 'videos', 'tiny.mp4'))
const rows = []
const measured = []
for (const n of sizes) {
  const sandbox = await startSandbox({ pollsToComplete: 1 })
  const github = await startGitHub({ runs: { 1000: 'in_progress' } })
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-bench-ledger-'))
  try {
    fs.mkdirSync(path.join(ws, 'videos'))
    for (let i = 0; i < n; i++) {
      // A real video (the fixtures' one-frame H.264 MP4) that passes the media check, made distinct
      // by a trailing `free` box naming its index: each is its own content to the ledger.
      const note = Buffer.from(`video ${i}`)
      const free = Buffer.alloc(8)
      free.writeUInt32BE(8 + note.length, 0)
      free.write('free', 4, 'latin1')
      fs.writeFileSync(path.join(ws, 'videos', `v${String(i).padStart(3, '0')}.mp4`), Buffer.concat([sample, free, note]))
    }
    process.stderr.write(`${n} videos...\n`)
    const { done } = startAction({
      node,
      entry: action,
      workspace: ws,
      inputs: {
        'api-key': 'ttapi_sandbox_key',
        'base-url': sandbox.url,
        videos: 'videos/*.mp4',
        description: 'bench {index}',
        'poll-interval': '0.05',
        'max-polls-per-minute': '600000',
        concurrency,
        'ledger-branch': 'draftclip-ledger',
        'github-token': github.token
      },
      env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_RUN_ID: '1000', GITHUB_RUN_ATTEMPT: '1' }
    })
    const run = await done
    if (run.code !== 0 || sandbox.uploads.length !== n) throw new Error(`the run of ${n} failed (exit ${run.code}):\n${run.stdout}`)
    const writes = github.requests.filter(r => r.method !== 'GET').length
    const counts = { videos: n, requests: github.requests.length, commits: github.history('draftclip-ledger').length }
    measured.push(counts)
    rows.push(`| ${n} | ${counts.requests} | ${writes} | ${counts.commits} |`)
  } finally {
    await sandbox.close()
    await github.close()
    fs.rmSync(ws, { recursive: true, force: true })
  }
}
console.log(`#### The branch ledger: GitHub requests and commits of one run (new branch, wait on, concurrency ${concurrency})\n`)
console.log('| videos | requests | of which writes | commits |\n|---|---|---|---|')
console.log(rows.join('\n'))

if (check) {
  const differences = countDifferences(measured, documentedCounts(fs.readFileSync(path.resolve(ROOT, check), 'utf8')), Number(concurrency))
  for (const line of differences) console.error(`::error file=${check}::${line}`)
  if (differences.length) process.exitCode = 1
  else
    console.error(
      `${check} states these counts (${measured.map(m => `${m.videos} videos: ${m.requests} requests, ${m.commits} commits`).join('; ')})`
    )
}

// npm run bench [-- --quick] [-- --action=path/to/index.js]
//
// Measures dist/index.js as the GitHub runner runs it (a node child process,
// INPUT_* variables, GITHUB_OUTPUT) against bench/sink.js on 127.0.0.1, with
// `curl -F` as the yardstick, and prints a Markdown report to stdout. Progress
// goes to stderr. A missed goal is reported, never fatal: the exit code is
// non-zero only when something broke (the action or curl failed, or the sink
// did not receive a whole upload). Node built-ins only; python3 measures
// peak RSS from outside the measured process.

import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSink } from './sink.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const MIB = 1024 * 1024
const API_KEY = 'ttapi_bench_key'
const CAPTION = 'Benchmark upload #draftclip'
const PRIVACY = 'SELF_ONLY'
const POST_ID = '7123456789012345678'
const SMALL_VIDEO = 64 * 1024
const UPLOAD_DELAY_MS = 250
const POLLS_TO_COMPLETE = 3
const RUN_TIMEOUT_MS = 10 * 60 * 1000

const GOALS = { rssMb: 100, rssGrowth: 1.2, throughputVsCurl: 0.5, speedUp: 3, coldStart: 3 }

/**
 * Runs a command and reports its wall time, exit code and peak RSS. A plain
 * `subprocess.run` wrapper would report at least python's own ~13 MB: Linux
 * carries the high-water mark of the memory a process had before exec (here
 * python's, shared through vfork) into its ru_maxrss. So python becomes a
 * child subreaper, has sh fork the command from sh's small memory (through
 * env -i, which carries the environment intact) and exit, and reaps the
 * orphaned command itself with wait4, which gives that process's own
 * ru_maxrss (KiB on Linux).
 */
const RSS_WRAPPER = `
import ctypes, json, os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
floor = False
try:
    if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
        raise OSError(ctypes.get_errno(), 'prctl')
except Exception:
    floor = True
t0 = time.perf_counter()
if floor:
    import subprocess
    pid = subprocess.Popen(cmd).pid
else:
    r, w = os.pipe()
    # The environment travels as env(1) arguments: sh would drop INPUT_API-KEY and the like.
    env = ['env', '-i'] + ['%s=%s' % kv for kv in os.environ.items()]
    sh = os.posix_spawn('/bin/sh', ['sh', '-c', '"$@" 3>&- & echo $! >&3', 'sh'] + env + cmd, os.environ,
                        file_actions=[(os.POSIX_SPAWN_DUP2, w, 3)])
    os.close(w)
    pid = int(os.read(r, 64).decode().strip())
    os.close(r)
    os.waitpid(sh, 0)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - t0
with open(out, 'w') as f:
    json.dump({'wall_s': wall, 'maxrss_kib': usage.ru_maxrss, 'code': os.waitstatus_to_exitcode(status), 'floor': floor}, f)
`

class Broke extends Error {
  constructor(message, output = '') {
    super(output ? `${message}\n--- its output (last lines) ---\n${lastLines(output, 30)}` : message)
  }
}

// ---- arguments and plan ----------------------------------------------------

const args = process.argv.slice(2)
let quick = false
let action = path.join(ROOT, 'dist/index.js')
for (let i = 0; i < args.length; i++) {
  const arg = args[i]
  if (arg === '--quick') quick = true
  else if (arg === '--action') action = path.resolve(args[++i] ?? '')
  else if (arg.startsWith('--action=')) action = path.resolve(arg.slice('--action='.length))
  else {
    console.error(`bench: unknown argument '${arg}'. Usage: npm run bench [-- --quick] [-- --action=path/to/index.js]`)
    process.exit(2)
  }
}

const plan = quick
  ? {
      sizes: [
        { label: '1 MiB', bytes: 1 * MIB, runs: 3 },
        { label: '8 MiB', bytes: 8 * MIB, runs: 1 }
      ],
      latencyVideos: 6,
      latencyRuns: 1,
      coldRuns: 3
    }
  : {
      sizes: [
        { label: '5 MiB', bytes: 5 * MIB, runs: 3 },
        { label: '100 MiB', bytes: 100 * MIB, runs: 3 },
        { label: '500 MiB', bytes: 500 * MIB, runs: 3 }
      ],
      latencyVideos: 20,
      latencyRuns: 3,
      coldRuns: 10
    }

// ---- the machinery ----------------------------------------------------------

const loadAtStart = os.loadavg()[0]
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-bench-'))
const running = new Set()
let measured = 0
let sawFloor = false

const python = commandWorks('python3', ['-c', ''])
const curl = commandWorks('curl', ['--version'])
const curlVersion = curl
  ? spawnSync('curl', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].split(' ').slice(0, 2).join(' ')
  : null

function commandWorks(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'ignore' })
  return !r.error && r.status === 0
}

function progress(line) {
  process.stderr.write(`bench: ${line}\n`)
}

function lastLines(text, n) {
  return text.trimEnd().split('\n').slice(-n).join('\n')
}

/** Runs cmd (through the RSS wrapper when python3 is there): { wallS, rssKiB, code, output }. */
async function measure(cmd, cmdArgs, { cwd = tmp, env = process.env } = {}) {
  const resultFile = path.join(tmp, `measure-${++measured}.json`)
  const [file, argv] = python ? ['python3', ['-c', RSS_WRAPPER, resultFile, cmd, ...cmdArgs]] : [cmd, cmdArgs]
  const started = performance.now()
  // Its own process group, so a timeout can end the command and not just the wrapper.
  const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  running.add(child)
  let output = ''
  const keep = chunk => {
    output += chunk.toString()
    if (output.length > 256 * 1024) output = output.slice(-128 * 1024)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    killGroup(child)
  }, RUN_TIMEOUT_MS)
  const [code, signal] = await new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (c, s) => resolve([c, s]))
  })
  const wallS = (performance.now() - started) / 1000
  clearTimeout(timer)
  running.delete(child)
  const shown = [cmd, ...cmdArgs].join(' ')
  if (timedOut) throw new Broke(`${shown} did not finish within ${RUN_TIMEOUT_MS / 60000} minutes`, output)
  if (!python) return { wallS, rssKiB: null, code: code ?? 128, output }
  if (code !== 0 || !fs.existsSync(resultFile)) throw new Broke(`the RSS wrapper failed (${code ?? signal}) around ${shown}`, output)
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'))
  fs.rmSync(resultFile)
  sawFloor ||= result.floor
  return { wallS: result.wall_s, rssKiB: result.maxrss_kib, code: result.code, output }
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** The `default:` of each input in action.yml, as the runner passes them (expressions left out). */
function actionDefaults() {
  const defaults = {}
  let inInputs = false
  let input
  for (const line of fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8').split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      inInputs = /^inputs:\s*$/.test(line)
      continue
    }
    if (!inInputs) continue
    const name = /^ {2}([\w-]+):\s*$/.exec(line)
    if (name) input = name[1]
    const value = /^ {4}default:\s*(.*)$/.exec(line)?.[1].trim()
    if (value === undefined || !input) continue
    const unquoted = /^'.*'$|^".*"$/.test(value) ? value.slice(1, -1) : value
    if (!unquoted.includes('${{')) defaults[input] = unquoted
  }
  return defaults
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<DELIMITER` blocks, or `name=value` lines. */
function parseGithubOutput(text) {
  const outputs = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const block = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (block) {
      const value = []
      while (++i < lines.length && lines[i] !== block[2]) value.push(lines[i])
      outputs[block[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      outputs[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1)
    }
  }
  return outputs
}

const defaults = actionDefaults()

/** node dist/index.js as the runner starts it. Throws unless it exits 0. */
async function runAction(workspace, inputs) {
  const runner = fs.mkdtempSync(path.join(tmp, 'runner-'))
  const outputFile = path.join(runner, 'output')
  const summaryFile = path.join(runner, 'summary')
  fs.writeFileSync(outputFile, '')
  fs.writeFileSync(summaryFile, '')
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmp,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runner
  }
  for (const [name, value] of Object.entries({ ...defaults, ...inputs })) env[`INPUT_${name.toUpperCase()}`] = value
  try {
    const run = await measure(process.execPath, [action], { cwd: workspace, env })
    if (run.code !== 0) throw new Broke(`the action exited ${run.code}`, run.output)
    return { ...run, outputs: parseGithubOutput(fs.readFileSync(outputFile, 'utf8')) }
  } finally {
    fs.rmSync(runner, { recursive: true, force: true })
  }
}

/** An MP4 as far as a header check can tell: an ftyp box, then random data, written 1 MiB at a time. */
function writeVideo(file, bytes) {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2')])
  const chunk = randomBytes(Math.min(bytes, MIB))
  const fd = fs.openSync(file, 'w')
  try {
    fs.writeSync(fd, ftyp)
    let left = bytes - ftyp.length
    for (let i = 0; left > 0; i++) {
      chunk.writeUInt32LE(i, 0)
      const n = Math.min(left, chunk.length)
      fs.writeSync(fd, chunk, 0, n)
      left -= n
    }
  } finally {
    fs.closeSync(fd)
  }
}

/** The uploads the sink saw since `from`: exactly `count`, each whole, each carrying our caption. */
function checkUploads(sink, from, count, bytes, who) {
  const seen = sink.uploads.slice(from)
  if (seen.length !== count) throw new Broke(`${who}: the sink saw ${seen.length} uploads, expected ${count}`)
  for (const u of seen) {
    const what = `${who}: upload #${u.n} (${u.filename ?? 'no file'})`
    if (u.problem) throw new Broke(`${what}: ${u.problem}`)
    if (u.videoBytes !== bytes) throw new Broke(`${what}: the file part held ${u.videoBytes} bytes, the file has ${bytes}`)
    if (u.fields.description !== CAPTION || u.fields.privacy_level !== PRIVACY) {
      throw new Broke(`${what}: unexpected fields ${JSON.stringify(u.fields)}`)
    }
  }
  return seen
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const seconds = s => `${s.toFixed(3)} s`
const mb = kib => (kib === null ? 'n/a' : `${(kib / 1024).toFixed(1)} MB`)
const ratio = r => (r === null || !Number.isFinite(r) ? 'n/a' : `${r.toFixed(2)}x`)
const rate = (bytes, s) => (bytes / MIB / s).toFixed(1)
const medianOf = (runs, key) => (runs.length === 0 || runs[0][key] === null ? null : median(runs.map(r => r[key])))

// ---- the measurements -------------------------------------------------------

async function uploads(sink) {
  const workspace = fs.mkdtempSync(path.join(tmp, 'ws-upload-'))
  const rows = []
  for (const size of plan.sizes) {
    const name = `upload-${size.label.replace(' ', '')}.mp4`
    const file = path.join(workspace, name)
    writeVideo(file, size.bytes)
    const row = { ...size, action: [], curl: [], ledger: [] }
    for (let i = 1; i <= size.runs; i++) {
      let from = sink.uploads.length
      const run = await runAction(workspace, {
        'api-key': API_KEY,
        videos: name,
        description: CAPTION,
        wait: 'false',
        'base-url': sink.url
      })
      const [upload] = checkUploads(sink, from, 1, size.bytes, `action, ${size.label}`)
      if (run.outputs['publish-id'] !== upload.publishId) {
        throw new Broke(
          `action, ${size.label}: publish-id output '${run.outputs['publish-id']}', the sink gave '${upload.publishId}'`,
          run.output
        )
      }
      row.action.push(run)
      progress(`${size.label} action ${i}/${size.runs}: ${seconds(run.wallS)}, ${mb(run.rssKiB)}`)

      // The same upload with a (new, empty) ledger: the file is hashed first, then sent.
      from = sink.uploads.length
      const ledgerRun = await runAction(workspace, {
        'api-key': API_KEY,
        videos: name,
        description: CAPTION,
        wait: 'false',
        'base-url': sink.url,
        ledger: `ledger-${size.label.replace(' ', '')}-${i}.json`
      })
      checkUploads(sink, from, 1, size.bytes, `action with a ledger, ${size.label}`)
      row.ledger.push(ledgerRun)
      progress(`${size.label} action with a ledger ${i}/${size.runs}: ${seconds(ledgerRun.wallS)}, ${mb(ledgerRun.rssKiB)}`)
      if (!curl) continue
      from = sink.uploads.length
      const c = await measure(
        'curl',
        [
          '-sS',
          '-o',
          '/dev/null',
          '-X',
          'POST',
          '-H',
          `Authorization: Bearer ${API_KEY}`,
          '-F',
          `video=@${file}`,
          '-F',
          `description=${CAPTION}`,
          '-F',
          `privacy_level=${PRIVACY}`,
          `${sink.url}/api/upload.php`
        ],
        { cwd: workspace }
      )
      if (c.code !== 0) throw new Broke(`curl, ${size.label}: exit code ${c.code}`, c.output)
      checkUploads(sink, from, 1, size.bytes, `curl, ${size.label}`)
      row.curl.push(c)
      progress(`${size.label} curl ${i}/${size.runs}: ${seconds(c.wallS)}, ${mb(c.rssKiB)}`)
    }
    fs.rmSync(file)
    rows.push(row)
  }
  fs.rmSync(workspace, { recursive: true, force: true })
  return rows
}

async function latency(sink) {
  const workspace = fs.mkdtempSync(path.join(tmp, 'ws-latency-'))
  for (let i = 1; i <= plan.latencyVideos; i++) writeVideo(path.join(workspace, `clip-${String(i).padStart(2, '0')}.mp4`), SMALL_VIDEO)
  sink.configure({ uploadDelayMs: UPLOAD_DELAY_MS, pollsToComplete: POLLS_TO_COMPLETE })
  const runs = { 1: [], 4: [] }
  try {
    // Interleaved, so a slow moment of the machine does not land on one side only.
    for (let i = 1; i <= plan.latencyRuns; i++) {
      for (const concurrency of [1, 4]) {
        const from = sink.uploads.length
        const run = await runAction(workspace, {
          'api-key': API_KEY,
          videos: '*.mp4',
          description: CAPTION,
          wait: 'true',
          'poll-interval': '0.1',
          concurrency: String(concurrency),
          'base-url': sink.url
        })
        const seen = checkUploads(sink, from, plan.latencyVideos, SMALL_VIDEO, `action, concurrency ${concurrency}`)
        const postIds = JSON.parse(run.outputs['post-ids'] ?? '[]')
        if (postIds.length !== plan.latencyVideos || postIds.some(id => id !== POST_ID)) {
          throw new Broke(`action, concurrency ${concurrency}: post-ids output ${run.outputs['post-ids']}`, run.output)
        }
        const underPolled = seen.find(u => (sink.polls.get(u.publishId) ?? 0) < POLLS_TO_COMPLETE)
        if (underPolled)
          throw new Broke(`action, concurrency ${concurrency}: ${underPolled.publishId} was published without ${POLLS_TO_COMPLETE} polls`)
        runs[concurrency].push(run)
        progress(`${plan.latencyVideos} videos, concurrency ${concurrency}, run ${i}/${plan.latencyRuns}: ${seconds(run.wallS)}`)
      }
    }
  } finally {
    sink.configure({ uploadDelayMs: 0 })
    fs.rmSync(workspace, { recursive: true, force: true })
  }
  return runs
}

async function coldStart(sink) {
  const workspace = fs.mkdtempSync(path.join(tmp, 'ws-cold-'))
  writeVideo(path.join(workspace, 'cold.mp4'), SMALL_VIDEO)
  const bare = []
  const act = []
  for (let i = 1; i <= plan.coldRuns; i++) {
    const b = await measure(process.execPath, ['-e', '0'])
    if (b.code !== 0) throw new Broke(`node -e 0 exited ${b.code}`, b.output)
    bare.push(b)
    const from = sink.uploads.length
    act.push(
      await runAction(workspace, { 'api-key': API_KEY, videos: 'cold.mp4', description: CAPTION, wait: 'false', 'base-url': sink.url })
    )
    checkUploads(sink, from, 1, SMALL_VIDEO, 'action, cold start')
    progress(`cold start ${i}/${plan.coldRuns}: node -e 0 ${seconds(b.wallS)}, action ${seconds(act.at(-1).wallS)}`)
  }
  fs.rmSync(workspace, { recursive: true, force: true })
  return { bare, act }
}

// ---- the report --------------------------------------------------------------

/** The entry file and the chunks ncc split off beside it (dynamic imports). */
function bundleBytes(entry) {
  const dir = path.dirname(entry)
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.js'))
    .reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0)
}

function report(rows, lat, cold) {
  const out = []
  const p = line => out.push(line)
  const cpus = os.cpus()
  const bundle = action.startsWith(ROOT + path.sep) ? path.relative(ROOT, action) : action
  p(`# DraftClip Publish benchmark${quick ? ' (quick mode)' : ''}`)
  p('')
  p(`- Date: ${new Date().toISOString()}`)
  p(
    `- Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores (os.cpus().length), ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`
  )
  p(
    `- Action: \`node ${bundle}\` (${(bundleBytes(action) / 1e6).toFixed(2)} MB bundle with its chunks), as the runner starts it; server: bench/sink.js on 127.0.0.1`
  )
  p(
    `- Yardstick: ${curl ? `${curlVersion}, \`curl -sS -o /dev/null -X POST -H 'Authorization: Bearer …' -F video=@file -F description=… -F privacy_level=SELF_ONLY\`` : 'curl is not installed here: the curl columns are skipped'}`
  )
  p(
    `- Load average (1 min) at start / end: ${loadAtStart.toFixed(2)} / ${os.loadavg()[0].toFixed(2)} — other work on the machine makes every figure slower and noisier`
  )
  p(`- MB = 2^20 bytes; wall times include process start and exit.`)
  if (quick)
    p(
      `- Quick mode: ${plan.sizes.map(s => s.label).join(' and ')} instead of 5/100/500 MiB, ${plan.latencyVideos} latency videos, ${plan.coldRuns} cold starts. Goals judged on these sizes say little.`
    )
  p('')

  p('## One upload: action vs curl (each figure the median of the runs counted in Runs)')
  p('')
  if (curl) {
    p('| File | Runs | Action wall | Action MB/s | curl wall | curl MB/s | Throughput action/curl | Action peak RSS | curl peak RSS |')
    p('|---|--:|--:|--:|--:|--:|--:|--:|--:|')
  } else {
    p('| File | Runs | Action wall | Action MB/s | Action peak RSS |')
    p('|---|--:|--:|--:|--:|')
  }
  for (const row of rows) {
    const aWall = medianOf(row.action, 'wallS')
    const aRss = medianOf(row.action, 'rssKiB')
    if (curl) {
      const cWall = medianOf(row.curl, 'wallS')
      row.throughputRatio = cWall / aWall
      p(
        `| ${row.label} | ${row.runs} | ${seconds(aWall)} | ${rate(row.bytes, aWall)} | ${seconds(cWall)} | ${rate(row.bytes, cWall)} | ${ratio(row.throughputRatio)} | ${mb(aRss)} | ${mb(medianOf(row.curl, 'rssKiB'))} |`
      )
    } else {
      p(`| ${row.label} | ${row.runs} | ${seconds(aWall)} | ${rate(row.bytes, aWall)} | ${mb(aRss)} |`)
    }
  }
  const first = rows[0]
  const last = rows.at(-1)
  const rssFirst = medianOf(first.action, 'rssKiB')
  const rssLast = medianOf(last.action, 'rssKiB')
  const rssGrowth = rssFirst === null ? null : rssLast / rssFirst
  p('')
  p(`Action peak RSS, ${last.label} run / ${first.label} run: ${ratio(rssGrowth)}`)
  p('')

  p('With a `ledger` (each run a new one, so the video is hashed, then uploaded: two reads of the file):')
  p('')
  p('| File | Action wall | Action MB/s | Action peak RSS |')
  p('|---|--:|--:|--:|')
  for (const row of rows) {
    const wall = medianOf(row.ledger, 'wallS')
    p(`| ${row.label} | ${seconds(wall)} | ${rate(row.bytes, wall)} | ${mb(medianOf(row.ledger, 'rssKiB'))} |`)
  }
  const ledgerGrowth = medianOf(last.ledger, 'rssKiB') / medianOf(first.ledger, 'rssKiB')
  p('')
  p(`Action peak RSS with a ledger, ${last.label} run / ${first.label} run: ${ratio(ledgerGrowth)}`)
  p('')

  const w1 = median(lat[1].map(r => r.wallS))
  const w4 = median(lat[4].map(r => r.wallS))
  const speedUp = w1 / w4
  p(
    `## ${plan.latencyVideos} videos of ${SMALL_VIDEO / 1024} KiB, each upload answered after ${UPLOAD_DELAY_MS} ms, published on the ${ordinal(POLLS_TO_COMPLETE)} poll (wait=true, poll-interval=0.1; median of ${plan.latencyRuns} run${plan.latencyRuns === 1 ? '' : 's'})`
  )
  p('')
  p('| Concurrency | Wall | Action peak RSS |')
  p('|--:|--:|--:|')
  p(`| 1 | ${seconds(w1)} | ${mb(medianOf(lat[1], 'rssKiB'))} |`)
  p(`| 4 | ${seconds(w4)} | ${mb(medianOf(lat[4], 'rssKiB'))} |`)
  p('')
  p(`Speed-up, concurrency 4 over 1: ${ratio(speedUp)}`)
  p('')

  const bareWall = median(cold.bare.map(r => r.wallS))
  const actWall = median(cold.act.map(r => r.wallS))
  const coldRatio = actWall / bareWall
  p(`## Cold start (median of ${plan.coldRuns} runs each)`)
  p('')
  p('| Command | Wall | Peak RSS |')
  p('|---|--:|--:|')
  p(`| \`node -e 0\` | ${seconds(bareWall)} | ${mb(medianOf(cold.bare, 'rssKiB'))} |`)
  p(`| \`node ${bundle}\`, one ${SMALL_VIDEO / 1024} KiB video, wait=false | ${seconds(actWall)} | ${mb(medianOf(cold.act, 'rssKiB'))} |`)
  p('')
  p(`Action / bare node: ${ratio(coldRatio)}`)
  p('')

  const judge = (value, ok) => (value === null || !Number.isFinite(value) ? 'SKIP' : ok ? 'PASS' : 'MISS')
  p('## Goals')
  p('')
  p('| Goal | Measured | Result |')
  p('|---|--:|---|')
  p(`| Peak RSS at ${last.label} ≤ ${GOALS.rssMb} MB | ${mb(rssLast)} | ${judge(rssLast, rssLast / 1024 <= GOALS.rssMb)} |`)
  p(
    `| Peak RSS at ${last.label} ≤ ${GOALS.rssGrowth}x the ${first.label} run | ${ratio(rssGrowth)} | ${judge(rssGrowth, rssGrowth <= GOALS.rssGrowth)} |`
  )
  const tr = curl ? last.throughputRatio : null
  p(
    `| Throughput at ${last.label} ≥ ${GOALS.throughputVsCurl}x curl | ${curl ? ratio(tr) : 'n/a (no curl)'} | ${judge(tr, tr >= GOALS.throughputVsCurl)} |`
  )
  p(`| Concurrency-4 speed-up ≥ ${GOALS.speedUp}x | ${ratio(speedUp)} | ${judge(speedUp, speedUp >= GOALS.speedUp)} |`)
  p(`| Cold start ≤ ${GOALS.coldStart}x bare node | ${ratio(coldRatio)} | ${judge(coldRatio, coldRatio <= GOALS.coldStart)} |`)
  p('')
  if (!python) p('RSS: not measured (python3 is missing); wall times are taken by this process around the spawn.')
  else if (sawFloor)
    p(
      "RSS: ru_maxrss from a python3 wrapper (subprocess + getrusage); prctl was unavailable, so every figure is at least python's own RSS (~13 MB)."
    )
  else
    p(
      "RSS: ru_maxrss of the measured process alone (KiB / 1024 = MB), read from outside by a python3 wrapper that makes itself a child subreaper, has sh fork the command and exit, and reaps it with os.wait4 — so python's own memory, which Linux carries into ru_maxrss across vfork+exec, is not counted; wall times are taken by the same wrapper."
    )
  return out.join('\n')
}

function ordinal(n) {
  return `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`
}

// ---- main ----------------------------------------------------------------------

function cleanUp() {
  for (const child of running) killGroup(child)
  fs.rmSync(tmp, { recursive: true, force: true })
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    cleanUp()
    process.exit(130)
  })
}

let sink
let exitCode = 0
try {
  if (!fs.existsSync(action)) throw new Broke(`${action} does not exist: run npm run bundle first`)
  if (!python) progress('python3 is missing: peak RSS will not be measured')
  if (!curl) progress('curl is missing: the curl columns are skipped')
  sink = await startSink()
  progress(`${quick ? 'quick' : 'full'} mode; sink at ${sink.url}; work files in ${tmp}`)
  const rows = await uploads(sink)
  const lat = await latency(sink)
  const cold = await coldStart(sink)
  console.log(report(rows, lat, cold))
} catch (error) {
  progress(`BROKEN: ${error instanceof Error ? error.message : String(error)}`)
  exitCode = 1
} finally {
  await sink?.close()
  cleanUp()
}
process.exitCode = exitCode

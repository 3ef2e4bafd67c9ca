// npm run bench [-- --quick] [-- --compare] [-- --action=path/to/index.js]
//
// Measures dist/index.js as the GitHub runner runs it (a Node 24 child
// process started by sandbox/runner.js: INPUT_* variables, GITHUB_OUTPUT)
// against bench/sink.js on 127.0.0.1, with `curl -F` as the yardstick, and
// prints a Markdown report to stdout. Progress goes to stderr. A missed goal
// is reported, never fatal: the exit code is non-zero only when something
// broke (the action or curl failed, or the sink did not receive a whole
// upload). Node built-ins only (and this repository's sandbox/ and bench/
// modules); python3 measures peak RSS from outside the measured process.
//
// The action runs on Node 24, as on GitHub (`runs.using: node24`):
// DRAFTCLIP_BENCH_NODE names the binary, else bench/node24.js finds the one
// cached on this machine or installs it (npm install node@24). --compare also
// measures the Node running this script (this machine's), beside it.

import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { inputDefaults, startAction } from '../sandbox/runner.js'
import { findNode24, isMajor, nodeVersion } from './node24.js'
import { startSink } from './sink.js'
import { importTranspiled } from './transpile.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const MIB = 1024 * 1024
const API_KEY = 'ttapi_bench_key'
const CAPTION = 'Benchmark upload #draftclip'
const PRIVACY = 'SELF_ONLY'
const POST_ID = '7123456789012345678'
const SMALL_VIDEO = 64 * 1024
const QUEUE_VIDEO = 4 * 1024
const UPLOAD_DELAY_MS = 250
const POLLS_TO_COMPLETE = 3
const RUN_TIMEOUT_MS = 10 * 60 * 1000

// The goals on the runtime (Node 24): issues 4, 9 and 10; the polling model's: issue 18.
const GOALS = {
  rssMb: 80,
  rssGrowth: 1.2,
  throughputVsCurl: 0.8,
  speedUp: 3.5,
  coldStart: 3,
  queueLedger: 2,
  queueRssMb: 120,
  // Issue 15: checking 2,000 videos (media-check: error, the default) adds at most 20 % to the queue's run.
  mediaCheck: 1.2,
  pollRequestsVsDoc: 1 / 3,
  pollDelayMedianS: 10,
  pollDelayP95S: 30,
  privateRequestsAfterDone: 1
}

// The polling model (issue 18): 100 videos, half public; processing ends between 10 s and 10 min.
const POLL_MODEL = {
  videos: 100,
  fromS: 10,
  toS: 600,
  /** PROCESSING_UPLOAD for this share of the processing time, then PROCESSING. */
  uploadShare: 0.1,
  /** A public video's post id comes this long after PUBLISH_COMPLETE: evenly spread, in an order unrelated to processing time. */
  moderationFromS: 10,
  moderationToS: 120,
  /** Long enough for every video to end: the doc's client is not capped either. */
  waitTimeoutS: 3600,
  docIntervalS: 5
}

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
let compare = false
let action = path.join(ROOT, 'dist/index.js')
for (let i = 0; i < args.length; i++) {
  const arg = args[i]
  if (arg === '--quick') quick = true
  else if (arg === '--compare') compare = true
  else if (arg === '--action') action = path.resolve(args[++i] ?? '')
  else if (arg.startsWith('--action=')) action = path.resolve(arg.slice('--action='.length))
  else {
    console.error(`bench: unknown argument '${arg}'. Usage: npm run bench [-- --quick] [-- --compare] [-- --action=path/to/index.js]`)
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
      coldRuns: 3,
      queueVideos: 200,
      queueRuns: 1
    }
  : {
      sizes: [
        { label: '5 MiB', bytes: 5 * MIB, runs: 3 },
        { label: '100 MiB', bytes: 100 * MIB, runs: 3 },
        { label: '500 MiB', bytes: 500 * MIB, runs: 3 }
      ],
      latencyVideos: 20,
      latencyRuns: 3,
      coldRuns: 10,
      queueVideos: 2000,
      queueRuns: 3
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

const defaults = inputDefaults(path.join(ROOT, 'action.yml'))

/**
 * The Nodes the action runs on: Node 24 first (what GitHub runs, the one the
 * goals are judged on), then, with --compare, the one running this script.
 * Each { bin, version, label, how }.
 */
function runtimes() {
  let primary
  const given = process.env.DRAFTCLIP_BENCH_NODE
  if (given) {
    const version = nodeVersion(given)
    if (!version) throw new Broke(`DRAFTCLIP_BENCH_NODE=${given} does not run (or does not say its version)`)
    if (!isMajor(version)) progress(`DRAFTCLIP_BENCH_NODE is Node ${version}, not 24: GitHub runs the action on Node 24`)
    primary = { bin: given, version, how: 'DRAFTCLIP_BENCH_NODE' }
  } else {
    try {
      const found = findNode24({ log: progress })
      primary = { bin: found.path, version: found.version, how: 'bench/node24.js: npm package node@24, cached' }
    } catch (error) {
      throw new Broke(`no Node 24 to run the action on: ${error.message}\nOr point DRAFTCLIP_BENCH_NODE at a Node 24 binary.`)
    }
  }
  const list = [primary]
  if (compare) {
    if (process.version === primary.version) progress(`--compare: this Node is ${process.version} too, nothing to compare`)
    else list.push({ bin: process.execPath, version: process.version, how: "this machine's, running the bench" })
  }
  for (const rt of list) rt.label = `Node ${rt.version.slice(1).split('.')[0]}`
  if (list.length > 1 && list[0].label === list[1].label) for (const rt of list) rt.label = `Node ${rt.version.slice(1)}`
  return list
}

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

/** The words that run a command through the RSS wrapper (none without python3), and the file it reports to. */
function wrapper() {
  const resultFile = path.join(tmp, `measure-${++measured}.json`)
  return { resultFile, prefix: python ? ['python3', '-c', RSS_WRAPPER, resultFile] : [] }
}

// Each measured command gets its own process group (detached), so a timeout
// can end the command and not just the wrapper.

/** Runs cmd (through the RSS wrapper when python3 is there): { wallS, rssKiB, code, output }. */
async function measure(cmd, cmdArgs, { cwd = tmp, env = process.env } = {}) {
  const { resultFile, prefix } = wrapper()
  const [file, ...argv] = [...prefix, cmd, ...cmdArgs]
  const started = performance.now()
  const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  return finish(child, [cmd, ...cmdArgs].join(' '), resultFile, started)
}

/** Waits for a measured child: { wallS, rssKiB, code, output }; throws on a timeout or a failed wrapper. */
async function finish(child, shown, resultFile, started) {
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

/** node dist/index.js as the runner starts it (sandbox/runner.js), on `runtime`. Throws unless it exits 0. */
async function runAction(runtime, workspace, inputs) {
  const { resultFile, prefix } = wrapper()
  const started = performance.now()
  const { child, done } = startAction({
    node: runtime.bin,
    entry: action,
    workspace,
    inputs,
    defaults,
    baseEnv: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp },
    tmpDir: tmp,
    prefix,
    spawnOptions: { detached: true }
  })
  const [run, result] = await Promise.all([finish(child, `${runtime.bin} ${action}`, resultFile, started), done])
  if (run.code !== 0) throw new Broke(`the action (${runtime.label}) exited ${run.code}`, run.output)
  if (result.outputError)
    throw new Broke(`the action (${runtime.label}) wrote a GITHUB_OUTPUT that does not parse: ${result.outputError.message}`)
  return { ...run, outputs: result.outputs }
}

/** A real video made by ffmpeg (script/make-fixtures.sh): every bench video is one, so the action's media check reads what it would on a runner. */
const TINY_MP4 = fs.readFileSync(path.join(ROOT, '__tests__/fixtures/videos/tiny.mp4'))

/** The real video, then a `free` box of random data up to `bytes`, written 1 MiB at a time. */
function writeVideo(file, bytes) {
  const free = Buffer.alloc(8)
  free.writeUInt32BE(bytes - TINY_MP4.length, 0)
  free.write('free', 4, 'latin1')
  const head = Buffer.concat([TINY_MP4, free])
  const chunk = randomBytes(Math.min(bytes, MIB))
  const fd = fs.openSync(file, 'w')
  try {
    fs.writeSync(fd, head)
    let left = bytes - head.length
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

/** The `label` of a row, with the Node's when more than one is measured. */
function on(rt, label) {
  return nodes.length > 1 ? `${label}, ${rt.label}` : label
}

async function uploads(sink) {
  const workspace = fs.mkdtempSync(path.join(tmp, 'ws-upload-'))
  const rows = []
  for (const size of plan.sizes) {
    const name = `upload-${size.label.replace(' ', '')}.mp4`
    const file = path.join(workspace, name)
    writeVideo(file, size.bytes)
    const row = { ...size, nodes: nodes.map(() => ({ action: [], ledger: [] })), curl: [] }
    for (let i = 1; i <= size.runs; i++) {
      for (const [n, rt] of nodes.entries()) {
        let from = sink.uploads.length
        const run = await runAction(rt, workspace, {
          'api-key': API_KEY,
          videos: name,
          description: CAPTION,
          wait: 'false',
          'base-url': sink.url
        })
        const [upload] = checkUploads(sink, from, 1, size.bytes, `action, ${on(rt, size.label)}`)
        if (run.outputs['publish-id'] !== upload.publishId) {
          throw new Broke(
            `action, ${on(rt, size.label)}: publish-id output '${run.outputs['publish-id']}', the sink gave '${upload.publishId}'`,
            run.output
          )
        }
        row.nodes[n].action.push(run)
        progress(`${on(rt, size.label)} action ${i}/${size.runs}: ${seconds(run.wallS)}, ${mb(run.rssKiB)}`)

        // The same upload with a (new, empty) ledger: the file is hashed first, then sent.
        from = sink.uploads.length
        const ledgerRun = await runAction(rt, workspace, {
          'api-key': API_KEY,
          videos: name,
          description: CAPTION,
          wait: 'false',
          'base-url': sink.url,
          ledger: `ledger-${size.label.replace(' ', '')}-${i}-${n}.json`
        })
        checkUploads(sink, from, 1, size.bytes, `action with a ledger, ${on(rt, size.label)}`)
        row.nodes[n].ledger.push(ledgerRun)
        progress(`${on(rt, size.label)} action with a ledger ${i}/${size.runs}: ${seconds(ledgerRun.wallS)}, ${mb(ledgerRun.rssKiB)}`)
      }
      if (!curl) continue
      const from = sink.uploads.length
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
  const runs = nodes.map(() => ({ 1: [], 4: [] }))
  try {
    // Interleaved, so a slow moment of the machine does not land on one side only.
    for (let i = 1; i <= plan.latencyRuns; i++) {
      for (const [n, rt] of nodes.entries()) {
        for (const concurrency of [1, 4]) {
          const who = on(rt, `concurrency ${concurrency}`)
          const from = sink.uploads.length
          const run = await runAction(rt, workspace, {
            'api-key': API_KEY,
            videos: '*.mp4',
            description: CAPTION,
            wait: 'true',
            'poll-interval': '0.1',
            // A fixed pace, as before the schedule grew its gaps: this scenario measures concurrency, not the schedule.
            'max-poll-interval': '0.1',
            // The loopback sink has no rate limit: the run's shared poll budget must not be what is measured.
            'max-polls-per-minute': '600000',
            concurrency: String(concurrency),
            'base-url': sink.url
          })
          const seen = checkUploads(sink, from, plan.latencyVideos, SMALL_VIDEO, `action, ${who}`)
          const postIds = JSON.parse(run.outputs['post-ids'] ?? '[]')
          if (postIds.length !== plan.latencyVideos || postIds.some(id => id !== POST_ID)) {
            throw new Broke(`action, ${who}: post-ids output ${run.outputs['post-ids']}`, run.output)
          }
          const underPolled = seen.find(u => (sink.polls.get(u.publishId) ?? 0) < POLLS_TO_COMPLETE)
          if (underPolled) throw new Broke(`action, ${who}: ${underPolled.publishId} was published without ${POLLS_TO_COMPLETE} polls`)
          runs[n][concurrency].push(run)
          progress(`${plan.latencyVideos} videos, ${who}, run ${i}/${plan.latencyRuns}: ${seconds(run.wallS)}`)
        }
      }
    }
  } finally {
    sink.configure({ uploadDelayMs: 0 })
    fs.rmSync(workspace, { recursive: true, force: true })
  }
  return runs
}

/** A big queue: many small videos, wait off, with and without a ledger (the ledger's cost per video). */
async function queueRuns(sink) {
  const workspace = fs.mkdtempSync(path.join(tmp, 'ws-queue-'))
  fs.mkdirSync(path.join(workspace, 'q'))
  for (let i = 0; i < plan.queueVideos; i++) writeVideo(path.join(workspace, 'q', `${String(i).padStart(5, '0')}.mp4`), QUEUE_VIDEO)
  const rt = nodes[0]
  // plain: media-check error (action.yml's default), as every queue runs; unchecked: media-check off.
  const runs = { plain: [], ledger: [], unchecked: [] }
  const label = { plain: 'without a ledger', ledger: 'with a ledger', unchecked: 'without a ledger, media-check off' }
  try {
    // Interleaved, so a slow moment of the machine does not land on one side only.
    for (let i = 1; i <= plan.queueRuns; i++) {
      for (const kind of ['plain', 'ledger', 'unchecked']) {
        const from = sink.uploads.length
        const run = await runAction(rt, workspace, {
          'api-key': API_KEY,
          videos: 'q/*.mp4',
          description: CAPTION,
          wait: 'false',
          'base-url': sink.url,
          ledger: kind === 'ledger' ? `queue-ledger-${i}.json` : '',
          'media-check': kind === 'unchecked' ? 'off' : 'error'
        })
        checkUploads(sink, from, plan.queueVideos, QUEUE_VIDEO, `action, ${plan.queueVideos} videos, ${kind}`)
        runs[kind].push(run)
        progress(`${plan.queueVideos} videos ${label[kind]}, run ${i}/${plan.queueRuns}: ${seconds(run.wallS)}, ${mb(run.rssKiB)}`)
      }
    }
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true })
  }
  return runs
}

async function coldStart(sink) {
  const workspace = fs.mkdtempSync(path.join(tmp, 'ws-cold-'))
  writeVideo(path.join(workspace, 'cold.mp4'), SMALL_VIDEO)
  const cold = nodes.map(() => ({ bare: [], act: [] }))
  for (let i = 1; i <= plan.coldRuns; i++) {
    for (const [n, rt] of nodes.entries()) {
      const b = await measure(rt.bin, ['-e', '0'])
      if (b.code !== 0) throw new Broke(`${rt.label}: node -e 0 exited ${b.code}`, b.output)
      cold[n].bare.push(b)
      const from = sink.uploads.length
      const a = await runAction(rt, workspace, {
        'api-key': API_KEY,
        videos: 'cold.mp4',
        description: CAPTION,
        wait: 'false',
        'base-url': sink.url
      })
      cold[n].act.push(a)
      checkUploads(sink, from, 1, SMALL_VIDEO, `action, ${on(rt, 'cold start')}`)
      progress(`${on(rt, 'cold start')} ${i}/${plan.coldRuns}: node -e 0 ${seconds(b.wallS)}, action ${seconds(a.wallS)}`)
    }
  }
  fs.rmSync(workspace, { recursive: true, force: true })
  return cold
}

/** The action's waiting code, loaded in-process: bench/polling-model.ts and the src/ it reaches, transpiled into bench/.work/model/. */
async function loadPollingModel() {
  return importTranspiled(ROOT, 'bench/polling-model.ts', path.join(ROOT, 'bench', '.work', 'model'))
}

/** The model's videos for a spread of processing times (`at(i)` in seconds, i from 0 to videos - 1). */
function modelVideos(at) {
  const n = POLL_MODEL.videos
  const publics = Math.ceil(n / 2)
  return Array.from({ length: n }, (_, i) => {
    const doneMs = Math.round(at(i) * 1000)
    const video = { doneMs, uploadedMs: Math.round(doneMs * POLL_MODEL.uploadShare), privacyLevel: 'SELF_ONLY' }
    if (i % 2 === 1) return video
    // Every other video is public; its moderation delay, from a shuffled even spread.
    const j = ((i / 2) * 37) % publics
    const moderationS = POLL_MODEL.moderationFromS + ((POLL_MODEL.moderationToS - POLL_MODEL.moderationFromS) * j) / (publics - 1)
    return { ...video, privacyLevel: 'PUBLIC_TO_EVERYONE', postIdMs: doneMs + Math.round(moderationS * 1000) }
  })
}

const SPREADS = [
  {
    key: 'even',
    label: `evenly spread from ${POLL_MODEL.fromS} s to ${POLL_MODEL.toS / 60} min`,
    at: i => POLL_MODEL.fromS + ((POLL_MODEL.toS - POLL_MODEL.fromS) * i) / (POLL_MODEL.videos - 1)
  },
  {
    key: 'log',
    label: `spread evenly on a log scale from ${POLL_MODEL.fromS} s to ${POLL_MODEL.toS / 60} min (half done by ${Math.round(POLL_MODEL.fromS * Math.sqrt(POLL_MODEL.toS / POLL_MODEL.fromS))} s)`,
    at: i => POLL_MODEL.fromS * (POLL_MODEL.toS / POLL_MODEL.fromS) ** (i / (POLL_MODEL.videos - 1))
  }
]

/** Every video of each spread through the doc's client and the action's wait, on a fake clock. */
async function pollingModel() {
  const model = await loadPollingModel()
  const settings = {
    pollIntervalMs: Number(defaults['poll-interval']) * 1000,
    maxPollIntervalMs: Number(defaults['max-poll-interval']) * 1000,
    maxPollsPerMinute: Number(defaults['max-polls-per-minute']),
    waitTimeoutMs: POLL_MODEL.waitTimeoutS * 1000,
    docIntervalMs: POLL_MODEL.docIntervalS * 1000
  }
  const started = performance.now()
  const spreads = []
  for (const spread of SPREADS) {
    const videos = modelVideos(spread.at)
    const doc = []
    const act = []
    for (const video of videos) {
      doc.push({ video, ...(await model.docWait(video, settings)) })
      act.push({ video, ...(await model.actionWait(video, settings)) })
    }
    const unfinished = act.find(r => r.ended !== 'complete')
    if (unfinished) throw new Broke(`polling model: a wait ended '${unfinished.ended}' (processing ${unfinished.video.doneMs} ms)`)
    spreads.push({ ...spread, doc, act })
  }
  progress(`polling model: ${SPREADS.length * POLL_MODEL.videos * 2} waits in ${((performance.now() - started) / 1000).toFixed(2)} s`)
  return { settings, spreads }
}

/** Nearest-rank percentile. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]
}

const mean = values => values.reduce((a, b) => a + b, 0) / values.length

/**
 * One row's figures. "Knows": a private video's PUBLISH_COMPLETE, a public
 * one's post id; the doc's client stops at is_complete, so for it a public
 * video is known at PUBLISH_COMPLETE (its post id never is).
 */
function pollFigures(rows, doc) {
  const delays = rows.map(r => (r.video.postIdMs !== undefined && !doc ? r.postIdDelayMs : r.completeDelayMs))
  const privates = rows.filter(r => r.video.postIdMs === undefined)
  return {
    videos: rows.length,
    requestsMean: mean(rows.map(r => r.requests)),
    requestsP95: percentile(
      rows.map(r => r.requests),
      0.95
    ),
    delayMedianS: median(delays) / 1000,
    delayP95S: percentile(delays, 0.95) / 1000,
    privateAfterDone: privates.length === 0 ? null : Math.max(...privates.map(r => r.requestsAfterDone))
  }
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

function report(rows, lat, cold, queue, polling) {
  const out = []
  const p = line => out.push(line)
  const cpus = os.cpus()
  const bundle = action.startsWith(ROOT + path.sep) ? path.relative(ROOT, action) : action
  const [main] = nodes
  p(`# DraftClip Publish benchmark${quick ? ' (quick mode)' : ''}`)
  p('')
  p(`- Date: ${new Date().toISOString()}`)
  p(
    `- Node ${main.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores (os.cpus().length), ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`
  )
  for (const [n, rt] of nodes.entries()) {
    p(
      `- ${n === 0 ? 'The action runs on' : 'Beside it, for comparison:'} Node ${rt.version} (${rt.bin}, ${rt.how})${n === 0 && nodes.length > 1 ? '; the goals are judged on it' : ''}`
    )
  }
  p(
    `- Action: \`node ${bundle}\` (${(bundleBytes(action) / 1e6).toFixed(2)} MB bundle with its chunks), as the runner starts it; server: bench/sink.js on 127.0.0.1 (the bench itself runs on Node ${process.version})`
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
    row.throughputRatio = []
    for (const [n, rt] of nodes.entries()) {
      const aWall = medianOf(row.nodes[n].action, 'wallS')
      const aRss = medianOf(row.nodes[n].action, 'rssKiB')
      if (curl) {
        const cWall = medianOf(row.curl, 'wallS')
        row.throughputRatio[n] = cWall / aWall
        p(
          `| ${on(rt, row.label)} | ${row.runs} | ${seconds(aWall)} | ${rate(row.bytes, aWall)} | ${seconds(cWall)} | ${rate(row.bytes, cWall)} | ${ratio(row.throughputRatio[n])} | ${mb(aRss)} | ${mb(medianOf(row.curl, 'rssKiB'))} |`
        )
      } else {
        p(`| ${on(rt, row.label)} | ${row.runs} | ${seconds(aWall)} | ${rate(row.bytes, aWall)} | ${mb(aRss)} |`)
      }
    }
  }
  const first = rows[0]
  const last = rows.at(-1)
  const growth = (n, key) => {
    const from = medianOf(first.nodes[n][key], 'rssKiB')
    return from === null ? null : medianOf(last.nodes[n][key], 'rssKiB') / from
  }
  const rssLast = medianOf(last.nodes[0].action, 'rssKiB')
  const rssGrowth = growth(0, 'action')
  p('')
  for (const [n, rt] of nodes.entries())
    p(`Action peak RSS, ${on(rt, `${last.label} run / ${first.label} run`)}: ${ratio(growth(n, 'action'))}`)
  p('')

  p('With a `ledger` (each run a new one, so the video is hashed, then uploaded: two reads of the file):')
  p('')
  p('| File | Action wall | Action MB/s | Action peak RSS |')
  p('|---|--:|--:|--:|')
  for (const row of rows) {
    for (const [n, rt] of nodes.entries()) {
      const wall = medianOf(row.nodes[n].ledger, 'wallS')
      p(`| ${on(rt, row.label)} | ${seconds(wall)} | ${rate(row.bytes, wall)} | ${mb(medianOf(row.nodes[n].ledger, 'rssKiB'))} |`)
    }
  }
  p('')
  for (const [n, rt] of nodes.entries()) {
    p(`Action peak RSS with a ledger, ${on(rt, `${last.label} run / ${first.label} run`)}: ${ratio(growth(n, 'ledger'))}`)
  }
  p('')

  const speedUps = lat.map(runs => median(runs[1].map(r => r.wallS)) / median(runs[4].map(r => r.wallS)))
  const speedUp = speedUps[0]
  p(
    `## ${plan.latencyVideos} videos of ${SMALL_VIDEO / 1024} KiB, each upload answered after ${UPLOAD_DELAY_MS} ms, published on the ${ordinal(POLLS_TO_COMPLETE)} poll (wait=true, poll-interval=0.1, max-poll-interval=0.1; median of ${plan.latencyRuns} run${plan.latencyRuns === 1 ? '' : 's'})`
  )
  p('')
  p('| Concurrency | Wall | Action peak RSS |')
  p('|--:|--:|--:|')
  for (const [n, rt] of nodes.entries()) {
    for (const c of [1, 4])
      p(`| ${on(rt, String(c))} | ${seconds(median(lat[n][c].map(r => r.wallS)))} | ${mb(medianOf(lat[n][c], 'rssKiB'))} |`)
  }
  p('')
  for (const [n, rt] of nodes.entries()) p(`Speed-up, ${on(rt, 'concurrency 4 over 1')}: ${ratio(speedUps[n])}`)
  p('')

  const coldRatios = cold.map(c => median(c.act.map(r => r.wallS)) / median(c.bare.map(r => r.wallS)))
  const coldRatio = coldRatios[0]
  p(`## Cold start (median of ${plan.coldRuns} runs each)`)
  p('')
  p('| Command | Wall | Peak RSS |')
  p('|---|--:|--:|')
  for (const [n, rt] of nodes.entries()) {
    p(`| ${on(rt, '`node -e 0`')} | ${seconds(median(cold[n].bare.map(r => r.wallS)))} | ${mb(medianOf(cold[n].bare, 'rssKiB'))} |`)
    p(
      `| ${on(rt, `\`node ${bundle}\`, one ${SMALL_VIDEO / 1024} KiB video, wait=false`)} | ${seconds(median(cold[n].act.map(r => r.wallS)))} | ${mb(medianOf(cold[n].act, 'rssKiB'))} |`
    )
  }
  p('')
  for (const [n, rt] of nodes.entries()) p(`Action / bare node${nodes.length > 1 ? `, ${rt.label}` : ''}: ${ratio(coldRatios[n])}`)
  p('')

  const queueWall = {
    plain: median(queue.plain.map(r => r.wallS)),
    ledger: median(queue.ledger.map(r => r.wallS)),
    unchecked: median(queue.unchecked.map(r => r.wallS))
  }
  const queueRss = {
    plain: medianOf(queue.plain, 'rssKiB'),
    ledger: medianOf(queue.ledger, 'rssKiB'),
    unchecked: medianOf(queue.unchecked, 'rssKiB')
  }
  const queueRatio = queueWall.ledger / queueWall.plain
  const checkRatio = queueWall.plain / queueWall.unchecked
  p(
    `## A queue: ${plan.queueVideos} videos of ${QUEUE_VIDEO / 1024} KiB, wait=false, concurrency 1 (median of ${plan.queueRuns} run${plan.queueRuns === 1 ? '' : 's'})`
  )
  p('')
  p('| Run | Wall | Action peak RSS |')
  p('|---|--:|--:|')
  p(`| ${on(nodes[0], 'without a ledger')} | ${seconds(queueWall.plain)} | ${mb(queueRss.plain)} |`)
  p(`| ${on(nodes[0], 'with a ledger')} | ${seconds(queueWall.ledger)} | ${mb(queueRss.ledger)} |`)
  p(`| ${on(nodes[0], 'without a ledger, `media-check: off`')} | ${seconds(queueWall.unchecked)} | ${mb(queueRss.unchecked)} |`)
  p('')
  p(`With a ledger / without: ${ratio(queueRatio)}`)
  p('')
  p(`Media check (\`error\`, the default, every video's container read) / \`media-check: off\`: ${ratio(checkRatio)}`)
  p('')

  const { settings: ps } = polling
  let pollGoal
  for (const spread of polling.spreads) {
    const judged = spread === polling.spreads[0]
    p(
      `## Polling: ${POLL_MODEL.videos} videos, processing ends ${spread.label}${judged ? '' : ' (for comparison; the goals are judged on the spread above)'}`
    )
    p('')
    p(
      `In-process, on a fake clock: the action's own wait (src/draftclip/wait.ts; poll-interval ${ps.pollIntervalMs / 1000} s, max-poll-interval ${ps.maxPollIntervalMs / 1000} s, max-polls-per-minute ${ps.maxPollsPerMinute}: action.yml's defaults; wait-timeout ${POLL_MODEL.waitTimeoutS} s so that every wait ends) against the doc's client (a request at once, then every ${POLL_MODEL.docIntervalS} s until \`is_complete\`). Each video is waited for alone, from the upload's answer: \`PROCESSING_UPLOAD\` for the first ${POLL_MODEL.uploadShare * 100}% of its processing time, then \`PROCESSING\`, then \`PUBLISH_COMPLETE\`. Every other video is public; its post ID comes ${POLL_MODEL.moderationFromS} s to ${POLL_MODEL.moderationToS / 60} min after \`PUBLISH_COMPLETE\` (moderation; evenly spread, shuffled). Delay: from the moment TikTok has it (a private video's \`PUBLISH_COMPLETE\`, a public one's post ID) to the request that sees it; the doc's client stops at \`is_complete\`, so for it a public video counts at \`PUBLISH_COMPLETE\` and its post ID is never learned.`
    )
    p('')
    p(
      '| Client | Videos | Status requests per video, mean | p95 | Delay, median | p95 | Private: requests from `PUBLISH_COMPLETE` on, at most |'
    )
    p('|---|--:|--:|--:|--:|--:|--:|')
    const figures = {}
    for (const [who, list, doc] of [
      ["The doc's client", spread.doc, true],
      ['The action', spread.act, false]
    ]) {
      for (const [which, filter] of [
        ['all', () => true],
        ['private', r => r.video.postIdMs === undefined],
        ['public', r => r.video.postIdMs !== undefined]
      ]) {
        const f = pollFigures(list.filter(filter), doc)
        figures[`${doc ? 'doc' : 'act'}-${which}`] = f
        p(
          `| ${who}, ${which === 'all' ? 'all' : `${which} only`} | ${f.videos} | ${f.requestsMean.toFixed(1)} | ${f.requestsP95} | ${f.delayMedianS.toFixed(1)} s | ${f.delayP95S.toFixed(1)} s | ${f.privateAfterDone ?? '-'} |`
        )
      }
    }
    const ratioAll = figures['act-all'].requestsMean / figures['doc-all'].requestsMean
    p('')
    p(`Status requests per video, the action / the doc's client: ${ratioAll.toFixed(3)}x (mean)`)
    p('')
    if (judged) pollGoal = { ratio: ratioAll, ...figures['act-all'] }
  }

  const judge = (value, ok) => (value === null || !Number.isFinite(value) ? 'SKIP' : ok ? 'PASS' : 'MISS')
  p(nodes.length > 1 ? `## Goals (${main.label})` : '## Goals')
  p('')
  p('| Goal | Measured | Result |')
  p('|---|--:|---|')
  p(`| Peak RSS at ${last.label} ≤ ${GOALS.rssMb} MB | ${mb(rssLast)} | ${judge(rssLast, rssLast / 1024 <= GOALS.rssMb)} |`)
  p(
    `| Peak RSS at ${last.label} ≤ ${GOALS.rssGrowth}x the ${first.label} run | ${ratio(rssGrowth)} | ${judge(rssGrowth, rssGrowth <= GOALS.rssGrowth)} |`
  )
  const tr = curl ? last.throughputRatio[0] : null
  p(
    `| Throughput at ${last.label} ≥ ${GOALS.throughputVsCurl}x curl | ${curl ? ratio(tr) : 'n/a (no curl)'} | ${judge(tr, tr >= GOALS.throughputVsCurl)} |`
  )
  p(`| Concurrency-4 speed-up ≥ ${GOALS.speedUp}x | ${ratio(speedUp)} | ${judge(speedUp, speedUp >= GOALS.speedUp)} |`)
  p(`| Cold start ≤ ${GOALS.coldStart}x bare node | ${ratio(coldRatio)} | ${judge(coldRatio, coldRatio <= GOALS.coldStart)} |`)
  const rssLedger = medianOf(last.nodes[0].ledger, 'rssKiB')
  p(
    `| Peak RSS at ${last.label} with a ledger ≤ ${GOALS.rssMb} MB | ${mb(rssLedger)} | ${judge(rssLedger, rssLedger / 1024 <= GOALS.rssMb)} |`
  )
  const rssPolling = Math.max(medianOf(lat[0][1], 'rssKiB'), medianOf(lat[0][4], 'rssKiB'))
  p(
    `| Peak RSS, ${plan.latencyVideos} videos polling ≤ ${GOALS.rssMb} MB | ${mb(rssPolling)} | ${judge(rssPolling, rssPolling / 1024 <= GOALS.rssMb)} |`
  )
  p(
    `| ${plan.queueVideos} videos: with a ledger ≤ ${GOALS.queueLedger}x without | ${ratio(queueRatio)} | ${judge(queueRatio, queueRatio <= GOALS.queueLedger)} |`
  )
  p(
    `| ${plan.queueVideos} videos: media-check error ≤ ${GOALS.mediaCheck}x off | ${ratio(checkRatio)} | ${judge(checkRatio, checkRatio <= GOALS.mediaCheck)} |`
  )
  const queuePeak = Math.max(queueRss.plain, queueRss.ledger, queueRss.unchecked)
  p(
    `| ${plan.queueVideos} videos: peak RSS ≤ ${GOALS.queueRssMb} MB | ${mb(queuePeak)} | ${judge(queuePeak, queuePeak / 1024 <= GOALS.queueRssMb)} |`
  )
  p(
    `| Polling: status requests per video ≤ 1/3 of the doc's client's | ${pollGoal.ratio.toFixed(3)}x | ${judge(pollGoal.ratio, pollGoal.ratio <= GOALS.pollRequestsVsDoc)} |`
  )
  p(
    `| Polling: delay to knowing, median ≤ ${GOALS.pollDelayMedianS} s | ${pollGoal.delayMedianS.toFixed(1)} s | ${judge(pollGoal.delayMedianS, pollGoal.delayMedianS <= GOALS.pollDelayMedianS)} |`
  )
  p(
    `| Polling: delay to knowing, p95 ≤ ${GOALS.pollDelayP95S} s | ${pollGoal.delayP95S.toFixed(1)} s | ${judge(pollGoal.delayP95S, pollGoal.delayP95S <= GOALS.pollDelayP95S)} |`
  )
  p(
    `| Polling: a private video's requests from \`PUBLISH_COMPLETE\` on ≤ ${GOALS.privateRequestsAfterDone} | ${pollGoal.privateAfterDone} | ${judge(pollGoal.privateAfterDone, pollGoal.privateAfterDone <= GOALS.privateRequestsAfterDone)} |`
  )
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
let nodes = []
let exitCode = 0
try {
  if (!fs.existsSync(action)) throw new Broke(`${action} does not exist: run npm run bundle first`)
  nodes = runtimes()
  progress(`the action runs on ${nodes.map(rt => `Node ${rt.version} (${rt.bin})`).join(' and on ')}`)
  if (!python) progress('python3 is missing: peak RSS will not be measured')
  if (!curl) progress('curl is missing: the curl columns are skipped')
  // First: it needs neither the sink nor the bundle, and a broken model should fail fast.
  const polling = await pollingModel()
  sink = await startSink()
  progress(`${quick ? 'quick' : 'full'} mode; sink at ${sink.url}; work files in ${tmp}`)
  const rows = await uploads(sink)
  const lat = await latency(sink)
  const cold = await coldStart(sink)
  const queue = await queueRuns(sink)
  console.log(report(rows, lat, cold, queue, polling))
} catch (error) {
  progress(`BROKEN: ${error instanceof Error ? error.message : String(error)}`)
  exitCode = 1
} finally {
  await sink?.close()
  cleanUp()
}
process.exitCode = exitCode

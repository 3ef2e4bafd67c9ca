// `npm start`: runs the bundled action (dist/index.js) against the DraftClip
// sandbox exactly as a GitHub runner would, and shows what a user would see.

import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { startSandbox } from './server.js'
import { inputDefaults, startAction } from './runner.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const entry = path.join(root, 'dist', 'index.js')
const API_KEY = 'ttapi_sandbox_key'

// Real videos (examples/videos, made by ffmpeg: script/make-fixtures.sh), each
// grown by a `free` box of random bytes so the three differ and look their size.
async function sample(name, freeBytes) {
  const video = await fs.readFile(path.join(root, 'examples', 'videos', name))
  const free = Buffer.alloc(8)
  free.writeUInt32BE(8 + freeBytes, 0)
  free.write('free', 4, 'latin1')
  return Buffer.concat([video, free, randomBytes(freeBytes)])
}

// Two private videos (the inputs' SELF_ONLY: TikTok gives them no post ID) and a public one,
// whose sidecar makes it PUBLIC_TO_EVERYONE: its post ID comes after the sandbox's moderation.
const SAMPLES = {
  'release/trailer.mp4': () => sample('trailer.mp4', 48 * 1024),
  'release/teaser.mov': () => sample('teaser.mov', 32 * 1024),
  'release/behind-the-scenes.mp4': () => sample('trailer.mp4', 64 * 1024),
  'release/behind-the-scenes.mp4.draftclip.json': async () => JSON.stringify({ privacy_level: 'PUBLIC_TO_EVERYONE' }) + '\n'
}

const INPUTS = {
  'api-key': API_KEY,
  videos: 'release/*.mp4\nrelease/*.mov',
  description: '{stem} ({index}/{count}) #demo',
  'privacy-level': 'SELF_ONLY',
  wait: 'true',
  'poll-interval': '0.2',
  // The sandbox has no rate limit; against DraftClip keep the default (30 a minute).
  'max-polls-per-minute': '600',
  'wait-timeout': '30',
  'if-no-files-found': 'error'
}

// Renders workflow commands (::group::, ::error::, ::add-mask::...) roughly as
// the Actions log viewer does, masking secrets. DEMO_RAW=1 shows them as sent.
function createRenderer(out, masks) {
  const raw = process.env.DEMO_RAW === '1'
  const showDebug = process.env.RUNNER_DEBUG === '1'
  let carry = ''
  const unescape = s => s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%')
  const mask = s => {
    for (const m of masks) if (m) s = s.split(m).join('***')
    return s
  }
  const line = text => {
    if (raw) return out.write(text + '\n')
    const cmd = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(text)
    if (!cmd) return out.write(mask(text) + '\n')
    const [, name, , data] = cmd
    const message = unescape(data)
    switch (name) {
      case 'add-mask':
        masks.add(message)
        return
      case 'debug':
        if (showDebug) out.write(mask(`##[debug]${message}`) + '\n')
        return
      case 'group':
        return out.write(mask(`▶ ${message}`) + '\n')
      case 'endgroup':
        return
      case 'error':
      case 'warning':
      case 'notice':
        return out.write(mask(`${name[0].toUpperCase()}${name.slice(1)}: ${message}`) + '\n')
      default:
        return out.write(mask(text) + '\n')
    }
  }
  return {
    write(chunk) {
      const lines = (carry + chunk.toString('utf8')).split(/\r?\n/)
      carry = lines.pop() ?? ''
      for (const l of lines) line(l)
    },
    flush() {
      if (carry) line(carry)
      carry = ''
    }
  }
}

function indent(text) {
  return text.replace(/\n/g, '\n    ')
}

async function main() {
  if (!existsSync(entry)) {
    console.error(`dist/index.js does not exist yet: build the action first with\n\n  npm run bundle\n\nthen run \`npm start\` again.`)
    return 1
  }

  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'draftclip-demo-'))
  const workspace = path.join(tmp, 'workspace')
  const runnerTemp = path.join(tmp, 'runner-temp')
  // GITHUB_OUTPUT and GITHUB_STEP_SUMMARY are made in tmp by the runner (sandbox/runner.js).
  const files = {
    state: path.join(tmp, 'github_state'),
    env: path.join(tmp, 'github_env'),
    path: path.join(tmp, 'github_path'),
    event: path.join(tmp, 'event.json')
  }
  await fs.mkdir(runnerTemp, { recursive: true })
  for (const [name, make] of Object.entries(SAMPLES)) {
    const file = path.join(workspace, name)
    await fs.mkdir(path.dirname(file), { recursive: true })
    await fs.writeFile(file, await make())
  }
  for (const file of Object.values(files)) await fs.writeFile(file, '')
  await fs.writeFile(files.event, '{}\n')

  const sandbox = await startSandbox({
    apiKeys: [API_KEY],
    pollsToComplete: 2,
    // TikTok's moderation of the public video: its post ID two polls after PUBLISH_COMPLETE.
    files: { 'behind-the-scenes.mp4': { postIdDelay: 2 } }
  })

  try {
    // The runner passes action.yml defaults for every input the workflow omits.
    const inputs = { ...inputDefaults(), ...INPUTS, 'base-url': sandbox.url }

    // This shell's environment, without what a runner would set itself.
    const baseEnv = {}
    for (const [k, v] of Object.entries(process.env)) {
      if (/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_)/.test(k) && k !== 'RUNNER_DEBUG') continue
      baseEnv[k] = v
    }
    // What a runner sets beside the inputs, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
    const env = {
      CI: 'true',
      GITHUB_STATE: files.state,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_REPOSITORY: 'octo-org/draftclip-demo',
      GITHUB_REPOSITORY_OWNER: 'octo-org',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_RUN_ID: String(Date.now()),
      GITHUB_RUN_NUMBER: '1',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_WORKFLOW: 'demo',
      GITHUB_JOB: 'publish',
      GITHUB_ACTION: 'draftclip',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
      RUNNER_TEMP: runnerTemp,
      RUNNER_OS: os.platform() === 'win32' ? 'Windows' : os.platform() === 'darwin' ? 'macOS' : 'Linux',
      RUNNER_ARCH: os.arch().toUpperCase()
    }

    console.log(`DraftClip sandbox at ${sandbox.url} (API key ${API_KEY})`)
    console.log(`Workspace ${workspace}:`)
    for (const name of Object.keys(SAMPLES)) {
      const { size } = await fs.stat(path.join(workspace, name))
      console.log(`  ${name} (${size} bytes)`)
    }
    console.log('Inputs:')
    for (const [name, value] of Object.entries(inputs)) {
      console.log(`  ${name}: ${name === 'api-key' ? '***' : indent(value)}`)
    }
    console.log(`\n$ node dist/index.js\n`)

    const masks = new Set([API_KEY])
    const stdout = createRenderer(process.stdout, masks)
    const stderr = createRenderer(process.stderr, masks)
    const { child, done } = startAction({ entry, workspace, inputs, env, baseEnv, runnerDir: tmp })
    child.stdout.on('data', c => stdout.write(c))
    child.stderr.on('data', c => stderr.write(c))
    const forward = signal => child.kill(signal)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    const run = await done.catch(err => {
      console.error(`Could not start node dist/index.js: ${err.message}`)
      return null
    })
    process.off('SIGINT', forward)
    process.off('SIGTERM', forward)
    stdout.flush()
    stderr.flush()
    if (!run) return 1
    const code = run.code ?? (run.signal ? 128 + (os.constants.signals[run.signal] ?? 0) : 1)

    console.log(`\nThe action exited with code ${code}.`)
    let exitCode = code
    console.log('\nStep outputs:')
    if (run.outputError) {
      console.log(`  ${run.outputError.message}\n  The file as written:\n    ${indent(run.outputText)}`)
      if (exitCode === 0) exitCode = 1
    } else {
      const names = Object.keys(run.outputs)
      if (names.length === 0) console.log('  (none)')
      for (const name of names) console.log(`  ${name}: ${indent(run.outputs[name])}`)
    }

    const summary = run.summary
    console.log('\nJob summary:')
    console.log(summary.trim() ? `    ${indent(summary.trimEnd())}` : '  (empty)')

    console.log(`\nThe sandbox took ${sandbox.uploads.length} upload(s) in ${sandbox.requests.length} request(s):`)
    for (const u of sandbox.uploads) {
      console.log(`  ${u.filename} -> ${u.publishId} (${u.size} bytes) "${u.fields.description ?? ''}"`)
    }
    return exitCode
  } finally {
    await sandbox.close()
    if (process.env.DEMO_KEEP === '1') console.log(`\nKept ${tmp}`)
    else await fs.rm(tmp, { recursive: true, force: true })
  }
}

process.exitCode = await main()

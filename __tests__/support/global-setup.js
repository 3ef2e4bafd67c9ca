// jest globalSetup: the end-to-end suites test the CURRENT src/, not the
// committed dist/ (which `npm test` does not rebuild). Once per jest run, ncc
// bundles src/index.ts exactly as `npm run bundle` does, but into a folder of
// this run's own under the system temp directory (nothing in the clone, and
// concurrent jest runs do not share it); __tests__/support/action.ts runs that
// bundle, found through DRAFTCLIP_E2E_BUNDLE, on DRAFTCLIP_E2E_NODE (default
// this Node). A bundle that does not build fails the whole run.
//
// First, it checks what the tests run besides Node (php, ffmpeg and ffprobe
// 5.1 or newer, jq, curl: prerequisites.js) and fails the run, naming the
// install command, when one is missing.
//
// DRAFTCLIP_E2E_BUNDLE set beforehand (a path to an index.js) skips the build
// and tests that bundle instead, e.g. a release's dist/index.js.
//
// The run's folder also holds the temp directory of every test (TMPDIR points
// there for the workers and what they start), so whatever a test leaves in
// os.tmpdir() goes with the run in globalTeardown, or with the next run when
// this one was killed.

import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { prerequisiteError, prerequisiteProblems } from './prerequisites.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const NCC = path.join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')

/** The bundles of this clone's jest runs: one subfolder per run, named after the jest process. */
export const BUNDLES = path.join(os.tmpdir(), `draftclip-test-bundle-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`)

export default function globalSetup() {
  const problems = prerequisiteProblems()
  if (problems.length) throw prerequisiteError(problems)
  const node = process.env.DRAFTCLIP_E2E_NODE || process.execPath
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' })
  if (version.error || version.status !== 0) {
    throw new Error(`DRAFTCLIP_E2E_NODE=${node} does not run: ${version.error?.message ?? version.stderr}`)
  }

  removeStale()
  const dir = fs.mkdtempSync(path.join(BUNDLES, `${process.pid}-`))
  globalThis.draftclipTestRun = dir
  const tmp = path.join(dir, 'tmp')
  fs.mkdirSync(tmp)
  globalThis.draftclipSavedTmp = {}
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) {
    globalThis.draftclipSavedTmp[name] = process.env[name]
    process.env[name] = tmp
  }

  let entry = process.env.DRAFTCLIP_E2E_BUNDLE
  let how
  if (entry) {
    entry = path.resolve(entry)
    if (!fs.existsSync(entry)) throw new Error(`DRAFTCLIP_E2E_BUNDLE=${entry} does not exist`)
    how = 'given by DRAFTCLIP_E2E_BUNDLE, not built from src/'
  } else {
    globalThis.draftclipTestBundle = true
    const started = performance.now()
    const build = spawnSync(process.execPath, [NCC, 'build', 'src/index.ts', '-o', dir, '--license', 'licenses.txt'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024
    })
    entry = path.join(dir, 'index.js')
    if (build.error || build.status !== 0 || !fs.existsSync(entry)) {
      fs.rmSync(dir, { recursive: true, force: true })
      const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trimEnd()
      throw new Error(
        `The end-to-end suites need a bundle of src/, and ncc could not build one ` +
          `(${build.error?.message ?? `exit ${build.status}`}):\n${output.split('\n').slice(-60).join('\n')}`
      )
    }
    how = `built from src/ by ncc in ${((performance.now() - started) / 1000).toFixed(1)} s`
  }
  process.env.DRAFTCLIP_E2E_BUNDLE = entry
  process.stderr.write(`\ne2e: ${entry} (${how}) runs on Node ${version.stdout.trim()} (${node})\n`)
}

/** Bundles left by jest runs that were killed before their globalTeardown. */
function removeStale() {
  fs.mkdirSync(BUNDLES, { recursive: true })
  for (const name of fs.readdirSync(BUNDLES)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1])
    if (pid && pid !== process.pid && alive(pid)) continue
    fs.rmSync(path.join(BUNDLES, name), { recursive: true, force: true })
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

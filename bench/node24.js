// The Node that GitHub runs the action on (`runs.using: node24`), for the
// benchmark and CI on machines that have another Node; and, with a major of
// its own, the oldest Node the tool chain supports (22: `.ci/run` runs npm ci,
// the type-check, lint and the tests on it). It is the `node` package from the
// npm registry, installed once per machine and major with
//
//   npm install --prefix "${XDG_CACHE_HOME:-$HOME/.cache}/draftclip-publish/node24" node@24
//
// and reused while its binary runs and says v24 (v22...). Node built-ins and npm only.
//
// `node bench/node24.js [--major=22]` prints the binary's path on stdout (progress
// on stderr), installing it first when needed; it exits 1, saying why, when it cannot.

import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const MAJOR = 24
const cacheDir = major => path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'draftclip-publish', `node${major}`)
const binaryIn = dir => path.join(dir, 'node_modules', 'node', 'bin', 'node')
const installHint = major => `npm install --prefix '${cacheDir(major)}' --no-save node@${major}`
export const CACHE_DIR = cacheDir(MAJOR)
export const BINARY = binaryIn(CACHE_DIR)
export const INSTALL_HINT = installHint(MAJOR)

/** `v24.x.y` when `bin --version` runs and says so, else null. */
export function nodeVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30000 })
  return !r.error && r.status === 0 && /^v\d+\./.test(r.stdout) ? r.stdout.trim() : null
}

export function isMajor(version, major = MAJOR) {
  return version?.startsWith(`v${major}.`) ?? false
}

/** The cached Node 24: { path, version }. See findNode. */
export function findNode24(options = {}) {
  return findNode({ ...options, major: MAJOR })
}

/**
 * The cached Node of a major (default 24): { path, version }. Installs it first
 * when it is missing or broken (install = true); throws, saying how to install
 * it, when that fails.
 */
export function findNode({ major = MAJOR, install = true, log = line => process.stderr.write(`${line}\n`) } = {}) {
  const dir = cacheDir(major)
  const binary = binaryIn(dir)
  const cached = nodeVersion(binary)
  if (isMajor(cached, major)) return { path: binary, version: cached }
  if (!install) throw new Error(`no Node ${major} in ${dir}; install it with: ${installHint(major)}`)

  // Installed beside the cache folder, then renamed into place: a run on the
  // same machine at the same time never sees half an install.
  log(`Installing Node ${major} into ${dir} (npm install node@${major}; once per machine)`)
  fs.mkdirSync(path.dirname(dir), { recursive: true })
  const staging = fs.mkdtempSync(`${dir}.installing-`)
  try {
    const npm = spawnSync(
      'npm',
      ['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node@${major}`],
      {
        cwd: os.tmpdir(),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    const version = nodeVersion(binaryIn(staging))
    if (npm.error || npm.status !== 0 || !isMajor(version, major)) {
      const why = npm.error?.message ?? (npm.status !== 0 ? `npm exited ${npm.status}` : `its binary says ${version ?? 'nothing'}`)
      throw new Error(
        `could not install Node ${major} (${why}):\n${`${npm.stdout}${npm.stderr}`.trim()}\nInstall it by hand: ${installHint(major)}`
      )
    }
    if (!isMajor(nodeVersion(binary), major)) {
      fs.rmSync(dir, { recursive: true, force: true })
      try {
        fs.renameSync(staging, dir)
      } catch (error) {
        // Another run put its install there first: fine if it works.
        if (!isMajor(nodeVersion(binary), major)) throw error
      }
    }
    const installed = nodeVersion(binary)
    if (!isMajor(installed, major)) throw new Error(`Node ${major} was installed but ${binary} does not run`)
    return { path: binary, version: installed }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true })
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const major = Number(process.argv.find(a => a.startsWith('--major='))?.slice(8) ?? MAJOR)
  try {
    if (!Number.isInteger(major) || major < 1) throw new Error(`--major wants a Node major version, e.g. --major=22`)
    const { path: bin, version } = findNode({ major })
    process.stderr.write(`Node ${major}: ${version} at ${bin}\n`)
    console.log(bin)
  } catch (error) {
    process.stderr.write(`node24: ${error.message}\n`)
    process.exitCode = 1
  }
}

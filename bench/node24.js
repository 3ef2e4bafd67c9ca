// The Node 24 that GitHub runs the action on (`runs.using: node24`), for the
// benchmark and CI on machines that have another Node. It is the `node`
// package from the npm registry, installed once per machine with
//
//   npm install --prefix "${XDG_CACHE_HOME:-$HOME/.cache}/draftclip-publish/node24" node@24
//
// and reused while its binary runs and says v24. Node built-ins and npm only.
//
// `node bench/node24.js` prints the binary's path on stdout (progress on stderr),
// installing it first when needed; it exits 1, saying why, when it cannot.

import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const MAJOR = 24
export const CACHE_DIR = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'draftclip-publish', `node${MAJOR}`)
export const BINARY = path.join(CACHE_DIR, 'node_modules', 'node', 'bin', 'node')
export const INSTALL_HINT = `npm install --prefix '${CACHE_DIR}' --no-save node@${MAJOR}`

/** `v24.x.y` when `bin --version` runs and says so, else null. */
export function nodeVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30000 })
  return !r.error && r.status === 0 && /^v\d+\./.test(r.stdout) ? r.stdout.trim() : null
}

export function isMajor(version, major = MAJOR) {
  return version?.startsWith(`v${major}.`) ?? false
}

/**
 * The cached Node 24: { path, version }. Installs it first when it is missing
 * or broken (install = true); throws, saying how to install it, when that fails.
 */
export function findNode24({ install = true, log = line => process.stderr.write(`${line}\n`) } = {}) {
  const cached = nodeVersion(BINARY)
  if (isMajor(cached)) return { path: BINARY, version: cached }
  if (!install) throw new Error(`no Node ${MAJOR} in ${CACHE_DIR}; install it with: ${INSTALL_HINT}`)

  // Installed beside the cache folder, then renamed into place: a run on the
  // same machine at the same time never sees half an install.
  log(`Installing Node ${MAJOR} into ${CACHE_DIR} (npm install node@${MAJOR}; once per machine)`)
  fs.mkdirSync(path.dirname(CACHE_DIR), { recursive: true })
  const staging = fs.mkdtempSync(`${CACHE_DIR}.installing-`)
  try {
    const npm = spawnSync(
      'npm',
      ['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node@${MAJOR}`],
      {
        cwd: os.tmpdir(),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    const staged = path.join(staging, 'node_modules', 'node', 'bin', 'node')
    const version = nodeVersion(staged)
    if (npm.error || npm.status !== 0 || !isMajor(version)) {
      const why = npm.error?.message ?? (npm.status !== 0 ? `npm exited ${npm.status}` : `its binary says ${version ?? 'nothing'}`)
      throw new Error(
        `could not install Node ${MAJOR} (${why}):\n${`${npm.stdout}${npm.stderr}`.trim()}\nInstall it by hand: ${INSTALL_HINT}`
      )
    }
    if (!isMajor(nodeVersion(BINARY))) {
      fs.rmSync(CACHE_DIR, { recursive: true, force: true })
      try {
        fs.renameSync(staging, CACHE_DIR)
      } catch (error) {
        // Another run put its install there first: fine if it works.
        if (!isMajor(nodeVersion(BINARY))) throw error
      }
    }
    const installed = nodeVersion(BINARY)
    if (!isMajor(installed)) throw new Error(`Node ${MAJOR} was installed but ${BINARY} does not run`)
    return { path: BINARY, version: installed }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true })
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { path: bin, version } = findNode24()
    process.stderr.write(`Node ${MAJOR}: ${version} at ${bin}\n`)
    console.log(bin)
  } catch (error) {
    process.stderr.write(`node24: ${error.message}\n`)
    process.exitCode = 1
  }
}

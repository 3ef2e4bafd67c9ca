// Starts the bundled action the way the GitHub runner starts a JavaScript
// action, for the end-to-end tests, the benchmark and `npm start`: a node
// child process with INPUT_<NAME> variables (action.yml defaults first, names
// upper-cased with spaces as underscores and hyphens kept), GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE as the working directory; then
// the step outputs and the job summary are read back. Node built-ins only.

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { actionInputDefaults, parseGithubOutput } from './outputs.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const defaultsByFile = new Map()

/** The `default:` of each input in an action.yml (read once per file); {} when the file does not exist. */
export function inputDefaults(actionYml = [path.join(ROOT, 'action.yml'), path.join(ROOT, 'action.yaml')].find(f => fs.existsSync(f))) {
  if (!actionYml) return {}
  if (!defaultsByFile.has(actionYml)) {
    defaultsByFile.set(actionYml, fs.existsSync(actionYml) ? actionInputDefaults(fs.readFileSync(actionYml, 'utf8')) : {})
  }
  return defaultsByFile.get(actionYml)
}

/** The variable the runner passes an input in (what @actions/core's getInput reads). */
export function inputVariable(name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/**
 * Starts `node entry` as the runner does. Returns the child at once (its
 * stdout and stderr are pipes, free to be watched) and a promise of the run,
 * settled when the child has closed.
 */
export function startAction(options) {
  const {
    entry,
    workspace,
    node = process.execPath,
    inputs = {},
    env = {},
    baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir() },
    prefix = [],
    spawnOptions = {},
    tmpDir = os.tmpdir()
  } = options
  if (!entry) throw new Error('startAction: no entry file')
  if (!workspace) throw new Error('startAction: no workspace')
  const defaults = options.defaults ?? inputDefaults(options.actionYml)

  // The runner's files; a folder of our own is removed after the run, a given one is left.
  const runnerDir = options.runnerDir ?? fs.mkdtempSync(path.join(tmpDir, 'draftclip-runner-'))
  const ownDir = options.runnerDir === undefined
  const outputFile = path.join(runnerDir, 'github_output')
  const summaryFile = path.join(runnerDir, 'step_summary.md')
  fs.writeFileSync(outputFile, '')
  fs.writeFileSync(summaryFile, '')

  const inputEnv = {}
  for (const [name, value] of Object.entries({ ...defaults, ...inputs })) inputEnv[inputVariable(name)] = value
  const [file, ...args] = [...prefix, node, entry]
  let child
  try {
    child = spawn(file, args, {
      ...spawnOptions,
      cwd: workspace,
      env: {
        ...baseEnv,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        RUNNER_TEMP: runnerDir,
        ...inputEnv,
        ...env
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
  } catch (error) {
    if (ownDir) fs.rmSync(runnerDir, { recursive: true, force: true })
    throw error
  }

  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => (stdout += d.toString()))
  child.stderr.on('data', d => (stderr += d.toString()))
  const done = new Promise((resolve, reject) => {
    let settled = false
    const cleanUp = () => {
      if (ownDir) fs.rmSync(runnerDir, { recursive: true, force: true })
    }
    child.on('error', error => {
      if (settled) return
      settled = true
      cleanUp()
      reject(error)
    })
    child.on('close', (code, signal) => {
      if (settled) return
      settled = true
      try {
        const outputText = fs.readFileSync(outputFile, 'utf8')
        const summary = fs.readFileSync(summaryFile, 'utf8')
        let outputs = {}
        let outputError = null
        try {
          outputs = parseGithubOutput(outputText)
        } catch (error) {
          outputError = error
        }
        resolve({ code, signal, stdout, stderr, outputs, outputError, outputText, summary })
      } catch (error) {
        reject(error)
      } finally {
        cleanUp()
      }
    })
  })
  return { child, done }
}

// Types for runner.js: starting the bundled action as the GitHub runner does.

import type { ChildProcessByStdio, SpawnOptions } from 'node:child_process'
import type { Readable } from 'node:stream'

export interface StartOptions {
  /** The action's entry file, e.g. dist/index.js. */
  entry: string
  /** GITHUB_WORKSPACE and the working directory. */
  workspace: string
  /** The Node binary that runs the entry; default process.execPath. */
  node?: string
  /** Inputs by their action.yml names ('api-key'); passed over the defaults. */
  inputs?: Record<string, string>
  /** Variables set last, over everything else (GITHUB_EVENT_NAME, test timings...). */
  env?: Record<string, string>
  /** The environment the child starts from; default { PATH, HOME } only. */
  baseEnv?: Record<string, string | undefined>
  /** The inputs' defaults; default those of actionYml. */
  defaults?: Record<string, string>
  /** The action.yml the defaults come from; default the repository's action.yml (or action.yaml). */
  actionYml?: string
  /** Words put before `node entry`, e.g. a wrapper that measures the process: [...prefix, node, entry]. */
  prefix?: string[]
  /** More spawn options (detached...); cwd, env and stdio are the runner's. */
  spawnOptions?: Omit<SpawnOptions, 'cwd' | 'env' | 'stdio'>
  /** Where GITHUB_OUTPUT and GITHUB_STEP_SUMMARY are written (RUNNER_TEMP too); kept after the run. Default a new folder, removed after the run. */
  runnerDir?: string
  /** Where that new folder is made; default os.tmpdir(). */
  tmpDir?: string
}

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** The step outputs; {} when outputError is set. */
  outputs: Record<string, string>
  /** Why GITHUB_OUTPUT could not be parsed, or null. */
  outputError: Error | null
  /** GITHUB_OUTPUT as the action left it. */
  outputText: string
  /** GITHUB_STEP_SUMMARY as the action left it. */
  summary: string
}

export interface StartedAction {
  child: ChildProcessByStdio<null, Readable, Readable>
  /** Settles when the child has closed; rejects when it could not be started. */
  done: Promise<RunResult>
}

export function startAction(options: StartOptions): StartedAction

/** The `default:` of each input in an action.yml (cached per file); {} when there is none. */
export function inputDefaults(actionYml?: string): Record<string, string>

/** INPUT_<NAME>: upper-cased, spaces as underscores, hyphens kept. */
export function inputVariable(name: string): string

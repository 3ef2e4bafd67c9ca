/**
 * Runs one job of a workflow the way a GitHub runner on ubuntu-latest would,
 * on this machine: `run:` steps in bash with the workflow's, job's and step's
 * `env`, `uses: ./` steps through the action's bundle (sandbox/runner.js, on
 * the Node the e2e suites use), GITHUB_OUTPUT, GITHUB_ENV and GITHUB_PATH
 * between steps, and the expressions of workflow-expressions.ts. The steps
 * that only set up a runner are stood in for: actions/checkout copies the
 * repository's files into an empty workspace, actions/setup-node puts the e2e
 * Node first on PATH. Any other action, and anything the test does not
 * understand, is refused by name.
 */
import { spawn, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parse } from 'yaml'
import { parseGithubOutput } from '../../sandbox/outputs.js'
import { inputDefaults, startAction } from '../../sandbox/runner.js'
import {
  evaluate,
  evaluateAll,
  type ExpressionContext,
  type Job,
  runsStep,
  shellCommand,
  type Step,
  unknownKeys,
  type Workflow,
  WorkflowRefusal
} from './workflow-expressions.js'

export interface JobOptions {
  /** For messages: the workflow's file name. */
  file: string
  workflow: Workflow
  jobId: string
  /** The matrix leg to run. */
  matrix: Record<string, string>
  /** The environment the test gives: each replaces a variable the workflow or job declares in `env:` (and only such). */
  env: Record<string, string>
  /** The repository whose files actions/checkout brings. */
  repository: string
  /** An empty folder: GITHUB_WORKSPACE, and RUNNER_TEMP below it. */
  dir: string
  /** The action's bundle and the Node that runs it (node24 on GitHub). */
  bundle: string
  node: string
  /** A step still running after this long is stopped and fails. */
  stepTimeoutMs: number
}

export interface StepRun {
  name: string
  outcome: 'success' | 'failure' | 'skipped'
  log: string
}

export interface JobRun {
  conclusion: 'success' | 'failure'
  steps: StepRun[]
  /** Every step's log, in order, with its name: what the Actions page would show. */
  log: string
}

/** What passes from step to step: the expression context, GITHUB_ENV, GITHUB_PATH, the processes started. */
interface JobState {
  context: ExpressionContext
  addedEnv: Record<string, string>
  addedPath: string[]
  groups: number[]
  failed: boolean
}

/** The step's result and what it left in GITHUB_OUTPUT, GITHUB_ENV and GITHUB_PATH. */
interface Ran {
  ok: boolean
  log: string
  outputs: Record<string, string>
  env?: Record<string, string>
  path?: string[]
}

/** The variables the runner sets for every step (GITHUB_API_URL points nowhere: nothing leaves the machine). */
function runnerEnv(options: JobOptions, workspace: string, temp: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? temp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKFLOW: options.workflow.name ?? options.file,
    GITHUB_JOB: options.jobId,
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'draftclip-publish/draftclip-publish',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_WORKSPACE: workspace,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: temp
  }
}

/** The workflow's and job's `env:`, with the test's replacements; a replacement of an undeclared variable is refused. */
function declaredEnv(options: JobOptions, context: ExpressionContext): Record<string, string> {
  const where = `${options.file} job ${options.jobId} env`
  const job = options.workflow.jobs?.[options.jobId] ?? {}
  const declared = { ...evaluateAll(options.workflow.env, context, where), ...evaluateAll(job.env, context, where) }
  for (const name of Object.keys(options.env)) {
    if (!(name in declared)) {
      throw new WorkflowRefusal(`${where}: the test gives ${name}, but neither the workflow nor the job declares it in env:`)
    }
  }
  return { ...declared, ...options.env }
}

/** Runs the job's steps in order, then ends every process a step left behind (as the runner does). */
export async function runJob(options: JobOptions): Promise<JobRun> {
  const where = `${options.file} job ${options.jobId}`
  const job = options.workflow.jobs?.[options.jobId]
  if (!job) throw new WorkflowRefusal(`${where}: no such job`)
  unknownKeys(job, where)
  const workspace = path.join(options.dir, 'workspace')
  const temp = path.join(options.dir, 'runner-temp')
  for (const d of [workspace, temp]) fs.mkdirSync(d, { recursive: true })
  const context: ExpressionContext = { steps: {}, env: {}, matrix: options.matrix }
  context.env = declaredEnv(options, context)
  const state: JobState = { context, addedEnv: {}, addedPath: [], groups: [], failed: false }
  const steps: StepRun[] = []
  try {
    for (const [i, step] of (job.steps ?? []).entries()) {
      steps.push(await runOne(options, job, step, `${where} step ${i + 1}`, state, { workspace, temp }))
    }
  } finally {
    endGroups(state.groups)
  }
  return {
    conclusion: state.failed ? 'failure' : 'success',
    steps,
    // ::debug:: lines hidden, as the Actions page hides them unless RUNNER_DEBUG is set.
    log: steps.map(s => `::group::${s.name} (${s.outcome})\n${s.log.replace(/^::debug::.*\n/gm, '')}::endgroup::`).join('\n')
  }
}

/** One step: its `if:`, then the action or the script, then what it left for the steps after it. */
async function runOne(
  options: JobOptions,
  job: Job,
  step: Step,
  where: string,
  state: JobState,
  dirs: { workspace: string; temp: string }
): Promise<StepRun> {
  const name = evaluate(step.name ?? step.uses ?? `Run ${step.run?.split('\n')[0]}`, state.context, `${where} name`)
  if (!runsStep(step.if, state.failed, `${where} (${name})`)) return { name, outcome: 'skipped', log: '' }
  const base = runnerEnv(options, dirs.workspace, dirs.temp)
  base.PATH = [...state.addedPath, base.PATH].join(path.delimiter)
  const env = { ...base, ...state.context.env, ...state.addedEnv, ...evaluateAll(step.env, state.context, `${where} env`) }
  const ran = step.uses
    ? await useAction(options, step, `${where} (${name})`, { env, workspace: dirs.workspace, context: state.context })
    : await runScript(options, job, step, `${where} (${name})`, {
        env,
        workspace: dirs.workspace,
        temp: dirs.temp,
        groups: state.groups,
        context: state.context
      })
  if (step.id) state.context.steps[step.id] = { outputs: ran.outputs, outcome: ran.ok ? 'success' : 'failure' }
  Object.assign(state.addedEnv, ran.env ?? {})
  Object.assign(state.context.env, ran.env ?? {})
  state.addedPath.unshift(...(ran.path ?? []).reverse())
  if (!ran.ok) state.failed = true
  return { name, outcome: ran.ok ? 'success' : 'failure', log: ran.log }
}

interface ScriptRun {
  env: Record<string, string>
  workspace: string
  temp: string
  groups: number[]
  context: ExpressionContext
}

/** A `run:` step: its script in a file, given to bash in the workspace, in a process group of its own. */
async function runScript(options: JobOptions, job: Job, step: Step, where: string, run: ScriptRun): Promise<Ran> {
  const shell = shellCommand(step, job, options.workflow, where)
  const dir = fs.mkdtempSync(path.join(run.temp, 'step-'))
  const files = { output: 'github_output', env: 'github_env', path: 'github_path', summary: 'step_summary.md', script: 'step.sh' }
  const at = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, path.join(dir, f)])) as Record<keyof typeof files, string>
  for (const file of Object.values(at)) fs.writeFileSync(file, '')
  fs.writeFileSync(at.script, evaluate(step.run, run.context, `${where} run`))
  const env = { ...run.env, GITHUB_OUTPUT: at.output, GITHUB_ENV: at.env, GITHUB_PATH: at.path, GITHUB_STEP_SUMMARY: at.summary }
  const child = spawn(shell[0], [...shell.slice(1), at.script], {
    cwd: run.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true
  })
  if (child.pid) run.groups.push(child.pid)
  let log = ''
  child.stdout.on('data', d => (log += d.toString()))
  child.stderr.on('data', d => (log += d.toString()))
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      log += `\n[workflow test] still running after ${options.stepTimeoutMs} ms (or a process it started holds its output): stopped\n`
      endGroups([child.pid ?? 0])
    }, options.stepTimeoutMs)
    child.on('error', reject)
    child.on('close', status => {
      clearTimeout(timer)
      resolve(status)
    })
  })
  const read = (file: string): string => fs.readFileSync(file, 'utf8')
  try {
    const outputs = parseGithubOutput(read(at.output))
    const added = parseGithubOutput(read(at.env))
    const paths = read(at.path).split(/\r?\n/).filter(Boolean)
    return {
      ok: code === 0,
      log: code === 0 ? log : `${log}Error: Process completed with exit code ${code}.\n`,
      outputs,
      env: added,
      path: paths
    }
  } catch (error) {
    return { ok: false, log: `${log}${(error as Error).message}\n`, outputs: {} }
  }
}

interface ActionUse {
  env: Record<string, string>
  workspace: string
  context: ExpressionContext
}

/** A `uses:` step: this repository's action through its bundle, or a stand-in for a set-up action; any other is refused. */
async function useAction(options: JobOptions, step: Step, where: string, use: ActionUse): Promise<Ran> {
  const uses = step.uses ?? ''
  if (uses.startsWith('actions/checkout@')) return checkout(options.repository, use.workspace)
  if (uses.startsWith('actions/setup-node@')) {
    const asked = evaluate(step.with?.['node-version'], use.context, `${where} with node-version`)
    const version = spawnSync(options.node, ['--version'], { encoding: 'utf8' }).stdout.trim()
    return {
      ok: true,
      log: `[stand-in] Node ${version} (${options.node}) first on PATH; the step asks for ${asked || 'a version file'}\n`,
      outputs: {},
      path: [path.dirname(options.node)]
    }
  }
  if (uses !== './') throw new WorkflowRefusal(`${where}: the workflow test has no stand-in for uses: ${uses}`)
  return runOwnAction(options, step, where, use)
}

/** `uses: ./`: the workspace's action.yml (its declared inputs and defaults), run from the bundle under test on node24's stand-in. */
async function runOwnAction(options: JobOptions, step: Step, where: string, use: ActionUse): Promise<Ran> {
  const actionYml = path.join(use.workspace, 'action.yml')
  if (!fs.existsSync(actionYml))
    return { ok: false, log: `Can't find 'action.yml' under '${use.workspace}'. Did you forget to run actions/checkout?\n`, outputs: {} }
  const action = parse(fs.readFileSync(actionYml, 'utf8')) as { inputs?: Record<string, unknown>; runs?: { using?: string } }
  if (action.runs?.using !== 'node24')
    throw new WorkflowRefusal(`${where}: action.yml runs ${action.runs?.using}; the test runs the bundle as node24`)
  const inputs = evaluateAll(step.with, use.context, `${where} with`)
  const unexpected = Object.keys(inputs).filter(name => !(name in (action.inputs ?? {})))
  const warning = unexpected.length ? `##[warning]Unexpected input(s) '${unexpected.join("', '")}'\n` : ''
  const started = startAction({
    node: options.node,
    entry: options.bundle,
    workspace: use.workspace,
    inputs,
    baseEnv: use.env,
    defaults: inputDefaults(actionYml),
    tmpDir: path.dirname(use.workspace)
  })
  const timeout = setTimeout(() => started.child.kill('SIGKILL'), options.stepTimeoutMs)
  const run = await started.done.finally(() => clearTimeout(timeout))
  const log = `${warning}${run.stdout}${run.stderr}`
  if (run.outputError) return { ok: false, log: `${log}${run.outputError.message}\n`, outputs: {} }
  return {
    ok: run.code === 0 && !warning,
    log: run.code === 0 ? log : `${log}Error: exit code ${run.code ?? run.signal}\n`,
    outputs: run.outputs
  }
}

/** actions/checkout's stand-in: the repository's files (tracked, and new ones not ignored) copied into the workspace. */
function checkout(repository: string, workspace: string): Ran {
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repository, encoding: 'utf8' })
  if (listed.status !== 0) throw new WorkflowRefusal(`actions/checkout stand-in: git ls-files failed in ${repository}: ${listed.stderr}`)
  let copied = 0
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = path.join(repository, file)
    if (!fs.existsSync(from)) continue // deleted in the work tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true })
    fs.copyFileSync(from, path.join(workspace, file))
    copied++
  }
  return { ok: true, log: `[stand-in] ${copied} files of ${repository} copied into the workspace\n`, outputs: {} }
}

/** Ends each step's process group (what a step started in the background) by its id. */
function endGroups(groups: number[]): void {
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
}

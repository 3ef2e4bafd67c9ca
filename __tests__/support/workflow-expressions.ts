/**
 * The small part of GitHub Actions' workflow language that the workflow test
 * (workflow-runner.ts) understands, as pure functions: `${{ }}` expressions,
 * a step's `if:`, a job's matrix legs and a step's shell. Anything else is
 * refused by name (WorkflowRefusal), never skipped: a step the test cannot run
 * as GitHub would must fail the test, not pass it silently.
 */

export interface Step {
  name?: string
  id?: string
  if?: string
  uses?: string
  run?: string
  shell?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}

export interface Job {
  name?: string
  'runs-on'?: unknown
  needs?: string | string[]
  if?: string
  env?: Record<string, unknown>
  defaults?: { run?: { shell?: string } }
  strategy?: { matrix?: Record<string, unknown>; 'fail-fast'?: boolean }
  steps?: Step[]
}

export interface Workflow {
  name?: string
  env?: Record<string, unknown>
  defaults?: { run?: { shell?: string } }
  jobs?: Record<string, Job>
}

/** Something in a workflow the test does not understand; the message names it. */
export class WorkflowRefusal extends Error {
  override name = 'WorkflowRefusal'
}

/** What expressions can read: the step outputs so far, the env context, the matrix leg. */
export interface ExpressionContext {
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>
  env: Record<string, string>
  matrix: Record<string, string>
}

export const UNDERSTOOD = 'steps.<id>.outputs.<name>, env.<NAME>, matrix.<key>'

/** One expression's value: a context lookup, else refused. GitHub reads a missing output as ''. */
function lookup(expression: string, context: ExpressionContext, where: string): string {
  const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression)
  if (output) {
    const step = context.steps[output[1]]
    if (!step) throw new WorkflowRefusal(`${where}: \${{ ${expression} }} names step '${output[1]}', which has not run before it`)
    return step.outputs[output[2]] ?? ''
  }
  const env = /^env\.([A-Za-z_][\w]*)$/.exec(expression)
  if (env) return context.env[env[1]] ?? ''
  const matrix = /^matrix\.([\w-]+)$/.exec(expression)
  if (matrix) {
    if (!(matrix[1] in context.matrix)) throw new WorkflowRefusal(`${where}: \${{ ${expression} }}: the matrix has no '${matrix[1]}'`)
    return context.matrix[matrix[1]]
  }
  throw new WorkflowRefusal(`${where}: the workflow test does not understand \${{ ${expression} }} (it knows ${UNDERSTOOD})`)
}

/** A value with its `${{ }}` expressions replaced (non-strings as YAML gave them, e.g. `true`, `0.2`). */
export function evaluate(value: unknown, context: ExpressionContext, where: string): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value !== 'string')
    throw new WorkflowRefusal(`${where}: a ${Array.isArray(value) ? 'list' : 'mapping'} where a value was expected`)
  return value.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => lookup(expression.trim(), context, where))
}

/** Every value of a mapping (`env:`, `with:`) evaluated. */
export function evaluateAll(
  values: Record<string, unknown> | undefined,
  context: ExpressionContext,
  where: string
): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([name, value]) => [name, evaluate(value, context, `${where} ${name}`)]))
}

/** Whether a step runs, from its `if:` and whether the job has failed so far. Only the status functions are understood. */
export function runsStep(condition: string | undefined, jobFailed: boolean, where: string): boolean {
  const bare = (condition ?? 'success()')
    .trim()
    .replace(/^\$\{\{(.*)\}\}$/s, '$1')
    .trim()
  if (bare === 'success()') return !jobFailed
  if (bare === 'failure()') return jobFailed
  if (bare === 'always()') return true
  throw new WorkflowRefusal(`${where}: the workflow test does not understand if: ${condition} (it knows success(), failure(), always())`)
}

/** A job's matrix legs: every combination of its lists (include/exclude refused). One empty leg without a matrix. */
export function matrixLegs(job: Job, where: string): Record<string, string>[] {
  const matrix = job.strategy?.matrix
  if (!matrix) return [{}]
  let legs: Record<string, string>[] = [{}]
  for (const [key, values] of Object.entries(matrix)) {
    if (!Array.isArray(values) || ['include', 'exclude'].includes(key)) {
      throw new WorkflowRefusal(`${where}: the workflow test does not understand matrix '${key}' (it knows lists of values)`)
    }
    legs = legs.flatMap(leg => values.map(value => ({ ...leg, [key]: String(value as string | number) })))
  }
  return legs
}

/**
 * The command a `run:` step's script file is given to, as the runner builds it
 * on Linux: `bash -e {0}` when no shell is named, `bash --noprofile --norc
 * -eo pipefail {0}` for `shell: bash`. Other shells are refused.
 */
export function shellCommand(step: Step, job: Job, workflow: Workflow, where: string): string[] {
  const shell = step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell
  if (shell === undefined) return ['bash', '-e']
  if (shell === 'bash') return ['bash', '--noprofile', '--norc', '-eo', 'pipefail']
  throw new WorkflowRefusal(`${where}: the workflow test runs bash steps only, not shell: ${shell}`)
}

const STEP_KEYS = ['name', 'id', 'if', 'uses', 'run', 'shell', 'with', 'env']
const JOB_KEYS = ['name', 'runs-on', 'strategy', 'steps', 'env', 'defaults', 'permissions', 'timeout-minutes']

/** Keys the workflow test would have to honour to run a job or step as GitHub does, and does not. */
export function unknownKeys(job: Job, where: string): void {
  const extra = Object.keys(job).filter(key => !JOB_KEYS.includes(key))
  if (extra.length) throw new WorkflowRefusal(`${where}: the workflow test does not understand the job's ${extra.join(', ')}`)
  ;(job.steps ?? []).forEach((step, i) => {
    const keys = Object.keys(step).filter(key => !STEP_KEYS.includes(key))
    if (keys.length) throw new WorkflowRefusal(`${where} step ${i + 1}: the workflow test does not understand ${keys.join(', ')}`)
  })
}

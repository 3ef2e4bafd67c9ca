/**
 * The repository's workflows, run: every job of .github/workflows/*.yml that
 * uses this action (`uses: ./`) runs here as a runner would run its
 * ubuntu-latest leg (__tests__/support/workflow-runner.ts), against the
 * sandbox on a free port, with the action bundled from the current src/. A
 * step that would fail on GitHub fails this test; one the test does not
 * understand fails it too, by name.
 */
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { DIST, NODE, ROOT } from './support/action.js'
import {
  evaluate,
  type ExpressionContext,
  matrixLegs,
  runsStep,
  shellCommand,
  type Workflow,
  WorkflowRefusal
} from './support/workflow-expressions.js'
import { runJob } from './support/workflow-runner.js'

const LEG = 'ubuntu-latest'
const FILES = fs
  .readdirSync(path.join(ROOT, '.github', 'workflows'))
  .filter(f => /\.ya?ml$/.test(f))
  .sort()
const workflow = (file: string): Workflow => parse(fs.readFileSync(path.join(ROOT, '.github', 'workflows', file), 'utf8')) as Workflow

/** Every job that uses this action, with the matrix leg that runs on ubuntu-latest and the legs that cannot run here. */
const ACTION_JOBS = FILES.flatMap(file =>
  Object.entries(workflow(file).jobs ?? {})
    .filter(([, job]) => job.steps?.some(step => step.uses === './'))
    .map(([jobId, job]) => {
      const context = (matrix: Record<string, string>): ExpressionContext => ({ steps: {}, env: {}, matrix })
      const legs = matrixLegs(job, `${file} job ${jobId}`).map(leg => ({
        leg,
        runsOn: evaluate(job['runs-on'], context(leg), `${file} job ${jobId} runs-on`)
      }))
      const others = legs.filter(l => l.runsOn !== LEG).map(l => l.runsOn)
      const label = `${file} job ${jobId}, ${LEG} leg${others.length ? ` (${[...new Set(others)].join(', ')} cannot run here)` : ''}`
      return { file, jobId, label, legs: legs.filter(l => l.runsOn === LEG).map(l => l.leg) }
    })
)

/** A port nothing listens on now, so the job never meets a sandbox a developer left running on 8787. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

describe('the workflows that use the action, run as a runner runs them', () => {
  it('ci.yml has such a job', () => {
    expect(ACTION_JOBS.map(j => `${j.file} ${j.jobId}`)).toContain('ci.yml action')
  })

  it.each(ACTION_JOBS.map(j => [j.label, j] as const))(
    '%s: every step succeeds',
    async (_, { file, jobId, legs }) => {
      expect(legs.length).toBeGreaterThan(0)
      for (const matrix of legs) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-workflow-'))
        dirs.push(dir)
        const run = await runJob({
          file,
          workflow: workflow(file),
          jobId,
          matrix,
          env: { SANDBOX_PORT: String(await freePort()) },
          repository: ROOT,
          dir,
          bundle: DIST,
          node: NODE,
          stepTimeoutMs: 150_000
        })
        // On failure the whole job's log is the message, as the Actions page would show it.
        if (run.conclusion !== 'success') throw new Error(`${file} job ${jobId} failed:\n${run.log}`)
        expect(run.steps.filter(s => s.outcome !== 'success').map(s => `${s.name}: ${s.outcome}`)).toEqual([])
      }
    },
    240_000
  )
})

describe('what the workflow test understands, and what it refuses by name', () => {
  const context: ExpressionContext = {
    steps: { sandbox: { outputs: { results: '[1]' }, outcome: 'success' } },
    env: { SANDBOX_PORT: '4321' },
    matrix: { os: 'ubuntu-latest' }
  }

  it('reads step outputs, env and the matrix; a missing output is empty, as on GitHub', () => {
    expect(evaluate('${{ steps.sandbox.outputs.results }}', context, 'x')).toBe('[1]')
    expect(evaluate('${{ steps.sandbox.outputs.post-id }}', context, 'x')).toBe('')
    expect(evaluate('http://127.0.0.1:${{ env.SANDBOX_PORT }}', context, 'x')).toBe('http://127.0.0.1:4321')
    expect(evaluate('Run on ${{matrix.os}}', context, 'x')).toBe('Run on ubuntu-latest')
    expect(evaluate(0.2, context, 'x')).toBe('0.2')
    expect(evaluate(true, context, 'x')).toBe('true')
  })

  it('refuses any other expression, naming it and where it is', () => {
    for (const expression of ['github.sha', 'secrets.KEY', "format('{0}', env.X)", 'steps.sandbox.outcome', "env.X || 'y'"]) {
      expect(() => evaluate(`\${{ ${expression} }}`, context, 'ci.yml job action step 3 with videos')).toThrow(
        new WorkflowRefusal(
          `ci.yml job action step 3 with videos: the workflow test does not understand \${{ ${expression} }} (it knows steps.<id>.outputs.<name>, env.<NAME>, matrix.<key>)`
        )
      )
    }
    expect(() => evaluate('${{ steps.later.outputs.x }}', context, 'w')).toThrow(/names step 'later', which has not run before it/)
  })

  it('runs a step by its status function, and refuses any other if:', () => {
    expect([runsStep(undefined, false, 'w'), runsStep(undefined, true, 'w')]).toEqual([true, false])
    expect([runsStep('always()', true, 'w'), runsStep('${{ failure() }}', true, 'w'), runsStep('failure()', false, 'w')]).toEqual([
      true,
      true,
      false
    ])
    expect(() => runsStep("steps.diff.outcome == 'failure'", true, 'check-dist.yml step 5')).toThrow(WorkflowRefusal)
    expect(() => runsStep('!cancelled()', false, 'w')).toThrow(/does not understand if: !cancelled\(\)/)
  })

  it('runs bash as the runner does, and refuses other shells and matrix includes', () => {
    expect(shellCommand({ shell: 'bash' }, {}, {}, 'w')).toEqual(['bash', '--noprofile', '--norc', '-eo', 'pipefail'])
    expect(shellCommand({}, {}, {}, 'w')).toEqual(['bash', '-e'])
    expect(() => shellCommand({ shell: 'pwsh' }, {}, {}, 'w')).toThrow(/bash steps only, not shell: pwsh/)
    expect(matrixLegs({ strategy: { matrix: { os: ['a', 'b'], node: [22, 24] } } }, 'w')).toHaveLength(4)
    expect(() => matrixLegs({ strategy: { matrix: { include: [{ os: 'a' }] } } }, 'w')).toThrow(/does not understand matrix 'include'/)
  })
})

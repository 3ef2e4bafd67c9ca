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
  type Step,
  type Workflow,
  WorkflowRefusal
} from './support/workflow-expressions.js'
import { type JobRun, runJob } from './support/workflow-runner.js'

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

describe("ci.yml's job action, broken on purpose: the test fails where GitHub would", () => {
  /** The job's ubuntu-latest leg, run with `edit` applied to its steps first. */
  async function runBroken(edit: (steps: Step[]) => void): Promise<JobRun> {
    const wf = workflow('ci.yml')
    const steps = wf.jobs?.action?.steps ?? []
    edit(steps)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-workflow-'))
    dirs.push(dir)
    const env = { SANDBOX_PORT: String(await freePort()) }
    return runJob({
      file: 'ci.yml',
      workflow: wf,
      jobId: 'action',
      matrix: { os: LEG },
      env,
      repository: ROOT,
      dir,
      bundle: DIST,
      node: NODE,
      stepTimeoutMs: 150_000
    })
  }
  const failed = (run: JobRun): string[] => run.steps.filter(s => s.outcome === 'failure').map(s => s.name)

  it('with the sample video it once had (an ftyp box and random bytes): the dry run fails on the media check', async () => {
    const run = await runBroken(steps => {
      const sample = steps.find(s => s.run?.includes('ci-sample/clip.mp4'))!
      sample.run = `mkdir -p ci-sample
printf '\\000\\000\\000\\030ftypisom\\000\\000\\002\\000isomiso2' > ci-sample/clip.mp4
head -c 65536 /dev/urandom >> ci-sample/clip.mp4
`
    })
    expect(run.conclusion).toBe('failure')
    expect(failed(run)).toEqual(['Run the action (dry run)'])
    expect(run.log).toContain("ci-sample/clip.mp4: it is incomplete or damaged: it has no 'moov' box")
  }, 240_000)

  it("with an output check that expects another status: that check fails, after the action's run succeeded", async () => {
    const run = await runBroken(steps => {
      const check = steps.find(s => s.run?.includes('"PUBLISH_COMPLETE"'))!
      check.run = check.run!.replace('"PUBLISH_COMPLETE"', '"PUBLISHED"')
    })
    expect(run.conclusion).toBe('failure')
    expect(failed(run)).toEqual(["Check the sandbox run's outputs"])
    expect(run.steps.find(s => s.name === 'Run the action against the sandbox')?.outcome).toBe('success')
  }, 240_000)
})

describe('the job runner', () => {
  const job = (steps: Step[], env: Record<string, unknown> = { A: '1' }): Workflow => ({ jobs: { j: { 'runs-on': LEG, env, steps } } })
  const run = (wf: Workflow, env: Record<string, string> = {}): Promise<JobRun> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-workflow-'))
    dirs.push(dir)
    return runJob({
      file: 't.yml',
      workflow: wf,
      jobId: 'j',
      matrix: {},
      env,
      repository: ROOT,
      dir,
      bundle: DIST,
      node: NODE,
      stepTimeoutMs: 30_000
    })
  }
  /** Whether a process still runs (a zombie waiting for its reaper does not), asked for up to 5 s: a kill takes effect soon, not at once. */
  const stillRunning = async (pid: number): Promise<boolean> => {
    for (let i = 0; i < 50; i++) {
      const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8') : ''
      if (!stat || /^\d+ \(.*\) Z/.test(stat)) return false
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    return true
  }

  it("passes outputs, GITHUB_ENV and the test's env on, skips after a failure but for always(), and ends what a step left running", async () => {
    const result = await run(
      job([
        {
          id: 'one',
          shell: 'bash',
          run: 'echo "x=hello" >> "$GITHUB_OUTPUT"\necho "B=from-env-file" >> "$GITHUB_ENV"\nsleep 300 > /dev/null 2>&1 < /dev/null &\necho $! > pid'
        },
        { shell: 'bash', env: { X: '${{ steps.one.outputs.x }}' }, run: 'test "$X" = hello && test "$B" = from-env-file && test "$A" = 2' },
        { name: 'fails', shell: 'bash', run: 'exit 3' },
        { name: 'skipped', run: 'true' },
        { name: 'always', if: '${{ always() }}', run: 'cat pid' }
      ]),
      { A: '2' }
    )
    expect(result.steps.map(s => s.outcome)).toEqual(['success', 'success', 'failure', 'skipped', 'success'])
    expect(result.conclusion).toBe('failure')
    expect(result.steps[2].log).toContain('Process completed with exit code 3')
    const pid = Number(result.steps[4].log.trim())
    expect(pid).toBeGreaterThan(0)
    expect(await stillRunning(pid)).toBe(false)
  })

  it('refuses an action it has no stand-in for, and an env the job does not declare', async () => {
    await expect(run(job([{ uses: 'actions/cache@v5' }]))).rejects.toThrow(
      new WorkflowRefusal('t.yml job j step 1 (actions/cache@v5): the workflow test has no stand-in for uses: actions/cache@v5')
    )
    await expect(run(job([{ run: 'true' }]), { PORT: '1' })).rejects.toThrow(
      /the test gives PORT, but neither the workflow nor the job declares it in env:/
    )
  })
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

/**
 * The repository's GitHub conventions, checked as data: the workflows (the
 * release among them), the Dependabot policy, action.yml's runtime, and
 * .env.example for local-action. A mistake here only shows on GitHub, after a
 * push (or a tag); this finds it first.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { inputVariable } from '../sandbox/runner.js'
import { type Job as RunnerJob, type Step, type Workflow as RunnerWorkflow } from './support/workflow-expressions.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

type Permissions = Record<string, string> | 'read-all' | 'write-all'

interface Job extends RunnerJob {
  permissions?: Permissions
}

interface Workflow extends RunnerWorkflow {
  on?: unknown
  permissions?: Permissions
  concurrency?: string | { group?: string; 'cancel-in-progress'?: boolean | string }
  jobs?: Record<string, Job>
}

interface DependabotUpdate {
  'package-ecosystem': string
  directory: string
  schedule: { interval: string }
  groups?: Record<string, { 'update-types'?: string[] }>
  ignore?: { 'dependency-name': string; versions?: string[]; 'update-types'?: string[] }[]
}

interface ActionMetadata {
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>
  runs?: { using?: string; main?: string }
}

/** Parses strictly: a YAML error (which GitHub would reject too) fails with its line and column. */
function readYaml<T>(file: string): T {
  return parse(fs.readFileSync(path.join(ROOT, file), 'utf8'), { prettyErrors: true, uniqueKeys: true }) as T
}

const WORKFLOW_FILES = fs
  .readdirSync(path.join(ROOT, '.github', 'workflows'))
  .filter(f => /\.ya?ml$/.test(f))
  .sort()

const workflow = (file: string): Workflow => readYaml<Workflow>(path.join('.github', 'workflows', file))
const stepsOf = (wf: Workflow): Step[] => Object.values(wf.jobs ?? {}).flatMap(job => job.steps ?? [])
const commandsOf = (wf: Workflow): string =>
  stepsOf(wf)
    .map(s => s.run ?? '')
    .join('\n')

/** A remote action pinned to a release tag (v6, v6.0.2) or a full commit SHA; never a branch. */
const PINNED = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/

/** The jobs a job waits for (needs), transitively, each before the jobs that need it; then the job itself. */
function jobChain(wf: Workflow, id: string, seen = new Set<string>()): string[] {
  if (seen.has(id)) return []
  seen.add(id)
  const needs = wf.jobs?.[id]?.needs
  const before = (typeof needs === 'string' ? [needs] : (needs ?? [])).flatMap(need => jobChain(wf, need, seen))
  return [...before, id]
}

/** What a job can count on having run before each of its own steps: its needs' steps, then its own, in order. */
const chainCommands = (wf: Workflow, id: string): string =>
  jobChain(wf, id)
    .flatMap(job => wf.jobs?.[job]?.steps ?? [])
    .map(s => s.run ?? '')
    .join('\n')

/** A job's contents permission: its own block, else the workflow's ('unset': the repository's default, maybe write). */
function contentsPermission(wf: Workflow, job: Job): string {
  const block = job.permissions ?? wf.permissions
  if (block === undefined) return 'unset'
  if (typeof block === 'string') return block === 'write-all' ? 'write' : 'read'
  return block.contents ?? 'none'
}

/** GitHub's filter pattern syntax (*, **, +, ?, [...]) as an anchored regular expression. */
function filterPattern(glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '[') {
      const end = glob.indexOf(']', i)
      source += glob.slice(i, end + 1)
      i = end
    } else if (c === '*') {
      const double = glob[i + 1] === '*'
      source += double ? '.*' : '[^/]*'
      if (double) i++
    } else if (c === '+' || c === '?') {
      source += c
    } else {
      source += c.replace(/[.^$|(){}\\]/g, '\\$&')
    }
  }
  return new RegExp(`^${source}$`)
}

/** Runs one workflow step's script as the runner runs `shell: bash` (bash -e -o pipefail), with GITHUB_OUTPUT. */
function runStep(step: Step | undefined, env: Record<string, string>): { status: number | null; stdout: string; outputs: string } {
  if (!step?.run) throw new Error('no such step')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-step-'))
  try {
    const output = path.join(dir, 'output')
    fs.writeFileSync(output, '')
    const script = path.join(dir, 'step.sh')
    fs.writeFileSync(script, step.run)
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', RUNNER_TEMP: dir, GITHUB_OUTPUT: output, ...env }
    })
    return { status: result.status, stdout: result.stdout, outputs: fs.readFileSync(output, 'utf8') }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

describe('workflows', () => {
  it('has ci.yml, check-dist.yml and release.yml', () => {
    expect(WORKFLOW_FILES).toEqual(expect.arrayContaining(['ci.yml', 'check-dist.yml', 'release.yml']))
  })

  describe.each(WORKFLOW_FILES)('%s', file => {
    it('has triggers and jobs, each with runs-on and steps that use or run something', () => {
      const wf = workflow(file)
      expect(wf.on).toBeDefined()
      const jobs = Object.entries(wf.jobs ?? {})
      expect(jobs.length).toBeGreaterThan(0)
      const problems = jobs.flatMap(([id, job]) => [
        ...(job['runs-on'] ? [] : [`${id}: no runs-on`]),
        ...(job.steps?.length ? [] : [`${id}: no steps`]),
        ...(job.steps ?? []).flatMap((step, i) =>
          Boolean(step.uses) !== Boolean(step.run) ? [] : [`${id}: step ${i + 1} needs one of uses or run`]
        )
      ])
      expect(problems).toEqual([])
    })

    it('pins every action it uses to a version', () => {
      const remote = stepsOf(workflow(file))
        .map(s => s.uses)
        .filter((uses): uses is string => uses !== undefined && !uses.startsWith('./') && !uses.startsWith('docker://'))
      expect(remote.filter(uses => !PINNED.test(uses))).toEqual([])
    })

    it('runs only npm scripts that package.json defines', () => {
      const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts)
      const used = [...commandsOf(workflow(file)).matchAll(/\bnpm run ([\w:-]+)/g)].map(m => m[1])
      expect(used.filter(name => !scripts.includes(name))).toEqual([])
    })
  })

  describe('ci.yml', () => {
    const ci = workflow('ci.yml')
    const commands = commandsOf(ci)

    it('installs from the lock file, type-checks, lints, tests and bundles', () => {
      for (const command of ['npm ci', 'npm run typecheck', 'npm run lint', 'npm test', 'npm run bundle']) {
        expect(commands).toContain(command)
      }
      const order = ['npm ci', 'npm run typecheck', 'npm run lint', 'npm test', 'npm run bundle'].map(c => commands.indexOf(c))
      expect(order).toEqual([...order].sort((a, b) => a - b))
    })

    it('installs php-cli, ffmpeg, jq and curl before the tests (the conformance suite, the ffprobe oracle, the workflow test)', () => {
      for (const tool of ['php-cli', 'ffmpeg', 'jq', 'curl']) {
        expect(commands).toMatch(new RegExp(`apt-get install -y[\\w -]* ${tool}\\b`))
        expect(commands.search(new RegExp(`apt-get install -y[\\w -]* ${tool}\\b`))).toBeLessThan(commands.indexOf('npm test'))
      }
    })

    it('fails when npm ci warns EBADENGINE (engines promises the oldest Node of the matrix)', () => {
      const install = stepsOf(ci).find(s => s.run?.includes('npm ci'))
      expect(install?.shell).toBe('bash') // -o pipefail: npm ci's own failure is not lost in the pipe
      const run = (log: string): number | null => {
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-npm-'))
        try {
          fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\nprintf '%s\\n' '${log}'\n`, { mode: 0o755 })
          return runStep(install, { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` }).status
        } finally {
          fs.rmSync(bin, { recursive: true, force: true })
        }
      }
      expect(run('added 694 packages in 27s')).toBe(0)
      expect(run("npm warn EBADENGINE Unsupported engine { package: 'content-type@3.1.1'")).toBe(1)
    })

    it('tests on Node 22 and 24', () => {
      const setupNode = stepsOf(ci).filter(s => s.uses?.startsWith('actions/setup-node@'))
      expect(setupNode.length).toBeGreaterThan(0)
      const versions = Object.values(ci.jobs ?? {}).flatMap(job => {
        const uses = job.steps?.find(s => s.uses?.startsWith('actions/setup-node@'))
        if (!uses) return []
        const value = uses.with?.['node-version']
        const asked = typeof value === 'string' || typeof value === 'number' ? String(value) : ''
        const fromMatrix = /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(asked)
        return fromMatrix ? ((job.strategy?.matrix?.[fromMatrix[1]] as unknown[]) ?? []).map(String) : [asked]
      })
      expect(versions).toEqual(expect.arrayContaining(['22', '24']))
    })

    const ownJobs = Object.values(ci.jobs ?? {}).filter(job => job.steps?.some(s => s.uses === './'))
    const isDryRun = (step: Step): boolean => [true, 'true'].includes(step.with?.['dry-run'] as boolean | string)

    it('runs the action itself (uses: ./) as a dry run, with no key', () => {
      const dryRuns = stepsOf(ci).filter(s => s.uses === './' && isDryRun(s))
      expect(dryRuns.length).toBeGreaterThan(0)
      for (const step of dryRuns) {
        expect(step.with?.videos).toBeTruthy()
        expect(step.with?.['api-key']).toBeUndefined()
      }
    })

    it('runs the action for real only against the sandbox it starts on loopback, with the sandbox key', () => {
      expect(ownJobs.length).toBeGreaterThan(0)
      for (const job of ownJobs) {
        const steps = job.steps ?? []
        const real = steps.filter(s => s.uses === './' && !isDryRun(s))
        expect(real.length).toBeGreaterThan(0)
        for (const step of real) {
          // Never a secret, never the real DraftClip: the sandbox's own key, on the port the job started it on.
          expect(step.with?.['api-key']).toBe('ttapi_sandbox_key')
          // The port: a number, or a variable of the job's env (the workflow test gives it a free port).
          const url = /^http:\/\/127\.0\.0\.1:(?:(\d+)|\$\{\{\s*env\.(\w+)\s*\}\})$/.exec(String(step.with?.['base-url']))
          expect(url).not.toBeNull()
          const [, number, variable] = url!
          if (variable) expect(String(job.env?.[variable])).toMatch(/^\d+$/)
          const port = number ?? `"?\\$\\{?${variable}\\}?"?`
          const at = steps.indexOf(step)
          const start = steps.slice(0, at).find(s => s.run?.includes('sandbox/serve.js'))
          expect(start?.run).toMatch(new RegExp(`node sandbox/serve\\.js --port ${port}(?![\\w])[^\\n]*>[^\\n]*&\\s*$`, 'm'))
          expect(start?.run).toMatch(new RegExp(`http://127\\.0\\.0\\.1:${port}(?![\\w])`))
          // Its outputs are checked afterwards: published, with a publish id.
          const check = steps.slice(at + 1).find(s => Object.values(s.env ?? {}).some(v => String(v).includes(`steps.${step.id}.outputs.`)))
          expect(check?.run).toMatch(/jq -e/)
          expect(check?.run).toContain('"PUBLISH_COMPLETE"')
          expect(check?.run).toContain('publish_id')
        }
      }
      expect(fs.existsSync(path.join(ROOT, 'sandbox', 'serve.js'))).toBe(true)
    })

    it('runs the action on Ubuntu, Windows and macOS, every script in bash', () => {
      expect(ownJobs.length).toBeGreaterThan(0)
      for (const job of ownJobs) {
        const runsOn = String(job['runs-on'])
        const fromMatrix = /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(runsOn)
        const systems = fromMatrix ? ((job.strategy?.matrix?.[fromMatrix[1]] as unknown[]) ?? []).map(String) : [runsOn]
        expect(systems).toEqual(expect.arrayContaining(['ubuntu-latest', 'windows-latest', 'macos-latest']))
        const scripts = (job.steps ?? []).filter(s => s.run)
        expect(scripts.length).toBeGreaterThan(0)
        expect(scripts.filter(s => (s.shell ?? job.defaults?.run?.shell) !== 'bash').map(s => s.name)).toEqual([])
      }
    })
  })

  describe('release.yml', () => {
    const wf = workflow('release.yml')
    const jobs = Object.entries(wf.jobs ?? {})
    const releaseJob = jobs.find(([, job]) => job.steps?.some(s => s.run?.includes('gh release create')))
    const releaseSteps = releaseJob?.[1].steps ?? []
    const commands = releaseJob ? chainCommands(wf, releaseJob[0]) : ''
    const stepIndex = (text: string): number => releaseSteps.findIndex(s => s.run?.includes(text))
    const tagStep = stepsOf(wf).find(s => s.run?.includes('BASH_REMATCH'))
    const notesStep = stepsOf(wf).find(s => s.run?.includes('CHANGELOG.md'))

    it('runs on version tags only (and by hand), never on a branch or the major tag', () => {
      const on = wf.on as Record<string, { tags?: string[]; branches?: unknown }>
      expect(Object.keys(on)).toContain('push')
      expect(Object.keys(on).filter(event => !['push', 'workflow_dispatch'].includes(event))).toEqual([])
      expect(on.push.branches).toBeUndefined()
      const patterns = (on.push.tags ?? []).map(filterPattern)
      const triggers = (ref: string): boolean => patterns.some(p => p.test(ref))
      for (const tag of ['v1.0.0', 'v1.2.3', 'v10.20.30']) expect([tag, triggers(tag)]).toEqual([tag, true])
      for (const ref of ['v1', 'v2', 'v1.2', '1.2.3', 'main', 'latest', 'v1.2.x']) expect([ref, triggers(ref)]).toEqual([ref, false])
    })

    it('checks the version, runs the tests and rebuilds dist/ before it creates the release', () => {
      expect(releaseJob).toBeDefined()
      const created = commands.indexOf('gh release create')
      const before = [
        /require\(["']\.\/package\.json["']\)\.version/,
        /\bnpm ci\b/,
        /apt-get install -y[\w -]* php-cli\b/,
        /apt-get install -y[\w -]* ffmpeg\b/,
        /\bnpm run typecheck\b/,
        /\bnpm test\b/,
        /\bnpm run bundle\b/,
        /git status --porcelain -- dist\b/
      ]
      for (const pattern of before) {
        const at = commands.search(pattern)
        expect([String(pattern), at >= 0 && at < created]).toEqual([String(pattern), true])
      }
      expect(commands.search(/\bnpm run bundle\b/)).toBeLessThan(commands.search(/git status --porcelain -- dist\b/))
    })

    it('creates the release as a draft of an existing tag, then publishes it', () => {
      const creates = [...commands.matchAll(/gh release create[^\n]*/g)]
      expect(creates.length).toBeGreaterThan(0)
      const create = stepIndex('gh release create')
      expect(releaseSteps[create].run).toMatch(/args=\([^)]*--draft\b/)
      expect(releaseSteps[create].run).toMatch(/args=\([^)]*--verify-tag\b/)
      const publish = stepIndex('--draft=false')
      expect(releaseSteps[publish]?.run).toMatch(/gh release edit [^\n]*--draft=false/)
      expect(publish).toBeGreaterThan(create)
    })

    it('moves the major tag only after publishing, and only for a stable version', () => {
      const move = stepIndex('git tag -f')
      expect(move).toBeGreaterThan(stepIndex('--draft=false'))
      expect(releaseSteps[move].run).toMatch(/git push (-f|--force) origin\b/)
      expect(releaseSteps[move].if).toMatch(/prerelease == 'false'/)
    })

    it('gives a write token to the release job alone, not to the job that installs dependencies', () => {
      expect(releaseJob && contentsPermission(wf, releaseJob[1])).toBe('write')
      const installers = jobs.filter(([, job]) => job.steps?.some(s => s.run?.includes('npm ci')))
      expect(installers.length).toBeGreaterThan(0)
      expect(installers.map(([, job]) => contentsPermission(wf, job)).filter(p => p !== 'read')).toEqual([])
    })

    it('never runs twice at once for a tag, nor cancels a release half-way', () => {
      const concurrency = typeof wf.concurrency === 'object' ? wf.concurrency : {}
      expect(concurrency.group).toMatch(/github\.ref_name/)
      expect(String(concurrency['cancel-in-progress'] ?? false)).toBe('false')
    })

    it('reads a tag into its version, major tag and pre-release flag, and refuses anything else', () => {
      const read = (tag: string): string => {
        const result = runStep(tagStep, { TAG: tag })
        return result.status === 0 ? result.outputs.trim().split('\n').join(' ') : `refused: ${result.stdout}`
      }
      expect(read('v1.2.3')).toBe('version=1.2.3 major=v1 prerelease=false')
      expect(read('v10.0.0-rc.1')).toBe('version=10.0.0-rc.1 major=v10 prerelease=true')
      for (const tag of ['v1', 'v1.2', 'v01.2.3', 'v1.2.3-', '1.2.3', 'v1.2.3; echo x']) {
        expect(read(tag)).toMatch(/^refused: ::error::/)
      }
    })

    it("finds package.json's version in CHANGELOG.md and takes that section alone as the notes", () => {
      const result = runStep(notesStep, { VERSION: PACKAGE_VERSION })
      expect(result.status).toBe(0)
      expect(result.outputs).toMatch(/^file=/)
      const notes = result.stdout
      expect(notes.trim().length).toBeGreaterThan(0)
      expect(notes).not.toMatch(/^## /m)
      expect(notes).not.toMatch(/^\[[^\]]+\]: /m)
      const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8')
      expect(changelog).toMatch(/^## \[Unreleased\]$/m)
      expect(changelog).toContain(`## [${PACKAGE_VERSION}] - `)
      expect(changelog).toContain(notes.trim())
    })

    it('falls back to generated notes, with a warning, for a version CHANGELOG.md lacks', () => {
      const result = runStep(notesStep, { VERSION: '999.0.0' })
      expect(result.status).toBe(0)
      expect(result.outputs).toBe('')
      expect(result.stdout).toMatch(/^::warning file=CHANGELOG\.md::/)
      expect(releaseSteps[stepIndex('gh release create')].run).toContain('--generate-notes')
    })
  })

  describe('check-dist.yml', () => {
    const wf = workflow('check-dist.yml')
    const commands = commandsOf(wf)

    it('rebuilds dist/ and fails on any change or untracked file', () => {
      expect(commands).toContain('npm ci')
      expect(commands).toContain('npm run bundle')
      expect(commands).toMatch(/git diff --exit-code\b.*\bdist\//)
      expect(commands).toMatch(/git (ls-files --others|status --porcelain)\b.*\bdist\//)
      expect(commands.indexOf('npm run bundle')).toBeLessThan(commands.indexOf('git diff'))
    })

    it('uploads the expected dist/ when the comparison fails', () => {
      const upload = stepsOf(wf).find(s => s.uses?.startsWith('actions/upload-artifact@'))
      expect(upload?.if).toMatch(/failure\(\)/)
      expect(upload?.with?.path).toMatch(/^dist\/?$/)
    })
  })
})

describe('dependabot.yml', () => {
  const config = readYaml<{ version: number; updates: DependabotUpdate[] }>('.github/dependabot.yml')
  const npm = config.updates.find(u => u['package-ecosystem'] === 'npm')
  const ignored = (name: string): string[] =>
    (npm?.ignore ?? []).filter(i => i['dependency-name'] === name).flatMap(i => (i.versions ?? []).map(v => v.replace(/\s+/g, '')))

  it('is version 2 and updates npm and github-actions weekly, minor and patch grouped', () => {
    expect(config.version).toBe(2)
    for (const ecosystem of ['npm', 'github-actions']) {
      const update = config.updates.find(u => u['package-ecosystem'] === ecosystem)
      expect(update?.schedule.interval).toBe('weekly')
      const grouped = Object.values(update?.groups ?? {}).flatMap(g => g['update-types'] ?? [])
      expect(grouped).toEqual(expect.arrayContaining(['minor', 'patch']))
    }
  })

  it('never proposes typescript 6+ (ts-jest 29 and typescript-eslint 8 need older)', () => {
    expect(ignored('typescript')).toContain('>=6')
  })

  it('never proposes undici 8+ (it crashes on Node 20)', () => {
    expect(ignored('undici')).toContain('>=8')
  })
})

describe('action.yml', () => {
  // Read lazily: a YAML error then fails these tests alone, with its position.
  const action = (): ActionMetadata => readYaml<ActionMetadata>('action.yml')

  it('runs dist/index.js on node24', () => {
    expect(action().runs).toEqual(expect.objectContaining({ using: 'node24', main: 'dist/index.js' }))
    expect(fs.existsSync(path.join(ROOT, 'dist', 'index.js'))).toBe(true)
  })

  it('has every input documented in .env.example, and nothing else', () => {
    const env = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8')
    const documented = [...env.matchAll(/^(INPUT_[^=\s]+)=/gm)].map(m => m[1]).sort()
    const expected = Object.keys(action().inputs ?? {})
      .map(inputVariable)
      .sort()
    expect(expected.length).toBeGreaterThan(0)
    expect(documented).toEqual(expected)
  })

  it('keeps .env.example free of a real key: only the sandbox key (sandbox/serve.js) is there', () => {
    const env = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8')
    expect(env).toMatch(/^INPUT_API-KEY=ttapi_sandbox_key$/m)
    expect([...env.matchAll(/ttapi_[A-Za-z0-9_-]+/g)].map(m => m[0]).filter(key => key !== 'ttapi_sandbox_key')).toEqual([])
  })
})

describe('LICENSE', () => {
  it("is the MIT license package.json names, with the project's copyright", () => {
    const license = fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')
    expect((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { license: string }).license).toBe('MIT')
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} draftclip-publish contributors\n/)
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND')
  })
})

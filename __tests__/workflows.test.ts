/**
 * The repository's GitHub conventions, checked as data: the workflows, the
 * Dependabot policy, action.yml's runtime, and .env.example for local-action.
 * A mistake here only shows on GitHub, after a push; this finds it first.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

interface Step {
  name?: string
  id?: string
  if?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}

interface Job {
  'runs-on'?: unknown
  strategy?: { matrix?: Record<string, unknown> }
  steps?: Step[]
}

interface Workflow {
  name?: string
  on?: unknown
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

/** The runner's spelling of an input's variable: upper-cased, spaces as underscores, hyphens kept. */
const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

describe('workflows', () => {
  it('has ci.yml and check-dist.yml', () => {
    expect(WORKFLOW_FILES).toEqual(expect.arrayContaining(['ci.yml', 'check-dist.yml']))
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

    it('installs php-cli before the tests (the conformance suite needs it)', () => {
      expect(commands).toMatch(/apt-get install -y[\w -]* php-cli/)
      expect(commands.indexOf('php-cli')).toBeLessThan(commands.indexOf('npm test'))
    })

    it('tests on Node 20 and 24', () => {
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
      expect(versions).toEqual(expect.arrayContaining(['20', '24']))
    })

    it('runs the action itself (uses: ./) as a dry run, so no key is needed', () => {
      const own = stepsOf(ci).filter(s => s.uses === './')
      expect(own.length).toBeGreaterThan(0)
      for (const step of own) {
        expect(String(step.with?.['dry-run'])).toBe('true')
        expect(step.with?.videos).toBeTruthy()
        expect(step.with?.['api-key']).toBeUndefined()
      }
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

  it('keeps .env.example free of a key', () => {
    const env = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8')
    expect(env).toMatch(/^INPUT_API-KEY=$/m)
    expect(env).not.toMatch(/ttapi_[A-Za-z0-9]/)
  })
})

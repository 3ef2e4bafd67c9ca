/**
 * Which Node does what, said the same way everywhere: the action runs on the
 * runner's Node 24 (action.yml); the tool chain needs `engines` in package.json,
 * which CI's oldest Node, .node-version, .ci/run, the README and
 * docs/development.md must match; and every
 * workflow the README and docs/ show uses actions that still run on a runner
 * (Node 20 is gone from them: a node20 major of actions/cache fails there).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8')
const pkg = JSON.parse(read('package.json')) as { engines: { node: string } }
const docs = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).map(f => `docs/${f}`)]

/** The first major of each of GitHub's own actions that runs on node24. */
const FIRST_NODE24_MAJOR: Record<string, number> = {
  'actions/cache': 5,
  'actions/cache/restore': 5,
  'actions/cache/save': 5,
  'actions/checkout': 5,
  'actions/setup-node': 5
}

describe('which Node the tool chain needs, and which the action runs on', () => {
  const engines = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(pkg.engines.node)

  it('engines names the oldest Node the tool chain runs on, as a version', () => {
    expect(engines).not.toBeNull()
  })

  it("is CI's oldest Node", () => {
    const ci = parse(read('.github/workflows/ci.yml')) as { jobs: { test: { strategy: { matrix: { node: number[] } } } } }
    expect(Math.min(...ci.jobs.test.strategy.matrix.node)).toBe(Number(engines![1]))
  })

  it('is what docs/development.md and the README say', () => {
    for (const page of ['docs/development.md', 'README.md']) {
      expect([page, read(page).includes(`Node ${engines![1]}.${engines![2]}.${engines![3]} or newer`)]).toEqual([page, true])
    }
  })

  it('is the major .node-version names (for version managers and setup-node)', () => {
    expect(read('.node-version').trim()).toBe(engines![1])
  })

  it('is the Node .ci/run runs the tool chain on (fetched from the registry), failing on EBADENGINE', () => {
    const ci = read('.ci/run')
    expect(ci).toMatch(new RegExp(`node bench/node24\\.js --major=${engines![1]}\\b`))
    expect(ci).toContain('EBADENGINE')
  })

  it('the action runs on node24', () => {
    expect((parse(read('action.yml')) as { runs: { using: string } }).runs.using).toBe('node24')
  })
})

describe("the workflows the docs show and the repository's own use actions that run on node24", () => {
  const files = [
    ...docs,
    ...fs
      .readdirSync(path.join(ROOT, '.github/workflows'))
      .filter(f => f.endsWith('.yml'))
      .map(f => `.github/workflows/${f}`)
  ]
  const uses = files.flatMap(file =>
    [...read(file).matchAll(/uses:\s*(actions\/[\w/-]+)@v(\d+)\b/g)].map(m => ({ file, action: m[1], major: Number(m[2]) }))
  )

  it('the docs show actions/cache (the file ledger carried across runs), so the check below has something to check', () => {
    expect(uses.filter(u => u.file.endsWith('.md') && u.action.startsWith('actions/cache')).length).toBeGreaterThan(0)
  })

  it.each(Object.keys(FIRST_NODE24_MAJOR))('%s: no major older than its first node24 one', action => {
    const old = uses.filter(u => u.action === action && u.major < FIRST_NODE24_MAJOR[action])
    expect(old).toEqual([])
  })
})

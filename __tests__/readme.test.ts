import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse, parseDocument } from 'yaml'
import { actionInputDefaults } from '../sandbox/outputs.js'
import { ROOT } from './support/action.js'
import { COMPLETE_STATUSES, INCOMPLETE_STATUSES, Status, STATUS_MEANINGS } from '../src/model/status.js'
import { INSTALL, PREREQUISITES } from './support/prerequisites.js'

const actionYml = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')

/** The names declared under a top-level key of action.yml (`inputs:` or `outputs:`). */
function declared(section: string): string[] {
  const lines = actionYml.split('\n')
  const start = lines.indexOf(`${section}:`)
  const names: string[] = []
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break
    const m = /^ {2}([a-z][a-z0-9-]*):\s*$/.exec(line)
    if (m) names.push(m[1])
  }
  return names
}

/** The rows of the first table under a README heading: first cell (without backticks) -> second cell. */
function table(heading: string): Map<string, string> {
  const at = readme.indexOf(`\n## ${heading}\n`)
  expect(at).toBeGreaterThan(-1)
  const rows = new Map<string, string>()
  const lines = readme.slice(at).split('\n').slice(2)
  let inTable = false
  for (const line of lines) {
    if (line.startsWith('## ') || line.startsWith('### ')) break
    if (!line.startsWith('|')) {
      if (inTable) break
      continue
    }
    inTable = true
    const cells = line
      .split('|')
      .slice(1, -1)
      .map(c => c.trim())
    const name = /^`([^`]+)`$/.exec(cells[0])
    if (name) rows.set(name[1], cells[1])
  }
  return rows
}

describe('README and action.yml describe the same contract', () => {
  it('every input is in the README table, and no other', () => {
    expect([...table('Inputs').keys()].sort()).toEqual(declared('inputs').sort())
  })

  it('every output is in the README table, and no other', () => {
    expect([...table('Outputs').keys()].sort()).toEqual(declared('outputs').sort())
  })

  it('the README states the defaults action.yml gives', () => {
    const rows = table('Inputs')
    for (const [name, value] of Object.entries(actionInputDefaults(actionYml))) {
      expect([name, rows.get(name)]).toEqual([name, `\`${value}\``])
    }
  })

  it('the inputs the issues named are all declared', () => {
    expect(declared('inputs')).toEqual(
      expect.arrayContaining([
        'api-key',
        'videos',
        'description',
        'privacy-level',
        'title',
        'wait',
        'wait-timeout',
        'poll-interval',
        'if-no-files-found',
        'base-url',
        'retries',
        'ledger',
        'concurrency',
        'dry-run',
        'release-notes',
        'github-token',
        'max-polls-per-minute',
        'max-uploads',
        'max-poll-interval',
        'media-check',
        'max-duration',
        'ledger-branch',
        'tiktok-username',
        'deployment-environment'
      ])
    )
    expect(declared('outputs')).toEqual([
      'publish-ids',
      'post-ids',
      'post-urls',
      'results',
      'publish-id',
      'post-id',
      'post-url',
      'next-publish-at',
      'requests'
    ])
  })
})

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-')

describe("the README's status table is the action's", () => {
  /** The status table: status -> its step column (fails, ok, -). */
  const statusRows = (): Map<string, string> => {
    const lines = readme.split('\n')
    const rows = new Map<string, string>()
    for (const line of lines.slice(lines.indexOf('| status | meaning | step |') + 2)) {
      if (!line.startsWith('|')) break
      const cells = line.split('|').map(c => c.trim())
      rows.set(cells[1].replace(/`/g, ''), cells[3])
    }
    return rows
  }
  const DRAFTCLIPS: string[] = [...INCOMPLETE_STATUSES, ...COMPLETE_STATUSES]

  it("lists every status of the action's own, and says whether it fails the step as STATUS_MEANINGS does", () => {
    const own = Object.values(Status).filter(s => !DRAFTCLIPS.includes(s))
    const rows = statusRows()
    expect([...rows.keys()].sort()).toEqual(own.sort())
    for (const [status, step] of rows) {
      if (step === '-') continue
      expect([status, step]).toEqual([status, STATUS_MEANINGS[status as keyof typeof STATUS_MEANINGS].failsStep ? 'fails' : 'ok'])
    }
  })

  it("action.yml's results names REFUSED and warnings", () => {
    expect(actionYml).toMatch(/results:\n\s+description: '[^\n]*REFUSED[^\n]*warnings \(an array of strings, empty when none\)/)
  })
})

describe('the README and docs/ link to what exists', () => {
  const pages = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).map(f => `docs/${f}`)]
  const anchors = new Map<string, Set<string>>()
  const text = (page: string): string => fs.readFileSync(path.join(ROOT, page), 'utf8')
  const anchorsOf = (page: string): Set<string> => {
    if (!anchors.has(page)) {
      const outsideCode = text(page).replace(/```[\s\S]*?```/g, '')
      anchors.set(page, new Set([...outsideCode.matchAll(/^#+ (.*)$/gm)].map(m => anchor(m[1]))))
    }
    return anchors.get(page)!
  }

  it.each(pages)('%s: every relative link names a file that exists, and a heading in it', page => {
    const broken: string[] = []
    for (const [, target] of text(page)
      .replace(/```[\s\S]*?```/g, '')
      .matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue
      const [file, hash] = target.split('#')
      const to = file ? path.posix.normalize(path.posix.join(path.posix.dirname(page), file)) : page
      if (!fs.existsSync(path.join(ROOT, to))) broken.push(`${target}: no ${to}`)
      else if (hash !== undefined && to.endsWith('.md') && !anchorsOf(to).has(hash)) broken.push(`${target}: no heading #${hash} in ${to}`)
    }
    expect(broken).toEqual([])
  })
})

describe("the README's and docs' workflow examples can be copied as they are", () => {
  const pages = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).map(f => `docs/${f}`)]
  const blocks = pages.flatMap(page =>
    // A fence may be indented (a block inside a list item): its closing fence is indented alike.
    [...fs.readFileSync(path.join(ROOT, page), 'utf8').matchAll(/^( *)```ya?ml[ \t]*\n([\s\S]*?)^\1```/gm)].map((m, i) => ({
      name: `${page} yaml block ${i + 1}`,
      // A fragment (steps cut from a job) is indented as in its job: dedented, it is a YAML sequence of its own.
      text: dedent(m[2])
    }))
  )

  // The repository's own workflows are held to the same rule.
  const workflows = fs.readdirSync(path.join(ROOT, '.github/workflows')).map(f => ({
    name: `.github/workflows/${f}`,
    text: fs.readFileSync(path.join(ROOT, '.github/workflows', f), 'utf8')
  }))
  blocks.push(...workflows)

  it('there are examples to check', () => expect(blocks.length).toBeGreaterThan(5 + workflows.length))

  it.each(blocks)('$name is valid YAML', ({ text }) => {
    const doc = parseDocument(text)
    expect(doc.errors.map(e => e.message)).toEqual([])
  })

  it.each(blocks)("$name pastes no expression into a script (outputs and events reach 'run:' through env)", ({ text }) => {
    const scripts: string[] = []
    visit(parse(text), (key, value) => key === 'run' && typeof value === 'string' && scripts.push(value))
    expect(scripts.filter(run => run.includes('${{'))).toEqual([])
  })
})

function dedent(text: string): string {
  const lines = text.split('\n')
  const indent = Math.min(...lines.filter(l => l.trim() !== '').map(l => /^ */.exec(l)![0].length))
  return lines.map(l => l.slice(indent)).join('\n')
}

function visit(node: unknown, seen: (key: string, value: unknown) => void): void {
  if (Array.isArray(node)) for (const item of node) visit(item, seen)
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      seen(key, value)
      visit(value, seen)
    }
}

describe('the README sets it up, near the top', () => {
  const setUp = readme.slice(readme.indexOf('\n## Set up\n'), readme.indexOf('\n## ', readme.indexOf('\n## Set up\n') + 1))
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    engines: { node: string }
    scripts: Record<string, string>
  }

  it('is the first section', () => {
    expect([...readme.matchAll(/^## (.*)$/gm)][0]?.[1]).toBe('Set up')
  })

  it('gives the two commands, each on a line of its own saying what it does', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(setUp)?.[1] ?? ''
    const lines = block.trim().split('\n')
    expect(lines.map(line => line.split('#')[0].trim())).toEqual(['npm ci && npm start', 'npm ci && npm test'])
    for (const line of lines) expect(line).toMatch(/ # \S.{20,}/)
    expect(pkg.scripts.start).toBeDefined()
    expect(pkg.scripts.test).toBeDefined()
  })

  it("names the Node package.json's engines asks for", () => {
    expect(pkg.engines.node).toMatch(/^>=\d+\.\d+\.\d+$/)
    expect(setUp).toContain(`Node ${pkg.engines.node.slice(2)} or newer`)
  })

  it('lists what npm test checks for (its globalSetup), and the command that installs it', () => {
    expect(setUp).toContain(INSTALL)
    for (const { command, package: pkg, min } of PREREQUISITES) {
      expect([command, setUp.includes(`\`${command}\``)]).toEqual([command, true])
      expect([pkg, INSTALL.split(' ').includes(pkg)]).toEqual([pkg, true])
      if (min) expect(setUp).toContain(`${min.join('.')} or newer`)
    }
  })
})

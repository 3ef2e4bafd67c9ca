/**
 * docs/reliability.md states what the branch ledger costs GitHub; .ci/run
 * measures it (bench/ledger-branch.js --check) and compares. This holds the
 * doc's sentence in the shape that comparison reads, so a rewording fails
 * here, in npm test, rather than only in .ci/run.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { countDifferences, documentedCounts } from '../bench/ledger-docs.js'
import { ROOT } from './support/action.js'

const doc = fs.readFileSync(path.join(ROOT, 'docs', 'reliability.md'), 'utf8')

describe("docs/reliability.md's counts of the branch ledger", () => {
  it('states requests and commits for the runs .ci/run measures: 1, 10 and 100 videos, concurrency 1', () => {
    const counts = documentedCounts(doc)
    expect(Object.keys(counts[1]).map(Number)).toEqual(expect.arrayContaining([1, 10, 100]))
    for (const { requests, commits } of Object.values(counts[1])) {
      expect(requests).toBeGreaterThan(commits)
      expect(commits).toBeGreaterThan(0)
    }
  })

  it('reads the sentence, wrapped or not, and the concurrency-4 figures after it', () => {
    const text = `A run of 1, 10 and 100 videos (wait on, a new branch) costs 7, 16 and
106 GitHub requests and 2, 11 and 101 commits with \`concurrency: 1\` (one read, ...), and 9 and 31 requests, 4 and 26 commits
for 10 and 100 videos with \`concurrency: 4\` (measured ...).`
    expect(documentedCounts(text)).toEqual({
      1: { 1: { requests: 7, commits: 2 }, 10: { requests: 16, commits: 11 }, 100: { requests: 106, commits: 101 } },
      4: { 10: { requests: 9, commits: 4 }, 100: { requests: 31, commits: 26 } }
    })
  })

  it('fails, saying what it looked for, when the sentence is gone', () => {
    expect(() => documentedCounts('A run costs a few requests.')).toThrow(/no longer says "A run of N, N and N videos/)
  })

  it('names every run that differs from the doc, or that the doc does not state', () => {
    const documented = documentedCounts(doc)
    const stated = documented[1][10]
    expect(countDifferences([{ videos: 10, ...stated }], documented, 1)).toEqual([])
    expect(
      countDifferences(
        [
          { videos: 10, requests: stated.requests + 1, commits: stated.commits },
          { videos: 3, requests: 9, commits: 4 }
        ],
        documented,
        1
      )
    ).toEqual([
      `10 videos with concurrency 1: measured ${stated.requests + 1} requests and ${stated.commits} commits; docs/reliability.md says ${stated.requests} and ${stated.commits}`,
      '3 videos with concurrency 1: measured 9 requests and 4 commits; docs/reliability.md states none'
    ])
  })
})

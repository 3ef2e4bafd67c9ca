// The branch ledger's GitHub requests and commits as docs/reliability.md states
// them, read out of its sentence ("A run of 1, 10 and 100 videos ... costs 7,
// 16 and 106 GitHub requests and 2, 11 and 101 commits with `concurrency: 1`
// ..., and 9 and 31 requests, 4 and 26 commits for 10 and 100 videos with
// `concurrency: 4`"), so that `bench/ledger-branch.js --check` (run by .ci/run)
// compares what the code does with what the docs say, whoever changed either.

const LIST = String.raw`\d+(?:(?:,| and) \d+)*`
const FIRST = new RegExp(
  String.raw`A run of (${LIST}) videos\b[^.]*?\bcosts (${LIST}) GitHub requests and (${LIST}) commits with \`concurrency: (\d+)\``
)
const MORE = new RegExp(String.raw`\band (${LIST}) requests, (${LIST}) commits for (${LIST}) videos with \`concurrency: (\d+)\``)

const numbers = list => list.split(/,| and /).map(n => Number(n.trim()))

/** concurrency -> videos -> { requests, commits }, from the doc's Markdown; throws, saying what it looked for, when it is not there. */
export function documentedCounts(markdown) {
  const text = markdown.replace(/\s+/g, ' ')
  const first = FIRST.exec(text)
  if (!first) {
    throw new Error(
      'docs/reliability.md no longer says "A run of N, N and N videos (...) costs N, N and N GitHub requests and N, N and N commits with `concurrency: 1`": ' +
        'say the counts that way again, or teach bench/ledger-docs.js the new wording'
    )
  }
  const counts = {}
  const add = (videos, requests, commits, concurrency) => {
    const [v, r, c] = [numbers(videos), numbers(requests), numbers(commits)]
    if (r.length !== v.length || c.length !== v.length)
      throw new Error(
        `docs/reliability.md: ${v.length} run sizes but ${r.length} request and ${c.length} commit counts for concurrency ${concurrency}`
      )
    counts[concurrency] = Object.fromEntries(v.map((n, i) => [n, { requests: r[i], commits: c[i] }]))
  }
  add(first[1], first[2], first[3], Number(first[4]))
  const more = MORE.exec(text.slice(first.index + first[0].length))
  if (more) add(more[3], more[1], more[2], Number(more[4]))
  return counts
}

/** The measured runs that differ from the doc, or that the doc does not state, one line each; [] when they agree. */
export function countDifferences(measured, documented, concurrency) {
  const stated = documented[concurrency] ?? {}
  return measured.flatMap(({ videos, requests, commits }) => {
    const doc = stated[videos]
    if (!doc)
      return [
        `${videos} videos with concurrency ${concurrency}: measured ${requests} requests and ${commits} commits; docs/reliability.md states none`
      ]
    if (doc.requests === requests && doc.commits === commits) return []
    return [
      `${videos} videos with concurrency ${concurrency}: measured ${requests} requests and ${commits} commits; docs/reliability.md says ${doc.requests} and ${doc.commits}`
    ]
  })
}

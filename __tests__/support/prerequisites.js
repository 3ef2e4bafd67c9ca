// What `npm test` runs besides Node, each checked by the jest globalSetup
// before any suite: a missing or too old one fails the whole run, naming the
// command that installs it, rather than let a suite skip or fail obscurely.
// The README's prerequisites list the same (__tests__/readme.test.ts).

import { spawnSync } from 'node:child_process'

/** The Debian/Ubuntu command that installs them all (CI runs it; .ci/run too). */
export const INSTALL = 'sudo apt-get install php-cli ffmpeg jq curl'

export const PREREQUISITES = [
  { command: 'php', args: ['--version'], package: 'php-cli', why: "the multipart conformance suite runs PHP's own parser" },
  {
    command: 'ffmpeg',
    args: ['-version'],
    package: 'ffmpeg',
    min: [5, 1],
    why: 'script/make-fixtures.sh makes the test videos with it; ffprobe comes with it'
  },
  {
    command: 'ffprobe',
    args: ['-version'],
    package: 'ffmpeg',
    min: [5, 1],
    why: "the media reader's findings are compared with ffprobe's"
  },
  { command: 'jq', args: ['--version'], package: 'jq', why: "the workflow test runs ci.yml's checks of the outputs" },
  { command: 'curl', args: ['--version'], package: 'curl', why: "the workflow test runs ci.yml's wait for the sandbox" }
]

/** `ffmpeg version 5.1.6-0+deb12u1 ...` (or `n6.1`) -> [5, 1]; null when no version is there (a git build). */
export function versionOf(firstLine) {
  const m = /\bversion n?(\d+)\.(\d+)/.exec(firstLine)
  return m ? [Number(m[1]), Number(m[2])] : null
}

/** One line per prerequisite that is missing or too old; [] when all are there. `run` is spawnSync (a test may pass another). */
export function prerequisiteProblems(run = spawnSync) {
  const problems = []
  for (const { command, args, package: pkg, min, why } of PREREQUISITES) {
    const r = run(command, args, { encoding: 'utf8', timeout: 30000 })
    const firstLine = `${r.stdout ?? ''}`.split('\n')[0].trim()
    if (r.error || r.status !== 0) {
      problems.push(`${command} is missing (${why}): install ${pkg}`)
      continue
    }
    if (!min) continue
    const version = versionOf(firstLine)
    if (!version || version[0] < min[0] || (version[0] === min[0] && version[1] < min[1])) {
      problems.push(
        `${command} ${min.join('.')} or newer is needed (${why}), this one says "${firstLine}": install ${pkg} from Debian 12 or Ubuntu 24.04 or newer`
      )
    }
  }
  return problems
}

/** The error globalSetup throws: every problem, then the one command that fixes them. */
export function prerequisiteError(problems) {
  return new Error(`npm test needs what it runs besides Node:\n  - ${problems.join('\n  - ')}\nInstall them with: ${INSTALL}`)
}

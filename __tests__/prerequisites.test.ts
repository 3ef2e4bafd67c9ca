/**
 * npm test fails, never skips, without what it runs besides Node: the
 * globalSetup's check (support/prerequisites.js), run against this machine's
 * tools and against stand-ins that are missing or too old.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { INSTALL, prerequisiteError, prerequisiteProblems, versionOf } from './support/prerequisites.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prerequisites-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** spawnSync with a folder of stand-in commands (shell scripts) first on PATH. */
function withCommands(scripts: Record<string, string>): typeof spawnSync {
  const bin = fs.mkdtempSync(path.join(dir, 'bin-'))
  for (const [name, body] of Object.entries(scripts)) {
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 })
  }
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` }
  return ((command: string, args: string[], options: object) => spawnSync(command, args, { ...options, env })) as typeof spawnSync
}

describe("npm test's prerequisites", () => {
  it('are all on this machine', () => {
    expect(prerequisiteProblems()).toEqual([])
  })

  it('reads the version Debian, upstream and n-tagged builds print', () => {
    expect(versionOf('ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers')).toEqual([5, 1])
    expect(versionOf('ffprobe version n6.1.1 Copyright (c) 2007-2023 the FFmpeg developers')).toEqual([6, 1])
    expect(versionOf('ffmpeg version N-113446-g5d0a4a4 Copyright')).toBeNull()
  })

  it('names a missing one, what needs it, and the package', () => {
    const problems = prerequisiteProblems(withCommands({ ffprobe: 'exit 127', jq: 'echo "jq: not here" >&2; exit 127' }))
    expect(problems).toEqual([
      "ffprobe is missing (the media reader's findings are compared with ffprobe's): install ffmpeg",
      "jq is missing (the workflow test runs ci.yml's checks of the outputs): install jq"
    ])
  })

  it('refuses an ffmpeg or ffprobe older than 5.1, or one that gives no version', () => {
    const problems = prerequisiteProblems(
      withCommands({
        ffmpeg: 'echo "ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021"',
        ffprobe: 'echo "ffprobe version N-113446-g5d0a4a4 Copyright"'
      })
    )
    expect(problems).toEqual([
      expect.stringMatching(
        /^ffmpeg 5\.1 or newer is needed \(.*\), this one says "ffmpeg version 4\.4\.2-0ubuntu0\.22\.04\.1 .*": install ffmpeg from Debian 12/
      ),
      expect.stringMatching(/^ffprobe 5\.1 or newer is needed \(.*\), this one says "ffprobe version N-113446-g5d0a4a4 Copyright"/)
    ])
    expect(
      prerequisiteProblems(withCommands({ ffmpeg: 'echo "ffmpeg version 5.1.6-0+deb12u1"', ffprobe: 'echo "ffprobe version 7.0"' }))
    ).toEqual([])
  })

  it('fails the run with every problem and the one command that installs them all', () => {
    expect(prerequisiteError(['php is missing (x): install php-cli']).message).toBe(
      `npm test needs what it runs besides Node:\n  - php is missing (x): install php-cli\nInstall them with: ${INSTALL}`
    )
  })
})

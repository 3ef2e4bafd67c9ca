import * as path from 'node:path'
import * as glob from '@actions/glob'
import { isSidecar } from './sidecar.js'

/** Matches the patterns against the workspace: absolute paths, de-duplicated, sorted. */
export async function findVideoPaths(patterns: string[], workspace: string): Promise<string[]> {
  const anchored = patterns.map(p => anchorPattern(p, workspace))
  // Symbolic links are not followed while walking (a loop cannot hang the search);
  // a matched link is resolved and checked like any file later. A folder matched
  // by `videos/*` is not entered: publishing is not undone, so only what a
  // pattern names is published (`videos/**` for everything below).
  const globber = await glob.create(anchored.join('\n'), {
    followSymbolicLinks: false,
    matchDirectories: true,
    implicitDescendants: false
  })
  const matches = new Set<string>()
  for await (const match of globber.globGenerator()) {
    if (!isSidecar(match)) matches.add(match)
  }
  // Plain UTF-16 order, the same on every machine whatever its locale.
  return [...matches].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** A pattern anchored at the workspace (kept as is when absolute or home-relative); a leading ! stays in front. */
export function anchorPattern(pattern: string, workspace: string, paths: Pick<typeof path, 'isAbsolute' | 'join'> = path): string {
  const negated = pattern.startsWith('!')
  const bare = negated ? pattern.slice(1) : pattern
  const absolute = paths.isAbsolute(bare) || bare.startsWith('~') ? bare : paths.join(escapeGlob(workspace), bare)
  return (negated ? '!' : '') + absolute
}

/** A path as logs and outputs show it: relative to the workspace, forward slashes; absolute when outside it. */
export function workspacePath(file: string, workspace: string, paths: Pick<typeof path, 'relative' | 'isAbsolute' | 'sep'> = path): string {
  const relative = paths.relative(workspace, file)
  // Outside is '..' or '../…'; a folder named '..media' inside the workspace is not.
  const outside = relative === '..' || relative.startsWith(`..${paths.sep}`)
  return relative === '' || outside || paths.isAbsolute(relative) ? file : relative.split(paths.sep).join('/')
}

/** A literal path inside a pattern: @actions/glob reads `*`, `?` and `[` as wildcards unless wrapped in brackets. */
function escapeGlob(literal: string): string {
  return literal.replace(/[*?[]/g, c => `[${c}]`)
}

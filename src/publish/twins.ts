/**
 * Two files with the same bytes are one video: TikTok must not get it twice.
 * Only files of equal size can be twins, so without a ledger only those are
 * hashed; with one, every file is (the ledger is keyed by content).
 */

interface Sized {
  path: string
  size: number
}

/** The paths whose content must be hashed. */
export function pathsToHash(videos: Sized[], ledger: boolean): string[] {
  if (ledger) return videos.map(v => v.path)
  const bySize = new Map<number, number>()
  for (const v of videos) bySize.set(v.size, (bySize.get(v.size) ?? 0) + 1)
  return videos.filter(v => bySize.get(v.size)! > 1).map(v => v.path)
}

/** For each video, the index of the first earlier video with the same content, if any. */
export function twinIndexes(hashes: (string | undefined)[]): (number | undefined)[] {
  const firstOf = new Map<string, number>()
  return hashes.map((hash, i) => {
    if (hash === undefined) return undefined
    const first = firstOf.get(hash)
    if (first === undefined) firstOf.set(hash, i)
    return first
  })
}

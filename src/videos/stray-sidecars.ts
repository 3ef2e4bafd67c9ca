import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { SIDECAR_SUFFIX } from './sidecar.js'

/** A sidecar beside the videos that no video reads; `video`: the one it was meant for, refused until it is renamed. */
export interface StraySidecar {
  sidecar: string
  video?: string
  problem: string
}

/**
 * Sidecars beside the matched videos that no video reads. One named after a video without its extension
 * ('v7.draftclip.json' beside 'v7.mp4') holds settings the user meant for it: posting the video with the defaults
 * (another caption, now instead of its publish_at) cannot be undone, so that video is refused until it is renamed.
 * One whose video is not there at all is only said (nothing is published wrongly). A sidecar of a file that is
 * there but not matched is left alone: the patterns chose not to publish it.
 */
export function straySidecars(videos: readonly string[], siblings: ReadonlyMap<string, readonly string[]>): StraySidecar[] {
  // The matched videos by folder and stem, in lower case: a sidecar spelled in another case is as surely meant for it.
  const byStem = new Map<string, string[]>()
  for (const v of videos) {
    const key = `${path.dirname(v)}/${stem(path.basename(v)).toLowerCase()}`
    byStem.set(key, [...(byStem.get(key) ?? []), v])
  }
  const stray: StraySidecar[] = []
  for (const [dir, names] of siblings) {
    const here = new Set(names)
    const hereLower = new Set(names.map(n => n.toLowerCase()))
    for (const name of names) {
      if (!name.endsWith(SIDECAR_SUFFIX)) continue
      const target = name.slice(0, -SIDECAR_SUFFIX.length)
      // A file of that name in another case: readSidecars names the sidecar (it must be spelled as its video).
      if (target === '' || hereLower.has(target.toLowerCase())) continue
      const sidecar = path.join(dir, name)
      const meant = byStem.get(`${dir}/${target.toLowerCase()}`) ?? []
      const unread = meant.filter(v => !here.has(path.basename(v) + SIDECAR_SUFFIX))
      for (const v of unread) {
        const video = path.basename(v)
        stray.push({
          sidecar,
          video: v,
          problem: `it is not read: a sidecar is named after the whole file name, '${video}${SIDECAR_SUFFIX}', so '${video}' would go out without these settings; rename it`
        })
      }
      if (meant.length === 0)
        stray.push({ sidecar, problem: `its video '${target}' is not there (renamed or removed?): the sidecar is not used` })
      else if (unread.length === 0)
        stray.push({ sidecar, problem: `it is not read: each video it could be for has its own sidecar, named after its whole file name` })
    }
  }
  return stray
}

/** The names in each folder that holds a matched video (a folder that cannot be listed: none). */
export async function videoSiblings(videos: readonly string[]): Promise<Map<string, string[]>> {
  const dirs = [...new Set(videos.map(v => path.dirname(v)))]
  const listed = await Promise.all(dirs.map(dir => fs.readdir(dir).catch(() => [] as string[])))
  return new Map(dirs.map((dir, i) => [dir, listed[i]]))
}

function stem(name: string): string {
  const ext = path.extname(name)
  return ext ? name.slice(0, -ext.length) : name
}

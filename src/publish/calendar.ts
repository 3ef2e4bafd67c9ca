import type { Admission } from './lifecycle.js'

/**
 * The content calendar: which videos that would be uploaded are due now.
 * A video whose publish_at is still to come is SCHEDULED; of the due ones,
 * at most max-uploads are uploaded, in order of publish_at (a video without
 * one is due first), then by path; the rest are QUEUED for a later run.
 * Videos the ledger or a twin already accounts for are not new uploads.
 */

interface Dated {
  path: string
  /** Milliseconds since the epoch; undefined: due whenever. */
  publishAt: number | undefined
}

export function applyCalendar(admissions: Admission[], videos: Dated[], now: number, maxUploads: number | undefined): Admission[] {
  const out = [...admissions]
  const due: number[] = []
  admissions.forEach((admission, i) => {
    if (admission.kind !== 'upload') return
    const at = videos[i].publishAt
    if (at !== undefined && at > now) out[i] = { kind: 'scheduled', at }
    else due.push(i)
  })
  if (maxUploads === undefined) return out
  due.sort((a, b) => dueOrder(videos[a], videos[b]))
  for (const i of due.slice(maxUploads)) {
    out[i] = { kind: 'queued', reason: `max-uploads (${maxUploads}) is reached for this run; a later run publishes it` }
  }
  return out
}

/** Earliest publish_at first (none counts as earliest), then by path in plain UTF-16 order. */
export function dueOrder(a: Dated, b: Dated): number {
  const at = (v: Dated): number => v.publishAt ?? -Infinity
  if (at(a) !== at(b)) return at(a) < at(b) ? -1 : 1
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0
}

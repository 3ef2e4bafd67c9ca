import type { LedgerEntry } from '../model/ports.js'
import { isFinalStatus, Status } from '../model/status.js'

/** The rules a merge decides by, pure: how far along an entry is, and whether ours outranks theirs. */

/** How far along an entry is: an upload under way, DraftClip processing, a final status, a final status with its post. */
function progress(entry: LedgerEntry): number {
  if (entry.status === Status.Uploading || entry.status === Status.Unconfirmed || !entry.publish_id) return 0
  if (!isFinalStatus(entry.status)) return 1
  return entry.post_id ? 3 : 2
}

/**
 * Ours strictly further along than theirs for the same publish ID: what we learned is newer than
 * what they stored. An UNCONFIRMED entry without one (another run gave up on ours) yields to the
 * publish ID that confirms it: a publish ID is never lost.
 */
export function furtherAlong(ours: LedgerEntry | undefined, theirs: LedgerEntry): boolean {
  if (!ours?.publish_id || theirs.status === Status.Uploading) return false
  if (theirs.status === Status.Unconfirmed && !theirs.publish_id) return true
  return ours.publish_id === theirs.publish_id && progress(ours) > progress(theirs)
}

/** An entry's content whatever the order of its keys (a hand edit, or our rewrite of one), to see whether another writer changed it. */
export function canonical(entry: LedgerEntry | null | undefined): string {
  return JSON.stringify(entry ? Object.fromEntries(Object.entries(entry).sort(([a], [b]) => (a < b ? -1 : 1))) : null)
}

import { expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { LedgerEntry } from '../../src/model/ports.js'
import { Status } from '../../src/model/status.js'
import { decideAdmission } from '../../src/publish/lifecycle.js'
import { runScenario, scenarios, type Outcome, type Version } from '../support/ledger-runs.js'

/**
 * The branch ledger's protocol as a property: two to four runs at once over
 * shared videos (twins among them: files of one content), every GitHub request and answer and every upload a step in
 * an order fast-check chooses, GitHub's answers scripted (latency, 502s and
 * lost connections before or after the work, rate limits), the branch
 * deleted or a run cancelled now and then. The invariants are the ones
 * docs/reliability.md promises. With a deletion, entries only other runs stored are lost
 * by design: double uploads are then not counted, but no write may replace an entry it
 * did not see, and the run that makes the branch again warns. One case in four keeps the
 * ledger in a file, the runs one after another, a write failing with a full disk or
 * killed with its run: the same promises hold (a file is never deleted).
 *
 * The seed is printed; DRAFTCLIP_PROPERTY_SEED (with DRAFTCLIP_PROPERTY_PATH,
 * from a failure's report) replays a case. DRAFTCLIP_PROPERTY_MS (default
 * 25000) bounds the time, DRAFTCLIP_PROPERTY_RUNS the cases: a longer sweep is
 * `DRAFTCLIP_PROPERTY_MS=600000 npm test -- __tests__/property`.
 */

const seed = process.env.DRAFTCLIP_PROPERTY_SEED ? Number(process.env.DRAFTCLIP_PROPERTY_SEED) : Date.now() ^ (Math.random() * 2 ** 31)
const replayPath = process.env.DRAFTCLIP_PROPERTY_PATH
const timeLimit = Number(process.env.DRAFTCLIP_PROPERTY_MS ?? 25_000)
const numRuns = Number(process.env.DRAFTCLIP_PROPERTY_RUNS ?? 10_000)

const DEFINED: readonly string[] = Object.values(Status)

/** Every broken promise of the protocol in one outcome, in words (none: it held). */
export function violations(outcome: Outcome): string[] {
  const found: string[] = []
  const { reports, uploads, timeline, deleted, final } = outcome
  for (const r of reports)
    for (const v of r.results)
      if (!DEFINED.includes(v.status)) found.push(`run ${r.ref.id}: ${v.file} ends ${v.status}, a status the README does not define`)
  const byHash = new Map<string, string[]>()
  for (const u of uploads) byHash.set(u.hash, [...(byHash.get(u.hash) ?? []), `${u.run} (${u.publishId})`])
  if (!deleted)
    for (const [hash, by] of byHash) if (by.length > 1) found.push(`${hash.slice(0, 8)} uploaded ${by.length} times: ${by.join(', ')}`)
  if (!deleted)
    for (const u of uploads) {
      if (final?.[u.hash]?.publish_id === u.publishId) continue
      const report = reports.find(r => `run ${r.ref.id}` === u.run)!
      const kept = report.results.some(v => v.publish_id === u.publishId)
      if (!(report.failed && kept))
        found.push(
          `${u.publishId} (${u.run}) is neither on the branch nor in a failed run's results (step ${report.failed ? 'failed' : 'passed'})`
        )
    }
  found.push(...twinsOnce(outcome))
  // With a deletion a video may be uploaded twice (its entry gone): then only claims are judged for it.
  const twice = new Set([...byHash].filter(([, by]) => by.length > 1).map(([hash]) => hash))
  // Each write against the ledger it replaced (a deletion in between: nothing to replace, the entries are gone).
  for (let at = 1; at < timeline.length; at++) {
    const [before, after] = [timeline[at - 1].videos, timeline[at].videos]
    if (before && after) found.push(...replaced(before, after, /^run (\w+)$/.exec(timeline[at].by)?.[1], deleted ? twice : new Set()))
    if (before && after) found.push(...droppedKnown(before, timeline[at]))
  }
  // A run that wrote before the deletion and made the branch again after it says so in its log. Wrote: it was answered
  // that the write took, or the write held entries of its own. (A branch made by a write answered 502, holding no
  // entries, then deleted: the run cannot tell it from a creation that failed, and nothing of its was lost.)
  const gone = timeline.findIndex(v => v.by === 'the deletion')
  for (const r of gone < 0 ? [] : reports) {
    const name = `run ${r.ref.id}`
    const own = (v: Version): boolean => Object.values(v.videos ?? {}).some(e => e.writer === r.ref.writer)
    const before = timeline.slice(0, gone).some(v => v.by === name && v.onBranch && (v.answered || own(v)))
    // Its write that made the branch: the ledger there now, and none just before (blobs, trees, commits don't make it).
    const remade = timeline.some((v, at) => at > gone && v.by === name && v.onBranch && timeline[at - 1].videos === undefined)
    if (before && remade && !r.lines.some(l => /was deleted while this run used it/.test(l)))
      found.push(`${name} made the branch again after its deletion without a warning`)
  }
  return found
}

/**
 * Another writer's entry replaced: only where it allowed what replaced it. A claim (UPLOADING) only over an entry that
 * admits an upload (a FAILED one), and a publish ID only for one further along (the merge rule).
 */
function replaced(
  before: Record<string, LedgerEntry>,
  after: Record<string, LedgerEntry>,
  by: string | undefined,
  claimsOnly: Set<string>
): string[] {
  const found: string[] = []
  for (const [hash, theirs] of Object.entries(before)) {
    const now = after[hash]
    if (theirs.run_id === by || now?.writer === theirs.writer) continue
    const who = `${theirs.file} by ${theirs.writer} (${theirs.status}, ${theirs.publish_id})`
    if (!now) found.push(`${who} dropped by another writer`)
    else if (now.status === Status.Uploading && decideAdmission(theirs, undefined, false, 'SELF_ONLY').kind !== 'upload')
      found.push(`${who} replaced by ${now.writer}'s claim`)
    else if (!claimsOnly.has(hash) && theirs.publish_id && now.publish_id !== theirs.publish_id && theirs.status !== Status.Failed)
      found.push(`${who}: its publish ID replaced by ${now.writer}'s ${now.status} (${now.publish_id})`)
  }
  return found
}

/**
 * Twins (files of one content) in one run: only one of them is ever claimed (the first; a claim lost to a merge may be
 * made again for it), no run uploads one content twice, deletion or not, and a twin reports its original's IDs
 * (SKIPPED), unless the run was cancelled before they were known.
 */
function twinsOnce({ reports, uploads, claims }: Outcome): string[] {
  const found: string[] = []
  const claimedFor = new Map<string, string>()
  for (const { run, hash, file } of claims) {
    const first = claimedFor.get(`${run} ${hash}`) ?? file
    if (first !== file) found.push(`${run} claimed ${hash.slice(0, 8)} for ${first} and for its twin ${file}`)
    claimedFor.set(`${run} ${hash}`, first)
  }
  const sent = new Set<string>()
  for (const { run, hash } of uploads) {
    if (sent.has(`${run} ${hash}`)) found.push(`${run} uploaded ${hash.slice(0, 8)} twice`)
    sent.add(`${run} ${hash}`)
  }
  for (const r of reports.filter(r => !r.cancelled))
    r.hashes.forEach((hash, k) => {
      const first = r.hashes.indexOf(hash)
      if (first === k || !hash) return
      const [original, twin] = [r.results[first], r.results[k]]
      if (twin.status !== Status.Skipped || twin.publish_id !== original.publish_id || twin.post_id !== original.post_id)
        found.push(
          `run ${r.ref.id}: ${twin.file}, twin of ${original.file} (${original.publish_id}), ends ${twin.status} (${twin.publish_id})`
        )
    })
  return found
}

/**
 * A publish ID DraftClip gave is never dropped from the branch by a write from a run that had seen it there (read it,
 * or written it): that run knew of the upload, so no merge of its may replace it, double upload or not. Only a FAILED
 * entry may give way (TikTok refused it: publishing again is a new attempt). Judged against what the writer had seen,
 * not what the branch held: an entry it never read (stored after its last read, or lost with a deleted branch) it
 * cannot be blamed for.
 */
function droppedKnown(before: Record<string, LedgerEntry>, write: Version): string[] {
  const found: string[] = []
  for (const [hash, theirs] of Object.entries(before)) {
    const id = theirs.publish_id
    if (!id || theirs.status === Status.Failed || write.videos?.[hash]?.publish_id === id || !write.seen.has(`${hash} ${id}`)) continue
    const now = write.videos?.[hash]
    found.push(
      `${theirs.file} by ${theirs.writer} (${theirs.status}, ${id}) ${now ? `replaced by ${now.writer}'s ${now.status} (${now.publish_id})` : 'dropped'} in a write of ${write.by}, which had seen it`
    )
  }
  return found
}

it(
  'exactly once under any interleaving: no double upload, no publish ID lost, no entry overwritten unseen',
  async () => {
    console.log(`ledger protocol property: seed ${seed}${replayPath ? `, path ${replayPath}` : ''} (DRAFTCLIP_PROPERTY_SEED to replay)`)
    let cases = 0
    const started = Date.now()
    const result = await fc.check(
      fc.asyncProperty(scenarios, fc.scheduler(), async (scenario, s) => {
        cases++
        const outcome = await runScenario(scenario, s)
        const found = violations(outcome)
        if (found.length > 0) throw new Error(found.join('\n'))
      }),
      { seed, path: replayPath, numRuns, interruptAfterTimeLimit: timeLimit, markInterruptAsFailure: false, endOnFailure: false }
    )

    console.log(`ledger protocol property: ${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    if (result.failed)
      throw new Error(`${fc.defaultReportMessage(result)}\n\nBroken:\n${(result.errorInstance as Error | undefined)?.message}`)
    expect(result.numRuns).toBeGreaterThan(0)
  },
  timeLimit + 95_000
)

import type { RunRef, RunState } from '../model/run.js'
import type { VideoResult } from '../model/result.js'
import { Status, isFinalStatus, isSettled } from '../model/status.js'
import type { VideoStatus } from '../draftclip/answers.js'
import type { UploadOutcome } from '../draftclip/upload.js'
import type { WaitOutcome } from '../draftclip/wait.js'
import type { judgeStatus } from '../draftclip/retry-policy.js'
import type { Media } from '../model/video.js'
import type { LedgerEntry } from '../model/ports.js'

/** What the ledger must learn from a step: an entry written (before the step counts as done), or dropped. */
type LedgerWrite = { kind: 'record'; entry: Omit<LedgerEntry, 'updated_at'> } | { kind: 'forget' }

/** The whole run stops: uploads only (a spent quota), or uploads and polls (a refused key). */
export interface Halt {
  scope: 'uploads' | 'everything'
  reason: string
  /** The account's quota is spent (a 429 after every retry, TikTok's daily cap): a queue waits for a later run. */
  quota?: boolean
}

export interface Step {
  result: VideoResult
  ledger?: LedgerWrite
  halt?: Halt
  log?: { level: 'info' | 'warn'; line: string }
}

/** How a video enters the run, decided from its ledger entry and its twins before anything is sent. */
export type Admission =
  | { kind: 'upload' }
  /** Same content as an earlier video of this run: it shares that video's ids. */
  | { kind: 'twin'; of: string }
  /**
   * The ledger knows DraftClip took it: not again. When there is more to learn, `follow` (wait: true)
   * polls it until there is not; `askOnce` (wait: false) asks once, without waiting.
   */
  | { kind: 'skip'; entry: LedgerEntry; follow: boolean; askOnce?: true }
  /** The ledger has a publish id no status answer has confirmed: ask DraftClip about it, upload nothing. */
  | { kind: 'confirm'; entry: LedgerEntry & { publish_id: string } }
  /** An earlier run never learned whether DraftClip took it, and has no publish id to ask about. */
  | { kind: 'unconfirmed'; entry: LedgerEntry }
  /** Not due yet (see calendar.ts): its publish_at is to come. */
  | { kind: 'scheduled'; at: number }
  /** Due, but max-uploads leaves it for a later run (see calendar.ts). */
  | { kind: 'queued'; reason: string }
  /** Another run, still going, is uploading it (a branch ledger shared by runs at once): not this run's to send. */
  | { kind: 'busy'; run: string; note: string }

/**
 * The one rule for a video's entry: the run, the dry run and the plan all call
 * it. `privacyLevel`: the video's today, which says whether a PUBLISH_COMPLETE entry
 * without a post ID still has one to learn, where the entry does not keep the
 * privacy it was published with (a ledger older than that field).
 * `busy`: see busyWith.
 */
export function decideAdmission(
  entry: LedgerEntry | undefined,
  twinOf: string | undefined,
  wait: boolean,
  privacyLevel: string,
  busy?: Busy
): Admission {
  if (twinOf !== undefined) return { kind: 'twin', of: twinOf }
  if (!entry) return { kind: 'upload' }
  if (busy) return { kind: 'busy', ...busy }
  // TikTok refused it: publishing it again is a new attempt, not a duplicate.
  if (entry.status === Status.Failed) return { kind: 'upload' }
  if (entry.status === Status.Uploading || entry.status === Status.Unconfirmed) {
    return entry.publish_id ? { kind: 'confirm', entry: { ...entry, publish_id: entry.publish_id } } : { kind: 'unconfirmed', entry }
  }
  // DraftClip took it (published, in the inbox, or still processing): never again.
  if (entry.publish_id) {
    const pending = outcomePending(entry, privacyLevel)
    return pending && !wait ? { kind: 'skip', entry, follow: false, askOnce: true } : { kind: 'skip', entry, follow: pending }
  }
  return { kind: 'unconfirmed', entry }
}

/** An earlier run's upload with more to learn (still processing, a public post without its post ID). */
function outcomePending(entry: LedgerEntry, privacyLevel: string): boolean {
  const seen = { status: entry.status, isComplete: isFinalStatus(entry.status), postId: entry.post_id }
  return !isSettled(seen, publishedWith(entry, privacyLevel))
}

/** The privacy a video was published with: its entry's, not today's input or sidecar (only a public post gets a post ID). */
const publishedWith = (entry: LedgerEntry, today: string): string => entry.privacy_level ?? today

/** GitHub ends a job after 6 hours: an upload entry older than that belongs to no run still going. */
export const JOB_LIMIT_MS = 6 * 3600 * 1000

/** Another run's upload under way, as the ledger shows it. */
interface Busy {
  run: string
  note: string
}

/**
 * The run to ask GitHub about before admitting a video: the writer of an UPLOADING entry,
 * when that is another run. An earlier attempt of this run is not asked about: attempts never overlap.
 */
export function runToAsk(entry: LedgerEntry | undefined, self: RunRef | undefined): string | undefined {
  if (!entry || !self || entry.status !== Status.Uploading || typeof entry.run_id !== 'string' || entry.run_id === '') return undefined
  return entry.run_id === self.id ? undefined : entry.run_id
}

/** Another job of this very run and attempt (a matrix sibling) wrote the UPLOADING entry: it is at it now. */
export function siblingJob(entry: LedgerEntry | undefined, self: RunRef | undefined): boolean {
  if (!entry || !self?.writer || entry.status !== Status.Uploading || entry.run_id !== self.id) return false
  return (entry.run_attempt ?? 1) === self.attempt && typeof entry.writer === 'string' && entry.writer !== self.writer
}

/**
 * Whether another run is (or may still be) uploading the video: then this run leaves it alone
 * (SKIPPED), where a finished run's UPLOADING entry is UNCONFIRMED as ever.
 */
export function busyWith(
  entry: LedgerEntry | undefined,
  self: RunRef | undefined,
  state: RunState | undefined,
  now: number
): Busy | undefined {
  if (siblingJob(entry, self))
    return {
      run: self!.id,
      note: `another job of this run (run ${self!.id}, attempt ${self!.attempt}) is uploading it; this job left it to that one`
    }
  const run = runToAsk(entry, self)
  if (run === undefined || state === undefined || state === 'completed') return undefined
  if (state === 'in_progress') return { run, note: `run ${run} (still in progress) is uploading it; this run left it to that one` }
  const age = now - Date.parse(entry!.updated_at)
  if (!(age >= 0 && age < JOB_LIMIT_MS)) return undefined
  return {
    run,
    note:
      `run ${run} started uploading it ${Math.max(1, Math.round(age / 60000))} min ago and may still be at it: ` +
      `this job may not ask GitHub about runs (grant 'actions: read'), so an upload younger than GitHub's 6-hour job limit counts as in progress`
  }
}

export function initialResult(video: {
  file: string
  size: number
  description: string
  privacyLevel: string
  sha256?: string
  publishAt?: number
  media?: Media | null
  warnings?: string[]
}): VideoResult {
  return {
    file: video.file,
    size: video.size,
    publish_id: null,
    status: Status.NotAttempted,
    post_id: null,
    error: null,
    fail_reason: null,
    description: video.description,
    privacy_level: video.privacyLevel,
    sha256: video.sha256 ?? null,
    publish_at: video.publishAt === undefined ? null : new Date(video.publishAt).toISOString(),
    media: video.media ?? null,
    warnings: video.warnings ?? []
  }
}

/** The sentence that tells a user how to let a later run publish a video the ledger holds back. */
export function releaseEntryHint(ledgerFile: string, hash: string): string {
  return `If it is not on TikTok (check the account and DraftClip's dashboard), delete the entry "${hash}" from ${ledgerFile} and run again.`
}

/** Where a held-back video can be released, when there is a ledger. */
export interface LedgerRef {
  shownAs: string
  hash: string
}

const hintFor = (ref: LedgerRef | undefined): string => (ref ? ` ${releaseEntryHint(ref.shownAs, ref.hash)}` : '')

/** The run's first step for a video: what its admission makes of it. */
export function admitted(r: VideoResult, admission: Admission, ref: LedgerRef | undefined): Step {
  switch (admission.kind) {
    case 'upload':
      return { result: r }
    case 'twin':
      return {
        result: { ...r, status: Status.Skipped },
        log: { level: 'info', line: `same content as ${admission.of}; skipped so TikTok does not get it twice` }
      }
    case 'skip': {
      const { entry } = admission
      return {
        result: {
          ...r,
          status: Status.Skipped,
          publish_id: entry.publish_id,
          post_id: entry.post_id,
          fail_reason: entry.fail_reason ?? null,
          privacy_level: publishedWith(entry, r.privacy_level)
        },
        log: { level: 'info', line: `${skippedAs(entry, r.privacy_level)}; not uploaded again` }
      }
    }
    case 'confirm': {
      const { entry } = admission
      return {
        result: {
          ...r,
          status: Status.Unconfirmed,
          publish_id: entry.publish_id,
          post_id: entry.post_id,
          privacy_level: publishedWith(entry, r.privacy_level),
          error: `an earlier run (${entry.updated_at}) uploaded it and got publish ID ${entry.publish_id}, but no status answer has confirmed it; it was not uploaded again.${hintFor(ref)}`
        },
        log: { level: 'info', line: `the ledger holds publish ID ${entry.publish_id} unconfirmed; asking DraftClip about it` }
      }
    }
    case 'scheduled':
      return {
        result: { ...r, status: Status.Scheduled },
        log: { level: 'info', line: `scheduled for ${new Date(admission.at).toISOString()}; a run at or after that time publishes it` }
      }
    case 'queued':
      return {
        result: { ...r, status: Status.Queued, error: `queued: ${admission.reason}` },
        log: { level: 'info', line: `queued: ${admission.reason}` }
      }
    case 'busy':
      return { result: { ...r, status: Status.Skipped, error: admission.note }, log: { level: 'info', line: `skipped: ${admission.note}` } }
    case 'unconfirmed': {
      const error = `an earlier run (${admission.entry.updated_at}) started uploading this video and never learned whether DraftClip took it, so it was not uploaded again.${hintFor(ref)}`
      return {
        result: { ...r, status: Status.Unconfirmed, privacy_level: publishedWith(admission.entry, r.privacy_level), error },
        log: { level: 'info', line: error }
      }
    }
  }
}

/** What the ledger says of a skipped video: published, or uploaded by an earlier run whose outcome is still to come. */
function skippedAs(entry: LedgerEntry, privacyLevel: string): string {
  const said = `ledger: ${entry.status}, publish ID ${entry.publish_id}`
  return outcomePending(entry, privacyLevel)
    ? `uploaded by an earlier run, its outcome not known yet (${said})`
    : `already published (${said})`
}

/** A check refused it (its problems, each naming its rule): nothing of the run is sent. */
export function refused(r: VideoResult, problems: string[]): Step {
  return { result: { ...r, status: Status.Refused, error: problems.join('; ') } }
}

/** Why a video that passed every check was not sent either: the run sends nothing when any video is refused. */
export const NOT_SENT_REFUSED = 'not sent: another video was refused'

/**
 * A video that passed the checks, on a run that sends nothing because
 * another was refused: what its admission makes of it (skipped, scheduled,
 * queued; a dry run's plan), and an upload is not attempted.
 */
export function notSentBeside(r: VideoResult, admission: Admission, ref: LedgerRef | undefined, dryRun: boolean): Step {
  if (dryRun) return planned(r, admission, ref)
  if (admission.kind === 'upload')
    return { result: { ...r, status: Status.NotAttempted, error: NOT_SENT_REFUSED }, log: { level: 'info', line: NOT_SENT_REFUSED } }
  const step = admitted(r, admission, ref)
  // The real run asks DraftClip about the ledger's publish ID; this one sends nothing.
  if (admission.kind === 'confirm')
    return {
      ...step,
      log: {
        level: 'info',
        line: `the ledger holds publish ID ${admission.entry.publish_id} unconfirmed; not asked about: another video was refused`
      }
    }
  return step
}

/** Warnings about it found after the board was made (a broken rule judged after the ledger, under media-check: warn). */
export function warned(r: VideoResult, lines: string[]): Step {
  return { result: { ...r, warnings: [...(r.warnings ?? []), ...lines] } }
}

/** The dry run's step: what the real run would do, with nothing sent. */
export function planned(r: VideoResult, admission: Admission, ref: LedgerRef | undefined): Step {
  const step = admitted(r, admission, ref)
  const verb: Record<Admission['kind'], string> = {
    upload: 'would upload',
    twin: `would skip (same content as ${admission.kind === 'twin' ? admission.of : ''})`,
    skip: admission.kind === 'skip' ? plannedSkip(admission, r.privacy_level) : '',
    confirm: 'would ask DraftClip about the unconfirmed publish ID in the ledger, and not upload',
    unconfirmed: 'would not upload (an earlier upload is unconfirmed)',
    scheduled: `would wait: scheduled for ${admission.kind === 'scheduled' ? new Date(admission.at).toISOString() : ''}`,
    queued: `would leave it queued (${admission.kind === 'queued' ? admission.reason : ''})`,
    busy: `would skip (${admission.kind === 'busy' ? admission.note : ''})`
  }
  const result = admission.kind === 'upload' ? { ...step.result, status: Status.DryRun } : step.result
  return { result, log: { level: 'info', line: verb[admission.kind] } }
}

function plannedSkip(admission: Admission & { kind: 'skip' }, privacyLevel: string): string {
  if (!outcomePending(admission.entry, privacyLevel)) return 'would skip (already published)'
  const ask = admission.askOnce ? 'ask DraftClip once for its status' : admission.follow ? 'poll its status' : 'not ask about it'
  return `would skip (uploaded by an earlier run, its outcome not known yet) and ${ask}`
}

/** The twin's ids, once the video it copies is done. */
export function twinDone(r: VideoResult, original: VideoResult): Step {
  // Held back with it (scheduled, queued): the twin waits too, and says why.
  if (original.status === Status.Scheduled || original.status === Status.Queued) {
    return {
      result: {
        ...r,
        status: original.status,
        publish_at: original.publish_at,
        error: `same content as ${original.file}, which is ${original.status}`
      }
    }
  }
  return { result: { ...r, publish_id: original.publish_id, post_id: original.post_id } }
}

/** About to send the first byte: the ledger must know first, so a runner killed mid-upload leaves a trace. */
export function uploadStarting(r: VideoResult): Step {
  return { result: { ...r, status: Status.Uploading }, ledger: { kind: 'record', entry: ledgerEntry(r, Status.Uploading) } }
}

/** The UPLOADING entry was stored by a claim (a branch ledger shared by runs): the result follows, with nothing more to write. */
export function uploadClaimed(r: VideoResult): Step {
  return { result: uploadStarting(r).result }
}

/**
 * What an upload's outcome makes of the video. `queue`: the workflow said it
 * is a queue (max-uploads), so a spent quota leaves the video QUEUED for a
 * later run instead of failing it.
 */
export function uploadEnded(r: VideoResult, outcome: UploadOutcome, ref: LedgerRef | undefined, queue = false, quotaSpent = false): Step {
  switch (outcome.kind) {
    case 'accepted': {
      const result = { ...r, status: outcome.status, publish_id: outcome.publishId }
      return {
        result,
        ledger: { kind: 'record', entry: ledgerEntry(result) },
        log: { level: 'info', line: `uploaded: publish ID ${outcome.publishId}` }
      }
    }
    case 'unconfirmed': {
      const error =
        `${outcome.reason}. DraftClip may have published it, so it was not sent again. ` +
        `Check the TikTok account (and DraftClip's dashboard) before publishing it again.${hintFor(ref)}`
      const result = { ...r, status: Status.Unconfirmed, publish_id: outcome.publishId ?? null, error }
      return { result, ledger: { kind: 'record', entry: ledgerEntry(result) }, log: { level: 'info', line: error } }
    }
    case 'stopped':
      // Every attempt so far was certainly refused: nothing stands in the way of a later run.
      if (outcome.quota) return notAttempted(r, quotaReason(outcome.reason), queue)
      return notAttempted(r, outcome.reason, queue && quotaSpent)
    default: {
      const result = { ...r, status: Status.UploadFailed, error: outcome.reason }
      // DraftClip certainly did not take it: a later run may try again.
      const step: Step = { result, ledger: { kind: 'forget' }, log: { level: 'info', line: outcome.reason } }
      if (outcome.kind === 'unauthorized') {
        step.halt = {
          scope: 'everything',
          reason: `DraftClip refused the API key (${outcome.reason}). Check the secret passed as 'api-key': it must be a current key from your DraftClip dashboard.`
        }
      } else if (outcome.kind === 'untrusted') {
        // Every request to this host fails the same way: polls too.
        step.halt = { scope: 'everything', reason: `Nothing can reach DraftClip: ${outcome.reason}.` }
      } else if (outcome.kind === 'unreachable') {
        // Nothing reached DraftClip: the other videos would only repeat this video's attempts. Polls go on (their own rule).
        step.halt = {
          scope: 'uploads',
          reason: `DraftClip could not be reached (${outcome.reason}), so no further upload was sent this run. Check 'base-url' and whether the host is up; the next run sends the videos not sent.`
        }
      } else if (outcome.kind === 'rate-limited') {
        step.halt = { scope: 'uploads', quota: true, reason: quotaReason(outcome.reason) }
        // Certainly not taken: in a queue it simply waits for a later run.
        if (queue) step.result = { ...result, status: Status.Queued, error: `queued: ${outcome.reason}` }
      }
      return step
    }
  }
}

/** Uploads stopped before this video was sent (a refused key, a spent quota, a cancelled job). */
export function notAttempted(r: VideoResult, reason: string, queued = false): Step {
  const result = queued
    ? { ...r, status: Status.Queued, error: `queued: ${reason}` }
    : { ...r, status: Status.NotAttempted, error: `not attempted: ${reason}` }
  // Every attempt so far was certainly refused: nothing stands in the way of a later run.
  return { result, ledger: r.status === Status.Uploading ? { kind: 'forget' } : undefined }
}

/**
 * The ledger could not record UPLOADING (a full disk, an unwritable file), so
 * not a byte was sent: the video was not attempted, and no upload may start
 * while the ledger cannot say one is under way.
 */
export function ledgerUnwritable(r: VideoResult, problem: string): Step {
  return {
    ...notAttempted(r, problem),
    halt: { scope: 'uploads', reason: `${problem} No upload was started after that.` },
    log: { level: 'warn', line: `not uploaded: ${problem}` }
  }
}

/** GitHub refused the run's first deployment (deployment-environment): not a byte was sent, and no upload starts after that. */
export function deploymentRefused(r: VideoResult, problem: string): Step {
  return {
    ...notAttempted(r, problem),
    halt: { scope: 'uploads', reason: problem },
    log: { level: 'warn', line: `not uploaded: ${problem}` }
  }
}

/** TikTok's daily cap, as DraftClip passes it on. */
const DAILY_CAP_REASON = 'spam_risk_too_many_posts'

function quotaReason(said: string): string {
  return `DraftClip's quota is used up (${said}); the remaining videos were not sent, and the next run picks them up. TikTok allows about 15 posts a day per account.`
}

/**
 * A status answer about the video's publish id. `earlier` when the upload was
 * an earlier run's (the video stays SKIPPED unless TikTok refused it).
 */
export function statusSeen(r: VideoResult, status: VideoStatus, earlier: boolean, queue = false): Step {
  const seen = { post_id: status.postId ?? r.post_id, fail_reason: status.failReason ?? null }
  const confirmed = r.status === Status.Unconfirmed
  let result: VideoResult
  if (!earlier) result = { ...r, ...seen, status: status.status, error: confirmed ? null : r.error }
  else if (status.status === Status.Failed) {
    // Not a skip after all: the video is not on TikTok, and the step must say so.
    result = {
      ...r,
      ...seen,
      status: Status.Failed,
      error: `the upload an earlier run made (publish ID ${r.publish_id}) ended FAILED: ${status.failReason ?? 'no reason given'}; the next run will publish it again`
    }
  } else result = { ...r, ...seen, status: Status.Skipped, error: null }
  const step: Step = { result, ledger: { kind: 'record', entry: ledgerEntry(result, status.status) } }
  if (confirmed) step.log = { level: 'info', line: `DraftClip confirmed publish ID ${r.publish_id}: ${status.status}` }
  if (status.status === Status.Failed) {
    step.result = { ...step.result, error: step.result.error ?? `TikTok could not publish it: ${status.failReason ?? 'no reason given'}` }
    step.log = { level: 'info', line: step.result.error! }
  }
  if (!earlier && status.status === Status.Failed && status.failReason === DAILY_CAP_REASON) {
    // The account's daily cap: the next uploads would be refused too. The ledger keeps FAILED, so a later run publishes it again.
    step.halt = { scope: 'uploads', quota: true, reason: quotaReason(`TikTok: ${DAILY_CAP_REASON}`) }
    if (queue)
      step.result = {
        ...step.result,
        status: Status.Queued,
        error: `queued: TikTok's daily cap is reached (${DAILY_CAP_REASON}); a later run publishes it again`
      }
  }
  return step
}

/** The answer to wait: false's one status request about an earlier run's upload, or why it was not sent. */
export type OneAnswer = ReturnType<typeof judgeStatus> | { kind: 'not-asked'; reason: string }

/**
 * wait: false asked once about an upload an earlier run left with more to
 * learn: a status is seen as any other (FAILED is reported, and the next run
 * publishes it again); no answer leaves it SKIPPED for a later run to ask.
 */
export function askedOnce(r: VideoResult, answer: OneAnswer, queue = false): Step {
  switch (answer.kind) {
    case 'status': {
      const step = statusSeen(r, answer.status, true, queue)
      const { status, postId } = answer.status
      const more = isSettled({ ...answer.status, postId: postId ?? r.post_id }, r.privacy_level) ? '' : '; a later run asks again'
      return {
        ...step,
        log: step.log ?? { level: 'info', line: `asked once (wait: false): ${status}${postId ? `, post ID ${postId}` : ''}${more}` }
      }
    }
    case 'unauthorized':
    case 'untrusted':
      return waitEnded(r, { ...answer, status: undefined }, 0)
    default:
      return { result: r, log: { level: 'info', line: `its status was not learned (${answer.reason}); a later run asks again` } }
  }
}

/** How a wait ended, for a video that was not complete. */
export function waitEnded(r: VideoResult, outcome: WaitOutcome, waitSeconds: number): Step {
  switch (outcome.kind) {
    case 'timeout': {
      const seen = outcome.status ? `its last status was ${outcome.status.status}` : 'no status was read'
      const problem = outcome.lastProblem ? ` (the last status request failed: ${outcome.lastProblem})` : ''
      if (r.status === Status.Unconfirmed) {
        return {
          result: r,
          log: {
            level: 'warn',
            line: `DraftClip did not confirm publish ID ${r.publish_id} within ${waitSeconds} s${problem}; it stays UNCONFIRMED`
          }
        }
      }
      if (outcome.status?.status === Status.PublishComplete) {
        // Only a public video's wait ends here (isSettled ends a private one at PUBLISH_COMPLETE), and that
        // is normal: TikTok gives its post ID after moderation, sometimes hours later.
        return {
          result: r,
          log: {
            level: 'info',
            line: `published (PUBLISH_COMPLETE, publish ID ${r.publish_id}); TikTok gives its post ID after moderation, which had not ended after ${waitSeconds} s${problem}. A later run with a ledger learns it.`
          }
        }
      }
      const line = `still not complete after ${waitSeconds} s: ${seen}${problem}. It was uploaded (publish ID ${r.publish_id}); TikTok may still publish it.`
      // DraftClip could not be reached at the end: the outputs say so, not only the log (how it ended is not known).
      if (outcome.unreachable)
        return { result: { ...r, error: `${line} A later run with a ledger learns how it ended.` }, log: { level: 'warn', line } }
      return { result: r, log: { level: 'warn', line } }
    }
    case 'spent': {
      // Taken by DraftClip, but how it ends is not known: the step does not fail for it (a re-run without a ledger would post it twice).
      const line = `its status could not be read: ${outcome.reason}. It was uploaded (publish ID ${r.publish_id}); how it ended is not known. A later run with a ledger learns it.`
      return { result: { ...r, error: [r.error, line].filter(Boolean).join(' ') }, log: { level: 'warn', line } }
    }
    case 'unknown':
      return {
        result: {
          ...r,
          error: `${r.error ?? ''} DraftClip's status endpoint does not know publish ID ${r.publish_id} (${outcome.reason}).`.trim()
        },
        log: { level: 'info', line: `DraftClip does not know publish ID ${r.publish_id} (${outcome.reason}); it stays UNCONFIRMED` }
      }
    case 'unauthorized':
      return {
        result: r,
        halt: {
          scope: 'everything',
          reason: `DraftClip refused the API key while polling (${outcome.reason}). Check the secret passed as 'api-key'.`
        }
      }
    case 'untrusted':
      return { result: r, halt: { scope: 'everything', reason: `Nothing can reach DraftClip: ${outcome.reason}.` } }
    default:
      return { result: r }
  }
}

/**
 * How far an upload got when the run ended under it (publish/wire.ts): no attempt
 * out (claimed, between attempts); an attempt whose last bytes the client held
 * back; or one whose last bytes may have left (or that nobody watched).
 */
export type Reach = 'none-out' | 'held-back' | 'may-have-left'

/**
 * The run ended under the video (a cancelled job): the one rule, for the run
 * and the signal handler alike. Its last bytes never left: not sent, and the
 * ledger lets it go, as after a reset before the body finished. They may have
 * left: UNCONFIRMED, in the ledger as in the results.
 */
export function interrupted(r: VideoResult, why: string, ref: LedgerRef | undefined, reach: Reach = 'may-have-left'): Step {
  if (r.status !== Status.Uploading) return { result: r }
  if (reach === 'none-out') return notAttempted(r, why)
  if (reach === 'held-back') {
    const error = `not sent: ${why} before the whole video was sent, so DraftClip did not take it; a later run uploads it`
    return { result: { ...r, status: Status.NotAttempted, error }, ledger: { kind: 'forget' }, log: { level: 'info', line: error } }
  }
  const result = {
    ...r,
    status: Status.Unconfirmed,
    error: `${why} during its upload; DraftClip may or may not have taken it. Check the TikTok account before publishing it again.${hintFor(ref)}`
  }
  return { result, ledger: { kind: 'record', entry: ledgerEntry(result) } }
}

/** An unexpected failure (the ledger could not be written: a full disk) while the video was in hand. */
export function crashed(r: VideoResult, message: string): Step {
  const error = [r.error, message].filter(Boolean).join('; ')
  if (r.status === Status.Uploading) return { result: { ...r, status: Status.Unconfirmed, error } }
  const mayBeTaken = r.publish_id !== null || r.status === Status.Unconfirmed
  return { result: { ...r, status: mayBeTaken ? r.status : Status.UploadFailed, error } }
}

function ledgerEntry(r: VideoResult, status: string = r.status): Omit<LedgerEntry, 'updated_at'> {
  return { file: r.file, status, publish_id: r.publish_id, post_id: r.post_id, fail_reason: r.fail_reason, privacy_level: r.privacy_level }
}

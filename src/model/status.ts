/**
 * The words of a video's life: every status it can have, and the one rule for
 * "nothing more to learn". Plain data and pure rules, no I/O: every room imports them.
 */

/**
 * A video's life, in one place: its statuses, and pure functions that say what
 * moves it from one to the next and what the ledger must learn on the way. The
 * run, the dry run and the signal handler all use these and nothing else.
 */

export const Status = {
  /** Not sent (yet): the start of every video, and the end of one a stopped run never reached. */
  NotAttempted: 'NOT_ATTEMPTED',
  /** Bytes are (or may be) on their way; recorded in the ledger before the first one leaves. */
  Uploading: 'UPLOADING',
  // DraftClip's own statuses.
  ProcessingUpload: 'PROCESSING_UPLOAD',
  Processing: 'PROCESSING',
  PublishComplete: 'PUBLISH_COMPLETE',
  SentToInbox: 'SEND_TO_USER_INBOX',
  Failed: 'FAILED',
  /** DraftClip certainly did not take it. */
  UploadFailed: 'UPLOAD_FAILED',
  /** DraftClip may have taken it; never sent again until a status answer confirms it or the user releases it. */
  Unconfirmed: 'UNCONFIRMED',
  /** Published before (the ledger), or the same content as another video of this run. */
  Skipped: 'SKIPPED',
  /** Would be uploaded; the dry run sends nothing. */
  DryRun: 'DRY_RUN',
  /** Its publish_at is still to come: a later run publishes it. */
  Scheduled: 'SCHEDULED',
  /** Due, but left for a later run: max-uploads was reached, or the account's quota is spent. */
  Queued: 'QUEUED',
  /** A check refused it before anything was sent (media, size, type, LFS pointer, sidecar, caption): nothing of the run was uploaded. */
  Refused: 'REFUSED'
} as const

/** One status type: the action's own, DraftClip's documented ones, and any other DraftClip may send. */
export type Status = (typeof Status)[keyof typeof Status] | (string & { readonly fromDraftClip?: true })

export const COMPLETE_STATUSES = [Status.PublishComplete, Status.Failed, Status.SentToInbox] as const
/** DraftClip's statuses of a video still on its way: their is_complete is not believed. */
export const INCOMPLETE_STATUSES: readonly string[] = [Status.ProcessingUpload, Status.Processing]

/** The one privacy level TikTok gives a post ID for (after moderation). */
export const PUBLIC = 'PUBLIC_TO_EVERYONE'

/**
 * Whether there is nothing more to learn about a video: a final status, and
 * for PUBLISH_COMPLETE either its post ID or a privacy level TikTok never
 * gives one for (only public posts get one, after moderation). The wait, the
 * driver and the ledger's admission all decide by this.
 */
export function isSettled(
  status: { status: string; isComplete: boolean; postId: string | null | undefined },
  privacyLevel: string
): boolean {
  if (!status.isComplete) return false
  return status.status !== Status.PublishComplete || Boolean(status.postId) || privacyLevel !== PUBLIC
}

/** Whether a status (as a ledger keeps it) is one of the doc's final ones. */
export function isFinalStatus(status: string): boolean {
  return (COMPLETE_STATUSES as readonly string[]).includes(status)
}

/** What a status means to the report, the step and the release notes: said once, here. */
export interface StatusMeaning {
  /** The summary's mark. */
  mark: string
  /** A video ending with it fails the step. */
  failsStep: boolean
  /** Its error is an annotation on the video's file (a REFUSED video's problems are annotated with the step's failure instead). */
  annotated: boolean
  /** DraftClip took it in this run and TikTok has not refused it. */
  uploaded: boolean
  /** With a publish ID, it is (or may still become) a post: the release notes link it. */
  mayPost: boolean
}

type Known = (typeof Status)[keyof typeof Status]

const meaning = (mark: string, failsStep: boolean, annotated: boolean, uploaded: boolean, mayPost: boolean): StatusMeaning => ({
  mark,
  failsStep,
  annotated,
  uploaded,
  mayPost
})

/** Every status the action knows: its mark, whether it fails the step, is annotated, was uploaded, may be a post. */
export const STATUS_MEANINGS: Record<Known, StatusMeaning> = {
  [Status.NotAttempted]: meaning('⛔', true, false, false, false),
  [Status.Uploading]: meaning('⏳', true, false, false, true),
  [Status.ProcessingUpload]: meaning('⏳', false, false, true, true),
  [Status.Processing]: meaning('⏳', false, false, true, true),
  [Status.PublishComplete]: meaning('✅', false, false, true, true),
  [Status.SentToInbox]: meaning('📥', false, false, true, true),
  [Status.Failed]: meaning('❌', true, true, false, false),
  [Status.UploadFailed]: meaning('❌', true, true, false, false),
  [Status.Unconfirmed]: meaning('⚠️', true, true, false, true),
  [Status.Skipped]: meaning('⏭️', false, false, false, true),
  [Status.DryRun]: meaning('📝', false, false, false, false),
  [Status.Scheduled]: meaning('🗓️', false, false, false, true),
  [Status.Queued]: meaning('⏸️', false, false, false, false),
  [Status.Refused]: meaning('🚫', true, false, false, false)
}

/** A status DraftClip may add one day: no mark, and it neither fails the step nor counts as uploaded. */
const UNKNOWN: StatusMeaning = meaning('', false, false, false, true)

export function meaningOf(status: string): StatusMeaning {
  return Object.hasOwn(STATUS_MEANINGS, status) ? STATUS_MEANINGS[status as Known] : UNKNOWN
}

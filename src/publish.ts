import type { DraftClipClient, VideoStatus } from './draftclip.js'
import type { Inputs } from './inputs.js'
import { decide, releaseHint, UNCONFIRMED, UPLOADING, type Ledger } from './ledger.js'
import { uploadVideo, type UploadOutcome } from './upload.js'
import { megabytes } from './videos.js'
import type { Video } from './videos.js'
import { waitForVideo } from './wait.js'

/** Statuses of our own, beside DraftClip's (PROCESSING_UPLOAD, PROCESSING, PUBLISH_COMPLETE, FAILED, SEND_TO_USER_INBOX). */
export const Status = {
  NotAttempted: 'NOT_ATTEMPTED',
  UploadFailed: 'UPLOAD_FAILED',
  Unconfirmed: UNCONFIRMED,
  Skipped: 'SKIPPED',
  DryRun: 'DRY_RUN',
  Failed: 'FAILED'
} as const

/** One video's outcome, as the `results` output shows it. */
export interface VideoResult {
  file: string
  size: number
  publish_id: string | null
  status: string
  post_id: string | null
  error: string | null
  fail_reason: string | null
  description: string
  privacy_level: string
  sha256: string | null
}

export function initialResults(videos: Video[], hashes: Map<string, string> | undefined): VideoResult[] {
  return videos.map(v => ({
    file: v.file,
    size: v.size,
    publish_id: null,
    status: Status.NotAttempted,
    post_id: null,
    error: null,
    fail_reason: null,
    description: v.description,
    privacy_level: v.privacyLevel,
    sha256: hashes?.get(v.path) ?? null
  }))
}

/** The statuses after which the step fails. */
const FAILING: readonly string[] = [Status.NotAttempted, Status.UploadFailed, Status.Unconfirmed, Status.Failed]

/** The reason the step fails, or undefined when every video ended well (a wait timeout is not a failure). */
export function stepFailure(results: VideoResult[], stopReason: string | undefined): string | undefined {
  const failed = results.filter(r => FAILING.includes(r.status))
  if (failed.length === 0 && !stopReason) return undefined
  const lines = failed.map(r => `${r.file}: ${r.status}${r.error ? ` - ${r.error}` : ''}`)
  const head = stopReason ?? `${failed.length} of ${results.length} video${results.length === 1 ? '' : 's'} did not publish`
  return [head, ...lines.map(l => `  - ${l}`)].join('\n')
}

export interface VideoLog {
  info(line: string): void
  warn(line: string): void
  /** The video is done: its lines can be closed off (a log group). */
  done(result: VideoResult): void
}

export interface PublishDeps {
  client: DraftClipClient
  ledger: Ledger | undefined
  hashes: Map<string, string> | undefined
  inputs: Pick<Inputs, 'concurrency' | 'retries' | 'wait' | 'waitTimeoutMs' | 'pollIntervalMs' | 'timings'>
  logFor(video: Video): VideoLog
  /** Aborted when the job is cancelled: no new upload or poll starts. */
  cancel?: AbortSignal
}

/**
 * Publishes the videos: at most `concurrency` uploads at once, each started
 * video polled while others upload. `results` is filled in place as things
 * happen, so that whatever was learned survives a failure part way.
 * Returns why the run stopped early, if it did.
 */
export async function publishAll(videos: Video[], results: VideoResult[], deps: PublishDeps): Promise<string | undefined> {
  // A refused key stops everything; a spent quota stops uploads only (status requests are not publishes).
  let uploadsHalted: string | undefined
  let pollsHalted: string | undefined
  const cancelled = (): string | undefined => (deps.cancel?.aborted ? 'the job was cancelled' : undefined)
  const uploadsStopped = (): string | undefined => uploadsHalted ?? cancelled()
  const pollsStopped = (): string | undefined => pollsHalted ?? cancelled()
  const refusedKey = (message: string): void => {
    uploadsHalted ??= message
    pollsHalted ??= message
  }
  const slots = semaphore(deps.inputs.concurrency)
  const claimed = new Map<string, { file: string; result: VideoResult; done: Promise<void> }>()

  /** Polls an uploaded video until it is complete, keeping result and ledger current. */
  const follow = async (publishId: string, result: VideoResult, log: VideoLog, remember: () => Promise<void>): Promise<void> => {
    const waited = await waitForVideo(publishId, {
      client: deps.client,
      timeoutMs: deps.inputs.waitTimeoutMs,
      intervalMs: deps.inputs.pollIntervalMs,
      log: line => log.info(line),
      stopped: pollsStopped,
      onStatus: async (status: VideoStatus) => {
        Object.assign(result, { status: status.status, post_id: status.postId ?? null, fail_reason: status.failReason ?? null })
        await remember()
      }
    })
    switch (waited.kind) {
      case 'complete':
        if (waited.status.status === 'FAILED') {
          result.error = `TikTok could not publish it: ${waited.status.failReason ?? 'no reason given'}`
          log.warn(result.error)
        }
        break
      case 'timeout': {
        const seen = waited.status ? `its last status was ${waited.status.status}` : 'no status was read'
        const problem = waited.lastProblem ? ` (the last status request failed: ${waited.lastProblem})` : ''
        log.warn(
          `still not complete after ${Math.round(deps.inputs.waitTimeoutMs / 1000)} s: ${seen}${problem}. It was uploaded (publish ID ${publishId}); TikTok may still publish it.`
        )
        break
      }
      case 'unauthorized':
        refusedKey(`DraftClip refused the API key while polling (${waited.reason}). Check the secret passed as 'api-key'.`)
        break
      case 'stopped':
        break
    }
  }

  const publishOne = async (video: Video, result: VideoResult): Promise<void> => {
    const log = deps.logFor(video)
    const hash = deps.hashes?.get(video.path)
    const ledger = deps.ledger && hash ? { ledger: deps.ledger, hash } : undefined
    const remember = async (status = result.status): Promise<void> => {
      if (!ledger) return
      await ledger.ledger.record(ledger.hash, {
        file: result.file,
        status,
        publish_id: result.publish_id,
        post_id: result.post_id,
        fail_reason: result.fail_reason
      })
    }

    if (ledger) {
      const twin = claimed.get(ledger.hash)
      if (twin) {
        result.status = Status.Skipped
        log.info(`same content as ${twin.file}, which this run publishes; skipped so TikTok does not get it twice`)
        // Its ids are the twin's, known once the twin is done.
        await twin.done.catch(() => undefined)
        Object.assign(result, { publish_id: twin.result.publish_id, post_id: twin.result.post_id })
        return log.done(result)
      }
      let finished!: () => void
      claimed.set(ledger.hash, { file: video.file, result, done: new Promise<void>(resolve => (finished = resolve)) })
      try {
        return await publishUnclaimed(video, result, log, ledger, remember)
      } finally {
        finished()
      }
    }
    return publishUnclaimed(video, result, log, undefined, remember)
  }

  const publishUnclaimed = async (
    video: Video,
    result: VideoResult,
    log: VideoLog,
    ledger: { ledger: Ledger; hash: string } | undefined,
    remember: (status?: string) => Promise<void>
  ): Promise<void> => {
    if (ledger) {
      const decision = decide(ledger.ledger.get(ledger.hash))
      if (decision.action === 'skip') {
        const { entry } = decision
        Object.assign(result, {
          status: Status.Skipped,
          publish_id: entry.publish_id,
          post_id: entry.post_id,
          fail_reason: entry.fail_reason ?? null
        })
        log.info(`already published (ledger: ${entry.status}, publish ID ${entry.publish_id}); not uploaded again`)
        // An earlier run left it processing (wait off, or a timeout): learn how it ended, without uploading.
        if (deps.inputs.wait && entry.publish_id && !isSettled(entry.status, entry.post_id)) {
          const seen = { ...result }
          await follow(entry.publish_id, seen, log, async () => {
            await ledger.ledger.record(ledger.hash, { ...entry, status: seen.status, post_id: seen.post_id, fail_reason: seen.fail_reason })
          })
          Object.assign(result, { post_id: seen.post_id, fail_reason: seen.fail_reason, error: seen.error })
          if (seen.status === Status.Failed) {
            // Not a skip after all: the video is not on TikTok, and the step must say so.
            result.status = Status.Failed
            result.error = `the upload an earlier run made (publish ID ${entry.publish_id}) ended FAILED: ${seen.fail_reason ?? 'no reason given'}; the next run will publish it again`
            log.warn(result.error)
          }
        }
        return log.done(result)
      }
      if (decision.action === 'unconfirmed') {
        result.status = Status.Unconfirmed
        result.error =
          `an earlier run (${decision.entry.updated_at}) started uploading this video and never learned whether DraftClip took it, so it was not uploaded again. ` +
          releaseHint(deps.ledger!.shownAs, ledger.hash)
        log.warn(result.error)
        return log.done(result)
      }
    }

    let outcome: UploadOutcome
    await slots.acquire()
    try {
      const stop = uploadsStopped()
      if (stop) {
        outcome = { kind: 'stopped', reason: stop }
      } else {
        log.info(`uploading (${megabytes(video.size)}, ${video.privacyLevel}${video.sidecar ? `, settings from ${video.sidecar}` : ''})`)
        // Written before the first byte leaves: a runner killed mid-upload leaves a trace.
        await remember(UPLOADING)
        result.status = UPLOADING
        outcome = await uploadVideo(video, {
          client: deps.client,
          retries: deps.inputs.retries,
          timings: deps.inputs.timings,
          log: line => log.info(line),
          warn: line => log.warn(line),
          stopped: uploadsStopped
        })
      }
    } finally {
      slots.release()
    }

    switch (outcome.kind) {
      case 'accepted':
        Object.assign(result, { publish_id: outcome.publishId, status: outcome.status })
        await remember()
        log.info(`uploaded: publish ID ${outcome.publishId}`)
        break
      case 'unconfirmed':
        result.status = Status.Unconfirmed
        result.publish_id = outcome.publishId ?? null
        result.error =
          `${outcome.reason}. DraftClip may have published it, so it was not sent again. ` +
          `Check the TikTok account (and DraftClip's dashboard) before publishing it again` +
          (ledger ? `; ${releaseHint(deps.ledger!.shownAs, ledger.hash)}` : '.')
        await remember()
        log.warn(result.error)
        return log.done(result)
      case 'stopped':
        result.status = Status.NotAttempted
        result.error = `not attempted: ${outcome.reason}`
        // Every attempt so far was certainly refused: nothing stands in the way of a later run.
        if (ledger && ledger.ledger.get(ledger.hash)?.status === UPLOADING) await ledger.ledger.forget(ledger.hash)
        return log.done(result)
      default:
        result.status = Status.UploadFailed
        result.error = outcome.reason
        // DraftClip certainly did not take it: a later run may try again.
        if (ledger) await ledger.ledger.forget(ledger.hash)
        if (outcome.kind === 'unauthorized') {
          refusedKey(
            `DraftClip refused the API key (${outcome.reason}). Check the secret passed as 'api-key': it must be a current key from your DraftClip dashboard.`
          )
        } else if (outcome.kind === 'rate-limited') {
          uploadsHalted ??= `DraftClip's quota is used up (${outcome.reason}); the remaining videos were not sent. TikTok allows about 15 posts a day per account.`
        }
        log.warn(result.error)
        return log.done(result)
    }

    if (deps.inputs.wait) await follow(outcome.publishId, result, log, remember)
    log.done(result)
  }

  const tasks = videos.map((video, i) =>
    publishOne(video, results[i]).catch((error: Error) => {
      // An unexpected failure (the ledger could not be written: a full disk) must not turn
      // "may be on TikTok" into "certainly not": only a video never sent is UPLOAD_FAILED.
      const result = results[i]
      const mayBeTaken = result.publish_id !== null || result.status === UPLOADING || result.status === Status.Unconfirmed
      if (!mayBeTaken) result.status = Status.UploadFailed
      else if (result.status === UPLOADING) result.status = Status.Unconfirmed
      result.error = [result.error, error.message].filter(Boolean).join('; ')
      throw error
    })
  )
  const settled = await Promise.allSettled(tasks)
  const crash = settled.find(s => s.status === 'rejected')
  if (crash) throw crash.reason
  return uploadsHalted ?? cancelled()
}

/** A ledger status after which there is nothing more to learn. */
function isSettled(status: string, postId: string | null): boolean {
  return status === 'SEND_TO_USER_INBOX' || status === Status.Failed || (status === 'PUBLISH_COMPLETE' && postId !== null)
}

function semaphore(size: number): { acquire(): Promise<void>; release(): void } {
  let free = size
  const waiting: (() => void)[] = []
  return {
    acquire: async () => {
      if (free > 0) {
        free--
        return
      }
      await new Promise<void>(resolve => waiting.push(resolve))
    },
    release: () => {
      const next = waiting.shift()
      if (next) next()
      else free++
    }
  }
}

/**
 * What a video's GitHub Deployment says of it: the state and words of its
 * status, read off what the run learned. Pure, no I/O: the recorder
 * (publish/deployments.ts) decides when to send one, the client
 * (github/deployments.ts) sends it.
 */

import { PUBLIC, Status } from './status.js'

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error'

/** One status of a video's deployment (the client adds log_url and auto_inactive). */
export interface DeploymentStatus {
  state: DeploymentState
  description: string
  /** The post's link: only with a post ID. */
  environmentUrl?: string
}

/** What a deployment's status is read from: a result of this run, or a ledger entry (DraftClip's status) in a later run. */
export interface DeploymentFacts {
  status: string
  publish_id: string | null
  post_id: string | null
  fail_reason?: string | null
  error?: string | null
  privacy_level?: string
}

/** GitHub's limit on a deployment status's description. */
export const DESCRIPTION_MAX = 140

/**
 * Text cut to `max` characters, with an ellipsis where it was cut. Counted in
 * UTF-16 units, which is never fewer than code points: within the limit
 * whichever GitHub counts (an emoji is one code point but two units), and never
 * half an emoji.
 */
export function cut(text: string, max = DESCRIPTION_MAX): string {
  const line = text.replace(/\s+/g, ' ').trim()
  if (line.length <= max) return line
  let kept = ''
  for (const point of line) {
    if (kept.length + point.length > max - 1) break
    kept += point
  }
  return `${kept}…`
}

/**
 * The status a deployment should have now, or undefined when the video has no
 * say in it (skipped, scheduled, a dry run). Still on its way: in_progress, and
 * a later run adds the final one.
 */
export function deploymentStatus(f: DeploymentFacts, postLink: string | null): DeploymentStatus | undefined {
  const id = f.publish_id ? ` (publish ID ${f.publish_id})` : ''
  switch (f.status) {
    case Status.Uploading:
      return { state: 'in_progress', description: 'uploading to DraftClip' }
    case Status.ProcessingUpload:
    case Status.Processing:
      return { state: 'in_progress', description: `TikTok is processing it${id}` }
    case Status.PublishComplete:
      if (postLink) return { state: 'success', description: `published as post ${f.post_id}${id}`, environmentUrl: postLink }
      return {
        state: 'success',
        description:
          f.privacy_level !== undefined && f.privacy_level !== PUBLIC
            ? `published ${f.privacy_level}${id}; TikTok links only public posts`
            : `published${id}; its post link comes after TikTok's moderation`
      }
    case Status.SentToInbox:
      return { state: 'success', description: `sent to the inbox as a draft${id}` }
    case Status.Failed:
      return { state: 'failure', description: `TikTok refused it: ${f.fail_reason ?? 'no reason given'}${id}` }
    case Status.UploadFailed:
      return { state: 'failure', description: `upload failed: ${f.error ?? 'no reason given'}` }
    case Status.Unconfirmed:
      return { state: 'error', description: `unconfirmed${id}: it may or may not be on TikTok; ${f.error ?? ''}` }
    case Status.NotAttempted:
    case Status.Queued:
      return { state: 'error', description: `not uploaded: ${(f.error ?? f.status).replace(/^(not attempted|queued|not sent): /, '')}` }
    default:
      return undefined
  }
}

/**
 * Two statuses that say the same: the state, and the link (a second success adds the link once the post ID comes).
 * In progress, the words too: "uploading" then "processing (publish ID …)" is news, the one status wait: false or a
 * timeout leaves with the publish ID in it, when no later run may come.
 */
export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return (
    a?.state === b?.state && a?.environmentUrl === b?.environmentUrl && (a?.state !== 'in_progress' || a.description === b?.description)
  )
}

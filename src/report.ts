import * as core from '@actions/core'
import { postUrl } from './draftclip.js'
import { Status, type VideoResult } from './publish.js'
import { scrub } from './secret.js'
import { megabytes } from './videos.js'

/** Every output of action.yml, named once. */
export const Output = {
  PublishIds: 'publish-ids',
  PostIds: 'post-ids',
  Results: 'results',
  PublishId: 'publish-id',
  PostId: 'post-id'
} as const

export function buildOutputs(results: VideoResult[]): Record<string, string> {
  const publishIds = results.map(r => r.publish_id).filter((id): id is string => id !== null)
  const postIds = results.map(r => r.post_id).filter((id): id is string => id !== null)
  return {
    [Output.PublishIds]: JSON.stringify(publishIds),
    [Output.PostIds]: JSON.stringify(postIds),
    [Output.Results]: JSON.stringify(results),
    [Output.PublishId]: publishIds[0] ?? '',
    [Output.PostId]: postIds[0] ?? ''
  }
}

/** Results with every text scrubbed before it is escaped into JSON or Markdown (where a key could hide). */
export function scrubResults(results: VideoResult[], secrets: string[]): VideoResult[] {
  return results.map(r => {
    const clean = { ...r } as Record<string, unknown>
    for (const [key, value] of Object.entries(clean)) if (typeof value === 'string') clean[key] = scrub(value, secrets)
    return clean as unknown as VideoResult
  })
}

export function setOutputs(results: VideoResult[], secrets: string[]): void {
  for (const [name, value] of Object.entries(buildOutputs(scrubResults(results, secrets)))) core.setOutput(name, scrub(value, secrets))
}

const MARKS: Record<string, string> = {
  PUBLISH_COMPLETE: '✅',
  SEND_TO_USER_INBOX: '📥',
  PROCESSING_UPLOAD: '⏳',
  PROCESSING: '⏳',
  UPLOADING: '⏳',
  [Status.Skipped]: '⏭️',
  [Status.DryRun]: '📝',
  [Status.Failed]: '❌',
  [Status.UploadFailed]: '❌',
  [Status.Unconfirmed]: '⚠️',
  [Status.NotAttempted]: '⛔'
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, ' ')
}

/** The job summary as Markdown: a heading, one row a video with a status mark, and the totals. */
export function summaryMarkdown(results: VideoResult[], options: { dryRun: boolean; stopReason?: string }): string {
  const lines: string[] = []
  lines.push(options.dryRun ? '## DraftClip publish plan (dry run: nothing was sent)' : '## Published to TikTok with DraftClip', '')
  if (results.length === 0) {
    lines.push('No videos matched the patterns.')
    return lines.join('\n') + '\n'
  }
  if (options.dryRun) {
    lines.push('| | File | Size | Privacy | Caption as it will be sent | Ledger |', '|---|---|---|---|---|---|')
    for (const r of results) {
      const ledger = r.publish_id ? `skip: already published (${cell(r.publish_id)})` : r.error ? cell(r.error) : 'upload'
      lines.push(
        `| ${MARKS[r.status] ?? ''} | ${cell(r.file)} | ${megabytes(r.size)} | ${cell(r.privacy_level)} | ${cell(r.description)} | ${ledger} |`
      )
    }
  } else {
    lines.push('| | File | Size | Status | Publish ID | Post | Error |', '|---|---|---|---|---|---|---|')
    for (const r of results) {
      const post = r.post_id ? `[${cell(r.post_id)}](${postUrl(r.post_id)})` : ''
      const error = r.error ?? (r.fail_reason ? r.fail_reason : '')
      lines.push(
        `| ${MARKS[r.status] ?? ''} | ${cell(r.file)} | ${megabytes(r.size)} | ${cell(r.status)} | ${cell(r.publish_id ?? '')} | ${post} | ${cell(error)} |`
      )
    }
  }
  const counts = new Map<string, number>()
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1)
  const total = results.reduce((sum, r) => sum + r.size, 0)
  lines.push(
    '',
    `**${results.length} video${results.length === 1 ? '' : 's'}, ${megabytes(total)}:** ` +
      [...counts].map(([status, n]) => `${n} ${status}`).join(', ')
  )
  if (options.stopReason) lines.push('', `> [!WARNING]\n> ${cell(options.stopReason)}`)
  return lines.join('\n') + '\n'
}

export async function writeSummary(
  results: VideoResult[],
  options: { dryRun: boolean; stopReason?: string },
  secrets: string[]
): Promise<void> {
  // Outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write it.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const stopReason = options.stopReason && scrub(options.stopReason, secrets)
  const markdown = summaryMarkdown(scrubResults(results, secrets), { ...options, stopReason })
  await core.summary.addRaw(scrub(markdown, secrets)).write()
}

/** Failures as annotations on the files, so they show on the run's page. */
export function annotate(results: VideoResult[], secrets: string[]): void {
  for (const r of results) {
    if (r.status === Status.Unconfirmed || r.status === Status.Failed || r.status === Status.UploadFailed) {
      core.error(scrub(`${r.file}: ${r.status}: ${r.error ?? r.fail_reason ?? ''}`, secrets), {
        file: r.file,
        title: `DraftClip: ${r.status}`
      })
    }
  }
}

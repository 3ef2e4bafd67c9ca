import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import { postUrl, withPostUrl, nextPublishAt, isAnnotated, saidByStop, type RunOutcome, type VideoResult } from '../model/result.js'
import { meaningOf, Status } from '../model/status.js'
import { scrub, scrubStrings } from '../secrets.js'
import { printable, safeLine, type Logger } from './log.js'
import { formatSize } from '../sizes.js'
import { mediaText } from '../model/video.js'

/** Every output of action.yml, named once. */
export const Output = {
  PublishIds: 'publish-ids',
  PostIds: 'post-ids',
  PostUrls: 'post-urls',
  Results: 'results',
  PublishId: 'publish-id',
  PostId: 'post-id',
  PostUrl: 'post-url',
  NextPublishAt: 'next-publish-at',
  Requests: 'requests'
} as const

/** The DraftClip requests a run made, by kind: what the run cost of the account's monthly plan. */
export interface Requests {
  upload: number
  status: number
  /** Requests that never reached DraftClip (no connection): not in the output, said apart in the summary. */
  unreached?: number
}

const NO_REQUESTS: Requests = { upload: 0, status: 0 }

/** `username`: the account's handle (tiktok-username), for the post links. */
export function buildOutputs(results: VideoResult[], requests: Requests = NO_REQUESTS, username?: string): Record<string, string> {
  const publishIds = results.map(r => r.publish_id).filter((id): id is string => id !== null)
  const postIds = results.map(r => r.post_id).filter((id): id is string => id !== null)
  // One link per post ID, in the same order: post-urls[i] opens post-ids[i].
  const postUrls = postIds.map(id => postUrl(id, username)!)
  return {
    [Output.PublishIds]: JSON.stringify(publishIds),
    [Output.PostIds]: JSON.stringify(postIds),
    [Output.PostUrls]: JSON.stringify(postUrls),
    [Output.Results]: JSON.stringify(results.map(r => withPostUrl(r, username))),
    [Output.PublishId]: publishIds[0] ?? '',
    [Output.PostId]: postIds[0] ?? '',
    [Output.PostUrl]: postUrls[0] ?? '',
    [Output.NextPublishAt]: nextPublishAt(results) ?? '',
    [Output.Requests]: JSON.stringify({ upload: requests.upload, status: requests.status })
  }
}

/** Results with every text scrubbed before it is escaped into JSON or Markdown (where a key could hide). */
export function scrubResults(results: VideoResult[], secrets: string[]): VideoResult[] {
  return results.map(r => scrubStrings(r, secrets))
}

function setOutputs(results: VideoResult[], secrets: string[], requests?: Requests, username?: string): void {
  for (const [name, value] of Object.entries(buildOutputs(scrubResults(results, secrets), requests, username)))
    core.setOutput(name, scrub(value, secrets))
}

/**
 * The outputs through GITHUB_OUTPUT; when it is unset on a runner or cannot be
 * written, each output goes to the log instead (`name=value` lines: nothing is
 * lost) and the problem is returned. Outside a runner (local-action), unset is
 * normal: the toolkit prints them its own way.
 */
function setOutputsOrLog(
  results: VideoResult[],
  secrets: string[],
  info: (line: string) => void,
  onRunner: boolean,
  requests?: Requests,
  username?: string
): string | undefined {
  const file = process.env.GITHUB_OUTPUT
  let problem = 'GITHUB_OUTPUT is not set'
  if (file || !onRunner) {
    try {
      setOutputs(results, secrets, requests, username)
      return undefined
    } catch (error) {
      const folder = path.dirname(file ?? '')
      problem = `GITHUB_OUTPUT (${file}) cannot be written: ${fs.existsSync(folder) ? (error as Error).message : `its folder ${folder} does not exist`}`
    }
  }
  info("The step's outputs, written to the log instead:")
  for (const [name, value] of Object.entries(buildOutputs(scrubResults(results, secrets), requests, username)))
    info(`${name}=${scrub(value, secrets)}`)
  return `${problem}, so later steps cannot read this step's outputs; they are in the log above.`
}

function cell(text: string): string {
  return printable(text.replace(/[\\`[\]<>|]/g, c => `\\${c}`).replace(/\r\n|\r|\n|\u2028|\u2029/g, ' '))
}

/** GitHub drops a step summary over 1 MiB whole: rows stop well before, with a note. */
export const SUMMARY_LIMIT_BYTES = 1000 * 1024

interface SummaryOptions {
  dryRun: boolean
  stopReason?: string
  /** Why the step failed before any video was looked at (bad inputs, a bad file, a corrupt ledger). */
  problem?: string
  /** Warnings about the run that did not fail it (the release notes could not be updated). */
  notes?: string[]
  /** The DraftClip requests the run made, stated in one line. */
  requests?: Requests
  /** The account's handle (tiktok-username), for the post links. */
  username?: string
}

/** The run's cost in one line, for a user on a metered plan. */
export function requestsLine(requests: Requests): string {
  const n = (count: number, what: string): string => `${count} ${what} request${count === 1 ? '' : 's'}`
  const line = `**DraftClip requests:** ${requests.upload + requests.status} (${n(requests.upload, 'upload')}, retries included; ${n(requests.status, 'status')})`
  const unreached = requests.unreached ?? 0
  if (unreached === 0) return line
  return `${line}; ${n(unreached, 'more')} never reached DraftClip (no connection could be made), so they are not counted as the plan's`
}

/** The job summary as Markdown: a heading, one row a video with a status mark, and the totals. */
export function summaryMarkdown(results: VideoResult[], options: SummaryOptions, limit = SUMMARY_LIMIT_BYTES): string {
  const lines: string[] = []
  lines.push(heading(results, options), '')
  if (options.problem) {
    // The heading of a real run already says nothing was published.
    const intro = options.dryRun ? ['> Nothing was published:'] : []
    lines.push('> [!CAUTION]', ...intro, ...options.problem.split(/\r?\n/).map(l => `> ${cell(l)}`), '')
  }
  if (results.length === 0) {
    if (!options.problem) lines.push('No videos matched the patterns.')
    return lines.join('\n') + '\n'
  }
  const rows = options.dryRun ? planRows(results) : resultRows(results, options.stopReason, options.username)
  const calendar = calendarLines(results)
  let size = Buffer.byteLength(lines.join('\n')) + 4096
  let shown = 0
  for (const row of rows) {
    const bytes = Buffer.byteLength(row) + 1
    // The calendar is kept whole unless it alone is too big.
    if (shown >= 2 && size + bytes + Math.min(calendar.bytes, limit / 4) > limit) break
    lines.push(row)
    size += bytes
    shown++
  }
  const left = rows.length - shown
  if (left > 0) {
    lines.push(
      '',
      `*${left} more video${left === 1 ? ' is' : 's are'} not shown: GitHub drops a job summary over 1 MiB. The \`results\` output lists every video.*`
    )
  }
  const counts = new Map<string, number>()
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1)
  const total = results.reduce((sum, r) => sum + r.size, 0)
  lines.push(
    '',
    `**${results.length} video${results.length === 1 ? '' : 's'}, ${formatSize(total)}:** ` +
      [...counts].map(([status, n]) => `${n} ${status}`).join(', ')
  )
  if (options.requests) lines.push('', requestsLine(options.requests))
  for (const note of [options.stopReason, ...(options.notes ?? [])]) if (note) lines.push('', `> [!WARNING]\n> ${cell(note)}`)
  let room = limit - size
  for (const line of calendar.lines) {
    room -= Buffer.byteLength(line) + 1
    if (room < 0) {
      lines.push('', '*The calendar goes on: the `results` output has every video and its `publish_at`.*')
      break
    }
    lines.push(line)
  }
  return lines.join('\n') + '\n'
}

/** A title that is true of the run: "Published" only when this run published something. */
function heading(results: VideoResult[], options: SummaryOptions): string {
  if (options.dryRun) return '## DraftClip publish plan (dry run: nothing was sent)'
  if (!options.problem && results.some(r => meaningOf(r.status).uploaded)) return '## Published to TikTok with DraftClip'
  if (results.some(r => r.status === Status.Unconfirmed)) return '## Nothing confirmed published to TikTok by this run'
  return '## Nothing was published to TikTok by this run'
}

/** The content calendar, when there is one: what was published now, what is queued, what is scheduled when (UTC). */
function calendarLines(results: VideoResult[]): { lines: string[]; bytes: number } {
  const scheduled = results
    .filter(r => r.status === Status.Scheduled && r.publish_at)
    .sort((a, b) => Date.parse(a.publish_at!) - Date.parse(b.publish_at!))
  const queued = results.filter(r => r.status === Status.Queued)
  if (scheduled.length === 0 && queued.length === 0) return { lines: [], bytes: 0 }
  // Uploaded by this run and not refused (in a dry run: would be).
  const now = results.filter(r => meaningOf(r.status).uploaded || r.status === Status.DryRun)
  const list = (rs: VideoResult[]): string => (rs.length === 0 ? 'none' : rs.map(r => cell(r.file)).join(', '))
  const nowLabel = results.some(r => r.status === Status.DryRun) ? 'Would publish now' : 'Published now'
  const lines = ['', '### Calendar', '', `- **${nowLabel}:** ${list(now)}`, `- **Queued for a later run:** ${list(queued)}`]
  if (scheduled.length > 0) {
    lines.push('', '| Scheduled for (UTC) | File |', '|---|---|')
    for (const r of scheduled) lines.push(`| ${utc(r.publish_at!)} | ${cell(r.file)} |`)
  }
  return { lines, bytes: lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) }
}

/** An ISO instant as a person reads it: 2026-12-24 17:00 UTC. */
function utc(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d{2}\.\d{3}Z$/, ' UTC')
}

/** A last column with each video's duration, size and fps, when any was read (media-check). */
function mediaColumn(results: VideoResult[]): { head: string; rule: string; cell: (r: VideoResult) => string } {
  if (!results.some(r => r.media)) return { head: '', rule: '', cell: () => '' }
  return { head: ' Media |', rule: '---|', cell: r => ` ${r.media ? cell(mediaText(r.media)) : ''} |` }
}

function planRows(results: VideoResult[]): string[] {
  const media = mediaColumn(results)
  const rows = [`| | File | Size | Privacy | Caption as it will be sent | Plan |${media.head}`, `|---|---|---|---|---|---|${media.rule}`]
  for (const r of results) {
    const plan =
      r.status === Status.DryRun
        ? 'upload'
        : r.status === Status.Skipped
          ? `skip${r.publish_id ? `: uploaded before (publish ID ${cell(r.publish_id)})` : ''}`
          : r.status === Status.Scheduled && r.publish_at
            ? `wait: scheduled for ${utc(r.publish_at)}`
            : cell(r.error ?? r.status)
    rows.push(
      `| ${meaningOf(r.status).mark} | ${cell(r.file)} | ${formatSize(r.size)} | ${cell(r.privacy_level)} | ${cell(r.description)} | ${plan} |${media.cell(r)}`
    )
  }
  return rows
}

function resultRows(results: VideoResult[], stopReason: string | undefined, username?: string): string[] {
  const media = mediaColumn(results)
  const rows = [`| | File | Size | Status | Publish ID | Post | Error |${media.head}`, `|---|---|---|---|---|---|---|${media.rule}`]
  for (const r of results) {
    const post = r.post_id ? `[${cell(r.post_id)}](${postUrl(r.post_id, username)})` : ''
    // The stop reason is said once, below the table.
    const error = saidByStop(r.error, stopReason) ? 'why the run stopped: see below' : (r.error ?? (r.fail_reason ? r.fail_reason : ''))
    rows.push(
      `| ${meaningOf(r.status).mark} | ${cell(r.file)} | ${formatSize(r.size)} | ${cell(r.status)} | ${cell(r.publish_id ?? '')} | ${post} | ${cell(error)} |${media.cell(r)}`
    )
  }
  return rows
}

async function writeSummary(results: VideoResult[], options: SummaryOptions, secrets: string[]): Promise<void> {
  // Outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write it.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(scrubbedSummary(results, options, secrets)).write()
}

/** The job summary's Markdown, every text scrubbed: what writeSummary writes, and what the log gets when it cannot. */
function scrubbedSummary(results: VideoResult[], options: SummaryOptions, secrets: string[]): string {
  const stopReason = options.stopReason && scrub(options.stopReason, secrets)
  const problem = options.problem && scrub(options.problem, secrets)
  const notes = options.notes?.map(n => scrub(n, secrets))
  const markdown = summaryMarkdown(scrubResults(results, secrets), { ...options, stopReason, problem, notes })
  return scrub(markdown, secrets)
}

/** Why the job summary cannot be written, in words (the toolkit's own message speaks of permissions). */
function summaryProblem(error: unknown): string {
  const file = process.env.GITHUB_STEP_SUMMARY ?? ''
  const folder = path.dirname(file)
  const why = fs.existsSync(folder) ? (error as Error).message : `its folder ${folder} does not exist`
  return `The job summary could not be written to GITHUB_STEP_SUMMARY (${file}): ${why}. It follows in the log.`
}

/** Failures as annotations on the files, so they show on the run's page; one the stop reason already gives is not said again. */
function annotate(results: VideoResult[], secrets: string[], stopReason?: string): void {
  for (const r of results) {
    if (isAnnotated(r.status) && !saidByStop(r.error, stopReason)) {
      core.error(safeLine(scrub(`${r.file}: ${r.status}: ${r.error ?? r.fail_reason ?? ''}`, secrets)), {
        file: scrub(r.file, secrets),
        title: `DraftClip: ${r.status}`
      })
    }
  }
}

/**
 * Outputs, annotations and the job summary of a run, with whatever it learned.
 * The runner's files may be unusable (unset, a folder gone): then the results
 * go to the log, and the step says why.
 */
export async function reportOutcome(outcome: RunOutcome, secrets: string[], log: Logger, onRunner: boolean): Promise<void> {
  const { results, requests, username } = outcome
  const outputsProblem = setOutputsOrLog(results, secrets, line => log.info(line), onRunner, requests, username)
  if (outputsProblem) core.setFailed(outputsProblem)
  annotate(results, secrets, outcome.stopReason)
  let summaryFailed: string | undefined
  if (!process.env.GITHUB_STEP_SUMMARY) {
    if (onRunner) summaryFailed = 'GITHUB_STEP_SUMMARY is not set, so there is no job summary. It follows in the log.'
  } else {
    try {
      await writeSummary(results, outcome, secrets)
    } catch (error) {
      summaryFailed = summaryProblem(error)
    }
  }
  if (summaryFailed) {
    log.warning(summaryFailed)
    for (const line of scrubbedSummary(results, outcome, secrets).trimEnd().split('\n')) log.info(line)
  }
}

import { postUrl, type VideoResult } from '../model/result.js'
import type { GitHubClient } from './client.js'
import { meaningOf } from '../model/status.js'
import { scrub } from '../secrets.js'
import { printable } from './log.js'

/**
 * Links the release that triggered the run to its TikTok posts: a section in
 * the release body between markers, replaced (never appended twice) on reruns.
 */

export const SECTION_START = '<!-- draftclip-publish:start -->'
export const SECTION_END = '<!-- draftclip-publish:end -->'

/**
 * Untrusted text (a file name, an ID from DraftClip) as plain text in the release's Markdown, which anyone may
 * read: one line, no control character, in a code span. Backslash escapes are not enough: GitHub links
 * 'www.evil.example' and 'a@b.example' by itself, and after rendering turns '@octocat ' into a mention (a
 * notification) and '#1' into a reference; none of these happen inside code. Never our markers either (a name
 * holding '<!-- draftclip-publish:end -->' would cut the section short, and each rerun would add to it): a
 * code span shows its text raw, so '<!--' is written outside one, escaped.
 */
export function markdownText(text: string): string {
  const line = printable(text.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' '))
  return line.split('<!--').map(codeSpan).join('\\<\\!\\-\\-')
}

/** Text shown as it is: fenced by more backticks than it holds, padded where it starts or ends with one (or a space, which the span would strip). */
function codeSpan(text: string): string {
  if (text === '') return ''
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map(run => run.length)) + 1)
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

/** `username`: the account's handle (tiktok-username), for the post links. `secrets`: never written into a release. */
export function releaseSection(results: VideoResult[], username?: string, secrets: readonly string[] = []): string | undefined {
  // Only what is or may still become a post: not what TikTok refused, nor what never got a publish id.
  const posted = results.filter(r => r.post_id || (r.publish_id && meaningOf(r.status).mayPost))
  if (posted.length === 0) return undefined
  const text = (value: string): string => markdownText(scrub(value, secrets))
  const lines = posted.map(r =>
    r.post_id
      ? `- ${text(r.file)}: [${text(r.post_id)}](${postUrl(r.post_id, username)})`
      : `- ${text(r.file)}: uploaded (publish ID ${text(r.publish_id ?? '')}), post not live yet`
  )
  return [SECTION_START, '### Published on TikTok', '', ...lines, SECTION_END].join('\n')
}

/** The body with our section replaced, or added at the end when it is not there yet. */
export function mergeReleaseBody(body: string | null | undefined, section: string): string {
  const current = body ?? ''
  // The section is the last start marker before the first end marker: a start marker left
  // alone by a hand edit must not make everything after it look like ours.
  const end = current.indexOf(SECTION_END)
  const start = end < 0 ? -1 : current.lastIndexOf(SECTION_START, end)
  if (start >= 0) return current.slice(0, start) + section + current.slice(end + SECTION_END.length)
  return current.trim() === '' ? section : `${current.replace(/\s+$/, '')}\n\n${section}`
}

/** Updates the triggering release through the run's GitHub client; returns what it did, in a sentence for the log. */
export async function updateReleaseNotes(
  client: GitHubClient,
  results: VideoResult[],
  env: Record<string, string | undefined>,
  username: string | undefined,
  secrets: readonly string[]
): Promise<string> {
  const { context } = await import('@actions/github')
  const releaseId = (context.payload.release as { id?: number } | undefined)?.id
  if (context.eventName !== 'release' || !releaseId)
    return `release-notes: this run was triggered by '${context.eventName}', not a release; nothing to link.`
  const section = releaseSection(results, username, secrets)
  if (!section) return 'release-notes: no video was published; the release was left as it is.'
  const route = `/repos/${(env.GITHUB_REPOSITORY ?? '').split('/').map(encodeURIComponent).join('/')}/releases/${releaseId}`
  const got = await client.call('GET', route)
  if (got.status !== 200) throw new Error(`GitHub answered ${got.status} ${got.message.slice(0, 200)} for release ${releaseId}`)
  const release = got.json as { body?: string | null; tag_name?: string }
  const body = mergeReleaseBody(release.body, section)
  if (body === release.body) return `release-notes: release ${release.tag_name} already links these posts.`
  // The whole body, compare-free: sending it twice writes the same text, so a 5xx may be sent again.
  const put = await client.call('PATCH', route, { body }, true)
  if (put.status !== 200)
    throw new Error(`GitHub answered ${put.status} ${put.message.slice(0, 200)} when updating release ${release.tag_name}`)
  return `release-notes: linked the TikTok posts in release ${release.tag_name}.`
}

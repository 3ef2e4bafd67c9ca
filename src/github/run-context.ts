import type { RunVars, RunInfo } from '../model/video.js'

/** The part of @actions/github's context the captions use. */
export interface RunContext {
  repository: string | undefined
  sha: string
  ref: string
  payload: { release?: { tag_name?: string } }
  serverUrl: string
  runId: number
  eventName: string
}

/** {repo}, {sha}, {ref}, {tag}, {run_url} from the workflow run; a value that is not known is left out. */
export function runVars(ctx: RunContext): RunVars {
  const vars: RunVars = {}
  if (ctx.repository) {
    vars.repo = ctx.repository
    if (ctx.runId) vars.run_url = `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}`
  }
  if (ctx.sha) vars.sha = ctx.sha.slice(0, 7)
  if (ctx.ref) vars.ref = ctx.ref.replace(/^refs\/(heads|tags)\//, '')
  const tag = ctx.payload.release?.tag_name ?? (ctx.ref.startsWith('refs/tags/') ? ctx.ref.slice('refs/tags/'.length) : undefined)
  if (tag) vars.tag = tag
  return vars
}

/**
 * Loads @actions/github only when a caption needs it: it brings Octokit,
 * which would otherwise double the action's start-up time.
 */
async function loadRunContext(env: Record<string, string | undefined>): Promise<RunContext> {
  const { context } = await import('@actions/github')
  return {
    repository: env.GITHUB_REPOSITORY || undefined,
    sha: context.sha ?? '',
    ref: context.ref ?? '',
    payload: (context.payload ?? {}) as RunContext['payload'],
    serverUrl: context.serverUrl,
    runId: context.runId,
    eventName: context.eventName ?? ''
  }
}

/** The placeholders' values and the event's name, for the captions. */
export async function loadRunInfo(env: Record<string, string | undefined>): Promise<RunInfo> {
  const ctx = await loadRunContext(env)
  return { vars: runVars(ctx), event: ctx.eventName }
}

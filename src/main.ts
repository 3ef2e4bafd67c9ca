import { setTimeout as sleep } from 'node:timers/promises'
import * as core from '@actions/core'
import { DraftClipClient } from './draftclip.js'
import { Input, isLoopback, parseInputs, readInput, type Inputs } from './inputs.js'
import { decide, hashFile, Ledger, releaseHint, UPLOADING } from './ledger.js'
import { initialResults, publishAll, Status, stepFailure, type VideoLog, type VideoResult } from './publish.js'
import { annotate, setOutputs, writeSummary } from './report.js'
import { scrub } from './secret.js'
import { checkVideos, findVideoPaths, megabytes, VideoCheckError, workspacePath, type Video } from './videos.js'
import { loadRunContext, runVars } from './workflow.js'

/**
 * The action: inputs -> videos -> (ledger) -> publish -> report. The one
 * place that fails the step; outputs and the summary are written whatever
 * happens, with whatever was learned.
 */
export async function run(env: Record<string, string | undefined> = process.env): Promise<void> {
  // Masked before anything else can print it.
  const apiKey = readInput(env, Input.ApiKey)
  if (apiKey) core.setSecret(apiKey)
  const secrets = [apiKey]

  let results: VideoResult[] = []
  let stopReason: string | undefined
  let dryRun = false
  let finished = false
  /** Outputs, annotations and the summary, once, with whatever is known by then. */
  const finish = async (): Promise<void> => {
    if (finished) return
    finished = true
    setOutputs(results, secrets)
    annotate(results, secrets)
    try {
      await writeSummary(results, { dryRun, stopReason }, secrets)
    } catch (error) {
      core.warning(`Could not write the job summary: ${scrub((error as Error).message, secrets)}`)
    }
  }
  let ledger: Ledger | undefined
  const cancel = new AbortController()
  // A cancelled job gets SIGINT, then SIGTERM 7.5 s later: start nothing new, let the ledger
  // finish the writes under way (a publish id may be in one), then leave the outputs behind.
  const onSignal = (signal: NodeJS.Signals): void => {
    cancel.abort()
    stopReason = `The job was cancelled (${signal}).`
    core.error(`${stopReason} The outputs hold what was learned so far.`)
    const settled = Promise.race([ledger?.idle(), sleep(5000, undefined, { ref: false })])
    void settled
      .then(() => {
        for (const r of results) {
          if (r.status !== UPLOADING) continue
          r.status = Status.Unconfirmed
          r.error =
            'the job was cancelled during its upload; DraftClip may or may not have taken it. Check the TikTok account before publishing it again.' +
            (ledger && r.sha256 ? ` ${releaseHint(ledger.shownAs, r.sha256)}` : '')
        }
        return finish()
      })
      .finally(() => process.exit(1))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  try {
    const inputs = parseInputs(env)
    dryRun = inputs.dryRun
    if (!isLoopback(inputs.baseUrl) && inputs.pollIntervalMs < 1000) {
      core.warning(`'${Input.PollInterval}' under 1 s polls DraftClip very often; its doc asks clients to be gentle (it uses 5 s).`)
    }

    const paths = await findVideoPaths(inputs.patterns, inputs.workspace)
    const videos = await checkVideos(
      paths,
      inputs,
      async () => runVars(await loadRunContext(env)),
      line => core.info(line)
    )
    if (videos.length === 0) return noVideos(inputs)
    core.info(`${videos.length} video${videos.length === 1 ? '' : 's'} to publish: ${videos.map(v => v.file).join(', ')}`)

    let hashes: Map<string, string> | undefined
    if (inputs.ledger) {
      ledger = await Ledger.load(inputs.ledger, workspacePath(inputs.ledger, inputs.workspace))
      hashes = new Map()
      for (const video of videos) hashes.set(video.path, await hashFile(video.path, video.size))
    }
    results = initialResults(videos, hashes)

    if (dryRun) return plan(results, ledger)

    const client = new DraftClipClient({
      baseUrl: inputs.baseUrl,
      apiKey: inputs.apiKey,
      connectMs: inputs.timings.connectMs,
      responseMs: inputs.responseTimeoutMs,
      stallMs: inputs.timings.stallMs,
      useProxy: ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some(v => env[v])
    })
    try {
      stopReason = await publishAll(videos, results, {
        client,
        ledger,
        hashes,
        inputs,
        cancel: cancel.signal,
        logFor: video => videoLog(video, secrets)
      })
    } finally {
      await client.close()
    }
    if (inputs.releaseNotes) await linkRelease(inputs, results, env, secrets)

    const failure = stepFailure(results, stopReason)
    if (failure) core.setFailed(scrub(failure, secrets))
  } catch (error) {
    core.setFailed(scrub(failureMessage(error), secrets))
    if (error instanceof VideoCheckError) {
      for (const p of error.problems) core.error(scrub(p.problem, secrets), { file: p.file, title: 'DraftClip: cannot publish' })
    }
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
    await finish()
  }
}

function noVideos(inputs: Inputs): void {
  const message = `No videos matched ${inputs.patterns.map(p => `'${p}'`).join(', ')} in ${inputs.workspace}.`
  if (inputs.ifNoFilesFound === 'error')
    core.setFailed(`${message} (Set '${Input.IfNoFilesFound}' to warn or ignore if that can be normal.)`)
  else if (inputs.ifNoFilesFound === 'warn') core.warning(message)
  else core.info(message)
}

function plan(results: VideoResult[], ledger: Ledger | undefined): void {
  for (const r of results) {
    const decision = ledger && r.sha256 ? decide(ledger.get(r.sha256)) : { action: 'upload' as const }
    r.status = Status.DryRun
    if (decision.action === 'skip') Object.assign(r, { publish_id: decision.entry.publish_id, post_id: decision.entry.post_id })
    if (decision.action === 'unconfirmed')
      r.error = `would not upload: an earlier run's upload is unconfirmed (${decision.entry.updated_at})`
    const verb =
      decision.action === 'upload'
        ? 'would upload'
        : decision.action === 'skip'
          ? 'would skip (already published)'
          : 'would not upload (unconfirmed)'
    core.info(`${r.file}: ${verb}, ${megabytes(r.size)}, ${r.privacy_level}, caption: ${JSON.stringify(r.description)}`)
  }
  core.info('Dry run: nothing was sent to DraftClip.')
}

async function linkRelease(
  inputs: Inputs,
  results: VideoResult[],
  env: Record<string, string | undefined>,
  secrets: string[]
): Promise<void> {
  const { updateReleaseNotes } = await import('./release-notes.js')
  try {
    const said = await updateReleaseNotes(inputs.githubToken!, results, env)
    core.info(said)
  } catch (error) {
    core.warning(`Could not update the release notes: ${scrub((error as Error).message, secrets)}`)
  }
}

/** Lines for one video: shown live, then kept in a log group once the video is done. */
function videoLog(video: Video, secrets: string[]): VideoLog {
  const lines: string[] = []
  const started = Date.now()
  const keep = (line: string): string => {
    const clean = scrub(line, secrets)
    lines.push(`[+${((Date.now() - started) / 1000).toFixed(1)}s] ${clean}`)
    return `${video.file}: ${clean}`
  }
  return {
    info: line => core.info(keep(line)),
    warn: line => core.warning(keep(line), { file: video.file }),
    done: result => {
      core.startGroup(`${video.file}: ${result.status}${result.publish_id ? ` (${result.publish_id})` : ''}`)
      for (const line of lines) core.info(line)
      core.endGroup()
    }
  }
}

function failureMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

import { deploymentStatus, sameStatus, type DeploymentFacts, type DeploymentStatus } from '../model/deployment.js'
import type { LedgerEntry } from '../model/ports.js'
import { postUrl, type VideoResult } from '../model/result.js'

/**
 * Each upload's GitHub Deployment (deployment-environment): created before the
 * video's first byte, in_progress at once, then the status its end calls for
 * (model/deployment.ts), sent only when it says something new. A later run
 * with a ledger adds what DraftClip tells it about an earlier upload. Nothing
 * here ever stops publishing, except GitHub refusing the run's first
 * deployment, before anything was sent.
 */

/** The two calls this needs (github/deployments.ts). */
export interface DeploymentsClient {
  create(
    file: string,
    sha256: string
  ): Promise<
    { kind: 'created'; id: number } | { kind: 'refused'; status: number; message: string } | { kind: 'unsent' | 'lost'; message: string }
  >
  addStatus(id: number, status: DeploymentStatus): Promise<string | undefined>
}

export class DeploymentRecorder {
  /** Each video's deployment, by its index in the run. */
  private readonly ids = new Map<number, number>()
  /** The status each deployment has (or was last sent). */
  private readonly last = new Map<number, DeploymentStatus | undefined>()
  /** Videos this run uploads (the others' facts are their ledger entries). */
  private readonly uploaded = new Set<number>()
  /** Each deployment's statuses go out one after another, in the order they were decided. */
  private readonly sending = new Map<number, Promise<void>>()
  /** The first creation's answer: every other upload waits for it (a 403 there stops the run before any byte). */
  private first: Promise<unknown> | undefined
  private refusal: string | undefined

  constructor(
    private readonly client: DeploymentsClient,
    private readonly settings: { environment: string; username?: string },
    /** What went wrong with deployments (publishing went on): a warning on the file, and a note for the summary. */
    private readonly told: { warn: (line: string, file: string) => void; notes: string[] }
  ) {}

  /**
   * Before a video's first byte: its deployment, in_progress. Returns why the
   * upload must not start (GitHub refused the run's first deployment), or
   * undefined: go on, with or without a deployment.
   */
  async start(i: number, file: string, sha256: string): Promise<string | undefined> {
    this.uploaded.add(i)
    this.ids.delete(i)
    const isFirst = this.first === undefined
    if (!isFirst) await this.first
    if (this.refusal) return this.refusal
    const creating = this.client.create(file, sha256)
    if (isFirst) this.first = creating
    const made = await creating
    if (made.kind === 'created') {
      this.ids.set(i, made.id)
      this.send(i, file, { state: 'in_progress', description: 'uploading to DraftClip' })
      return undefined
    }
    if (isFirst && made.kind === 'refused') {
      this.refusal = refusalReason(this.settings.environment, made.status, made.message)
      return this.refusal
    }
    this.problem(
      file,
      made.kind === 'lost'
        ? // GitHub may have made it: not asked again (a second deployment would be a second record), so it has no status.
          `GitHub may have made its deployment, but no answer said so (${made.message}); not asked again, so that one has no status; it is published all the same`
        : `no GitHub Deployment was made for it (${made.kind === 'refused' ? `${made.status}: ` : ''}${made.message}); it is published all the same`
    )
    return undefined
  }

  /** A later run: the deployment an earlier run made for this video (its ledger entry), and the status it has. */
  adopt(i: number, entry: LedgerEntry): void {
    const id = entry.deployment_id
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return
    this.ids.set(i, id)
    this.last.set(i, this.statusOf(entry))
  }

  /** The deployment id a video's ledger entry keeps: this run's own for a video it uploads; undefined for the others (kept as is). */
  entryId(i: number): { id: number | undefined } | undefined {
    return this.uploaded.has(i) ? { id: this.ids.get(i) } : undefined
  }

  /**
   * A video is done (or the run ends under it): the status its end calls for, if
   * that is news. Its facts: the result for a video this run uploaded, else its
   * ledger entry (what DraftClip told this run about an earlier upload).
   */
  finish(i: number, file: string, result: VideoResult, stored: LedgerEntry | undefined): void {
    if (!this.ids.has(i)) return
    const facts = this.uploaded.has(i) ? result : stored
    const status = facts && this.statusOf(facts)
    if (!status || sameStatus(status, this.last.get(i))) return
    this.send(i, file, status)
  }

  /** Every status decided so far has been answered. */
  async settled(): Promise<void> {
    await Promise.all(this.sending.values())
  }

  private statusOf(facts: DeploymentFacts): DeploymentStatus | undefined {
    return deploymentStatus(facts, postUrl(facts.post_id, this.settings.username))
  }

  private send(i: number, file: string, status: DeploymentStatus): void {
    const id = this.ids.get(i)!
    this.last.set(i, status)
    const sent = (this.sending.get(i) ?? Promise.resolve()).then(async () => {
      const problem = await this.client.addStatus(id, status)
      // Not sent again: GitHub may have it, and the next status says more anyway.
      if (problem) this.problem(file, `its deployment ${id} did not get the status ${status.state} (${problem})`)
    })
    this.sending.set(i, sent)
  }

  private problem(file: string, what: string): void {
    const line = `${file}: ${what}.`
    this.told.notes.push(`GitHub Deployments: ${line}`)
    this.told.warn(`GitHub Deployments: ${line}`, file)
  }
}

/** Why the run stops before its first upload: GitHub refused its first deployment. */
export function refusalReason(environment: string, status: number, message: string): string {
  const said = `GitHub refused to create a deployment in environment '${environment}' (${status}: ${message})`
  const fix =
    status === 403 || status === 404
      ? "the job needs 'permissions: deployments: write' for 'deployment-environment' (and 'github-token' must be a token of this repository)"
      : "check 'deployment-environment' and the commit the workflow runs on"
  return `${said}: ${fix}. Nothing was uploaded.`
}

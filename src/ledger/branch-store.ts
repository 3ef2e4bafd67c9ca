import type { Clock, LedgerEntry, LedgerStore } from '../model/ports.js'
import { createHash } from 'node:crypto'
import { uncertain, type GitHubAnswer, type GitHubClient } from '../github/client.js'
import type { RunRef } from '../model/run.js'
import { scrub } from '../secrets.js'

/**
 * The ledger as a file on a branch of the workflow's repository, through
 * GitHub's REST API. Every write is a commit made with a compare-and-swap: the
 * contents API with the file's blob sha (409 when it moved), or, for the
 * branch's first commit, creating the ref (422 when another run made it
 * first). A refused swap is reported as such; the Ledger re-reads and merges.
 *
 * A missing branch starts as an orphan holding only the ledger: no copy of the
 * code or the workflows (a push of workflow files needs a permission the
 * token lacks), a history that is the ledger's alone, and it works whatever
 * the default branch is.
 */

/** 80 content-creating requests a minute, GitHub's secondary limit, with room for the ref's creation. */
const WRITE_SPACING_MS = 800

/** A status that only moved on waits this long for company (docs/reliability.md: "10 s later at most"). */
export const LAZY_WRITE_MS = 10_000

/** How long the run's last write sits through a rate limit: the outputs wait for it. */
const FINAL_WAIT_CEILING_MS = 60 * 60 * 1000

/** A commit refused while the file did not move (the branch's head moved under another file's commit; a 5xx) is sent this many times in all. */
const WRITE_TRIES = 5

/** What a branch is made with: a ledger without entries (the Ledger writes the same bytes for none). */
const EMPTY_LEDGER = Buffer.from('{\n  "version": 1,\n  "videos": {}\n}\n')

/** A blob's git sha, as GitHub names a file's content: how a write GitHub took but answered badly is recognised. */
function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/** GitHub refuses the branch itself (a protection, a ruleset): sending again cannot help. */
function protectedAnswer(answer: GitHubAnswer): boolean {
  return (answer.status === 409 || answer.status === 422) && /protected|rule/i.test(answer.message)
}

export class LedgerBranchError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LedgerBranchError'
  }
}

interface BranchLedgerOptions {
  rest: GitHubClient
  /** owner/name: GITHUB_REPOSITORY. */
  repository: string
  branch: string
  /** The file's path on the branch. */
  path: string
  run: RunRef
  /** Never in a commit message (file names are the user's, and could hold anything). */
  secrets: readonly string[]
}

export class BranchStore implements LedgerStore {
  readonly shownAs: string
  /** A commit costs a request of GitHub's content-creation limit: a status that only moved on waits this long for company. */
  readonly lazy: { ms: number; clock: Clock }
  /** The file's blob sha as last read or written; undefined when it is not there. */
  private sha: string | undefined
  private branchExists = true
  /** The branch was there when last read or written: its disappearance is worth a warning. */
  private seen = false
  /** Commits made, for the log and the benchmark. */
  commits = 0
  /** When the last commit was sent: GitHub allows about 80 content-creating requests a minute. */
  private lastWrite = -Infinity

  constructor(private readonly options: BranchLedgerOptions) {
    this.shownAs = `${options.path} on branch '${options.branch}'`
    this.lazy = { ms: LAZY_WRITE_MS, clock: options.rest.clock }
  }

  private get repo(): string {
    return `/repos/${this.options.repository.split('/').map(encodeURIComponent).join('/')}`
  }

  private get filePath(): string {
    return this.options.path.split('/').map(encodeURIComponent).join('/')
  }

  async read(): Promise<string | undefined> {
    const { rest, branch } = this.options
    const answer = await rest.call('GET', `${this.repo}/contents/${this.filePath}?ref=${encodeURIComponent(branch)}`)
    if (answer.status === 200) {
      const file = answer.json as { type?: string; sha?: string; content?: string; encoding?: string }
      if (file?.type !== 'file' || typeof file.sha !== 'string') throw new LedgerBranchError(`${this.shownAs} is not a file.`)
      this.sha = file.sha
      this.branchExists = true
      this.seen = true
      // Over 1 MB the contents API leaves the content out; the blob has it (up to 100 MB).
      if (file.encoding === 'base64' && typeof file.content === 'string') return Buffer.from(file.content, 'base64').toString('utf8')
      const blob = await rest.call('GET', `${this.repo}/git/blobs/${file.sha}`)
      if (blob.status !== 200) throw this.refused('read', blob)
      return Buffer.from((blob.json as { content: string }).content, 'base64').toString('utf8')
    }
    if (answer.status !== 404) throw this.refused('read', answer)
    this.sha = undefined
    // Is it the file that is missing, or the branch?
    const ref = await rest.call('GET', `${this.repo}/git/ref/heads/${encodeURIComponent(branch)}`)
    if (ref.status === 200) this.branchExists = true
    else if (ref.status === 404) this.branchExists = false
    else throw this.refused('read', ref)
    if (!this.branchExists && this.seen)
      rest.log(
        `Warning: the branch '${branch}' was deleted while this run used it as its ledger: it is made again with the entries this job stored; entries only other runs stored on it are gone.`
      )
    this.seen = this.branchExists
    return undefined
  }

  /** The run's last write: a rate limit is waited out up to an hour (new uploads stopped at ten minutes), so that what was learned is stored. */
  finishing(): void {
    this.options.rest.waitCeiling = Math.max(this.options.rest.waitCeiling, FINAL_WAIT_CEILING_MS)
  }

  /** Paced under GitHub's secondary limit; what is learned meanwhile shares the next commit. */
  async ready(): Promise<void> {
    const { clock } = this.options.rest
    const wait = this.lastWrite + WRITE_SPACING_MS - clock.now()
    if (wait > 0) await clock.sleep(wait)
  }

  async write(bytes: Uint8Array, changed: LedgerEntry[]): Promise<boolean> {
    this.lastWrite = this.options.rest.clock.now()
    const message = this.message(changed)
    if (!this.branchExists) {
      // The branch is made holding a ledger without entries, and the claim is its first update: a branch that
      // may be created but not updated (a ruleset) refuses that update, before any upload, not the one after it.
      if (
        !(await this.create(
          EMPTY_LEDGER,
          `draftclip-publish: the ledger's branch made (run ${this.options.run.id}, attempt ${this.options.run.attempt})`
        ))
      )
        return false
    }
    return this.update(bytes, message)
  }

  /**
   * A commit of the file on the branch, if the file is still the one we last saw. A refusal or a
   * failure is judged by reading the file again: ours there (GitHub took the commit but answered
   * badly), stored; moved, stale (merge); unmoved, sent again a few times unless a rule refuses us.
   */
  private async update(bytes: Uint8Array, message: string): Promise<boolean> {
    const { rest, branch } = this.options
    const ours = gitBlobSha(bytes)
    for (let tries = 1; ; tries++) {
      const sent = this.sha
      const answer = await rest.call('PUT', `${this.repo}/contents/${this.filePath}`, {
        message,
        content: Buffer.from(bytes).toString('base64'),
        branch,
        ...(sent ? { sha: sent } : {})
      })
      if (answer.status === 200 || answer.status === 201) {
        this.sha = (answer.json as { content?: { sha?: string } }).content?.sha
        this.commits++
        this.seen = true
        return true
      }
      if (answer.status !== 409 && answer.status !== 422 && answer.status !== 404 && !uncertain(answer)) throw this.refused('write', answer)
      const before = { sha: sent, exists: this.branchExists }
      await this.read()
      if (this.branchExists && this.sha === ours && sent !== ours) {
        this.commits++
        this.seen = true
        return true
      }
      if (this.sha !== before.sha || this.branchExists !== before.exists) return false
      if (answer.status === 404 || protectedAnswer(answer) || tries >= WRITE_TRIES) throw this.refused('write', answer, tries)
      await this.backoff(tries)
    }
  }

  /** Before sending a refused commit again: 1, 2, 4, 8 s, each between half and one and a half of that. */
  private async backoff(tries: number): Promise<void> {
    const { clock } = this.options.rest
    await clock.sleep(1000 * 2 ** (tries - 1) * (0.5 + clock.random()))
  }

  /** The branch's first commit: an orphan holding only the ledger; the ref's creation is the swap. */
  private async create(bytes: Uint8Array, message: string): Promise<boolean> {
    const { rest, branch, path } = this.options
    const blob = await rest.call(
      'POST',
      `${this.repo}/git/blobs`,
      { content: Buffer.from(bytes).toString('base64'), encoding: 'base64' },
      true
    )
    if (blob.status !== 201) throw this.refused('write', blob)
    const blobSha = (blob.json as { sha: string }).sha
    const tree = await rest.call('POST', `${this.repo}/git/trees`, { tree: [{ path, mode: '100644', type: 'blob', sha: blobSha }] }, true)
    if (tree.status !== 201) throw this.refused('write', tree)
    const commit = await rest.call(
      'POST',
      `${this.repo}/git/commits`,
      { message, tree: (tree.json as { sha: string }).sha, parents: [] },
      true
    )
    if (commit.status !== 201) throw this.refused('write', commit)
    for (let tries = 1; ; tries++) {
      const ref = await rest.call('POST', `${this.repo}/git/refs`, {
        ref: `refs/heads/${branch}`,
        sha: (commit.json as { sha: string }).sha
      })
      if (ref.status === 201) {
        this.branchExists = true
        this.sha = blobSha
        this.commits++
        this.seen = true
        return true
      }
      if (ref.status !== 422 && !uncertain(ref)) throw this.refused('write', ref)
      // Another run made the branch first (read it, merge), or GitHub made ours but answered badly.
      await this.read()
      if (this.branchExists && this.sha === blobSha) {
        // Ours only after an uncertain answer: a 422 means another run made it (with the same bytes, a ledger without entries).
        if (uncertain(ref)) this.commits++
        this.seen = true
        return true
      }
      if (this.branchExists) return false
      if (!uncertain(ref) || tries >= WRITE_TRIES) throw this.refused('write', ref, tries)
      await this.backoff(tries)
    }
  }

  /** Names the videos and the run: someone reading the branch's history sees who wrote what. */
  private message(changed: LedgerEntry[]): string {
    const { run } = this.options
    // Control characters folded first: a file name's newline must not make a line (a forged trailer) of the message.
    // eslint-disable-next-line no-control-regex -- control characters are what it removes
    const names = changed.map(e => `${e.file} ${e.status}`.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' '))
    const head = `draftclip-publish: ${names.length === 1 ? names[0] : `${names.length} videos`} (run ${run.id}, attempt ${run.attempt})`
    const body = names.length === 1 ? '' : `\n\n${names.map(n => `- ${n}`).join('\n')}`
    return scrub(head + body, this.options.secrets)
  }

  /** An answer that is no compare-and-swap: what the user must change, named. */
  private refused(what: 'read' | 'write', answer: GitHubAnswer, tries = 1): LedgerBranchError {
    const { repository, branch } = this.options
    const said = `${answer.status} ${scrub(answer.message, this.options.secrets).slice(0, 200)}`
    if (answer.status === 401)
      return new LedgerBranchError(
        `GitHub refused the token ('github-token') while trying to ${what} ${this.shownAs} of ${repository} (${said}).`
      )
    if (answer.status === 404 && !/branch/i.test(answer.message))
      return new LedgerBranchError(
        `GitHub answered ${said} while trying to ${what} ${this.shownAs}: the repository ${repository} was not found, or the token ('github-token') cannot see it.`
      )
    if (answer.status === 403 || (what === 'read' && answer.status === 404))
      return new LedgerBranchError(
        `GitHub refused to ${what} ${this.shownAs} of ${repository} (${said}): the job needs 'permissions: contents: write' for 'ledger-branch'.`
      )
    const times = tries > 1 ? `, ${tries} times` : ''
    if (what === 'write' && uncertain(answer))
      return new LedgerBranchError(
        `GitHub failed to take a commit to the branch '${branch}' of ${repository} (${said}${times}): GitHub's API may be having trouble (githubstatus.com); run the workflow again later.`
      )
    if (what === 'write' && !protectedAnswer(answer) && tries > 1)
      return new LedgerBranchError(
        `GitHub refused a commit to the branch '${branch}' of ${repository} ${tries} times (${said}): its head kept moving under other commits (other jobs writing to it?); run the workflow again.`
      )
    if (what === 'write')
      return new LedgerBranchError(
        `GitHub refused a commit to the branch '${branch}' of ${repository} (${said}): is it protected? 'ledger-branch' needs a branch the workflow's token may push to.`
      )
    return new LedgerBranchError(`GitHub could not ${what} ${this.shownAs} of ${repository} (${said}).`)
  }
}

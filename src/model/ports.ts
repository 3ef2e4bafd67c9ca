/**
 * What the engine needs from the world, as interfaces: time, DraftClip, a
 * video's log lines, where the ledger is stored. Runs and tests plug in their own.
 */

import type { VideoResult } from './result.js'

/** Time and chance, injected so that tests run the real logic in milliseconds. */
export interface Clock {
  now: () => number
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  random: () => number
}

export interface MultipartFile {
  name: string
  size: number
  contentType: string
  fields: Record<string, string>
}

export interface UploadRequest extends MultipartFile {
  /** The file's bytes, read afresh for every attempt; `total` counts the file's bytes so far. */
  chunks: () => AsyncIterable<{ chunk: Buffer; total: number }>
  /** Called as the body is handed to the socket: bytes of the file sent so far. */
  onProgress?: (sent: number) => void
  /**
   * Aborted when the job is cancelled: an attempt whose last bytes have not been handed to the
   * socket never hands them (DraftClip refuses a body cut short) and calls `onHeldBack` at once;
   * one whose last bytes have left waits for its answer as before.
   */
  signal?: AbortSignal
  onHeldBack?: () => void
}

/** An HTTP answer: the status, the body parsed as JSON where it was JSON. */
export interface Answer {
  kind: 'answer'
  httpStatus: number
  json: unknown
  /** The start of the body (at most MAX_ANSWER_BYTES of it), for messages and for ids in a body that is not JSON. */
  text: string
  retryAfter: string | undefined
  /** Whether the whole request body had left before the answer came (always true for a GET). */
  bodySent: boolean
}

/** No HTTP answer. `bodySent` tells whether the server could have had the whole request. */
export interface NoAnswer {
  kind: 'no-answer'
  code: string
  message: string
  bodySent: boolean
  stalled: boolean
  /** Where the request went (origin), so a message can say where it could not connect. */
  origin: string
  /** The TLS handshake failed because this runner does not trust the host's certificate: no request left. */
  untrustedCertificate?: boolean
}

export type Attempt = Answer | NoAnswer

/** What the rest of the action needs of a DraftClip client: tests give a fake one. */
export interface DraftClip {
  upload(video: UploadRequest): Promise<Attempt>
  /** One status request, abandoned after `timeoutMs` or when `signal` aborts. */
  status(publishId: string, timeoutMs: number, signal?: AbortSignal): Promise<Attempt>
  close(): Promise<void>
}

export interface VideoLog {
  info(line: string): void
  warn(line: string): void
  /** The video is done: its lines can be closed off (a log group). */
  done(result: VideoResult): void
}

/**
 * The ledger: what this action has published, keyed by the SHA-256 of each
 * video's bytes, so that a re-run never posts the same video twice.
 */

export interface LedgerEntry {
  file: string
  status: string
  publish_id: string | null
  post_id: string | null
  fail_reason?: string | null
  /** The privacy it was uploaded with: a later run judges it by that, not by today's input (absent in older ledgers). */
  privacy_level?: string
  updated_at: string
  /** The workflow run that wrote it (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT), where the ledger knows its run (a branch ledger). */
  run_id?: string
  run_attempt?: number
  /** The job that wrote it, within its run (matrix jobs share the run's id and attempt). */
  writer?: string
  /** Its upload's GitHub Deployment (deployment-environment), so a later run adds the status it learns. */
  deployment_id?: number
}

/**
 * Where a ledger lives: a file of the workspace or a branch of the repository
 * (src/ledger/file-store.ts, branch-store.ts). The Ledger keeps the claims, the
 * batching and the merge; a store reads and writes whole documents.
 */
export interface LedgerStore {
  /** How messages name it: the path, and where it is. */
  readonly shownAs: string
  /** The stored text; undefined when there is no ledger yet. */
  read(): Promise<string | undefined>
  /**
   * Stores the whole document, carrying the entries named (`changed`: their files and statuses,
   * for the commit message). False: the stored ledger moved since the last read or write (a
   * refused compare-and-swap); the Ledger reads it, merges, and writes again.
   */
  write(bytes: Uint8Array, changed: LedgerEntry[]): Promise<boolean>
  /** Resolves when the store may take the next write (a pace); changes made meanwhile join it. */
  ready?(): Promise<void>
  /** The run's last write comes next: no upload waits on it any more (a store may then wait longer). */
  finishing?(): void
  /**
   * A change that needs no haste (a status after the publish ID) may wait `ms` for company: a write costs (a commit).
   * Counted on the store's own clock (the one its requests wait on), so a test's fake clock holds it too.
   */
  readonly lazy?: { ms: number; clock: Clock }
  /** The run is done with it: make what was written durable. */
  settle?(): Promise<void>
}

// Types for server.js, the DraftClip sandbox server.

export type FinalStatus = 'PUBLISH_COMPLETE' | 'FAILED' | 'SEND_TO_USER_INBOX'

export interface FileBehaviour {
  /** Final status once processing is over; default PUBLISH_COMPLETE. */
  final?: FinalStatus
  /** With FAILED, sent as data.fail_reason; default 'file_format_check_failed'. */
  failReason?: string
  /** Non-complete polls before the final status; overrides the global option. */
  pollsToComplete?: number
  /**
   * TikTok's moderation: PUBLISH_COMPLETE is answered this many polls without a post id first. Only a
   * PUBLIC_TO_EVERYONE upload ever gets a post id, as on TikTok; default 0.
   */
  postIdDelay?: number
  /** Send publicaly_available_post_id as ["id"] (TikTok's own shape). */
  postIdAsArray?: boolean
  /** Never completes: PROCESSING forever. */
  never?: boolean
}

export type Fault =
  /** Read the whole body, then answer exactly this; nothing is taken. */
  | { type: 'respond'; status: number; body: string; headers?: Record<string, string> }
  /** Reset the connection after afterBytes (default 64 KiB) of the body; nothing is taken. */
  | { type: 'reset-before-body'; afterBytes?: number }
  /** Read and process the body (a valid upload IS taken), then reset without answering. */
  | { type: 'reset-after-body' }
  /** Read and process the body (a valid upload IS taken), never answer. */
  | { type: 'hang' }
  /** Stop reading the body and never answer; nothing is taken. */
  | { type: 'stall' }
  /** Behave normally, but answer ms later. */
  | { type: 'delay'; ms: number }

export interface SandboxOptions {
  /** Valid API keys; default ['ttapi_sandbox_key']. */
  apiKeys?: string[]
  /** Size limit of the video part; default 524288000 (PHP's 500M). */
  maxUploadBytes?: number
  /** Uploads a key may have taken before every further one is answered 429 (TikTok's daily cap); default no limit. */
  dailyLimit?: number
  /** The daily cap's 429 says Retry-After: this many seconds (default: no Retry-After, as DraftClip's doc promises none). */
  dailyLimitRetryAfter?: number
  /** Status polls answered non-complete before the final one; default 2. */
  pollsToComplete?: number
  /** Behaviour keyed by the uploaded file's name (basename of the multipart filename); '*' applies to every file (its own key overrides). */
  files?: Record<string, FileBehaviour>
  /** One consumed per request to /api/upload.php, in arrival order; null = normal. */
  uploadFaults?: (Fault | null)[]
  /** One consumed per request to /api/video_status.php, in arrival order; null = normal. */
  statusFaults?: (Fault | null)[]
  /** Default '127.0.0.1'; the port is always a free one. */
  host?: string
  /** Compress every answer so, with a Content-Encoding header, whatever the client asked (default: none). */
  contentEncoding?: 'gzip' | 'deflate' | 'br'
  /** Serve HTTPS with this key and certificate (PEM); url then begins https://. */
  tls?: { key: string; cert: string }
  /** The account's longest video in seconds, for TikTok's media check (sandbox/media.js); default 600. */
  maxDuration?: number
}

export interface RequestLog {
  method: string
  path: string
  query: Record<string, string>
  authorization: string | undefined
  contentLength: number | undefined
  chunked: boolean
  bytesReceived: number
  /** null when no answer was sent. */
  status: number | null
}

export interface UploadRecord {
  publishId: string
  /** As PHP sees it: the basename of the multipart filename. */
  filename: string
  /** The part's Content-Type header, '' when absent. */
  contentType: string
  size: number
  sha256: string
  /** Every text field: description, privacy_level, title... */
  fields: Record<string, string>
  /** The Authorization header as sent. */
  authorization: string
}

export interface Sandbox {
  /** e.g. 'http://127.0.0.1:43123', no trailing slash. */
  url: string
  port: number
  /** Every request, in arrival order. */
  requests: RequestLog[]
  /** Every upload the server took (would have published), in order. */
  uploads: UploadRecord[]
  /** TLS handshakes that failed (with tls: a client that refused the certificate). */
  readonly tlsClientErrors: number
  /** Closes the server and destroys every open socket, hanging ones too. */
  close(): Promise<void>
  revokeKey(key: string): void
  addFaults(kind: 'upload' | 'status', faults: (Fault | null)[]): void
  /** Applies to uploads taken after the call. */
  setFile(name: string, behaviour: FileBehaviour): void
}

export function startSandbox(options?: SandboxOptions): Promise<Sandbox>

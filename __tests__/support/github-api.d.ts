// Types for github-api.js, the GitHub REST API stand-in.

import type { DeploymentsState } from './github-deployments.js'

export interface StandInOptions {
  /** The token it accepts (Bearer); default 'ghs_standin_token'. */
  token?: string
  /** owner/name; default 'acme/rocket'. */
  repository?: string
  /** contents: 'write' (default), 'read' or 'none'; actions: may GET /actions/runs (default true). */
  permissions?: { contents?: 'write' | 'read' | 'none'; actions?: boolean; deployments?: 'write' | 'read' | 'none' }
  /** Workflow runs by id and their status. */
  runs?: Record<string, 'queued' | 'in_progress' | 'completed'>
  /** Branches that refuse every write (a rule: 409 on the contents API, 422 on a ref). */
  protectedBranches?: string[]
  /** Branches that may be created but not updated (a ruleset allowing creation): 409 "Repository rule violations" on every later commit. */
  createOnlyBranches?: string[]
  /** One consumed per writing request (not GET), in arrival order; null = normal. */
  faults?: (Fault | null)[]
  /** Runs before a writing request is handled (e.g. another run commits first). */
  beforeWrite?: WriteHook
  /** Files larger than this come without content from the contents API (GitHub: 1 MB). */
  contentLimit?: number
  /** The refs a deployment may be made from (any non-empty ref when unset): github-deployments.js. */
  deploymentRefs?: string[]
}

export interface Fault {
  status: number
  body: unknown
  headers?: Record<string, string>
  /** Waits for a writing request that starts so ("PUT /contents/", "POST /git/refs"); without it, the next write takes it. */
  on?: string
  /** The request is carried out (the commit made), then this answer given: a 502 after the fact. */
  after?: boolean
  /** Another job commits this file on the branch first; the request gets GitHub's head-race 409 (status and body unused). */
  headRace?: string
}

export type WriteHook = (request: { method: string; path: string; body: Record<string, unknown> }) => void | Promise<void>

export interface Logged {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  body: string
  status: number
}

export interface Commit {
  sha: string
  tree: string
  parents: string[]
  message: string
}

export interface GitHubStandIn {
  url: string
  token: string
  repository: string
  requests: Logged[]
  permissions: { contents: 'write' | 'read' | 'none'; actions: boolean; deployments?: 'write' | 'read' | 'none' }
  runs: Map<string, string>
  protectedBranches: Set<string>
  createOnlyBranches: Set<string>
  /** Answers one request in process, as over HTTP (url: path and query); faults and hooks apply as ever. */
  serve(request: { method: string; url: string; headers?: Record<string, string>; body?: string }): Promise<{
    status: number
    headers: Record<string, string>
    text: string
  }>
  /** Deployments and their statuses (github-deployments.js). */
  deployments: DeploymentsState
  addFaults(list: (Fault | null)[]): void
  onWrite(hook: WriteHook | undefined): void
  /** Commits one file on a branch (made if missing), as another writer would; returns the file's new sha. */
  commitFile(branch: string, path: string, content: string, message?: string): string
  /** The branch's commits, newest first (first parents). */
  history(branch: string): Commit[]
  branches(): string[]
  /** Deletes a branch, as someone would in GitHub's UI mid-run. */
  deleteBranch(branch: string): void
  file(branch: string, path: string): string | undefined
  /** A file's text in a tree (a commit's `tree`). */
  blobAt(tree: string, path: string): string | undefined
  treeOf(branch: string): Record<string, string> | undefined
  close(): Promise<void>
}

export function blobSha(bytes: Uint8Array): string
export function startGitHub(options?: StandInOptions): Promise<GitHubStandIn>

// Types for github-deployments.js, the Deployments part of the GitHub stand-in.

export interface StandInStatus {
  id: number
  state: string
  description: string
  environment: string
  environment_url: string
  log_url: string
  auto_inactive: boolean
  created_at: string
}

export interface StandInDeployment {
  id: number
  sha: string
  ref: string
  task: string
  payload: Record<string, unknown>
  environment: string
  description: string | null
  auto_merge: boolean
  required_contexts: unknown
  transient_environment: boolean
  production_environment: boolean
  created_at: string
  statuses: StandInStatus[]
}

export interface DeploymentsState {
  /** Every deployment, oldest first, with its statuses (oldest first). */
  list(): StandInDeployment[]
  /** The latest state of each deployment, by id. */
  latest(): Record<number, string | undefined>
  /** Faults for the next creations, one each in order (null = normal); `after`: the deployment is made, then this answered. */
  addCreateFaults(list: ({ status: number; body?: unknown; after?: boolean } | null)[]): void
}

export function deploymentsApi(options: { repository: string; permissions: Record<string, unknown>; refs?: string[] }): DeploymentsState & {
  route(method: string, rest: string, body: Record<string, unknown>, url: URL): { status: number; body: unknown } | undefined
}

// GitHub Deployments for the GitHub stand-in (github-api.js): deployments and
// their statuses, answering as GitHub documents them and keeping real state.
// A token without `deployments: write` gets 403 "Resource not accessible by
// integration"; an unknown deployment is a 404; a bad request is a 422
// (no ref, a ref the repository does not have, an unknown state, a
// description over 140 characters, an environment_url or log_url that is not
// http(s)). A success status marks the environment's other successful
// deployments inactive unless `auto_inactive` is false, as GitHub does.

const FORBIDDEN = { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' }
const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']

const invalid = (field, message) => ({
  status: 422,
  body: { message: 'Validation Failed', errors: [{ resource: 'DeploymentStatus', field, code: 'invalid', message }] }
})
const isHttpUrl = value => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol)
  } catch {
    return false
  }
}

/**
 * @param {{ repository: string, permissions: Record<string, unknown>, refs?: string[] }} options
 *   permissions.deployments: 'write' (the default), 'read' or 'none'; refs: the refs and commits
 *   the repository has (any non-empty ref when unset).
 */
export function deploymentsApi({ repository, permissions, refs }) {
  /** Every deployment, oldest first, each with its statuses (oldest first). */
  const deployments = []
  let nextId = 1001
  let nextStatusId = 5001
  let clock = 0
  /** One taken by each creation, in order: null = normal; {status, after} answers status, after making it when `after`. */
  const createFaults = []
  const may = kind => {
    const granted = permissions.deployments ?? 'write'
    return kind === 'read' ? granted !== 'none' : granted === 'write'
  }
  const view = d => ({
    id: d.id,
    url: `https://api.github.com/repos/${repository}/deployments/${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    environment: d.environment,
    description: d.description,
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
    created_at: d.created_at,
    statuses_url: `https://api.github.com/repos/${repository}/deployments/${d.id}/statuses`
  })
  const latest = d => d.statuses.at(-1)?.state

  function create(body) {
    if (typeof body.ref !== 'string' || body.ref === '') return invalid('ref', 'ref is required')
    if (refs && !refs.includes(body.ref)) return { status: 422, body: { message: `No ref found for: ${body.ref}` } }
    if (body.required_contexts !== undefined && !Array.isArray(body.required_contexts))
      return invalid('required_contexts', 'required_contexts must be an array')
    const payload = typeof body.payload === 'string' ? JSON.parse(body.payload || '{}') : (body.payload ?? {})
    const environment = body.environment ?? 'production'
    const d = {
      id: nextId++,
      sha: body.ref,
      ref: body.ref,
      task: body.task ?? 'deploy',
      payload,
      environment,
      description: body.description ?? null,
      auto_merge: body.auto_merge ?? true,
      required_contexts: body.required_contexts,
      transient_environment: body.transient_environment ?? false,
      production_environment: body.production_environment ?? environment === 'production',
      created_at: new Date(Date.UTC(2026, 11, 7, 12, 0, ++clock)).toISOString(),
      statuses: []
    }
    deployments.push(d)
    return { status: 201, body: view(d) }
  }

  function addStatus(d, body) {
    if (!STATES.includes(body.state)) return invalid('state', `state is not included in the list`)
    if (typeof body.description === 'string' && body.description.length > 140)
      return invalid('description', 'description is too long (maximum is 140 characters)')
    for (const field of ['environment_url', 'log_url', 'target_url'])
      if (body[field] !== undefined && !isHttpUrl(body[field])) return invalid(field, `${field} must use http(s) scheme`)
    const status = {
      id: nextStatusId++,
      state: body.state,
      description: body.description ?? '',
      environment: body.environment ?? d.environment,
      environment_url: body.environment_url ?? '',
      log_url: body.log_url ?? body.target_url ?? '',
      auto_inactive: body.auto_inactive ?? true,
      created_at: new Date(Date.UTC(2026, 11, 7, 12, 0, ++clock)).toISOString()
    }
    d.statuses.push(status)
    if (status.state === 'success' && status.auto_inactive) {
      for (const other of deployments) {
        if (other !== d && other.environment === d.environment && !other.transient_environment && latest(other) === 'success')
          other.statuses.push({ ...status, id: nextStatusId++, state: 'inactive', description: '', environment_url: '', log_url: '' })
      }
    }
    return { status: 201, body: { ...status, deployment_url: view(d).url } }
  }

  /** The answer to a deployments request (`rest`: the path after /repos/owner/name), or undefined for any other. */
  function route(method, rest, body, url) {
    let m
    if (rest === '/deployments') {
      if (method === 'POST') {
        if (!may('write')) return { status: 403, body: FORBIDDEN }
        const fault = createFaults.shift()
        if (!fault) return create(body)
        if (fault.after) create(body)
        return { status: fault.status, body: fault.body ?? { message: 'Server Error' } }
      }
      if (method !== 'GET') return { status: 404, body: { message: 'Not Found' } }
      if (!may('read')) return { status: 403, body: FORBIDDEN }
      const q = url.searchParams
      const found = deployments
        .filter(d => ['sha', 'ref', 'task', 'environment'].every(k => !q.has(k) || String(d[k]) === q.get(k)))
        .reverse()
        .map(view)
      return { status: 200, body: found }
    }
    if ((m = /^\/deployments\/(\d+)(\/statuses)?$/.exec(rest))) {
      const d = deployments.find(x => x.id === Number(m[1]))
      if (!may(method === 'GET' ? 'read' : 'write')) return { status: 403, body: FORBIDDEN }
      if (!d) return { status: 404, body: { message: 'Not Found' } }
      if (!m[2]) return method === 'GET' ? { status: 200, body: view(d) } : { status: 404, body: { message: 'Not Found' } }
      if (method === 'POST') return addStatus(d, body)
      if (method === 'GET') return { status: 200, body: [...d.statuses].reverse() }
      return { status: 404, body: { message: 'Not Found' } }
    }
    return undefined
  }

  return {
    route,
    /** The state, for tests: every deployment (oldest first) with its statuses (oldest first). */
    list: () => deployments,
    /** The latest state of each deployment, by id. */
    latest: () => Object.fromEntries(deployments.map(d => [d.id, latest(d)])),
    /** Faults for the next creations, one each in order (null = normal). */
    addCreateFaults: list => createFaults.push(...list)
  }
}

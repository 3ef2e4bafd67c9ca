// A stand-in for GitHub's REST API on 127.0.0.1, for the branch ledger: the
// endpoints it uses (contents, git refs, commits, trees, blobs, workflow
// runs), answering as GitHub documents them and keeping real state: blobs
// under their git sha, trees, commits with parents, refs. A stale file sha is
// refused (409), a ref update that is no fast-forward too (422), a missing
// branch or file is a 404, a token without the permission gets 403 "Resource
// not accessible by integration", and queued faults answer a rate limit, a
// 502 after making the commit, or a 409 from a race on the branch's head.
// A create-only branch (a ruleset matching its name that allows creation but
// not updates) takes its creating ref and refuses every later commit (409
// "Repository rule violations"). `serve` answers a request in process, without
// a socket, for tests that decide when each request and answer happens.
// Plain JS (with github-api.d.ts) so that bench/ can use it as well as jest.

import { createHash } from 'node:crypto'
import http from 'node:http'
import { deploymentsApi } from './github-deployments.js'

const FORBIDDEN = { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' }

/** A blob's git sha: what GitHub calls a file's `sha`. */
export function blobSha(bytes) {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

function objectSha(kind, value) {
  return createHash('sha1')
    .update(`${kind} ${JSON.stringify(value)}`)
    .digest('hex')
}

/**
 * @param {import('./github-api').StandInOptions} options
 * @returns {Promise<import('./github-api').GitHubStandIn>}
 */
export async function startGitHub(options = {}) {
  const token = options.token ?? 'ghs_standin_token'
  const repository = options.repository ?? 'acme/rocket'
  const permissions = { contents: 'write', actions: true, ...options.permissions }
  const contentLimit = options.contentLimit ?? 1024 * 1024
  const blobs = new Map()
  const trees = new Map()
  const commits = new Map()
  const refs = new Map()
  const runs = new Map(Object.entries(options.runs ?? {}))
  const protectedBranches = new Set(options.protectedBranches ?? [])
  const createOnlyBranches = new Set(options.createOnlyBranches ?? [])
  const faults = [...(options.faults ?? [])]
  const requests = []
  const sockets = new Set()
  let beforeWrite = options.beforeWrite
  const deployments = deploymentsApi({ repository, permissions, refs: options.deploymentRefs })

  const putBlob = bytes => {
    const sha = blobSha(bytes)
    blobs.set(sha, Buffer.from(bytes))
    return sha
  }
  const putTree = files => {
    const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)))
    const sha = objectSha('tree', sorted)
    trees.set(sha, sorted)
    return sha
  }
  let clock = 0
  const putCommit = (tree, parents, message) => {
    const commit = { tree, parents, message, at: ++clock }
    const sha = objectSha('commit', commit)
    commits.set(sha, commit)
    return sha
  }
  const fileAt = (branch, path) => {
    const head = refs.get(branch)
    if (!head) return undefined
    const sha = trees.get(commits.get(head).tree)[path]
    return sha ? { sha, bytes: blobs.get(sha) } : undefined
  }
  /** Whether `ancestor` is `sha` or one of its ancestors. */
  const descends = (sha, ancestor) => {
    const seen = new Set()
    const stack = [sha]
    while (stack.length) {
      const at = stack.pop()
      if (at === ancestor) return true
      if (seen.has(at)) continue
      seen.add(at)
      stack.push(...(commits.get(at)?.parents ?? []))
    }
    return false
  }
  /** A commit of one file on a branch (tests use it as "another run"); returns the file's new sha. */
  const commitFile = (branch, path, content, message = 'another writer') => {
    const head = refs.get(branch)
    const files = head ? { ...trees.get(commits.get(head).tree) } : {}
    const sha = putBlob(Buffer.from(content))
    files[path] = sha
    refs.set(branch, putCommit(putTree(files), head ? [head] : [], message))
    return sha
  }
  /** The branch's commits, newest first. */
  const history = branch => {
    const out = []
    for (let at = refs.get(branch); at; at = commits.get(at).parents[0]) out.push({ sha: at, ...commits.get(at) })
    return out
  }

  const base = `/repos/${repository}`
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      void handle(req, Buffer.concat(chunks).toString('utf8')).then(
        ({ status, body, headers }) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
          res.end(body === undefined ? '' : JSON.stringify(body))
        },
        error => {
          res.writeHead(500, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ message: String(error) }))
        }
      )
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  /** One request answered in process, as the server would answer it over HTTP. */
  async function serve({ method, url, headers = {}, body = '' }) {
    const answered = await handle({ method, url, headers }, body).catch(error => ({ status: 500, body: { message: String(error) } }))
    const text = answered.body === undefined ? '' : JSON.stringify(answered.body)
    return { status: answered.status, headers: { 'content-type': 'application/json; charset=utf-8', ...answered.headers }, text }
  }

  async function handle(req, text) {
    const url = new URL(req.url, 'http://localhost')
    const path = decodeURIComponent(url.pathname)
    const entry = { method: req.method, path, query: Object.fromEntries(url.searchParams), headers: req.headers, body: text, status: 0 }
    requests.push(entry)
    const answer = await route(req.method, path, url, text)
    entry.status = answer.status
    return answer
  }

  async function route(method, path, url, text) {
    if (req_auth(requests.at(-1).headers.authorization) === false) return { status: 401, body: { message: 'Bad credentials' } }
    const writing = method !== 'GET'
    // A fault with `on` waits for a request it matches ("PUT /contents/"); others are taken by the next write.
    const on = `${method} ${path.slice(base.length)}`
    if (writing && faults.length > 0 && !(faults[0]?.on && !on.startsWith(faults[0].on))) {
      const fault = faults.shift()
      if (fault?.after) {
        // GitHub did the work, then its front answered an error (a 502 from a proxy, a lost connection).
        await answer(method, path, url, text)
        return { status: fault.status, body: fault.body, headers: fault.headers }
      }
      if (fault?.headRace) {
        // Another job committed another file on the branch at the same moment: GitHub's "is at X but expected Y".
        const branch = text ? JSON.parse(text).branch : undefined
        const was = refs.get(branch)
        if (!was) return { status: 404, body: { message: `Branch ${branch} not found` } }
        commitFile(branch, fault.headRace, `another job at ${clock}`, 'another job')
        return { status: 409, body: { message: `is at ${refs.get(branch)} but expected ${was}` } }
      }
      if (fault) return { status: fault.status, body: fault.body, headers: fault.headers }
    }
    return answer(method, path, url, text)
  }

  async function answer(method, path, url, text) {
    const writing = method !== 'GET'
    if (!path.startsWith(`${base}/`)) return { status: 404, body: { message: 'Not Found' } }
    const rest = path.slice(base.length)
    const body = text ? JSON.parse(text) : {}
    const deployed = deployments.route(method, rest, body, url)
    if (deployed) return deployed
    if (writing && permissions.contents !== 'write' && !rest.startsWith('/actions/')) return { status: 403, body: FORBIDDEN }
    if (!writing && permissions.contents === 'none' && !rest.startsWith('/actions/')) return { status: 403, body: FORBIDDEN }
    if (writing && beforeWrite) await beforeWrite({ method, path: rest, body })

    let m
    if ((m = /^\/contents\/(.+)$/.exec(rest))) {
      const file = m[1]
      if (method === 'GET') {
        const branch = url.searchParams.get('ref')
        if (!refs.has(branch)) return { status: 404, body: { message: `No commit found for the ref ${branch}` } }
        const found = fileAt(branch, file)
        if (!found) return { status: 404, body: { message: 'Not Found' } }
        const big = found.bytes.length > contentLimit
        const content = big ? '' : found.bytes.toString('base64').replace(/(.{60})/g, '$1\n')
        return {
          status: 200,
          body: { type: 'file', path: file, sha: found.sha, size: found.bytes.length, encoding: big ? 'none' : 'base64', content }
        }
      }
      if (method === 'PUT') {
        const branch = body.branch
        if (!refs.has(branch)) return { status: 404, body: { message: `Branch ${branch} not found` } }
        if (protectedBranches.has(branch))
          return { status: 409, body: { message: 'Repository rule violations found\n\nChanges must be made through a pull request.' } }
        if (createOnlyBranches.has(branch))
          return { status: 409, body: { message: 'Repository rule violations found\n\nCannot update this protected ref.' } }
        const current = fileAt(branch, file)
        if (current && !body.sha) return { status: 422, body: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' } }
        if (current && body.sha !== current.sha) return { status: 409, body: { message: `${file} does not match ${body.sha}` } }
        if (!current && body.sha) return { status: 409, body: { message: `${file} does not match ${body.sha}` } }
        const sha = commitFile(branch, file, Buffer.from(body.content, 'base64'), body.message)
        return {
          status: current ? 200 : 201,
          body: { content: { path: file, sha }, commit: { sha: refs.get(branch), message: body.message } }
        }
      }
    }
    if ((m = /^\/git\/ref\/heads\/(.+)$/.exec(rest)) && method === 'GET') {
      const head = refs.get(m[1])
      if (!head) return { status: 404, body: { message: 'Not Found' } }
      return { status: 200, body: { ref: `refs/heads/${m[1]}`, object: { type: 'commit', sha: head } } }
    }
    if ((m = /^\/git\/refs\/heads\/(.+)$/.exec(rest)) && method === 'PATCH') {
      const head = refs.get(m[1])
      if (!head) return { status: 422, body: { message: 'Reference does not exist' } }
      if (protectedBranches.has(m[1])) return { status: 422, body: { message: 'Protected branch update failed' } }
      if (createOnlyBranches.has(m[1]))
        return { status: 422, body: { message: 'Repository rule violations found\n\nCannot update this protected ref.' } }
      if (!commits.has(body.sha)) return { status: 422, body: { message: 'Object does not exist' } }
      if (!body.force && !descends(body.sha, head)) return { status: 422, body: { message: 'Update is not a fast forward' } }
      refs.set(m[1], body.sha)
      return { status: 200, body: { ref: `refs/heads/${m[1]}`, object: { type: 'commit', sha: body.sha } } }
    }
    if (rest === '/git/refs' && method === 'POST') {
      const name = String(body.ref ?? '').replace(/^refs\/heads\//, '')
      if (refs.has(name)) return { status: 422, body: { message: 'Reference already exists' } }
      if (!commits.has(body.sha)) return { status: 422, body: { message: 'Object does not exist' } }
      refs.set(name, body.sha)
      return { status: 201, body: { ref: body.ref, object: { type: 'commit', sha: body.sha } } }
    }
    if (rest === '/git/blobs' && method === 'POST') {
      return { status: 201, body: { sha: putBlob(Buffer.from(body.content, body.encoding === 'base64' ? 'base64' : 'utf8')) } }
    }
    if ((m = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest)) && method === 'GET') {
      const bytes = blobs.get(m[1])
      if (!bytes) return { status: 404, body: { message: 'Not Found' } }
      return { status: 200, body: { sha: m[1], size: bytes.length, encoding: 'base64', content: bytes.toString('base64') } }
    }
    if (rest === '/git/trees' && method === 'POST') {
      const files = body.base_tree ? { ...(trees.get(body.base_tree) ?? {}) } : {}
      for (const item of body.tree ?? []) {
        const sha = item.sha ?? putBlob(Buffer.from(item.content ?? ''))
        if (!blobs.has(sha)) return { status: 422, body: { message: 'Invalid tree info' } }
        files[item.path] = sha
      }
      return { status: 201, body: { sha: putTree(files) } }
    }
    if (rest === '/git/commits' && method === 'POST') {
      if (!trees.has(body.tree) || (body.parents ?? []).some(p => !commits.has(p)))
        return { status: 422, body: { message: 'Invalid tree or parents' } }
      const sha = putCommit(body.tree, body.parents ?? [], body.message)
      return { status: 201, body: { sha, message: body.message } }
    }
    if ((m = /^\/actions\/runs\/(\d+)$/.exec(rest)) && method === 'GET') {
      if (!permissions.actions) return { status: 403, body: FORBIDDEN }
      const status = runs.get(m[1])
      if (!status) return { status: 404, body: { message: 'Not Found' } }
      return { status: 200, body: { id: Number(m[1]), status, conclusion: status === 'completed' ? 'success' : null } }
    }
    return { status: 404, body: { message: 'Not Found' } }
  }

  function req_auth(header) {
    return header === `Bearer ${token}` || header === `token ${token}`
  }

  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = server.address().port
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    repository,
    requests,
    permissions,
    runs,
    protectedBranches,
    createOnlyBranches,
    serve,
    deployments,
    addFaults: list => faults.push(...list),
    onWrite: hook => (beforeWrite = hook),
    commitFile,
    history,
    branches: () => [...refs.keys()],
    deleteBranch: branch => refs.delete(branch),
    file: (branch, path) => fileAt(branch, path)?.bytes.toString('utf8'),
    blobAt: (tree, path) => blobs.get(trees.get(tree)?.[path])?.toString('utf8'),
    treeOf: branch => (refs.has(branch) ? { ...trees.get(commits.get(refs.get(branch)).tree) } : undefined),
    close: () =>
      new Promise(resolve => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
  }
}

// `npm run sandbox`: the DraftClip sandbox alone, on a fixed port, until
// Ctrl-C. Point the action at it (.env.example does) and run it from another
// terminal with `npm run local-action`.
//
//   node sandbox/serve.js [--port N] [outcomes]   (default 8787, host 127.0.0.1)
//   npm run sandbox -- --fail trailer.mp4=duration_check_failed --rate-limit 1
//
// The options that script outcomes (a refusal, the inbox, slow processing, a
// 429) are in serve-options.js; --help lists them.

import net from 'node:net'
import { DEFAULT_PORT, OPTIONS_HELP, parseServeArgs } from './serve-options.js'
import { startSandbox } from './server.js'

const HOST = '127.0.0.1'
const API_KEY = 'ttapi_sandbox_key'
const USAGE = `Usage: node sandbox/serve.js [--port N] [options]   (npm run sandbox -- [options])

Starts the DraftClip sandbox on http://${HOST}:N (default ${DEFAULT_PORT}) and keeps it
running until Ctrl-C. It accepts the API key ${API_KEY}. Every video is published
(PUBLISH_COMPLETE) unless an option scripts another outcome.

${OPTIONS_HELP}`

/**
 * startSandbox() always listens on a free port; a byte-for-byte TCP relay on
 * the fixed port puts it where .env.example expects it. Resets and half-closed
 * connections pass through as they are, so the sandbox behaves as it does in
 * the tests.
 */
async function relay(port, target) {
  const sockets = new Set()
  const server = net.createServer({ allowHalfOpen: true }, client => {
    const upstream = net.connect({ host: HOST, port: target, allowHalfOpen: true })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
    }
    client.pipe(upstream)
    upstream.pipe(client)
    const reset = other => () => other.resetAndDestroy()
    client.on('error', reset(upstream))
    upstream.on('error', reset(client))
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, HOST, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    close: () =>
      new Promise(resolve => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      })
  }
}

/** One line per answered request, and one per upload the sandbox took (it would have been published). */
function logActivity(sandbox) {
  const shown = new Set()
  let uploadsShown = 0
  const showUploads = upTo => {
    for (const u of sandbox.uploads.slice(uploadsShown, upTo)) {
      console.log(`  took ${u.filename} (${u.size} bytes) as ${u.publishId}: "${u.fields.description ?? ''}"`)
    }
    uploadsShown = Math.max(uploadsShown, Math.min(upTo, sandbox.uploads.length))
  }
  return setInterval(() => {
    sandbox.requests.forEach((r, i) => {
      if (shown.has(i) || r.status === null) return
      shown.add(i)
      const query = new URLSearchParams(r.query).toString()
      console.log(`${r.method} ${r.path}${query ? `?${query}` : ''} -> ${r.status}`)
      if (r.path.endsWith('/upload.php') && r.status === 200) showUploads(uploadsShown + 1)
    })
    showUploads(sandbox.uploads.length)
  }, 100)
}

async function main() {
  let args
  try {
    args = parseServeArgs(process.argv.slice(2), process.env)
  } catch (error) {
    console.error(`${error.message}\n\n${USAGE}`)
    return 2
  }
  if (args.help) {
    console.log(USAGE)
    return 0
  }
  const { port } = args

  // Snappy for a demo: published on the 3rd status poll (PROCESSING_UPLOAD, PROCESSING, PUBLISH_COMPLETE).
  // `port` is passed in case startSandbox learns to take one; until then the relay provides it.
  const sandbox = await startSandbox({ ...args.options, apiKeys: [API_KEY], host: HOST, port })
  let front
  if (sandbox.port !== port) {
    try {
      front = await relay(port, sandbox.port)
    } catch (error) {
      await sandbox.close()
      const hint =
        error.code === 'EADDRINUSE'
          ? ` It is in use: is another sandbox running? Stop it, or pick another port with --port N (and set INPUT_BASE-URL in .env to match).`
          : ''
      console.error(`Cannot listen on ${HOST}:${port}: ${error.message}.${hint}`)
      return 1
    }
  }

  const url = `http://${HOST}:${port}`
  console.log(`DraftClip sandbox listening on ${url}`)
  console.log(`  base-url: ${url}`)
  console.log(`  api-key:  ${API_KEY}`)
  for (const line of args.scripted) console.log(`  scripted: ${line}`)
  console.log('Nothing is published anywhere: the sandbox only imitates DraftClip. Ctrl-C stops it.\n')
  const ticker = logActivity(sandbox)

  await new Promise(resolve => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  clearInterval(ticker)
  await front?.close()
  await sandbox.close()
  console.log('\nSandbox stopped.')
  return 0
}

process.exitCode = await main()

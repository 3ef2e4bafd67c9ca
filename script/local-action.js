// `npm run local-action`: runs the action from source (src/main.ts) with
// @github/local-action, its inputs from .env, and exits 1 when the action
// fails.
//
//   node script/local-action.js                  same as: . src/main.ts .env
//   node script/local-action.js other.env        same as: . src/main.ts other.env
//   node script/local-action.js <action dir> <entrypoint> <dotenv file> [--pre X] [--post X]
//
// Why not local-action's own `local-action` command: version 7 swaps
// @actions/core for a stub whose setFailed() only records the failure
// (CoreMeta.exitCode = 1) and prints it, so the command exits 0 whatever
// happened. This script runs the same program that command runs (its
// makeProgram(), with the same environment and tsx loader), in a child
// process, then turns the recorded failure into the exit code.

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { createRequire } from 'node:module'
import os from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'

const CHILD = 'DRAFTCLIP_LOCAL_ACTION_CHILD'
// local-action's package entry is src/index.ts; its command and core stub sit beside it.
const localActionSrc = new URL('./', import.meta.resolve('@github/local-action'))

if (process.env[CHILD] === '1') await child()
else process.exitCode = await parent()

/** Runs local-action's program (inside the child, where tsx compiles TypeScript), then reports what the action did. */
async function child() {
  delete process.env[CHILD]
  const { makeProgram } = await import(new URL('command.ts', localActionSrc).href)
  const { CoreMeta } = await import(new URL('stubs/core/core.ts', localActionSrc).href)
  // local-action replaces CoreMeta.colors when it starts; if that never shows
  // here, this is not the CoreMeta its stubs write to, and a failure would go unseen.
  const sentinel = CoreMeta.colors
  try {
    const program = await makeProgram()
    await program.parseAsync(process.argv)
  } catch (error) {
    console.error(`\nlocal-action could not run the action: ${error?.stack ?? error}`)
    process.exitCode = 1
    return
  }
  if (CoreMeta.colors === sentinel) {
    console.error(
      `\nCould not read local-action's result: script/local-action.js knows @github/local-action 7; update it for this version.`
    )
    process.exitCode = 1
  } else if (CoreMeta.exitCode !== 0 || (process.exitCode ?? 0) !== 0) {
    console.error('\nThe action failed (see the ::error:: lines above).')
    process.exitCode = 1
  }
}

async function parent() {
  const args = process.argv.slice(2)
  const argv =
    args.length === 0 ? ['.', 'src/main.ts', '.env'] : args.length === 1 && !args[0].startsWith('-') ? ['.', 'src/main.ts', args[0]] : args
  const positional = argv.filter((a, i) => !a.startsWith('-') && !['--pre', '--post'].includes(argv[i - 1]))
  const dotenv = positional[2]

  if (dotenv && !fs.existsSync(dotenv)) {
    const example = path.join(path.dirname(dotenv), '.env.example')
    console.error(
      `${dotenv} does not exist.` +
        (path.basename(dotenv) === '.env' && fs.existsSync(example)
          ? ` Start from the example, which publishes the samples to the local sandbox:\n\n  cp .env.example .env\n  npm run sandbox        # in another terminal\n  npm run local-action\n`
          : '')
    )
    return 1
  }
  if (dotenv && !(await sandboxUp(dotenv))) return 1

  // What local-action's own bin sets before it starts the program.
  const actionDir = positional.find(a => fs.existsSync(a) && fs.statSync(a).isDirectory())
  const env = { ...process.env, [CHILD]: '1', NODE_NO_WARNINGS: '1', NODE_PACKAGE_MANAGER: 'npm' }
  if (actionDir) env.TARGET_ACTION_PATH = path.resolve(actionDir)
  else delete env.TARGET_ACTION_PATH

  const tsx = createRequire(localActionSrc).resolve('tsx')
  const proc = spawn(process.execPath, ['--import', pathToFileURL(tsx).href, fileURLToPath(import.meta.url), ...argv], {
    env,
    stdio: 'inherit'
  })
  // Ctrl-C reaches the child from the terminal; a SIGTERM sent to this process alone is passed on.
  const ignore = () => {}
  const forward = signal => proc.kill(signal)
  process.on('SIGINT', ignore)
  process.on('SIGTERM', forward)
  process.on('SIGHUP', forward)
  return new Promise(resolve => {
    proc.on('error', error => {
      console.error(`Could not start local-action: ${error.message}`)
      resolve(1)
    })
    proc.on('close', (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)))
  })
}

/**
 * The first-run mistake: the .env points at the local sandbox and nothing
 * listens there. Said at once, instead of after the action's retries (~20 s).
 */
async function sandboxUp(dotenv) {
  const text = fs.readFileSync(dotenv, 'utf8')
  const value = /^INPUT_BASE-URL=(.*)$/m
    .exec(text)?.[1]
    ?.trim()
    .replace(/^(['"])(.*)\1$/, '$2')
  if (!value || /^INPUT_DRY-RUN=\s*['"]?true/im.test(text) || !URL.canParse(value)) return true
  const url = new URL(value)
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return true
  const port = Number(url.port || 80)
  const up = await new Promise(resolve => {
    const socket = net.connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port })
    const done = answer => {
      socket.destroy()
      resolve(answer)
    }
    socket.setTimeout(1000)
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
    socket.once('timeout', () => done(false))
  })
  if (!up) {
    console.error(
      `Nothing answers at ${url.origin} (INPUT_BASE-URL in ${dotenv}). Start the sandbox first, in another terminal:\n\n` +
        `  npm run sandbox${port === 8787 ? '' : ` -- --port ${port}`}\n\n` +
        'then run this again.'
    )
  }
  return up
}

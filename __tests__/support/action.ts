import { type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startAction as startRunner } from '../../sandbox/runner.js'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/**
 * The bundle the end-to-end suites run: built from the current src/ by the
 * jest globalSetup (__tests__/support/global-setup.js) for each run, so a
 * broken src/ fails them; dist/ is only checked against src/ by CI.
 */
export const DIST = process.env.DRAFTCLIP_E2E_BUNDLE ?? ''
/** The Node that runs it (GitHub runs actions on Node 24): DRAFTCLIP_E2E_NODE, default this one. */
export const NODE = process.env.DRAFTCLIP_E2E_NODE || process.execPath
export const API_KEY = 'ttapi_sandbox_key'

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** The `results` output, parsed (empty when it was not set). */
  results: Record<string, unknown>[]
  workspace: string
}

export interface Started {
  child: ChildProcess
  done: Promise<ActionRun>
}

/** A fresh workspace folder. */
export function workspace(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-ws-'))
}

/**
 * Starts the bundle as the runner does (sandbox/runner.js): INPUT_* variables
 * (action.yml defaults first, hyphens kept), GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE as the working directory.
 */
export function startAction(ws: string, inputs: Record<string, string>, env: Record<string, string> = {}): Started {
  if (!DIST) throw new Error('DRAFTCLIP_E2E_BUNDLE is not set: run the tests through jest, whose globalSetup builds the bundle')
  // The loopback sandbox may be polled fast; the shared poll budget is tested in-process.
  const { child, done } = startRunner({
    node: NODE,
    entry: DIST,
    workspace: ws,
    inputs: { 'max-polls-per-minute': '600000', ...inputs },
    env
  })
  return {
    child,
    done: done.then(run => {
      if (run.outputError) throw run.outputError
      return {
        code: run.code,
        signal: run.signal,
        stdout: run.stdout,
        stderr: run.stderr,
        outputs: run.outputs,
        summary: run.summary,
        results: run.outputs.results ? (JSON.parse(run.outputs.results) as Record<string, unknown>[]) : [],
        workspace: ws
      }
    })
  }
}

export function runAction(ws: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return startAction(ws, inputs, env).done
}

/** An MP4 as far as any check can tell from its head: an ftyp box, then an mdat box of noise. */
export function writeMp4(file: string, size = 4096, brand = 'isom'): string {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const ftyp = Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from(`ftyp${brand}`),
    Buffer.from([0, 0, 2, 0]),
    Buffer.from('isomiso2')
  ])
  const fd = fs.openSync(file, 'w')
  try {
    fs.writeSync(fd, ftyp)
    let left = size - ftyp.length
    const chunk = Buffer.alloc(Math.min(left, 1 << 20))
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + size) & 0xff
    // Distinct content per file, so the ledger's hashes differ.
    chunk.write(path.basename(file), 0)
    while (left > 0) {
      const n = Math.min(left, chunk.length)
      // Every 64 KiB differs from the last, so a chunk sent twice or out of order changes the hash.
      for (let at = 65536; at + 8 <= n; at += 65536) chunk.writeDoubleBE(size - left + at, at)
      fs.writeSync(fd, chunk, 0, n)
      left -= n
    }
  } finally {
    fs.closeSync(fd)
  }
  return file
}

export function writeAvi(file: string, size = 4096): string {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const body = Buffer.alloc(size)
  body.write('RIFF', 0, 'latin1')
  body.writeUInt32LE(size - 8, 4)
  body.write('AVI LIST', 8, 'latin1')
  body.write(path.basename(file), 16)
  fs.writeFileSync(file, body)
  return file
}

export function outputsOf(run: ActionRun): { publishIds: string[]; postIds: string[] } {
  return {
    publishIds: JSON.parse(run.outputs['publish-ids'] ?? 'null') as string[],
    postIds: JSON.parse(run.outputs['post-ids'] ?? 'null') as string[]
  }
}

/** Everything the run left where a person or a later step can read it. */
export function everything(run: ActionRun, ...files: string[]): string {
  return [
    run.stdout,
    run.stderr,
    JSON.stringify(run.outputs),
    run.summary,
    ...files.filter(f => fs.existsSync(f)).map(f => fs.readFileSync(f, 'utf8'))
  ].join('\n')
}

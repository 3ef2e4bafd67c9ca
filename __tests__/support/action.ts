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

/** The small real videos script/make-fixtures.sh makes with ffmpeg. */
export const FIXTURES = path.join(ROOT, '__tests__/fixtures/videos')

export function fixture(name: string): string {
  return path.join(FIXTURES, name)
}

/**
 * A real video (a committed ffmpeg fixture) grown to `size` bytes by one
 * padding chunk (`pad` writes its header), so each file is as big as a test
 * needs and has content of its own: the padding starts with the file's name
 * and size, and every 64 KiB of it differs from the last, so a chunk sent
 * twice or out of order changes the hash.
 */
function writePadded(file: string, base: Buffer, size: number, pad: (bytes: number) => Buffer): string {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const header = pad(size - base.length)
  if (size < base.length + header.length + 16) {
    throw new Error(`${path.basename(file)}: a real video needs at least ${base.length + header.length + 16} bytes, asked for ${size}`)
  }
  const fd = fs.openSync(file, 'w')
  try {
    fs.writeSync(fd, base)
    fs.writeSync(fd, header)
    let left = size - base.length - header.length
    const chunk = Buffer.alloc(Math.min(left, 1 << 20))
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + size) & 0xff
    chunk.write(`${path.basename(file)}:${size}`, 0)
    let at = base.length + header.length
    while (left > 0) {
      const n = Math.min(left, chunk.length)
      for (let k = 65536; k + 8 <= n; k += 65536) chunk.writeDoubleBE(at + k, k)
      fs.writeSync(fd, chunk, 0, n)
      at += n
      left -= n
    }
  } finally {
    fs.closeSync(fd)
  }
  return file
}

/**
 * A real MP4 (or with brand 'qt  ', or a .mov name, a QuickTime MOV) that
 * passes every media rule, padded with a `free` box to `size` bytes.
 */
export function writeMp4(file: string, size = 4096, brand = 'isom'): string {
  const mov = brand === 'qt  ' || path.extname(file).toLowerCase() === '.mov'
  const base = fs.readFileSync(fixture(mov ? 'clip.mov' : 'tiny.mp4'))
  return writePadded(file, base, size, bytes => freeBox(bytes))
}

/** The header of a `free` box `bytes` long, with a 64-bit size when it needs one. */
export function freeBox(bytes: number): Buffer {
  if (bytes < 2 ** 32) {
    const header = Buffer.alloc(8)
    header.writeUInt32BE(bytes, 0)
    header.write('free', 4, 'latin1')
    return header
  }
  const header = Buffer.alloc(16)
  header.writeUInt32BE(1, 0)
  header.write('free', 4, 'latin1')
  header.writeBigUInt64BE(BigInt(bytes), 8)
  return header
}

/** A real AVI (H.264) that passes every media rule, padded with a `JUNK` chunk to `size` bytes. */
export function writeAvi(file: string, size = 8192): string {
  const base = Buffer.from(fs.readFileSync(fixture('tiny.avi')))
  const padded = size - base.length
  // The RIFF chunk grows by the JUNK chunk (even-sized, as RIFF wants).
  base.writeUInt32LE(base.readUInt32LE(4) + padded, 4)
  return writePadded(file, base, size, bytes => {
    const header = Buffer.alloc(8)
    header.write('JUNK', 0, 'latin1')
    header.writeUInt32LE(bytes - 8, 4)
    return header
  })
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

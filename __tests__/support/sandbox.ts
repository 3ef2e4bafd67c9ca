import { afterEach } from '@jest/globals'
import { startSandbox as start, type Sandbox, type SandboxOptions } from '../../sandbox/server.js'

/** startSandbox for one suite: every sandbox a test starts is closed after that test. */
export function sandboxPerTest(): (options?: SandboxOptions) => Promise<Sandbox> {
  const started: Sandbox[] = []
  afterEach(async () => {
    for (const sandbox of started.splice(0)) await sandbox.close()
  })
  return async options => {
    const sandbox = await start(options)
    started.push(sandbox)
    return sandbox
  }
}

/** The inputs of a run against the sandbox at `url`: a file ledger, fast polls, every video of v/. */
export function ledgerRunInputs(key: string, url: string, more: Record<string, string> = {}): Record<string, string> {
  return { 'api-key': key, 'base-url': url, videos: 'v/*.mp4', description: 'x', 'poll-interval': '0.05', ledger: 'ledger.json', ...more }
}

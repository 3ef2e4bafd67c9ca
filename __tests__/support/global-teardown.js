// jest globalTeardown: removes this run's folder (its bundle and every test's temp files).

import fs from 'node:fs'
import path from 'node:path'

export default function globalTeardown() {
  const dir = globalThis.draftclipTestRun
  if (!dir) return
  for (const [name, value] of Object.entries(globalThis.draftclipSavedTmp ?? {})) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  fs.rmSync(dir, { recursive: true, force: true })
  try {
    fs.rmdirSync(path.dirname(dir)) // the clone's folder of bundles, when no other run uses it
  } catch {
    // Another jest run of this clone has its bundle there.
  }
  // In watch mode the next run builds again rather than take this one as given.
  if (globalThis.draftclipTestBundle) delete process.env.DRAFTCLIP_E2E_BUNDLE
  delete globalThis.draftclipTestBundle
  delete globalThis.draftclipTestRun
}

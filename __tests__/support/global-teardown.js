// jest globalTeardown: removes the bundle global-setup.js built for this run.

import fs from 'node:fs'
import path from 'node:path'

export default function globalTeardown() {
  const dir = globalThis.draftclipTestBundle
  if (!dir) return
  fs.rmSync(dir, { recursive: true, force: true })
  try {
    fs.rmdirSync(path.dirname(dir)) // the clone's folder of bundles, when no other run uses it
  } catch {
    // Another jest run of this clone has its bundle there.
  }
  // In watch mode the next run builds again rather than take this one as given.
  delete process.env.DRAFTCLIP_E2E_BUNDLE
  delete globalThis.draftclipTestBundle
}

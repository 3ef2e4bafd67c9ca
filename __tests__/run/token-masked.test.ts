import { describe, expect, it } from '@jest/globals'
import { API_KEY, workspace } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'

/**
 * The runner masks its own github.token, not a personal token passed as
 * `github-token` (for release-notes, or ledger-branch): the action masks it
 * like the key, before anything can print it, whichever feature uses it.
 */
describe('a personal github-token is masked at once', () => {
  const token = 'ghp_personalTokenOfTheUser0123456789'

  it.each([
    ['release-notes', { 'release-notes': 'true' }],
    ['no feature that uses it', {}]
  ])('with %s', async (_, inputs) => {
    const run = await runInProcess(workspace(), {
      'api-key': API_KEY,
      videos: 'nothing/*.mp4',
      'if-no-files-found': 'ignore',
      description: 'x',
      'github-token': token,
      ...inputs
    })
    expect(run.stdout).toContain(`::add-mask::${token}`)
  })
})

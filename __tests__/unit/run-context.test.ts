import { describe, it, expect } from '@jest/globals'
import { runVars, type RunContext } from '../../src/github/run-context.js'

const ctx = (over: Partial<RunContext> = {}): RunContext => ({
  repository: 'octo/films',
  sha: '0123456789abcdef0123456789abcdef01234567',
  ref: 'refs/heads/main',
  payload: {},
  serverUrl: 'https://github.com',
  runId: 4242,
  eventName: 'push',
  ...over
})

describe('runVars', () => {
  it('reads a branch push', () => {
    expect(runVars(ctx())).toEqual({
      repo: 'octo/films',
      sha: '0123456',
      ref: 'main',
      run_url: 'https://github.com/octo/films/actions/runs/4242'
    })
  })

  it('keeps slashes in a branch name', () => {
    expect(runVars(ctx({ ref: 'refs/heads/feature/x' })).ref).toBe('feature/x')
  })

  it('reads a tag push as both ref and tag', () => {
    const vars = runVars(ctx({ ref: 'refs/tags/v1.2.3' }))
    expect(vars.ref).toBe('v1.2.3')
    expect(vars.tag).toBe('v1.2.3')
  })

  it("prefers the release payload's tag", () => {
    const vars = runVars(ctx({ ref: 'refs/tags/v1.0.0', payload: { release: { tag_name: 'v2.0.0' } } }))
    expect(vars.tag).toBe('v2.0.0')
    expect(vars.ref).toBe('v1.0.0')
  })

  it('has no tag on a branch', () => {
    expect(runVars(ctx()).tag).toBeUndefined()
    expect('tag' in runVars(ctx())).toBe(false)
  })

  it('leaves other refs as they are', () => {
    expect(runVars(ctx({ ref: 'refs/pull/7/merge' })).ref).toBe('refs/pull/7/merge')
  })

  it('uses the server URL of GitHub Enterprise', () => {
    expect(runVars(ctx({ serverUrl: 'https://ghe.example.com' })).run_url).toBe('https://ghe.example.com/octo/films/actions/runs/4242')
  })

  it('leaves out repo and run_url without a repository', () => {
    const vars = runVars(ctx({ repository: undefined }))
    expect(vars).toEqual({ sha: '0123456', ref: 'main' })
  })

  it('leaves out run_url without a run id', () => {
    expect(runVars(ctx({ runId: 0 }))).toEqual({ repo: 'octo/films', sha: '0123456', ref: 'main' })
  })

  it('leaves out what is empty', () => {
    expect(runVars(ctx({ repository: undefined, sha: '', ref: '', runId: 0 }))).toEqual({})
  })
})

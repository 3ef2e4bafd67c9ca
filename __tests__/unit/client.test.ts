import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from '@jest/globals'
import { GitHubClient } from '../../src/github/client.js'
import { FakeClock } from '../support/fake-clock.js'
import type { Clock } from '../../src/model/ports.js'

/** Waits that pass at once, counted. */
function instantClock(): Clock & { slept: number[] } {
  const slept: number[] = []
  return { slept, now: () => 0, sleep: ms => Promise.resolve(void slept.push(ms)), random: () => 0.5 }
}

describe('GitHubClient', () => {
  it('tries an unreachable API again with a growing pause, then says which API could not be reached and why', async () => {
    const server = http.createServer()
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await new Promise<void>(resolve => server.close(() => resolve()))
    const clock = instantClock()
    const rest = new GitHubClient({ apiUrl: `http://127.0.0.1:${port}`, token: 't', clock, log: () => undefined, retries: 2 })
    await expect(rest.call('GET', '/repos/o/r')).rejects.toThrow(
      `GitHub's API at http://127.0.0.1:${port} could not be reached (ECONNREFUSED)`
    )
    expect(rest.requests).toBe(3)
    expect(clock.slept).toEqual([1000, 2000])
    await rest.close()
  })

  it("sends again after GitHub's own 5xx, and returns the answer that follows with its message", async () => {
    let calls = 0
    const server = http.createServer((_req, res) => {
      calls++
      res.writeHead(calls === 1 ? 502 : 404, { 'content-type': 'application/json' })
      res.end(calls === 1 ? 'bad gateway' : JSON.stringify({ message: 'Not Found' }))
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const clock = instantClock()
    const rest = new GitHubClient({ apiUrl: `http://127.0.0.1:${port}/`, token: 't', clock, log: () => undefined })
    try {
      expect(await rest.call('GET', '/repos/o/r')).toEqual({ status: 404, json: { message: 'Not Found' }, message: 'Not Found' })
      expect(calls).toBe(2)
      expect(clock.slept).toEqual([1000])
      expect(rest.api).toBe(`http://127.0.0.1:${port}/`)
    } finally {
      await rest.close()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  })

  it("counts only GitHub's time against the bound before the first upload: a run hashing its videos meanwhile is not GitHub being slow", async () => {
    const clock = new FakeClock(0)
    let takes = 20_000
    const rest = new GitHubClient({
      apiUrl: 'http://github.test',
      token: 't',
      clock,
      log: () => undefined,
      // Answers after `takes`, or gives up at the deadline's rest, as the real transport does.
      transport: async ({ timeoutMs }) => {
        await clock.sleep(Math.min(takes, timeoutMs ?? takes))
        if (timeoutMs !== undefined && timeoutMs < takes) throw Object.assign(new Error('deadline'), { code: 'deadline' })
        return { status: 200, headers: {}, text: '{}' }
      }
    })
    rest.until(60_000)
    const first = rest.call('GET', '/a')
    await clock.advance(20_000)
    expect((await first).status).toBe(200)
    // Two minutes of the run's own work, then GitHub is asked again: 40 s of its minute are left.
    await clock.advance(120_000)
    const second = rest.call('GET', '/b')
    await clock.advance(20_000)
    expect((await second).status).toBe(200)
    takes = 30_000
    const third = rest.call('GET', '/c').catch((e: Error) => e.message)
    await clock.advance(60_000)
    expect(await third).toMatch(/did not answer within 60 s/)
  })
})

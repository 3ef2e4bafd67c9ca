import { describe, it, expect } from '@jest/globals'
import { PROGRESS_MIN_BYTES, progressLine, progressTracker, shouldReport } from '../../src/draftclip/progress.js'

const MiB = 1024 * 1024

describe('shouldReport', () => {
  const start = { bytes: 0, at: 0 }

  it('never reports below 50 MiB, however slow', () => {
    expect(PROGRESS_MIN_BYTES).toBe(50 * MiB)
    const total = 50 * MiB - 1
    expect(shouldReport(total, start, total - 1, 3_600_000)).toBe(false)
    expect(shouldReport(total, start, total / 2, 60_000)).toBe(false)
  })

  it('reports at 50 MiB exactly', () => {
    expect(shouldReport(50 * MiB, start, 25 * MiB, 10_000)).toBe(true)
  })

  it('needs 10 % more bytes AND 5 s since the last line', () => {
    const total = 100 * MiB
    expect(shouldReport(total, start, 10 * MiB, 5_000)).toBe(true)
    expect(shouldReport(total, start, 10 * MiB - 1, 60_000)).toBe(false) // enough time, not enough bytes
    expect(shouldReport(total, start, 90 * MiB, 4_999)).toBe(false) // enough bytes, not enough time
    const last = { bytes: 40 * MiB, at: 20_000 }
    expect(shouldReport(total, last, 50 * MiB, 25_000)).toBe(true)
    expect(shouldReport(total, last, 49 * MiB, 25_000)).toBe(false)
    expect(shouldReport(total, last, 50 * MiB, 24_999)).toBe(false)
  })

  it('does not report when everything was sent', () => {
    expect(shouldReport(100 * MiB, start, 100 * MiB, 60_000)).toBe(false)
    expect(shouldReport(100 * MiB, start, 101 * MiB, 60_000)).toBe(false)
  })
})

describe('progressLine', () => {
  it('gives the floored percentage, both sizes and the average rate since the start', () => {
    expect(progressLine(200 * MiB, { bytes: 0, at: 1_000 }, 50 * MiB + 123, 11_000)).toBe('25% (50.0 MB of 200.0 MB) at 5.0 MB/s')
    expect(progressLine(300 * MiB, { bytes: 0, at: 0 }, 299 * MiB, 1_000)).toBe('99% (299.0 MB of 300.0 MB) at 299.0 MB/s')
  })

  it('does not divide by zero when no time has passed', () => {
    expect(progressLine(100 * MiB, { bytes: 0, at: 5 }, 10 * MiB, 5)).toBe('10% (10.0 MB of 100.0 MB) at 9.8 GB/s')
  })
})

/** Feeds `total` bytes in `chunk`-byte steps, advancing a fake clock by `msPerChunk` each step. */
function simulate(total: number, chunk: number, msPerChunk: number): string[] {
  let clock = 1_000_000
  const track = progressTracker(total, () => clock)
  const lines: string[] = []
  for (let sent = chunk; sent <= total; sent += chunk) {
    clock += msPerChunk
    const line = track(Math.min(sent, total))
    if (line !== undefined) lines.push(line)
  }
  return lines
}

describe('progressTracker with a fake clock', () => {
  it('says nothing for a small upload', () => {
    expect(simulate(40 * MiB, 64 * 1024, 1_000)).toEqual([])
  })

  it('a fast upload (500 MiB in 20 s) logs at most ~10 lines, one per 5 s', () => {
    // 1 MiB every 40 ms: 10 % (50 MiB) every 2 s, so the 5 s rule decides.
    const lines = simulate(500 * MiB, MiB, 40)
    expect(lines.length).toBeGreaterThanOrEqual(3)
    expect(lines.length).toBeLessThanOrEqual(10)
    expect(lines.map(l => l.split('%')[0])).toEqual(['25', '50', '75'])
  })

  it('a very fast upload (everything in under 5 s) logs nothing', () => {
    expect(simulate(500 * MiB, MiB, 5)).toEqual([])
  })

  it('a slow upload (100 MiB in 1000 s) logs one line per 10 %', () => {
    // 1 MiB every 10 s: the 10 % rule decides.
    const lines = simulate(100 * MiB, MiB, 10_000)
    expect(lines.map(l => l.split('%')[0])).toEqual(['10', '20', '30', '40', '50', '60', '70', '80', '90'])
    expect(lines[0]).toBe('10% (10.0 MB of 100.0 MB) at 102.4 KB/s')
  })

  it('never logs more than 10 lines however the chunks fall', () => {
    for (const [chunk, ms] of [
      [64 * 1024, 1_000],
      [3 * MiB + 7, 7_000],
      [MiB, 500]
    ]) {
      expect(simulate(200 * MiB, chunk, ms).length).toBeLessThanOrEqual(10)
    }
  })

  it('reads the clock once at creation and once per call', () => {
    let reads = 0
    const track = progressTracker(100 * MiB, () => {
      reads++
      return reads * 10_000
    })
    expect(reads).toBe(1)
    expect(track(20 * MiB)).toBe('20% (20.0 MB of 100.0 MB) at 2.0 MB/s')
    expect(reads).toBe(2)
  })
})

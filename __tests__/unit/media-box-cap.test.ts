import { describe, expect, it } from '@jest/globals'
import { readContainer, type ByteSource } from '../../src/videos/media.js'

/** A file of nothing but 8-byte 'free' boxes, made as it is read. */
function freeBoxes(count: number): ByteSource {
  const box = Buffer.from([0, 0, 0, 8, ...Buffer.from('free', 'latin1')])
  const size = count * 8
  return {
    size,
    read: async (offset: number, length: number) => {
      const out = Buffer.alloc(Math.max(0, Math.min(length, size - offset)))
      for (let i = 0; i < out.length; i++) out[i] = box[(offset + i) % 8]
      return out
    }
  }
}

describe('the walk over top-level boxes', () => {
  it('says it gave up after 100,000 boxes, not that there is no moov', async () => {
    const reading = await readContainer(freeBoxes(100_001), 'iso')
    expect(reading).toMatchObject({
      kind: 'unreadable',
      why: expect.stringContaining("no 'moov' box in its first 100,000 boxes, where the walk gave up")
    })
  })

  it("a file that ends within the cap has no 'moov'", async () => {
    const reading = await readContainer(freeBoxes(100_000), 'iso')
    expect(reading).toMatchObject({ kind: 'unreadable', why: expect.stringContaining("it has no 'moov' box") })
  })
})

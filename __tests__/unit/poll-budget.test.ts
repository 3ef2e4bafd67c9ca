import { describe, it, expect } from '@jest/globals'
import { PollBudget } from '../../src/draftclip/poll-budget.js'
import { FakeClock, settle } from '../support/fake-clock.js'

const FAR = 10 * 60_000

/** Takes a turn and notes when it was granted (or refused). */
function taker(
  budget: PollBudget,
  clock: FakeClock,
  deadline = FAR
): { at: () => number | undefined; ok: () => boolean | undefined; done: Promise<boolean> } {
  let at: number | undefined
  let ok: boolean | undefined
  const done = budget.take(deadline).then(granted => {
    at = clock.now()
    ok = granted
    return granted
  })
  return { at: () => at, ok: () => ok, done }
}

describe('PollBudget', () => {
  it('spaces requests 60000 / perMinute apart', async () => {
    const clock = new FakeClock(1_000)
    const budget = new PollBudget(30, clock)
    const grants: number[] = []
    const loop = (async () => {
      for (let i = 0; i < 4; i++) {
        expect(await budget.take(FAR)).toBe(true)
        grants.push(clock.now())
      }
    })()
    await clock.advance(60_000)
    await loop
    expect(grants).toEqual([1_000, 3_000, 5_000, 7_000])
    expect(budget.nextSlot()).toBe(9_000)
  })

  it('grants nothing before the slot: one request a minute waits the whole minute', async () => {
    const clock = new FakeClock()
    const budget = new PollBudget(1, clock)
    expect(await budget.take(FAR)).toBe(true)
    const second = taker(budget, clock)
    await clock.advance(59_999)
    expect(second.ok()).toBeUndefined()
    await clock.advance(1)
    expect(second.ok()).toBe(true)
    expect(second.at()).toBe(60_000)
  })

  it('takes turns first come, first served across several takers', async () => {
    const clock = new FakeClock()
    const budget = new PollBudget(60, clock)
    const order: string[] = []
    const loop = async (name: string, times: number): Promise<void> => {
      for (let i = 0; i < times; i++) {
        await budget.take(FAR)
        order.push(`${name}@${clock.now()}`)
      }
    }
    const all = Promise.all([loop('A', 3), loop('B', 3), loop('C', 3)])
    await clock.advance(20_000)
    await all
    expect(order).toEqual(['A@0', 'B@1000', 'C@2000', 'A@3000', 'B@4000', 'C@5000', 'A@6000', 'B@7000', 'C@8000'])
  })

  it('resolves false at its deadline when no slot comes, and the slot stays for the next taker', async () => {
    const clock = new FakeClock()
    const budget = new PollBudget(1, clock)
    expect(await budget.take(FAR)).toBe(true)
    const late = taker(budget, clock, 10_000)
    const patient = taker(budget, clock)
    await clock.advance(9_999)
    expect(late.ok()).toBeUndefined()
    await clock.advance(1)
    expect(late.ok()).toBe(false)
    expect(late.at()).toBe(10_000)
    expect(patient.ok()).toBeUndefined()
    await clock.advanceTo(60_000)
    expect(patient.ok()).toBe(true)
    expect(patient.at()).toBe(60_000)
  })

  it('resolves false at once when its signal aborts', async () => {
    const clock = new FakeClock()
    const budget = new PollBudget(1, clock)
    await budget.take(FAR)
    const abort = new AbortController()
    let result: boolean | undefined
    void budget.take(FAR, abort.signal).then(ok => (result = ok))
    await clock.advance(1_000)
    expect(result).toBeUndefined()
    abort.abort()
    await settle()
    expect(result).toBe(false)
    expect(clock.now()).toBe(1_000)
  })

  it('holdUntil delays every taker, then the spacing goes on from there', async () => {
    const clock = new FakeClock()
    const budget = new PollBudget(30, clock)
    budget.holdUntil(30_000)
    // A shorter hold never shortens a longer one.
    budget.holdUntil(5_000)
    const a = taker(budget, clock)
    const b = taker(budget, clock)
    const c = taker(budget, clock)
    await clock.advance(29_999)
    expect([a.ok(), b.ok(), c.ok()]).toEqual([undefined, undefined, undefined])
    await clock.advanceTo(40_000)
    expect([a.at(), b.at(), c.at()]).toEqual([30_000, 32_000, 34_000])
  })

  it('a hold that comes while a taker waits for its slot delays it', async () => {
    const clock = new FakeClock()
    const budget = new PollBudget(30, clock)
    await budget.take(FAR)
    const next = taker(budget, clock)
    await clock.advance(1_000)
    budget.holdUntil(20_000)
    await clock.advanceTo(19_999)
    expect(next.ok()).toBeUndefined()
    await clock.advanceTo(20_000)
    expect(next.at()).toBe(20_000)
  })

  it.each([30, 7])('with 20 takers looping for 3 minutes, no 60 s window holds more than %d grants', async perMinute => {
    const clock = new FakeClock()
    const budget = new PollBudget(perMinute, clock)
    const end = 180_000
    const grants: number[] = []
    const perTaker = new Array<number>(20).fill(0)
    const loops = perTaker.map(async (_, i) => {
      while (await budget.take(end - 1)) {
        grants.push(clock.now())
        perTaker[i]++
        // Some take again at once, others after a pause of their own.
        await clock.sleep((i % 4) * 700)
      }
    })
    await clock.advanceTo(end)
    await Promise.all(loops)
    grants.sort((x, y) => x - y)
    for (const start of grants) {
      expect(grants.filter(t => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(perMinute)
    }
    // The budget is used, not just respected: a grant at every slot of the 3 minutes.
    expect(grants).toHaveLength(Math.ceil((end - 1) / (60_000 / perMinute)))
    // First come, first served: nobody is starved.
    expect(Math.min(...perTaker)).toBeGreaterThanOrEqual(Math.floor(grants.length / 20) - 1)
  })
})

import { describe, expect, it } from 'vitest'
import { DEMAND_HALF_LIFE_MS } from './constants.js'
import { DemandCounter, decayedScore } from './demand.js'

describe('demand', () => {
  it('halves a score every half-life', () => {
    expect(decayedScore({ score: 8, at: 0 }, DEMAND_HALF_LIFE_MS)).toBeCloseTo(4)
    expect(decayedScore({ score: 8, at: 0 }, 3 * DEMAND_HALF_LIFE_MS)).toBeCloseTo(1)
    // a clock that went back does not raise a score
    expect(decayedScore({ score: 8, at: 1000 }, 0)).toBe(8)
  })

  it('counts visits per site, decaying older ones', () => {
    let now = 0
    const counter = new DemandCounter({ now: () => now })
    counter.add('a.wia.home')
    counter.add('a.wia.home')
    expect(counter.get('a.wia.home')).toBe(2)
    now = DEMAND_HALF_LIFE_MS
    expect(counter.add('a.wia.home')).toBeCloseTo(2)
    expect(counter.get('b.wia.home')).toBe(0)
  })

  it('remembers a bounded number of sites, forgetting the least demanded', () => {
    const counter = new DemandCounter({ maxTracked: 2, now: () => 0 })
    counter.add('a.wia.home', 5)
    counter.add('b.wia.home', 1)
    counter.add('c.wia.home', 3)
    expect(counter.get('a.wia.home')).toBe(5)
    expect(counter.get('b.wia.home')).toBe(0)
    expect(counter.get('c.wia.home')).toBe(3)
  })
})

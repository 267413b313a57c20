/**
 * Demand for sites: each visit adds 1 to a site's score, and scores halve
 * every {@link DEMAND_HALF_LIFE_MS}, so a score is roughly "visits in the last
 * day or so" and an old burst fades instead of pinning a site forever.
 * The rule is documented in `docs/caching.md`.
 *
 * @module
 */

import { DEMAND_HALF_LIFE_MS, MAX_TRACKED_SITES } from './constants.js'

/** A demand score and the time it was last brought up to date (ms since epoch). */
export interface DemandScore {
  score: number
  at: number
}

/** `score` decayed from `at` to `now` (ms since epoch). */
export function decayedScore ({ score, at }: DemandScore, now: number, halfLifeMs = DEMAND_HALF_LIFE_MS): number {
  return score * 2 ** (-Math.max(0, now - at) / halfLifeMs)
}

export interface DemandCounterInit {
  /** @default DEMAND_HALF_LIFE_MS */
  halfLifeMs?: number
  /** @default MAX_TRACKED_SITES */
  maxTracked?: number
  /** Clock (ms since epoch). @default Date.now */
  now?: () => number
}

/** Decaying visit counts per site name, in memory and bounded. */
export class DemandCounter {
  private readonly scores = new Map<string, DemandScore>()
  private readonly halfLifeMs: number
  private readonly maxTracked: number
  private readonly now: () => number

  constructor (init: DemandCounterInit = {}) {
    this.halfLifeMs = init.halfLifeMs ?? DEMAND_HALF_LIFE_MS
    this.maxTracked = init.maxTracked ?? MAX_TRACKED_SITES
    this.now = init.now ?? Date.now
  }

  /** Count `weight` visits of `name` now; returns its score after them. */
  add (name: string, weight = 1): number {
    const now = this.now()
    const score = this.get(name) + weight
    this.scores.delete(name)
    this.scores.set(name, { score, at: now })
    if (this.scores.size > this.maxTracked) {
      this.forgetLeastDemanded(now)
    }
    return score
  }

  /** The current (decayed) score of `name`; 0 for a site never counted. */
  get (name: string): number {
    const entry = this.scores.get(name)
    return entry == null ? 0 : decayedScore(entry, this.now(), this.halfLifeMs)
  }

  private forgetLeastDemanded (now: number): void {
    let least: string | undefined
    let leastScore = Infinity
    for (const [name, entry] of this.scores) {
      const score = decayedScore(entry, now, this.halfLifeMs)
      if (score < leastScore) {
        least = name
        leastScore = score
      }
    }
    if (least != null) {
      this.scores.delete(least)
    }
  }
}

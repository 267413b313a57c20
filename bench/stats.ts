/** Summary of repeated measurements of one quantity. */
export interface Summary {
  reps: number
  median: number
  p90: number
  /** Nearest-rank p99 (with fewer than 100 samples, the largest or next to it). */
  p99: number
  min: number
  max: number
}

/** Median, p90 and p99 (nearest rank), min and max of a sample. */
export function summarize (samples: number[]): Summary {
  if (samples.length === 0) {
    throw new Error('cannot summarize an empty sample')
  }
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { reps: samples.length, median, p90: rank(0.9), p99: rank(0.99), min: sorted[0]!, max: sorted[sorted.length - 1]! }
}

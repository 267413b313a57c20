/** A figure with about three significant digits: `1234`, `12.3`, `1.23`, `0.012`. */
export const formatNumber = (n: number): string => {
  const abs = Math.abs(n)
  if (abs >= 100 || n === 0) return n.toFixed(0)
  if (abs >= 10) return n.toFixed(1)
  if (abs >= 1) return n.toFixed(2)
  return n.toPrecision(2)
}

/** A ratio as `1.23×`, or `—` when the baseline was zero. */
export const formatRatio = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '—')

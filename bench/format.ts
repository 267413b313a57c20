/** A figure with three significant digits or so: `1234`, `12.3`, `0.012`. */
export const formatNumber = (n: number): string =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 || n === 0 ? n.toFixed(1) : n.toPrecision(2)

/** A ratio as `1.23×`, or `—` when the baseline was zero. */
export const formatRatio = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '—')

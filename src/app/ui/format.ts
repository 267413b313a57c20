/**
 * Sizes in words for the app's user.
 *
 * @module
 */

/** Human-readable size: `1.2 MB` (decimal units, as file managers show them). */
export function formatBytes (bytes: number): string {
  if (bytes < 1000) {
    return `${bytes} B`
  }
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 'B'
  for (const next of units) {
    if (value < 1000) {
      break
    }
    value /= 1000
    unit = next
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${unit}`
}

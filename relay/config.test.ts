import { describe, expect, it } from 'vitest'
import { readConfig, toBytes } from './config.js'

describe('relay configuration', () => {
  it('reads cache sizes with or without a unit', () => {
    expect(toBytes('1048576', 1, 'cache-size')).toBe(1048576)
    expect(toBytes('500MB', 1, 'cache-size')).toBe(500_000_000)
    expect(toBytes('1 GiB', 1, 'cache-size')).toBe(1024 ** 3)
    expect(toBytes('0', 1, 'cache-size')).toBe(0)
    expect(toBytes(undefined, 7, 'cache-size')).toBe(7)
  })

  it.each(['-1', 'lots', '5 parsecs', '1e9'])('refuses the cache size %s with a message that shows the form', (value) => {
    expect(() => readConfig([`--cache-size=${value}`], {})).toThrow(/--cache-size must be a size in bytes, like 1073741824, 500MB or 1GiB/)
  })

  it('defaults to a 1 GiB cache and 3 hot visits', () => {
    expect(readConfig([], {})).toMatchObject({ cacheSize: 1024 ** 3, hotVisits: 3 })
    expect(readConfig(['--hot-visits', '5'], { CACHE_SIZE: '2MiB' })).toMatchObject({ cacheSize: 2 * 1024 ** 2, hotVisits: 5 })
  })
})

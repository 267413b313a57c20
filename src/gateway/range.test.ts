import { describe, expect, it } from 'vitest'
import { matchesEtag, parseRange } from './range.js'

describe('parseRange', () => {
  it.each([
    ['bytes=0-99', 1000, { start: 0, end: 99 }],
    ['bytes=500-', 1000, { start: 500, end: 999 }],
    ['bytes=-100', 1000, { start: 900, end: 999 }],
    ['bytes=900-5000', 1000, { start: 900, end: 999 }],
    ['bytes=-5000', 1000, { start: 0, end: 999 }]
  ])('%s of %d bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected)
  })

  it.each(['bytes=1000-', 'bytes=-0', 'bytes=2000-3000'])('%s of 1000 bytes is unsatisfiable', header => {
    expect(parseRange(header, 1000)).toBe('unsatisfiable')
  })

  it.each([undefined, '', 'bytes=0-1,5-6', 'items=0-1', 'bytes=5-2', 'bytes=-'])('ignores %s (whole file)', header => {
    expect(parseRange(header, 1000)).toBeUndefined()
  })
})

describe('matchesEtag', () => {
  it('matches the tag, its weak form, a list and *', () => {
    expect(matchesEtag('"bafy1"', '"bafy1"')).toBe(true)
    expect(matchesEtag('W/"bafy1"', '"bafy1"')).toBe(true)
    expect(matchesEtag('"x", "bafy1"', '"bafy1"')).toBe(true)
    expect(matchesEtag('*', '"bafy1"')).toBe(true)
    expect(matchesEtag('"bafy2"', '"bafy1"')).toBe(false)
    expect(matchesEtag(null, '"bafy1"')).toBe(false)
  })
})

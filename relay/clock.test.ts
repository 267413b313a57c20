import { describe, expect, it } from 'vitest'
import { DAY_MS, createTestClock, installClock, readTestClock } from './clock.js'

describe('test clock', () => {
  it('runs scale times as fast from its epoch, plus its offset', () => {
    let real = 1_000_000
    const clock = createTestClock({ scale: 86_400, epochMs: real, offsetMs: 0 }, () => real)
    expect(clock.now()).toBe(real)
    real += 1_000 // one real second is a simulated day
    expect(clock.now() - 1_000_000).toBe(DAY_MS)
    expect(clock.realMs(DAY_MS)).toBe(1_000)
    expect(clock.realMs(1)).toBe(1) // a timer never waits 0 ms
    const shifted = createTestClock({ scale: 1, epochMs: 0, offsetMs: 7 * DAY_MS }, () => real)
    expect(shifted.now()).toBe(real + 7 * DAY_MS)
  })

  it('is read from the environment only when asked for, and refuses malformed values', () => {
    expect(readTestClock({})).toBeUndefined()
    expect(readTestClock({ WIA_TEST_CLOCK_SCALE: '1440' }, 5)).toEqual({ scale: 1440, epochMs: 5, offsetMs: 0 })
    expect(readTestClock({ WIA_TEST_CLOCK_OFFSET_MS: '-3600000', WIA_TEST_CLOCK_EPOCH_MS: '42' })).toEqual({ scale: 1, epochMs: 42, offsetMs: -3_600_000 })
    expect(() => readTestClock({ WIA_TEST_CLOCK_SCALE: '0' })).toThrow(/WIA_TEST_CLOCK_SCALE must be a positive number, got "0"/)
    expect(() => readTestClock({ WIA_TEST_CLOCK_OFFSET_MS: 'a week' })).toThrow(/WIA_TEST_CLOCK_OFFSET_MS must be an integer number of milliseconds/)
  })

  it('once installed, is what Date.now() and new Date() read (libraries included), until restored', () => {
    const before = Date.now()
    const restore = installClock(createTestClock({ scale: 1, epochMs: 0, offsetMs: 30 * DAY_MS }))
    try {
      expect(Date.now() - before).toBeGreaterThanOrEqual(30 * DAY_MS)
      expect(new Date().getTime() - before).toBeGreaterThanOrEqual(30 * DAY_MS)
      // what kad-dht does with a stored record's receipt time
      const received = new Date()
      expect(Date.now() - received.getTime()).toBeLessThan(1_000)
      // explicit times, parsing and instanceof are untouched
      expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z')
      expect(Date.parse('1970-01-02T00:00:00Z')).toBe(DAY_MS)
      expect(received).toBeInstanceOf(Date)
    } finally {
      restore()
    }
    expect(Date.now() - before).toBeLessThan(DAY_MS)
  })
})

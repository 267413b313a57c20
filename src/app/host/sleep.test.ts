import { afterEach, describe, expect, it, vi } from 'vitest'
import { SleepController } from './sleep.js'

afterEach(() => { vi.useRealTimers() })

describe('SleepController', () => {
  it('sleeps after the idle time, wakes on the next activity, and runs no timer while asleep', async () => {
    vi.useFakeTimers()
    const events: string[] = []
    const sleeper = new SleepController({
      idleMs: 1000,
      sleep: () => { events.push('sleep') },
      wake: () => { events.push('wake') },
      onChange: state => { events.push(state) },
      now: () => Date.now()
    })
    sleeper.start()
    vi.advanceTimersByTime(600)
    sleeper.touch() // activity postpones sleep
    vi.advanceTimersByTime(600)
    expect(sleeper.activity).toBe('serving')
    vi.advanceTimersByTime(500)
    expect(sleeper.activity).toBe('sleeping')
    expect(vi.getTimerCount()).toBe(0)
    sleeper.touch()
    expect(sleeper.activity).toBe('serving')
    expect(events).toEqual(['sleeping', 'sleep', 'serving', 'wake'])
    vi.advanceTimersByTime(1000)
    expect(sleeper.activity).toBe('sleeping')
    sleeper.stop()
  })

  it('takes a new idle time at once: longer postpones sleep, shorter than the idle time so far sleeps now', () => {
    vi.useFakeTimers()
    const sleeper = new SleepController({ idleMs: 1000, sleep: () => {}, wake: () => {}, now: () => Date.now() })
    sleeper.start()
    vi.advanceTimersByTime(600)
    sleeper.setIdleMs(5000)
    vi.advanceTimersByTime(1000)
    expect(sleeper.activity).toBe('serving')
    sleeper.setIdleMs(1000)
    vi.advanceTimersByTime(0)
    expect(sleeper.activity).toBe('sleeping')
    sleeper.setIdleMs(2000) // asleep: no timer starts
    expect(vi.getTimerCount()).toBe(0)
    sleeper.stop()
  })
})

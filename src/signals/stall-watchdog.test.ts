import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FetchStalledError } from './errors.js'
import { StallWatchdog } from './stall-watchdog.js'

beforeEach(() => { vi.useFakeTimers() })
afterEach(() => { vi.useRealTimers() })

describe('StallWatchdog', () => {
  it('aborts with FetchStalledError once nothing progressed for stallMs', () => {
    const watchdog = new StallWatchdog(1_000, undefined, 'blocks of alice.wia.home')
    vi.advanceTimersByTime(999)
    expect(watchdog.signal.aborted).toBe(false)
    vi.advanceTimersByTime(1)
    expect(watchdog.signal.aborted).toBe(true)
    expect(watchdog.stalled).toBe(true)
    expect(watchdog.signal.reason).toBeInstanceOf(FetchStalledError)
    expect((watchdog.signal.reason as Error).message).toBe('no blocks of alice.wia.home arrived for 1000 ms')
  })

  it('restarts the clock on progress', () => {
    const watchdog = new StallWatchdog(1_000, undefined, 'blocks')
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(900)
      watchdog.progress()
    }
    expect(watchdog.signal.aborted).toBe(false)
    vi.advanceTimersByTime(1_000)
    expect(watchdog.stalled).toBe(true)
  })

  it('passes on the parent\'s abort and its reason, which is not a stall', () => {
    const parent = new AbortController()
    const watchdog = new StallWatchdog(1_000, parent.signal, 'blocks')
    const reason = new Error('user cancelled')
    parent.abort(reason)
    expect(watchdog.signal.reason).toBe(reason)
    expect(watchdog.stalled).toBe(false)
    vi.advanceTimersByTime(5_000)
    expect(watchdog.stalled).toBe(false)
  })

  it('starts aborted under an aborted parent', () => {
    const watchdog = new StallWatchdog(1_000, AbortSignal.abort(new Error('gone')), 'blocks')
    expect(watchdog.signal.aborted).toBe(true)
    expect(watchdog.stalled).toBe(false)
  })

  it('never fires once stopped', () => {
    const parent = new AbortController()
    const watchdog = new StallWatchdog(1_000, parent.signal, 'blocks')
    watchdog.stop()
    vi.advanceTimersByTime(5_000)
    parent.abort()
    expect(watchdog.signal.aborted).toBe(false)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('holds its clock while paused (the caller keeps what came) and still passes on the parent\'s abort', () => {
    const parent = new AbortController()
    const watchdog = new StallWatchdog(1_000, parent.signal, 'blocks')
    watchdog.pause()
    vi.advanceTimersByTime(5_000)
    expect(watchdog.signal.aborted).toBe(false)
    watchdog.progress()
    vi.advanceTimersByTime(999)
    expect(watchdog.signal.aborted).toBe(false)
    watchdog.pause()
    parent.abort(new Error('user cancelled'))
    expect((watchdog.signal.reason as Error).message).toBe('user cancelled')
    expect(watchdog.stalled).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { timeBound } from './time-bound.js'

/** The signal's reason once it aborts, or `'not aborted'` after `ms`. */
async function outcome (signal: AbortSignal, ms: number): Promise<unknown> {
  const aborted = new Promise<unknown>(resolve => { signal.addEventListener('abort', () => { resolve(signal.reason) }, { once: true }) })
  return await Promise.race([aborted, new Promise(resolve => setTimeout(resolve, ms, 'not aborted'))])
}

describe('timeBound', () => {
  it('aborts with a TimeoutError after its bound', async () => {
    const bound = timeBound(30, new AbortController().signal)
    expect((await outcome(bound.signal, 1_000) as Error).name).toBe('TimeoutError')
  })

  it('aborts with the reason of whichever caller signal aborts first, also one aborted already', () => {
    const first = new AbortController()
    const second = new AbortController()
    const bound = timeBound(60_000, first.signal, undefined, second.signal)
    second.abort(new Error('second'))
    first.abort(new Error('first'))
    expect((bound.signal.reason as Error).message).toBe('second')
    const gone = new AbortController()
    gone.abort(new Error('already'))
    expect((timeBound(60_000, gone.signal).signal.reason as Error).message).toBe('already')
  })

  it('never aborts once cleared: neither at its bound nor when a caller signal aborts', async () => {
    const caller = new AbortController()
    const bound = timeBound(30, caller.signal)
    bound.clear()
    expect(await outcome(bound.signal, 100)).toBe('not aborted')
    caller.abort(new Error('late'))
    expect(bound.signal.aborted).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { gc } from '../../test/fixtures/gc.js'
import { withTimeout } from './with-timeout.js'

describe('withTimeout', () => {
  it('aborts after its timeout even when garbage collection ran meanwhile', async () => {
    const signal = withTimeout(new AbortController().signal, 50)
    const aborted = new Promise<unknown>(resolve => { signal.addEventListener('abort', () => { resolve(signal.reason) }, { once: true }) })
    for (let i = 0; i < 3; i++) {
      gc()
      await new Promise(resolve => setTimeout(resolve, 5))
    }
    const outcome = await Promise.race([aborted, new Promise(resolve => setTimeout(resolve, 1_000, 'never aborted'))])
    expect((outcome as Error).name).toBe('TimeoutError')
  })

  it('aborts with the caller\'s reason when the caller aborts first', () => {
    const caller = new AbortController()
    const signal = withTimeout(caller.signal, 60_000)
    caller.abort(new Error('gone'))
    expect((signal.reason as Error).message).toBe('gone')
  })
})

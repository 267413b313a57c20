import { describe, expect, it } from 'vitest'
import { rawBlock as block } from '../test/fixtures/blocks.js'
import { RecentChecks } from './recent-checks.js'

describe('RecentChecks', () => {
  it('remembers a checked block until its window ends', async () => {
    const hello = await block('hello')
    const checks = new RecentChecks({ recheckAfterMs: 200 })
    expect(checks.has(hello.cid)).toBe(false)
    checks.add(hello.cid)
    expect(checks.has(hello.cid)).toBe(true)
    await new Promise(resolve => setTimeout(resolve, 250))
    expect(checks.has(hello.cid)).toBe(false)
  })

  it('holds at most `max` blocks, the least recently checked out first', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(async text => block(text)))
    const checks = new RecentChecks({ max: 2 })
    checks.add(a!.cid)
    checks.add(b!.cid)
    checks.add(c!.cid)
    expect([a, b, c].map(x => checks.has(x!.cid))).toEqual([false, true, true])
    expect(checks.size).toBe(2)
  })

  it('forgets a deleted block', async () => {
    const hello = await block('hello')
    const checks = new RecentChecks()
    checks.add(hello.cid)
    checks.delete(hello.cid)
    expect(checks.has(hello.cid)).toBe(false)
  })
})

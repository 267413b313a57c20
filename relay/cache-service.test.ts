import { CID } from 'multiformats/cid'
import { describe, expect, it, vi } from 'vitest'
import { DemandCounter, FetchQueueBusyError } from '../src/cache/index.js'
import { NameNotFoundError, SiteUnpublishedError } from '../src/naming/index.js'
import { CacheService, VISIT_WRITE_WINDOW_MS } from './cache-service.js'
import type { CacheServiceComponents } from './cache-service.js'

const ROOT = CID.parse('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi')

/** A cache service over an in-memory stand-in for the site cache (unit test of the rules only). */
function service (hotVisits = 3): { svc: CacheService, kept: Map<string, CID>, keep: ReturnType<typeof vi.fn>, touch: ReturnType<typeof vi.fn>, unpublished: Set<string> } {
  const kept = new Map<string, CID>()
  const unpublished = new Set<string>()
  const keep = vi.fn(async (name: string, root: CID) => {
    kept.set(name, root)
    return { kept: true as const, bytes: 100, evicted: [] }
  })
  // like SiteCache.touch: a score for a kept site, undefined otherwise
  const touch = vi.fn(async (name: string, _weight?: number) => kept.has(name) ? 1 : undefined)
  const components: CacheServiceComponents = {
    libp2p: { handle: vi.fn(), unhandle: vi.fn() },
    cache: {
      keep,
      touch,
      drop: vi.fn(async (name: string) => kept.delete(name))
    },
    demand: new DemandCounter(),
    currentRoot: async (name) => {
      if (name === 'nobody.wia.home') throw new NameNotFoundError(name)
      if (unpublished.has(name)) throw new SiteUnpublishedError(name)
      return ROOT
    }
  }
  return { svc: new CacheService(components, { hotVisits }), kept, keep, touch, unpublished }
}

describe('CacheService', () => {
  it('keeps a site an owner asks it to keep, at the name\'s current root', async () => {
    const { svc, keep } = service()
    expect(await svc.answer({ op: 'keep', name: 'alice.wia.home' })).toEqual({ status: 'kept', root: ROOT, bytes: 100 })
    expect(keep).toHaveBeenCalledWith('alice.wia.home', ROOT, expect.anything())
  })

  it('keeps a site once it had the hot number of visits, not before', async () => {
    const { svc, kept } = service(3)
    await svc.answer({ op: 'visit', name: 'alice.wia.home' })
    await svc.answer({ op: 'visit', name: 'alice.wia.home' })
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(kept.has('alice.wia.home')).toBe(false)
    expect(await svc.answer({ op: 'visit', name: 'alice.wia.home' })).toEqual({ status: 'counted' })
    await vi.waitFor(() => { expect(kept.has('alice.wia.home')).toBe(true) })
  })

  it('writes a burst of visits to a kept site twice: the first at once, the rest together at the end of the window', async () => {
    const { svc, touch } = service()
    await svc.answer({ op: 'keep', name: 'alice.wia.home' })
    for (let i = 0; i < 10; i++) await svc.answer({ op: 'visit', name: 'alice.wia.home' })
    expect(touch.mock.calls).toEqual([['alice.wia.home', 1]])
    await vi.waitFor(() => { expect(touch.mock.calls).toEqual([['alice.wia.home', 1], ['alice.wia.home', 9]]) }, { timeout: VISIT_WRITE_WINDOW_MS * 4 })
    // the next visit after the window is written at once again
    await svc.answer({ op: 'visit', name: 'alice.wia.home' })
    expect(touch.mock.calls).toHaveLength(3)
    await svc.stop()
  })

  it('drops a kept site whose name was unpublished, at the next visit or at once when told', async () => {
    const { svc, kept, unpublished } = service()
    await svc.answer({ op: 'keep', name: 'alice.wia.home' })
    await svc.answer({ op: 'keep', name: 'bob.wia.home' })
    unpublished.add('alice.wia.home')
    await svc.answer({ op: 'visit', name: 'alice.wia.home' })
    await vi.waitFor(() => { expect(kept.has('alice.wia.home')).toBe(false) })
    expect(await svc.answer({ op: 'keep', name: 'alice.wia.home' })).toMatchObject({ status: 'error', error: 'SiteUnpublishedError' })

    await svc.forget('bob.wia.home')
    expect([...kept.keys()]).toEqual([])
  })

  it('keeps a site its owner asks for while a keep started by visits is refused', async () => {
    const { svc, keep } = service(1)
    let refuse: () => void = () => {}
    const refused = new Promise<void>(resolve => { refuse = resolve })
    keep.mockImplementationOnce(async (name: string) => {
      await refused
      throw new FetchQueueBusyError(name)
    })
    await svc.answer({ op: 'visit', name: 'alice.wia.home' })
    await vi.waitFor(() => { expect(keep).toHaveBeenCalledTimes(1) })
    const answer = svc.answer({ op: 'keep', name: 'alice.wia.home' })
    refuse()
    expect(await answer).toEqual({ status: 'kept', root: ROOT, bytes: 100 })
  })

  it('answers bad requests with a named error', async () => {
    const { svc } = service()
    expect(await svc.answer({ op: 'keep', name: 'Alice.wia.home' })).toMatchObject({ status: 'error', error: 'InvalidNameError' })
    expect(await svc.answer({ op: 'keep', name: 'nobody.wia.home' })).toMatchObject({ status: 'error', error: 'NameNotFoundError' })
  })
})

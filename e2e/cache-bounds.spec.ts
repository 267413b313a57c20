import { randomBytes } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { startNodePeer } from './support/node-peer.js'
import { uniqueLabel } from './support/site.js'
import type { NodePeer } from './support/node-peer.js'
import type { SiteFile } from '../src/content/index.js'

/** The relay's cache bound in this test (bytes): three 100 kB sites fit, four do not. */
const CACHE_BYTES = 350_000
const SITE_BYTES = 100_000

function oneFileSite (): SiteFile[] {
  const bytes = randomBytes(SITE_BYTES)
  return [{ path: 'index.html', size: bytes.byteLength, content: async function * () { yield bytes } }]
}

test('a relay with a small cache keeps the most visited sites, stays within its bound, and says why it keeps no more', async () => {
  test.setTimeout(120_000)
  // visits count as demand, but no number of them here makes a site "hot" on its own
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', String(CACHE_BYTES), '--hot-visits', '1000'] })
  let peer: NodePeer | undefined
  try {
    peer = await startNodePeer(relay.relayAddrs[0]!)
    const names: string[] = []
    for (let i = 0; i < 6; i++) {
      names.push((await peer.publishSite(uniqueLabel(`bound${i}`), oneFileSite())).name)
    }
    // sites 0, 2 and 4 are visited (5, 3 and 2 times); the others never
    const visits = [5, 0, 3, 0, 2, 0]
    for (const [i, count] of visits.entries()) {
      for (let v = 0; v < count; v++) await peer.reportVisit(names[i]!)
    }

    const outcomes: string[] = []
    for (const name of names) {
      outcomes.push(await peer.askRelayToKeep(name).then(() => 'kept', (err: Error & { remoteError?: string }) => err.remoteError ?? err.name))
    }
    // each site is kept when asked, pushing out the least demanded (unvisited, oldest first);
    // the last unvisited one finds only more demanded sites and is refused
    expect(outcomes).toEqual(['kept', 'kept', 'kept', 'kept', 'kept', 'NotKeptError'])

    const status = await (await fetch(new URL('/_wia/cache.json', relay.appUrl))).json() as { maxBytes: number, usedBytes: number, sites: Array<{ name: string }> }
    expect(status.maxBytes).toBe(CACHE_BYTES)
    expect(status.usedBytes).toBeLessThanOrEqual(CACHE_BYTES)
    expect(status.sites.map(site => site.name)).toEqual([names[0], names[2], names[4]])
  } finally {
    await peer?.stop()
    await relay.stop()
  }
})

test('a relay fetches and keeps a site nobody asked it to keep once visitors make it hot', async () => {
  test.setTimeout(60_000)
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--hot-visits', '3'] })
  let peer: NodePeer | undefined
  const kept = async (): Promise<string[]> => {
    const status = await (await fetch(new URL('/_wia/cache.json', relay.appUrl))).json() as { sites: Array<{ name: string }> }
    return status.sites.map(site => site.name)
  }
  try {
    peer = await startNodePeer(relay.relayAddrs[0]!)
    const { name } = await peer.publishSite(uniqueLabel('hot'), oneFileSite())
    await peer.reportVisit(name)
    await peer.reportVisit(name)
    // two visits: still cold, fetched from its owner on demand
    await new Promise(resolve => setTimeout(resolve, 1_000))
    expect(await kept()).toEqual([])
    await peer.reportVisit(name)
    await expect.poll(kept, { timeout: 30_000 }).toEqual([name])
  } finally {
    await peer?.stop()
    await relay.stop()
  }
})

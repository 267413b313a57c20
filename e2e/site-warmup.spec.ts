import { expect, test } from '@playwright/test'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { uniqueLabel } from './support/site.js'
import { startNodePeer } from './support/node-peer.js'
import { plainGet } from './support/plain-http.js'
import type { SiteFile } from '../src/content/index.js'

/** A browser's top-level navigation, as Chromium sends its Fetch Metadata: the request a bootstrap page answers. */
const NAVIGATION = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none' }

/** Six small files, each one raw block (its CID names its bytes). */
function smallFiles (): Array<{ file: SiteFile, bytes: Uint8Array }> {
  return Array.from({ length: 6 }, (_, i) => {
    const bytes = new TextEncoder().encode(`part ${i} of a small site only its host holds\n`.repeat(100))
    return { bytes, file: { path: i === 0 ? 'index.html' : `part-${i}.txt`, size: bytes.byteLength, content: async function * () { yield bytes } } }
  })
}

test('a browser opening a small site has the relay fetch it whole from its host while the worker installs', async () => {
  test.setTimeout(90_000)
  // no relay cache: every block of the site is at its host only
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0'] })
  const host = await startNodePeer(relay.relayAddrs[0]!).catch(async err => { await relay.stop(); throw err })
  try {
    const files = smallFiles()
    const site = await host.publishSite(uniqueLabel('warm'), files.map(({ file }) => file))
    const leaves = await Promise.all(files.map(async ({ bytes }) => CID.createV1(raw.code, await sha256.digest(bytes)).toString()))
    const askedBefore = host.askedFor().length
    const asked = (): string[] => host.askedFor().slice(askedBefore)

    // the navigation gets the bootstrap page (the worker is not installed yet, so nothing else asks for the site)...
    const page = await plainGet(`${site.name}.localhost`, '/', NAVIGATION, relay.httpPort)
    expect(page.status).toBe(200)
    expect(page.body.toString()).toContain('/_wia/sw.js')
    expect(page.body.toString()).toContain(site.root.toString())
    // ...and the relay asks the host for every file of the site on its own
    await expect.poll(() => leaves.filter(cid => !asked().includes(cid)), { timeout: 10_000 }).toEqual([])
  } finally {
    await host.stop()
    await relay.stop()
  }
})

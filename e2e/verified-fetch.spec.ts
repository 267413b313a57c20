import '../relay/polyfills.js'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { withHTTP } from '@helia/http'
import { createVerifiedFetchWithHelia } from '@helia/verified-fetch'
import { createHeliaLight } from 'helia'
import { expect, test } from '@playwright/test'
import { TEST_SITE_FILES, makeTestSite } from './support/fixtures.js'
import { appUrl, expectRelayCopy, hostSite, uniqueLabel } from './support/site.js'

test('an unmodified @helia/verified-fetch, given only a relay’s HTTP address (as its delegated router, which names the relay as trustless gateway), gets every byte of a hosted site by root CID', async ({ browser }) => {
  const folder = await makeTestSite()
  const owner = await browser.newContext()
  // its own HTTP-only Helia node, whose one router is the relay's Delegated Routing V1 endpoint:
  // the relay names itself as a trustless gateway for the site's blocks (plain http on loopback
  // here, which Helia refuses unless told; a public relay is https)
  const relay = appUrl().replace(/\/$/, '')
  const helia = withHTTP(createHeliaLight(), { delegatedRouters: [relay], recursiveGateways: [], allowInsecure: true, allowLocal: true })
  await helia.start()
  const verifiedFetch = await createVerifiedFetchWithHelia(helia)
  try {
    const label = uniqueLabel('vfetch')
    const host = await owner.newPage()
    await hostSite(host, { label, folder })
    await expectRelayCopy(host)
    const kept = await (await fetch(new URL('/_wia/cache.json', appUrl()))).json() as { sites: Array<{ name: string, root: string }> }
    const root = kept.sites.find(site => site.name === `${label}.wia.home`)?.root
    expect(root).toMatch(/^b/)

    for (const path of TEST_SITE_FILES) {
      const res = await verifiedFetch(`ipfs://${root}/${path}`, { signal: AbortSignal.timeout(30_000) })
      expect(res.status, path).toBe(200)
      expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(join(folder, path))), path).toBe(true)
    }
  } finally {
    await verifiedFetch.stop()
    await helia.stop()
    await owner.close()
  }
})

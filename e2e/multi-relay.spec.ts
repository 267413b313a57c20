import { expect, test } from '@playwright/test'
import { makeTestSite } from './support/fixtures.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { hostSite, siteUrl, uniqueLabel, visitSite } from './support/site.js'
import type { RelayProcess } from './support/relay-process.js'

/** Relays in the test DHT, each its own process. */
const RELAYS = 5

test('five relays form one DHT: a name put through one resolves through another, also after that relay stops', async ({ browser }) => {
  test.setTimeout(180_000)
  const relays: RelayProcess[] = []
  const contexts = [await browser.newContext(), await browser.newContext(), await browser.newContext()]
  try {
    const pow = ['--pow-bits', String(TEST_POW_BITS)]
    const first = await startRelay({ extraArgs: pow })
    relays.push(first)
    for (let i = 1; i < RELAYS - 1; i++) {
      relays.push(await startRelay({ extraArgs: [...pow, '--bootstrap', first.relayAddrs[0]!] }))
    }
    // the host's app knows two relays (its own and the first); the record reaches
    // the others through the DHT's routing
    const entry = await startRelay({
      extraArgs: [...pow, '--bootstrap', first.relayAddrs[0]!, '--relay', first.relayAddrs[0]!]
    })
    relays.push(entry)

    const label = uniqueLabel('multi')
    const name = `${label}.wia.home`
    await hostSite(await contexts[0]!.newPage(), { app: entry.appUrl, label, folder: await makeTestSite() })

    // a visitor whose only relay is another one resolves the name and loads the site
    const other = relays[1]!
    const visitor = await contexts[1]!.newPage()
    const response = await visitSite(visitor, siteUrl(name, '/', String(other.httpPort)))
    expect(response.status()).toBe(200)
    await expect(visitor.getByRole('heading', { name: 'Hello from a WIA site' })).toBeVisible()

    // the relay that took the put goes away; a fresh visitor still gets the site
    await entry.stop()
    const late = await contexts[2]!.newPage()
    const again = await visitSite(late, siteUrl(name, '/', String(other.httpPort)))
    expect(again.status()).toBe(200)
    await expect(late.getByRole('heading', { name: 'Hello from a WIA site' })).toBeVisible()
  } finally {
    for (const context of contexts) await context.close()
    await Promise.all(relays.map(async relay => relay.stop()))
  }
})

import { once } from 'node:events'
import { expect, test } from '@playwright/test'
import { siteSaying } from './support/fixtures.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { expectRelayCopy, hostSite, openHostForm, publishFolder, siteUrl, uniqueLabel, visitorSees } from './support/site.js'
import type { RelayProcess } from './support/relay-process.js'

test('with three relays and one killed for good, every name still resolves and every site still loads', async ({ browser }) => {
  test.setTimeout(240_000)
  const relays: RelayProcess[] = []
  const owner = await browser.newContext()
  try {
    const pow = ['--pow-bits', String(TEST_POW_BITS)]
    const a = await startRelay({ extraArgs: pow })
    relays.push(a)
    const b = await startRelay({ extraArgs: [...pow, '--bootstrap', a.relayAddrs[0]!] })
    relays.push(b)
    // the host's app knows all three: it takes a reservation on each and asks each to keep its sites
    const c = await startRelay({ extraArgs: [...pow, '--bootstrap', a.relayAddrs[0]!, '--relay', a.relayAddrs[0]!, '--relay', b.relayAddrs[0]!] })
    relays.push(c)

    const names = [uniqueLabel('three'), uniqueLabel('three')]
    const host = await owner.newPage()
    await hostSite(host, { app: c.appUrl, label: names[0]!, folder: await siteSaying(`Site ${names[0]!}`) })
    await expectRelayCopy(host, 1, 3)
    await openHostForm(host)
    await publishFolder(host, { label: names[1]!, folder: await siteSaying(`Site ${names[1]!}`) })
    await expect(host.getByRole('article', { name: `${names[1]!}.wia.home` }).getByText('Kept by 3 relays while this device is off')).toBeVisible({ timeout: 60_000 })

    // same-run baseline: a fresh visitor of another relay before the kill
    const visitStart = performance.now()
    expect(await visitorSees(browser, siteUrl(`${names[0]!}.wia.home`, '/', String(a.httpPort)))).toBe(`Site ${names[0]!}`)
    const visitBeforeKillMs = performance.now() - visitStart

    // the relay the host published through is killed for good
    const exited = once(c.process, 'exit')
    const killedAt = performance.now()
    c.process.kill('SIGKILL')
    await exited

    // a fresh visitor of each other relay gets each site, its name resolved there
    let firstServedMs: number | undefined
    for (const relay of [a, b]) {
      for (const label of names) {
        const name = `${label}.wia.home`
        expect(await visitorSees(browser, siteUrl(name, '/', String(relay.httpPort)))).toBe(`Site ${label}`)
        firstServedMs ??= performance.now() - killedAt
        expect((await fetch(`${relay.appUrl}_wia/name/${name}`)).status, `${name} at ${relay.appUrl}`).toBe(200)
      }
    }
    console.info('relay-killed figures', { firstServedAfterKillMs: Math.round(firstServedMs!), visitBeforeKillMs: Math.round(visitBeforeKillMs) })
  } finally {
    await owner.close()
    await Promise.all(relays.map(async relay => relay.stop()))
  }
})

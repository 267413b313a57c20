import { describe, expect, it } from 'vitest'
import { fakeHost, siteFiles } from '../../../../test/fixtures/host.js'
import { checkName } from './check-name.js'
import { publish } from './publish.js'

const files = siteFiles({ 'index.html': '<h1>one</h1>' })

describe('checkName', () => {
  it('says free, yours or taken without storing anything', async () => {
    const owner = await fakeHost()
    expect(await checkName(owner.components, { label: 'alice', tld: 'home' })).toBe('free')
    await publish(owner.components, { label: 'alice', tld: 'home', files })
    expect(await checkName(owner.components, { label: 'alice', tld: 'home' })).toBe('yours')

    const other = await fakeHost({ dht: owner.dht })
    expect(await checkName(other.components, { label: 'alice', tld: 'home' })).toBe('taken')
    expect(other.blockstore.puts).toBe(0)
    expect(await other.store.listSites()).toEqual([])
  })

  it('refuses a label that breaks the name rules', async () => {
    const host = await fakeHost()
    await expect(checkName(host.components, { label: 'Not Valid', tld: 'home' })).rejects.toMatchObject({ name: 'InvalidNameError' })
  })
})

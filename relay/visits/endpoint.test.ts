import { createServer } from 'node:http'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answerVisits, VISITS_PATH } from './endpoint.js'
import { VisitCounter } from './counter.js'
import { SiteVisits } from './site-visits.js'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'

const counter = new VisitCounter({ datastore: new MemoryDatastore() })
const visits = new SiteVisits({
  counter,
  isRegistered: async name => name !== 'nobody.wia.home',
  local: new MemoryBlockstore(),
  network: { has: async () => false, async * get () { yield new Uint8Array() } }
}, { gatewaySuffix: 'localhost' })

let server: Server
let base = ''

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    answerVisits(req.method ?? 'GET', res, url, (name, hosts) => visits.report(name, hosts))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${VISITS_PATH}`
})

afterAll(async () => {
  await new Promise(resolve => server.close(resolve))
})

describe('GET /_wia/visits/<name>', () => {
  it('answers 30 days of counts, readable from any origin, never cached', async () => {
    await visits.visit('alice.wia.home')
    await visits.visit('nobody.wia.home')
    counter.served('alice.wia.home', { from: 'peer', peer: 'host-peer' }, 10)
    const res = await fetch(`${base}alice.wia.home?host=host-peer`)
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = await res.json() as { name: string, days: Array<{ visits: number, served: { host: number } }> }
    expect(body.name).toBe('alice.wia.home')
    expect(body.days).toHaveLength(30)
    expect(body.days.at(-1)).toMatchObject({ visits: 1, served: { host: 10, cache: 0, peers: 0 } })
  })

  it('counts nothing for a name without a valid record', async () => {
    const body = await (await fetch(`${base}nobody.wia.home`)).json() as { days: Array<{ visits: number }> }
    expect(body.days.every(day => day.visits === 0)).toBe(true)
  })

  it('refuses a malformed name (400), too many hosts (400) and other methods (405)', async () => {
    expect((await fetch(`${base}not%20a%20name`)).status).toBe(400)
    expect((await fetch(`${base}alice.wia.home?${Array.from({ length: 9 }, (_, i) => `host=p${i}`).join('&')}`)).status).toBe(400)
    expect((await fetch(`${base}alice.wia.home`, { method: 'POST' })).status).toBe(405)
    expect((await fetch(`${base}alice.wia.home`, { method: 'OPTIONS' })).status).toBe(204)
  })
})

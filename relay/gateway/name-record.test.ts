import { afterEach, describe, expect, it } from 'vitest'
import { NameNotFoundError } from '../../src/naming/index.js'
import { gatewayComponents, startGateway } from './fixtures.js'
import type { RunningGateway } from './fixtures.js'
import type { GatewayBlockstore } from './blockstore.js'
import type { GetNameRecord } from './name-record.js'

const RECORD = new Uint8Array([0xa1, 0x61, 0x76, 0x01, 1, 2, 3])
const running: RunningGateway[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map(async gateway => { await gateway.close() }))
})

/** A gateway whose name records come from `getRecord`; no blocks. */
async function gatewayWith (getRecord: GetNameRecord, nameLookupTimeoutMs?: number): Promise<string> {
  const helia = { blockstore: {} as unknown as GatewayBlockstore, getCodec: () => { throw new Error('no codecs') } }
  const gateway = await startGateway(nameLookupTimeoutMs == null ? {} : { nameLookupTimeoutMs }, await gatewayComponents(helia, { getRecord }))
  running.push(gateway)
  return gateway.origin
}

describe('GET /_wia/name/<name>', () => {
  it('answers the record bytes as stored, with their type and a short max-age', async () => {
    const asked: string[] = []
    const origin = await gatewayWith(async name => { asked.push(name); return RECORD })
    const response = await fetch(`${origin}/_wia/name/alice.wia.home`)
    expect(response.status).toBe(200)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(RECORD)
    expect(response.headers.get('content-type')).toBe('application/vnd.wia.name-record')
    expect(response.headers.get('content-length')).toBe(String(RECORD.byteLength))
    expect(response.headers.get('cache-control')).toBe('public, max-age=15')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(asked).toEqual(['alice.wia.home'])

    const head = await fetch(`${origin}/_wia/name/alice.wia.home`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(String(RECORD.byteLength))
    expect((await head.arrayBuffer()).byteLength).toBe(0)
  })

  it('answers 404 when there is no record, whether getRecord says undefined or throws NameNotFoundError', async () => {
    for (const getRecord of [async () => undefined, async () => { throw new NameNotFoundError('none') }]) {
      const response = await fetch(`${await gatewayWith(getRecord)}/_wia/name/bob.wia.blog`)
      expect(response.status).toBe(404)
      expect(response.headers.get('cache-control')).toBe('public, max-age=5')
      expect(await response.text()).toContain('NameNotFoundError')
    }
  })

  it('answers 400 for an invalid name without looking it up', async () => {
    let lookups = 0
    const origin = await gatewayWith(async () => { lookups++; return RECORD })
    for (const name of ['Alice.wia.home', 'alice.wia.com', 'alice', 'xn--80ak6aa92e.wia.home', '%E0%A4%A']) {
      expect((await fetch(`${origin}/_wia/name/${name}`)).status, name).toBe(400)
    }
    expect(lookups).toBe(0)
  })

  it('answers 504 when the lookup outlasts its bound, even if it ignores its signal', async () => {
    let aborted = false
    const origin = await gatewayWith(async (_name, { signal }) => {
      signal?.addEventListener('abort', () => { aborted = true })
      return await new Promise<Uint8Array>(() => {})
    }, 150)
    const started = Date.now()
    const response = await fetch(`${origin}/_wia/name/alice.wia.home`)
    expect(response.status).toBe(504)
    expect(response.headers.get('retry-after')).toBe('10')
    expect(Date.now() - started).toBeLessThan(2000)
    expect(aborted).toBe(true)
  })

  it('refuses to serve a record over 2048 bytes (502), and says 500 for a failed lookup', async () => {
    expect((await fetch(`${await gatewayWith(async () => new Uint8Array(2049))}/_wia/name/alice.wia.home`)).status).toBe(502)
    expect((await fetch(`${await gatewayWith(async () => { throw new Error('dht broke') })}/_wia/name/alice.wia.home`)).status).toBe(500)
  })
})

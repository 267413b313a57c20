import { randomBytes } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { expect, test } from '@playwright/test'
import { MAX_NETWORK_FETCHES } from '../relay/gateway/constants.js'
import { startNodePeer } from './support/node-peer.js'
import { OTHER_CLIENT_ADDRESS, plainGet } from './support/plain-http.js'
import { TEST_POW_BITS, startRelay } from './support/relay-process.js'
import { uniqueLabel } from './support/site.js'
import { randomRawCid } from '../test/fixtures/blocks.js'
import type { SiteFile } from '../src/content/index.js'
import type { NodePeer } from './support/node-peer.js'

/** Requests the flooding client keeps in flight: more than the relay fetches at once. */
const FLOOD_REQUESTS = MAX_NETWORK_FETCHES + 64

/** `GET /ipfs/<cid of random bytes>?format=raw` on the relay's app origin from `localAddress`: a block nobody has, which the relay looks for until its first-byte bound (30 s). */
async function askForBlockNobodyHas (port: number, signal: AbortSignal, localAddress: string): ReturnType<typeof plainGet> {
  const cid = await randomRawCid()
  return await plainGet('localhost', `/ipfs/${cid.toString()}?format=raw`, { accept: 'application/vnd.ipld.raw' }, port, signal, localAddress)
}

/** Wait until the flooding client's next request is refused at once (504 with `Retry-After`): every fetch slot of the relay is taken. */
async function expectFloodRefused (port: number): Promise<void> {
  await expect.poll(async () => {
    const answer = await askForBlockNobodyHas(port, AbortSignal.timeout(2_000), OTHER_CLIENT_ADDRESS).catch(() => undefined)
    return answer == null ? 'no answer within 2 s' : `${answer.status} ${answer.headers['retry-after'] == null ? '' : 'Retry-After'}`
  }, { timeout: 20_000 }).toBe('504 Retry-After')
}

test("a client flooding a relay with requests for blocks nobody has takes only its share of the relay's fetches: another client still gets a site only its host holds", async () => {
  test.setTimeout(120_000)
  // no relay cache: every block of the site is fetched from its host
  const relay = await startRelay({ extraArgs: ['--pow-bits', String(TEST_POW_BITS), '--cache-size', '0'] })
  const flood = new AbortController()
  // one signal for every request of the flood
  setMaxListeners(Infinity, flood.signal)
  const peers: NodePeer[] = []
  try {
    const host = await startNodePeer(relay.relayAddrs[0]!)
    peers.push(host)
    const files = Array.from({ length: 8 }, (_, i) => ({ path: `part-${i}.bin`, bytes: new Uint8Array(randomBytes(300_000)) }))
    const site = await host.publishSite(uniqueLabel('fair'), files.map(({ path, bytes }): SiteFile => ({ path, size: bytes.byteLength, content: async function * () { yield bytes } })))

    // the flood: a request answered is sent again (0.1 s after a refusal, so the flood does not spin the machine's two cores), until the test ends
    const flooding = Array.from({ length: FLOOD_REQUESTS }, async () => {
      while (!flood.signal.aborted) {
        const answer = await askForBlockNobodyHas(relay.httpPort, flood.signal, OTHER_CLIENT_ADDRESS).catch(() => undefined)
        if (answer?.status === 504) await new Promise(resolve => setTimeout(resolve, 100))
      }
    })
    // every fetch slot is the flood's: its next request is refused at once, 504 with Retry-After
    await expectFloodRefused(relay.httpPort)

    // another client reads every file of the site, whose blocks only the host holds
    for (const { path, bytes } of files) {
      const answer = await plainGet(`${site.name}.localhost`, `/${path}`, {}, relay.httpPort)
      expect(answer.status, path).toBe(200)
      expect(answer.body.equals(bytes), path).toBe(true)
    }
    // and the bound held throughout: the flood is refused past it again
    await expectFloodRefused(relay.httpPort)
    flood.abort()
    await Promise.all(flooding)
  } finally {
    flood.abort()
    await Promise.all(peers.map(async peer => peer.stop()))
    await relay.stop()
  }
})

import '../../relay/polyfills.js'
import { unixfs } from '@helia/unixfs'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryBlockstore } from 'blockstore-core'
import { MemoryDatastore } from 'datastore-core'
import drain from 'it-drain'
import { concat } from 'uint8arrays'
import { TEST_POW_BITS } from './relay-process.js'
import { askToKeep, reportVisit } from '../../src/cache/index.js'
import { importSite } from '../../src/content/index.js'
import { createNameRecord, createNameRecordValidator, encodeNameRecord, putNameRecord, resolveNameRecord, solveProofOfWork } from '../../src/naming/index.js'
import { createWiaHelia, waitForDHTPeer, wiaDHT, wiaPing, wiaYamux } from '../../src/node/index.js'
import type { KeptCopy } from '../../src/cache/index.js'
import type { NameRecord, ProofOfWork } from '../../src/naming/index.js'
import type { SiteFile } from '../../src/content/index.js'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import type { Identify } from '@libp2p/identify'
import type { PrivateKey } from '@libp2p/interface'
import type { SingleKadDHT } from '@libp2p/kad-dht'
import type { Ping } from '@libp2p/ping'
import type { CID } from 'multiformats/cid'

/** A memory blockstore that, once told to, hands out every block with one byte flipped; it keeps the CIDs it was asked whether it holds. */
class TamperingBlockstore extends MemoryBlockstore {
  tampering = false
  /** Blocks handed out altered (to bitswap, i.e. to peers that asked). */
  tamperedServed = 0
  /** CIDs asked of `has`, in order: bitswap asks so for each want a peer sends. */
  readonly asked: string[] = []

  override async has (key: CID, options?: Parameters<MemoryBlockstore['has']>[1]): Promise<boolean> {
    this.asked.push(key.toString())
    return super.has(key, options)
  }

  override async * get (key: CID, options?: Parameters<MemoryBlockstore['get']>[1]): AsyncGenerator<Uint8Array> {
    const chunks: Uint8Array[] = []
    for await (const chunk of super.get(key, options)) chunks.push(chunk)
    const bytes = concat(chunks)
    if (this.tampering && bytes.byteLength > 0) {
      bytes[bytes.byteLength >> 1] = bytes[bytes.byteLength >> 1]! ^ 0xff
      this.tamperedServed++
    }
    yield bytes
  }
}

/** A site version this peer published. */
export interface PublishedSite {
  name: string
  root: CID
  /** The signed name record as put into the DHT (`encodeNameRecord`). */
  record: Uint8Array
}

export interface NodePeer {
  /** Register `<label>.wia.home` under a fresh key and publish `files` (as the app does, without a browser). */
  publishSite(label: string, files: SiteFile[]): Promise<PublishedSite>
  /** Publish `files` as the next version of a name this peer registered (the next `seq`, the same key and proof of work). */
  updateSite(name: string, files: SiteFile[]): Promise<PublishedSite>
  /** Register `<label>.wia.home` for `root` without holding its blocks: a name whose site nobody serves. */
  registerHollow(label: string, root: CID): Promise<PublishedSite>
  /**
   * Ask for `cids` over bitswap (this peer's Helia: wants sent to every
   * connected peer, the relay among them, and a provider lookup each) until
   * `signal` aborts; returns how many arrived.
   */
  wantBlocks(cids: CID[], options: { signal: AbortSignal }): Promise<number>
  /** Dial the relay again after it restarted (the app's reservation keeper does so when a relay comes back). */
  reconnect(): Promise<void>
  /** Ask the relay (or another relay, by multiaddr with `/p2p/`) to keep `name` (the cache protocol's `keep`). */
  askRelayToKeep(name: string, relay?: string): Promise<KeptCopy>
  /** Report one visit of `name` to the relay. */
  reportVisit(name: string): Promise<void>
  /** Fetch `name`'s current site whole (honestly); returns its root. */
  copySite(name: string): Promise<CID>
  /** From now on serve every block altered, and announce `root` in the DHT. */
  startTampering(root: CID): Promise<void>
  /** Blocks it served altered so far. */
  tamperedServed(): number
  /** The CIDs its store was asked whether it holds (each want a peer sent it, and its own reads), in order. */
  askedFor(): string[]
  stop(): Promise<void>
}

/**
 * A Node.js peer for tests, built from the project's own pieces (the WIA DHT,
 * the shared Helia composition, the naming and content modules): it can
 * publish sites like the app, talk the cache protocol like a visitor, and
 * turn into a malicious caching peer that serves altered blocks. It listens
 * on WebSockets on loopback so visitors can dial it directly.
 */
export async function startNodePeer (relay: string): Promise<NodePeer> {
  const blockstore = new TamperingBlockstore()
  const helia: HeliaWithLibp2p<{ identify: Identify, ping: Ping, dht: SingleKadDHT }> = await createWiaHelia({
    blockstore,
    datastore: new MemoryDatastore(),
    libp2p: {
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] },
      transports: [webSockets(), circuitRelayTransport()],
      connectionEncrypters: [noise()],
      streamMuxers: [wiaYamux()],
      services: {
        identify: identify(),
        ping: wiaPing(),
        dht: wiaDHT({ clientMode: true, allowLocal: true, validate: createNameRecordValidator({ minPowBits: TEST_POW_BITS }) })
      }
    }
  })
  const relayAddr = multiaddr(relay)
  await helia.libp2p.dial(relayAddr)
  await waitForDHTPeer(helia.libp2p.services.dht)
  // the latest record of every name this peer registered (its key and proof of work go into updates)
  const owned = new Map<string, { record: NameRecord, privateKey: PrivateKey }>()
  const putRecord = async (name: string, root: CID, seq: number, privateKey: PrivateKey, proof: ProofOfWork): Promise<PublishedSite> => {
    const record = await createNameRecord({ name, root, seq, proof, privateKey })
    await putNameRecord(helia.libp2p.services.dht, record, { signal: AbortSignal.timeout(30_000) })
    owned.set(name, { record, privateKey })
    return { name, root, record: encodeNameRecord(record) }
  }
  const publish = async (name: string, files: SiteFile[], seq: number, privateKey: PrivateKey, proof: ProofOfWork): Promise<PublishedSite> => {
    const { root } = await importSite(unixfs(helia), files)
    await helia.routing.provide(root, { signal: AbortSignal.timeout(30_000) })
    return await putRecord(name, root, seq, privateKey, proof)
  }
  const register = async (label: string, first: (name: string, privateKey: PrivateKey, proof: ProofOfWork) => Promise<PublishedSite>): Promise<PublishedSite> => {
    const name = `${label}.wia.home`
    const privateKey = await generateKeyPair('Ed25519')
    return await first(name, privateKey, await solveProofOfWork({ name, publicKey: publicKeyToProtobuf(privateKey.publicKey), bits: TEST_POW_BITS }))
  }
  return {
    async publishSite (label, files) {
      return await register(label, async (name, privateKey, proof) => publish(name, files, 0, privateKey, proof))
    },
    async registerHollow (label, root) {
      return await register(label, async (name, privateKey, proof) => putRecord(name, root, 0, privateKey, proof))
    },
    async wantBlocks (cids, { signal }) {
      const arrived = await Promise.all(cids.map(async cid => {
        try {
          await drain(helia.blockstore.get(cid, { signal }))
          return 1
        } catch {
          return 0
        }
      }))
      return arrived.reduce<number>((sum, n) => sum + n, 0)
    },
    async updateSite (name, files) {
      const latest = owned.get(name)
      if (latest == null) {
        throw new Error(`this peer did not register ${name}`)
      }
      return await publish(name, files, latest.record.seq + 1, latest.privateKey, latest.record.proof)
    },
    async askRelayToKeep (name, relay) {
      return askToKeep(helia.libp2p, relay == null ? relayAddr : multiaddr(relay), name, { signal: AbortSignal.timeout(60_000) })
    },
    async reportVisit (name) {
      await reportVisit(helia.libp2p, relayAddr, name)
    },
    async reconnect () {
      await helia.libp2p.dial(relayAddr, { signal: AbortSignal.timeout(30_000) })
    },
    async copySite (name) {
      const { record } = await resolveNameRecord(helia.libp2p.services.dht, name, { minPowBits: TEST_POW_BITS, signal: AbortSignal.timeout(30_000) })
      await drain(helia.pins.add(record.root, { signal: AbortSignal.timeout(60_000) }))
      return record.root
    },
    async startTampering (root) {
      blockstore.tampering = true
      await helia.routing.provide(root, { signal: AbortSignal.timeout(30_000) })
    },
    tamperedServed: () => blockstore.tamperedServed,
    askedFor: () => [...blockstore.asked],
    async stop () { await helia.stop() }
  }
}

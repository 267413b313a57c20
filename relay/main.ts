import './polyfills.js'
import { once } from 'node:events'
import { join } from 'node:path'
import { logger } from '@libp2p/logger'
import { LevelBlockstore } from 'blockstore-level'
import { LevelDatastore } from 'datastore-level'
import { DemandCounter, SiteCache } from '../src/cache/index.js'
import { decodeNameRecord, resolveNameRecord } from '../src/naming/index.js'
import { createWiaHelia } from '../src/node/index.js'
import { CacheService } from './cache-service.js'
import { readConfig } from './config.js'
import { createHttpServer } from './http.js'
import { loadOrCreateRelayKey } from './identity.js'
import { relayLibp2pOptions } from './libp2p.js'
import { startRecordKeeper } from './record-keeper.js'
import { NameRegistry } from './registry.js'
import type { CID } from 'multiformats/cid'

const log = logger('wia:relay')

/**
 * `npm start`: one local relay (libp2p over WebSockets, circuit relay v2 server,
 * WIA DHT server, a Helia node whose bounded block cache keeps sites) and the
 * HTTP server for the app and site origins.
 */
async function main (): Promise<void> {
  const config = readConfig(process.argv.slice(2), process.env)
  const datastore = new LevelDatastore(join(config.dataDir, 'datastore'))
  await datastore.open()
  const blockstore = new LevelBlockstore(join(config.dataDir, 'blocks'))
  await blockstore.open()
  const registry = new NameRegistry({ datastore, minPowBits: config.powBits })
  const helia = await createWiaHelia({
    blockstore,
    datastore,
    libp2p: relayLibp2pOptions({
      privateKey: await loadOrCreateRelayKey(config.dataDir),
      host: config.host,
      port: config.relayPort,
      maxReservations: config.maxReservations,
      datastore,
      validate: registry.validate,
      bootstrap: config.bootstrap
    })
  })
  const node = helia.libp2p
  const relayAddrs = node.getMultiaddrs().map(ma => ma.toString())
  const stopRecordKeeper = startRecordKeeper({ dht: node.services.dht, registry })

  const cache = new SiteCache({ helia }, { maxBytes: config.cacheSize })
  const keptSites = await cache.start()
  const currentRoot = async (name: string, signal: AbortSignal): Promise<CID> => {
    const stored = await registry.get(name)
    if (stored?.bytes != null && stored.expires > Date.now()) {
      return decodeNameRecord(stored.bytes).root
    }
    const { record } = await resolveNameRecord(node.services.dht, name, { signal, minPowBits: config.powBits })
    return record.root
  }
  const cacheService = new CacheService({ libp2p: node, cache, demand: new DemandCounter(), currentRoot }, { hotVisits: config.hotVisits })
  if (config.cacheSize > 0) {
    // a relay without a cache does not speak the cache protocol: owners see it keeps no copy
    await cacheService.start()
  }

  const server = createHttpServer({
    appDir: config.appDir,
    gatewaySuffix: config.gatewaySuffix,
    clientConfig: () => ({
      relays: [...relayAddrs, ...config.extraRelays],
      gatewaySuffix: config.gatewaySuffix,
      allowLocal: true,
      powBits: config.powBits,
      ...(config.hostIdleMs == null ? {} : { hostIdleMs: config.hostIdleMs })
    }),
    cacheStatus: async () => {
      const sites = await cache.list()
      return {
        maxBytes: config.cacheSize,
        usedBytes: sites.reduce((sum, site) => sum + site.bytes, 0),
        sites: sites.map(site => ({ name: site.name, root: site.root.toString(), bytes: site.bytes, demand: site.demand }))
      }
    }
  })
  server.listen(config.httpPort, config.host)
  await once(server, 'listening')
  const address = server.address()
  const httpPort = typeof address === 'object' && address != null ? address.port : config.httpPort
  const appHost = config.host === '127.0.0.1' ? 'localhost' : config.host

  // Machine-readable lines first (tests and scripts read them), then the human summary.
  console.log(`relay: ${relayAddrs.join(' ')}`)
  console.log(`app: http://${appHost}:${httpPort}/`)
  console.log(`\nwia-home is running.\n  Open the app:  http://${appHost}:${httpPort}/\n  Sites open at: http://<name>.wia.<tld>.${config.gatewaySuffix}:${httpPort}/\n  Relay:         ${relayAddrs.join(', ')}\n`)
  log('relay started with PeerId %p; %d sites in its cache', node.peerId, keptSites)

  const stop = async (): Promise<void> => {
    stopRecordKeeper()
    server.close()
    server.closeAllConnections()
    await cacheService.stop()
    await helia.stop()
    await blockstore.close()
    await datastore.close()
    process.exit(0)
  }
  process.once('SIGINT', () => { void stop() })
  process.once('SIGTERM', () => { void stop() })
}

main().catch(err => {
  console.error('wia-home relay failed to start:', err)
  process.exit(1)
})

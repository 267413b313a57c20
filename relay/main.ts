import './polyfills.js'
import { join } from 'node:path'
import { logger } from '@libp2p/logger'
import { LevelBlockstore } from 'blockstore-level'
import { LevelDatastore } from 'datastore-level'
import { DemandCounter, releaseOrphanedPins, SiteCache } from '../src/cache/index.js'
import { encodeNameRecord, isUnpublished, resolveNameRecord, siteRoot } from '../src/naming/index.js'
import { createWiaHelia } from '../src/node/index.js'
import { CheckedBlockstore } from '../src/trustless/index.js'
import { CacheService } from './cache-service.js'
import { clientKeyOf } from './client-address.js'
import { createTestClock, installClock, REAL_CLOCK } from './clock.js'
import { PROXY_PUBLIC_PORT, readConfig } from './config.js'
import { Registry } from 'prom-client'
import { CustomDomainService } from './custom-domain-service.js'
import { createAcmeCertificates, createCustomDomains } from './domains/index.js'
import { boundedFetches, createGatewayHandler, forClient, forKeeping, httpMultiaddr, localFirst, MAX_NETWORK_FETCHES, NAME_LOOKUP_TIMEOUT_MS, onFetched, ProviderSessions, sharedFetches, SiteWarmup, underRoot } from './gateway/index.js'
import type { GatewayComponents } from './gateway/index.js'
import { relayHealth } from './health.js'
import { otherRelayGateways } from './relay-gateways.js'
import { serveSiteContent } from './site-content.js'
import { loadOrCreateRelayKey } from './identity.js'
import { relayLibp2pOptions } from './libp2p.js'
import { createOperatorLog } from './log.js'
import { startRecordKeeper } from './record-keeper.js'
import { NameRegistry, RECORD_STORED_EVENT } from './registry.js'
import { HotBlocks } from './hot-blocks.js'
import { LingeringBlocks } from './lingering-blocks.js'
import { RecentChecks } from './recent-checks.js'
import { freeReservationsOnDisconnect } from './reservations.js'
import { compactable, StoreCompaction } from './store-compaction.js'
import type { NameRecord } from '../src/naming/index.js'
import { startRelayServers } from './servers.js'
import { SiteVisits, VisitCounter } from './visits/index.js'
import type { CID } from 'multiformats/cid'

const log = logger('wia:relay')

/**
 * `npm start`: one relay (libp2p over WebSockets, circuit relay v2 server,
 * WIA DHT server, a Helia node whose bounded block cache keeps sites) and the
 * HTTP server for the app and site origins; with `--public-domain` a public
 * relay on HTTPS (README "Run a public relay").
 */
async function main (): Promise<void> {
  const config = readConfig(process.argv.slice(2), process.env)
  // test-only (refused in public mode): every component, and the libraries, read this clock from here on
  const clock = config.testClock == null ? REAL_CLOCK : createTestClock(config.testClock)
  if (config.testClock != null) {
    installClock(clock)
  }
  const startedAt = Date.now()
  const operatorLog = createOperatorLog()
  if (config.testClock != null) {
    operatorLog.warn({ event: 'clock.simulated', ...config.testClock }, 'TEST CLOCK: this relay runs on a simulated clock, not the real time')
  }
  const metricsRegistry = new Registry()
  const datastore = new LevelDatastore(join(config.dataDir, 'datastore'))
  await datastore.open()
  const blockstore = new LevelBlockstore(join(config.dataDir, 'blocks'))
  await blockstore.open()
  // every block read from disk is hashed again (unless checked in the last minutes): one that changed is dropped and fetched from peers, never served
  const checkedBlockstore = new CheckedBlockstore(blockstore, {
    onCorrupt: cid => { operatorLog.warn({ event: 'block.corrupt', cid: cid.toString() }, 'a stored block failed its hash check and was dropped') },
    checked: new RecentChecks()
  })
  const registry = new NameRegistry({ datastore, minPowBits: config.powBits })
  const caching = config.cacheSize > 0
  // a relay without a cache holds the blocks it fetches for visitors in memory for seconds, never on disk
  const lingering = caching ? undefined : new LingeringBlocks(checkedBlockstore)
  const helia = await createWiaHelia({
    blockstore: lingering ?? checkedBlockstore,
    datastore,
    libp2p: relayLibp2pOptions({
      privateKey: await loadOrCreateRelayKey(config.dataDir),
      // public mode: libp2p's WebSocket listener stays on loopback, reached through the HTTPS port
      host: config.public == null ? config.host : '127.0.0.1',
      port: config.relayPort,
      announce: config.public == null
        ? []
        : (config.public.announce.length > 0 ? config.public.announce : [`/dns4/${config.public.domain}/tcp/${config.public.tls.mode === 'own' ? config.httpPort : PROXY_PUBLIC_PORT}/tls/ws`]),
      allowLocal: config.public == null,
      metricsRegistry,
      dataDir: config.dataDir,
      maxReservations: config.maxReservations,
      datastore,
      validate: registry.validate,
      bootstrap: config.bootstrap
    })
  })
  const node = helia.libp2p
  const relayAddrs = node.getMultiaddrs().map(ma => ma.toString())
  const stopRecordKeeper = startRecordKeeper({ dht: node.services.dht, registry, clock }, count => {
    operatorLog.info({ event: 'records.refreshed', count }, 'name records put into the DHT again')
  })

  // evicted sites' blocks leave LevelDB's tables (on disk and mapped in memory) only when compacted
  const compaction = new StoreCompaction(compactable(blockstore.db), {
    onError: err => { operatorLog.warn({ event: 'store.compaction-failed', err: err.message }, 'compacting the block store failed') }
  })
  // a block the relay lacks, read for a CAR, a warm-up or a site the cache keeps, is asked of its root's
  // providers, not of every peer connected (so the hosts on the relay do not hear of other sites)
  const providerBlocks = new ProviderSessions({
    blockstore: helia.blockstore,
    findProviders: (cid, options) => node.contentRouting.findProviders(cid, options),
    self: node.peerId
  })
  // blocks the relay keeps are read straight from its (checked) store; Helia is asked for the rest
  // blocks the relay lacks are fetched from peers a bounded number at a time (README "Limits and threat model")
  // a relay without a cache keeps the blocks it fetches for visitors only for seconds, in memory (LingeringBlocks);
  // a caching relay collects them with its dropped sites' blocks (docs/caching.md "Bounds and eviction")
  const visitorBlocks = caching
    ? onFetched(providerBlocks, blockstore, (_cid, bytes) => { cache.addVisitorBlocks(bytes) })
    : providerBlocks
  // the relay's fetches from peers are shared fairly between the clients asking (by address, an IPv6 client by its /64)
  const clientOf = clientKeyOf(config.public?.tls.mode === 'proxy' ? config.public.tls.trustedProxies : undefined)
  // requests that want one block at the same time share its fetch (a bitswap race stalled the later one):
  // visitors' requests, the sites warmed up for them and the sites the cache keeps
  const networkBlocks = sharedFetches(boundedFetches(visitorBlocks, MAX_NETWORK_FETCHES))
  const keptBlocks = forKeeping(localFirst(checkedBlockstore, networkBlocks))
  const cache = new SiteCache({ helia, blocksOf: root => underRoot(keptBlocks, root) }, { maxBytes: config.cacheSize, onCollected: () => { compaction.request() } })
  // a relay killed while pinning a site left its blocks held by a pin that never was: release them before anything pins
  const releasedBlocks = await releaseOrphanedPins(helia)
  if (releasedBlocks > 0) {
    operatorLog.info({ event: 'pins.repaired', blocks: releasedBlocks }, 'blocks held for a site whose pinning was cut short are released')
    await helia.gc()
  }
  const keptSites = await cache.start()
  // the best valid record this relay knows of a name: its registry first, else the DHT (verified)
  const dhtRecord = async (name: string, signal?: AbortSignal): Promise<NameRecord> => (await resolveNameRecord(node.services.dht, name, { signal, minPowBits: config.powBits })).record
  const currentRecordBytes = async (name: string, signal?: AbortSignal): Promise<Uint8Array> => (await registry.current(name))?.bytes ?? encodeNameRecord(await dhtRecord(name, signal))
  // the root of a name's record in this relay's registry (no DHT lookup), if it holds a valid one
  const registryRoot = async (name: string): Promise<CID | undefined> => {
    const current = await registry.current(name)
    return current == null ? undefined : siteRoot(current.record)
  }
  // both throw SiteUnpublishedError for an unpublished name: the cache drops it, plain HTTP clients get 410
  const currentRoot = async (name: string, signal: AbortSignal): Promise<CID> => (await registryRoot(name)) ?? siteRoot(await dhtRecord(name, signal))
  // a name with a valid record (registry first, else the DHT), unpublished or not: visits are counted
  // for it, and its custom domain keeps its certificate and shows the 410 page
  const isRegistered = async (name: string, signal: AbortSignal = AbortSignal.timeout(NAME_LOOKUP_TIMEOUT_MS)): Promise<boolean> => {
    try {
      await currentRecordBytes(name, signal)
      return true
    } catch {
      return false
    }
  }
  const cacheService = new CacheService({ libp2p: node, cache, demand: new DemandCounter(), currentRoot }, { hotVisits: config.hotVisits })
  registry.addEventListener(RECORD_STORED_EVENT, event => {
    const record = (event as CustomEvent<NameRecord>).detail
    if (isUnpublished(record)) {
      operatorLog.info({ event: 'name.unpublished', name: record.name, seq: record.seq }, 'a site was unpublished by its owner')
      cacheService.forget(record.name).catch(err => { log.error('dropping unpublished %s failed - %e', record.name, err) })
    }
  })
  if (config.cacheSize > 0) {
    // a relay without a cache does not speak the cache protocol: owners see it keeps no copy
    await cacheService.start()
  }

  const cacheUse = async (): Promise<{ maxBytes: number, usedBytes: number, sites: Awaited<ReturnType<SiteCache['list']>> }> => {
    const sites = await cache.list()
    return { maxBytes: config.cacheSize, usedBytes: sites.reduce((sum, site) => sum + site.bytes, 0), sites }
  }
  const customDomains = config.public?.customDomains === true
    ? new CustomDomainService({
      domains: createCustomDomains({ relayDomains: [config.public.domain] }),
      relayHost: config.public.domain,
      // behind a proxy the proxy orders custom domains' certificates (it can ask /_wia/domain-check first)
      ...(config.public.tls.mode === 'proxy'
        ? {}
        : {
            certificates: createAcmeCertificates({
              directoryUrl: config.public.acmeDirectory,
              dataDir: join(config.dataDir, 'acme'),
              termsOfServiceAgreed: true,
              ...(config.public.acmeEmail == null ? {} : { email: config.public.acmeEmail })
            })
          }),
      isRegistered,
      log: operatorLog
    })
    : undefined
  // what visitors' workers fetch over HTTP (docs/http.md): the best valid record
  // this relay knows (its registry first, else the DHT), and blocks from its Helia
  // the blocks served last stay in memory, so a site its visitors open is not read and hashed again per request
  const localBlocks = lingering ?? new HotBlocks(checkedBlockstore)
  const gatewayBlocks = localFirst(localBlocks, networkBlocks)
  // a small site is fetched whole once a visitor's worker asks for its first page, before it asks for the rest
  const warmup = new SiteWarmup({ local: localBlocks, network: networkBlocks })
  // visits per site and day, and the bytes served for each site by where they came from (README "Visits")
  const visitCounter = new VisitCounter({ datastore })
  await visitCounter.start()
  const visits = new SiteVisits({ counter: visitCounter, isRegistered, local: localBlocks, network: networkBlocks, storedFrom: cid => warmup.storedFrom(cid) }, { gatewaySuffix: config.gatewaySuffix })
  const gatewayComponents: GatewayComponents = {
    helia: { blockstore: gatewayBlocks, getCodec: helia.getCodec },
    libp2p: node,
    getRecord: async (name, { signal }) => await currentRecordBytes(name, signal),
    findProviders: (cid, options) => node.contentRouting.findProviders(cid, options),
    blockstoreFor: (req, res) => {
      const site = visits.siteOf(req)
      return forClient(site == null ? gatewayBlocks : visits.blockstoreFor(site, res), clientOf(req))
    },
    warmSite: (req, root) => {
      if (visits.siteOf(req) != null) {
        void warmup.warm(root)
      }
    },
    siteRootFor: async req => {
      const site = visits.siteOf(req)
      return site == null ? undefined : await registryRoot(site).catch(() => undefined)
    }
  }
  // one page load: a worker's visit report, or a page the relay served itself to a plain HTTP client;
  // both count as demand, so a site its visitors load is not pushed out of the cache by sites nobody loads
  const countVisit = async (name: string): Promise<void> => {
    await visits.visit(name)
    if (config.cacheSize > 0) {
      await cacheService.answer({ op: 'visit', name })
    }
  }
  let appUrl = ''
  const gatewayInit = { httpAddrs: () => [httpMultiaddr(appUrl)] }
  const gateway = {
    site: createGatewayHandler(gatewayInit, gatewayComponents),
    app: createGatewayHandler({ ...gatewayInit, standardPaths: true, passNonTrustless: true }, gatewayComponents)
  }
  const servers = await startRelayServers({
    config,
    log: operatorLog,
    ...(customDomains == null || config.public?.tls.mode !== 'own' ? {} : { foreignHosts: customDomains }),
    upgrade: (req, socket, head) => { node.services.ingress.handleUpgrade(req, socket, head) },
    http: {
      gateway,
      siteContent: async (req, res, name, url) => {
        await serveSiteContent(req, res, name, url, { blockstore: forClient(visits.blockstoreFor(name, res), clientOf(req)), currentRoot, countPage: () => { void countVisit(name).catch(() => {}) } })
      },
      bootstrapRoot: registryRoot,
      // a browser opening a site: the relay fetches a small one from its host while the worker installs
      warmSite: root => { void warmup.warm(root) },
      appDir: config.appDir,
      gatewaySuffix: config.gatewaySuffix,
      clientConfig: () => ({
        relays: [...relayAddrs, ...config.extraRelays],
        gatewaySuffix: config.gatewaySuffix,
        allowLocal: config.public == null,
        powBits: config.powBits,
        ...(config.hostIdleMs == null ? {} : { hostIdleMs: config.hostIdleMs }),
        ...(customDomains == null || config.public == null ? {} : { customDomainTarget: config.public.domain }),
        gateways: otherRelayGateways(config.relayGateways, config.extraRelays)
      }),
      cacheStatus: async () => {
        const { sites, ...use } = await cacheUse()
        return { ...use, sites: sites.map(site => ({ name: site.name, root: site.root.toString(), bytes: site.bytes, demand: site.demand })) }
      },
      health: async () => await relayHealth({
        libp2p: node,
        mode: config.public == null ? 'local' : 'public',
        maxReservations: config.maxReservations,
        startedAt,
        dataDir: config.dataDir,
        cache: async () => {
          const { sites, ...use } = await cacheUse()
          return { ...use, sites: sites.length }
        },
        ...(servers?.certificates == null ? {} : { certificate: () => servers.certificates!.current })
      }),
      visit: countVisit,
      visitReport: (name, hosts) => visits.report(name, hosts),
      metrics: async () => ({ contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() }),
      ...(customDomains == null || config.public == null
        ? {}
        : { customDomains: { appHost: config.public.domain, service: customDomains } })
    }
  })
  appUrl = servers.appUrl
  node.addEventListener('peer:connect', event => {
    // the address libp2p applies its per-IP limits to (behind a proxy: the client the proxy names)
    const remoteAddr = node.getConnections(event.detail)[0]?.remoteAddr.toString()
    operatorLog.debug({ event: 'peer.connect', peer: event.detail.toString(), remoteAddr }, 'peer connected')
  })
  freeReservationsOnDisconnect(node)
  node.addEventListener('peer:disconnect', event => {
    operatorLog.debug({ event: 'peer.disconnect', peer: event.detail.toString() }, 'peer disconnected')
    providerBlocks.providerLeft(event.detail)
  })

  // Machine-readable lines first (tests and scripts read them), then the human summary.
  const sitesAt = config.public == null
    ? `http://<name>.wia.<tld>.${config.gatewaySuffix}:${servers.port}/`
    : `${servers.appUrl.replace('://', '://<name>.wia.<tld>.')}`
  console.log(`relay: ${relayAddrs.join(' ')}`)
  console.log(`app: ${servers.appUrl}`)
  console.log(`\nwia-home is running.\n  Open the app:  ${servers.appUrl}\n  Sites open at: ${sitesAt}\n  Relay:         ${relayAddrs.join(', ')}\n`)
  log('relay started with PeerId %p; %d sites in its cache', node.peerId, keptSites)
  operatorLog.info({ event: 'relay.started', peerId: node.peerId.toString(), addresses: relayAddrs, app: servers.appUrl, cachedSites: keptSites }, 'relay started')

  const stop = async (): Promise<void> => {
    operatorLog.info({ event: 'relay.stopping' }, 'relay stopping')
    stopRecordKeeper()
    warmup.stop()
    await servers.close()
    await visitCounter.stop()
    await cacheService.stop()
    await compaction.stop()
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

import { isStartable } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { hasReservation, relayPeerIds } from '../../node/index.js'
import { acceptTransfer, transferName } from './commands/transfer.js'
import { checkName } from './commands/check-name.js'
import { diffSite } from './commands/diff-site.js'
import { exportIdentity, importIdentity, ownerKeyId } from './commands/identity.js'
import { publish } from './commands/publish.js'
import { releaseName } from './commands/release-name.js'
import { republish } from './commands/republish.js'
import { rollback } from './commands/rollback.js'
import { isUnpublishedSite, unpublish } from './commands/unpublish.js'
import { versions } from './commands/versions.js'
import { ACTIVITY_CHANGED_EVENT, DEFAULT_HOST_IDLE_MS, REPUBLISH_INTERVAL_MS, SITES_CHANGED_EVENT } from './constants.js'
import { createNameLocks } from './locks.js'
import { keepOnRelays } from './relay-copies.js'
import { SleepController } from './sleep.js'
import type { CachedSite } from '../../cache/index.js'
import type { BrowserServices, ClientConfig } from '../../node/index.js'
import type { CheckNameInit, CheckNameOptions, NameAvailability } from './commands/check-name.js'
import type { DiffSiteInit, DiffSiteOptions, SiteDiff } from './commands/diff-site.js'
import type { AcceptTransferOptions, TransferNameInit, TransferNameOptions } from './commands/transfer.js'
import type { ExportIdentityInit, ExportIdentityOptions, ImportIdentityInit, ImportIdentityOptions } from './commands/identity.js'
import type { PublishInit, PublishOptions } from './commands/publish.js'
import type { ReleaseNameInit, ReleaseNameOptions } from './commands/release-name.js'
import type { RepublishOptions, RepublishResult } from './commands/republish.js'
import type { RollbackInit, RollbackOptions } from './commands/rollback.js'
import type { UnpublishInit, UnpublishOptions } from './commands/unpublish.js'
import type { KeptVersion, VersionsInit, VersionsOptions } from './commands/versions.js'
import type { HostComponents, OwnerKeys } from './components.js'
import type { KeptSites } from './kept-sites.js'
import type { AppStore, HostedSite, ReleasedName } from './store.js'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import type { AbortOptions } from '@libp2p/interface'

const log = logger('wia:app:host')

/** What a {@link Host} is made of (see `createHost`, which builds it). */
export interface HostParts {
  helia: HeliaWithLibp2p<BrowserServices>
  store: AppStore
  keys: OwnerKeys
  kept: KeptSites
  config: ClientConfig
}

/**
 * The hosting tab's node: one method per command (`commands/`), the sleep
 * mode, the republish timer and the relays' copies. Publishing and
 * republishing ask the relays to keep the new version in the background and
 * dispatch {@link SITES_CHANGED_EVENT} when they answered.
 */
export class Host extends EventTarget {
  /** Other people's sites this tab keeps online ("Keep this site online"). */
  readonly kept: KeptSites
  readonly helia: HeliaWithLibp2p<BrowserServices>
  private readonly components: HostComponents
  private readonly store: AppStore
  private readonly config: ClientConfig
  private readonly sleeper: SleepController
  private timer?: ReturnType<typeof setInterval>
  /** The last sleep or wake transition (see `inTurn`). */
  private transition: Promise<void> = Promise.resolve()

  constructor (parts: HostParts) {
    super()
    const { helia, store, keys, kept, config } = parts
    this.helia = helia
    this.kept = kept
    this.store = store
    this.config = config
    this.components = {
      blockstore: helia.blockstore,
      routing: helia.routing,
      dht: helia.libp2p.services.dht,
      libp2p: helia.libp2p,
      store,
      keys,
      pins: kept,
      // the app runs in a secure context, where the browser always has it
      storage: navigator.storage,
      locks: createNameLocks(),
      waker: { awake: async () => { await this.awake() } },
      clock: { now: () => Date.now() },
      config: { powBits: config.powBits }
    }
    this.sleeper = new SleepController({
      idleMs: config.hostIdleMs ?? DEFAULT_HOST_IDLE_MS,
      // one transition at a time: a wake that starts the DHT while a sleep is
      // still stopping it left the DHT stopped (a publish then hung)
      sleep: async () => { await this.inTurn(async () => { await this.sleep() }) },
      wake: async () => { await this.inTurn(async () => { await this.wake() }) },
      onChange: () => { this.dispatchEvent(new Event(ACTIVITY_CHANGED_EVENT)) }
    })
  }

  /** Start the sleep mode and the republish timer, and republish every name now. */
  start (): void {
    void this.republish()
    this.startTimers()
    this.sleeper.start()
  }

  /** Something was served: stay awake (or wake up). The blockstore calls this on every lookup. */
  touch (): void {
    this.sleeper.touch()
  }

  /** `serving` while visitors fetch blocks, `sleeping` after the idle time without any (see `sleep.ts`). */
  get activity (): 'serving' | 'sleeping' {
    return this.sleeper.activity
  }

  /**
   * Whether visitors can reach this node: a relay holds a reservation for
   * it. `false` after a relay connection was lost, until the reservation
   * keeper (`src/node/reservation-keeper.ts`) has taken one again.
   */
  get reachable (): boolean {
    return hasReservation(this.helia.libp2p)
  }

  /** Change the time without visitors before the node sleeps (ms), at once (see `SleepController.setIdleMs`). */
  setIdleMs (ms: number): void {
    this.sleeper.setIdleMs(ms)
  }

  /** The PeerIds (strings) this node has a connection to now: which relays it reaches. */
  connectedPeers (): string[] {
    return this.helia.libp2p.getConnections().map(connection => connection.remotePeer.toString())
  }

  async sites (): Promise<HostedSite[]> {
    return this.store.listSites()
  }

  /** See the `checkName` command. */
  async checkName (init: CheckNameInit, options: CheckNameOptions = {}): Promise<NameAvailability> {
    return checkName(this.components, init, options)
  }

  /** See the `publish` command; then asks the relays to keep the new version. */
  async publish (init: PublishInit, options: PublishOptions = {}): Promise<HostedSite> {
    const site = await publish(this.components, init, options)
    this.copyToRelays(site)
    return site
  }

  /** See the `diffSite` command: what publishing `init.files` would change, before publishing them. */
  async diffSite (init: DiffSiteInit, options: DiffSiteOptions = {}): Promise<SiteDiff> {
    return diffSite(this.components, init, options)
  }

  /** See the `rollback` command; then asks the relays to keep that version. */
  async rollback (init: RollbackInit, options: RollbackOptions = {}): Promise<HostedSite> {
    const site = await rollback(this.components, init, options)
    this.copyToRelays(site)
    return site
  }

  /**
   * See the `unpublish` command; the relays are not asked to keep anything
   * for the name. Dispatches {@link SITES_CHANGED_EVENT}.
   */
  async unpublish (init: UnpublishInit, options: UnpublishOptions = {}): Promise<HostedSite> {
    const site = await unpublish(this.components, init, options)
    this.dispatchEvent(new Event(SITES_CHANGED_EVENT))
    return site
  }

  /**
   * See the `releaseName` command: the site leaves this device's sites and
   * the republish timer renews its record no more. Dispatches
   * {@link SITES_CHANGED_EVENT}.
   */
  async releaseName (init: ReleaseNameInit, options: ReleaseNameOptions = {}): Promise<ReleasedName> {
    const released = await releaseName(this.components, init, options)
    this.dispatchEvent(new Event(SITES_CHANGED_EVENT))
    return released
  }

  /** See the `versions` command. */
  async versions (init: VersionsInit, options: VersionsOptions = {}): Promise<KeptVersion[]> {
    return versions(this.components, init, options)
  }

  /** Keep another person's site online from this tab (see {@link KeptSites.keep}). */
  async keepOnline (name: string, options: AbortOptions = {}): Promise<CachedSite> {
    await this.awake()
    return this.kept.keep(name, options)
  }

  /** This device's node's PeerId (kept across reloads): relays count the bytes they fetch from it as the host's. */
  nodeId (): string {
    return this.helia.libp2p.peerId.toString()
  }

  /** The PeerIds (strings) of the relays this node uses (the app origin's config): they are not "peers that keep a copy". */
  relayIds (): string[] {
    return relayPeerIds(this.config.relays)
  }

  /** See the `ownerKeyId` command. */
  ownerKeyId (): string {
    return ownerKeyId(this.components)
  }

  /** See the `transferName` command. */
  async transferName (init: TransferNameInit, options: TransferNameOptions = {}): Promise<string> {
    return transferName(this.components, init, options)
  }

  /** See the `acceptTransfer` command. */
  async acceptTransfer (token: string, options: AcceptTransferOptions = {}): Promise<string> {
    return acceptTransfer(this.components, { token }, options)
  }

  /** See the `exportIdentity` command. */
  async exportIdentity (init: ExportIdentityInit, options: ExportIdentityOptions = {}): Promise<string> {
    return exportIdentity(this.components, init, options)
  }

  /** See the `importIdentity` command; then republishes every name under the imported key. */
  async importIdentity (init: ImportIdentityInit, options: ImportIdentityOptions = {}): Promise<HostedSite[]> {
    const sites = await importIdentity(this.components, init, options)
    void this.republish()
    return sites
  }

  async stop (): Promise<void> {
    this.sleeper.stop()
    clearInterval(this.timer)
    await this.helia.stop()
    this.store.close()
  }

  /** The `republish` command, logged; then asks the relays to keep each site this device holds. */
  private async republish (options: RepublishOptions = {}): Promise<RepublishResult[]> {
    try {
      const results = await republish(this.components, options)
      for (const result of results) {
        if (result.ok && result.site.hasContent !== false && !isUnpublishedSite(result.site)) {
          this.copyToRelays(result.site)
        }
      }
      return results
    } catch (err) {
      log.error('names not republished - %e', err)
      return []
    }
  }

  /**
   * Ask the relays to keep `site`'s current version, in the background, and
   * record how many do (shown in the site list); a site updated meanwhile is
   * left to its own ask.
   */
  private copyToRelays (site: HostedSite): void {
    void (async () => {
      const copies = await keepOnRelays(this.helia.libp2p, this.config.relays, site.name)
      const latest = await this.store.getSite(site.name)
      if (latest?.root === site.root) {
        await this.store.putSite({ ...latest, relayCopies: copies })
        this.dispatchEvent(new Event(SITES_CHANGED_EVENT))
      }
    })().catch(err => { log.error('could not record the relay copies of %s - %e', site.name, err) })
  }

  /** Run a sleep or wake transition after the previous one finished. */
  private async inTurn (fn: () => Promise<void>): Promise<void> {
    const run = this.transition.catch(() => {}).then(fn)
    this.transition = run
    await run
  }

  /** Wake the node for work of the user's and wait until it is fully awake. */
  private async awake (): Promise<void> {
    this.sleeper.touch()
    await this.transition.catch(() => {})
  }

  /** Wake: the DHT and the timers again (the routing table refills from the open relay connections). */
  private async wake (): Promise<void> {
    this.startTimers()
    const dht = this.helia.libp2p.services.dht
    if (isStartable(dht)) {
      await dht.start()
    }
  }

  private startTimers (): void {
    clearInterval(this.timer)
    this.timer = setInterval(() => { void this.republish() }, REPUBLISH_INTERVAL_MS)
  }

  /**
   * Sleep: stop the republish timer and the DHT (its self-queries and
   * routing table refreshes), and close every connection but those to the
   * relays (whose reservations make the node reachable, so the next visitor
   * can wake it). Relays re-put the names' records meanwhile.
   */
  private async sleep (): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    const dht = this.helia.libp2p.services.dht
    if (isStartable(dht)) {
      await dht.stop()
    }
    const relays = new Set(this.relayIds())
    await Promise.all(this.helia.libp2p.getConnections()
      .filter(conn => !relays.has(conn.remotePeer.toString()))
      .map(async conn => conn.close().catch(err => { log('closing %p failed - %e', conn.remotePeer, err) })))
  }
}

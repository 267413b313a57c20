/**
 * The hosting tab's node: site blocks in IndexedDB, the owner's key, the
 * names it publishes, reachable through the relays, which it asks to keep
 * copies of its sites.
 *
 * Each thing it does is a command in `commands/`, a function of
 * `(components, init, options)` with a `signal` and typed `onProgress`
 * events (Helia's style): `publish`, `diffSite`, `rollback`, `unpublish`, `releaseName`, `versions`, `transferName`,
 * `acceptTransfer`, `checkName`, `exportIdentity`, `importIdentity`, `republish`. The
 * {@link Host} class built by {@link createHost} starts the components
 * (IndexedDB, Helia, the owner key, the sleep mode, the republish timer) and
 * exposes the commands.
 *
 * @example
 *
 * ```ts
 * import { createHost } from './host/index.js'
 * import { loadClientConfig } from '../node/index.js'
 *
 * const host = await createHost({ config: await loadClientConfig(location.origin) })
 * const site = await host.publish({ label: 'alice', tld: 'home', files }, {
 *   onProgress: event => { console.info(event.type, event.detail) }
 * })
 * const [, earlier] = await host.versions({ name: site.name })
 * if (earlier != null) {
 *   await host.rollback({ name: site.name, root: earlier.root })
 * }
 * ```
 *
 * @module
 */

import { IDBDatastore } from 'datastore-idb'
import { CID } from 'multiformats/cid'
import { browserLibp2pOptions } from '../../node/browser.js'
import { createWiaHelia } from '../../node/index.js'
import { ActivityBlockstore } from './activity-blockstore.js'
import { keptVersions } from './commands/versions.js'
import { ACTIVITY_CHANGED_EVENT, BLOCKSTORE_DB, DATASTORE_DB } from './constants.js'
import { Host } from './host.js'
import { KeptSites } from './kept-sites.js'
import { loadOrCreateOwnerKey } from './owner-key.js'
import { AppStore } from './store.js'
import type { ClientConfig } from '../../node/index.js'
import type { HostedSite } from './store.js'

export { Host } from './host.js'
export * from './constants.js'
export { AlreadyHostedError, IdentityConflictError, InvalidTransferTargetError, NotEnoughSpaceError, SiteNotHostedError, VersionNotKeptError } from './errors.js'
export type { HostComponents, HostConfig, HostDHT, HostLibp2p, HostedPins, OwnerKeys, Waker, Clock } from './components.js'
export type { NameLocks, Release } from './locks.js'
export type { SpaceEstimate, SpaceEstimator } from './space.js'
export type { HostedSite, ReleasedName, SiteVersion } from './store.js'
export type { HostActivity } from './sleep.js'
export type { CheckNameInit, CheckNameOptions, NameAvailability } from './commands/check-name.js'
export type { PublishInit, PublishOptions, PublishProgressEvents } from './commands/publish.js'
export type { RollbackInit, RollbackOptions, RollbackProgressEvents } from './commands/rollback.js'
export { isUnpublishedSite } from './commands/unpublish.js'
export type { UnpublishInit, UnpublishOptions, UnpublishProgressEvents } from './commands/unpublish.js'
export { liveVersionNumber } from './commands/versions.js'
export type { ReleaseNameInit, ReleaseNameOptions, ReleaseNameProgressEvents } from './commands/release-name.js'
export type { KeptVersion, VersionsInit, VersionsOptions } from './commands/versions.js'
export type { ChangeTotal, DiffSiteInit, DiffSiteOptions, DiffSiteProgressEvents, FileChange, FileChangeKind, LiveVersion, SiteDiff } from './commands/diff-site.js'
export type { AcceptTransferInit, AcceptTransferOptions, TransferNameInit, TransferNameOptions, TransferNameProgressEvents } from './commands/transfer.js'
export type { ExportIdentityInit, ExportIdentityOptions, ExportIdentityProgressEvents, ImportIdentityInit, ImportIdentityOptions, ImportIdentityProgressEvents } from './commands/identity.js'
export type { RepublishOptions, RepublishProgressEvents, RepublishResult } from './commands/republish.js'
export type { RecordProgressEvents } from './commands/utils/record.js'

export interface HostInit {
  /** The app origin's `/_wia/config.json`: relays, proof-of-work difficulty, idle time. */
  config: ClientConfig
}

/**
 * Open the stores, start the node, take relay reservations and announce every
 * site hosted earlier (re-putting its stored record) without re-importing it.
 */
export async function createHost (init: HostInit): Promise<Host> {
  const { config } = init
  const blockstore = new ActivityBlockstore(BLOCKSTORE_DB)
  await blockstore.open()
  const datastore = new IDBDatastore(DATASTORE_DB)
  await datastore.open()
  const store = await AppStore.open()
  const helia = await createWiaHelia({
    blockstore,
    datastore,
    libp2p: browserLibp2pOptions({ relays: config.relays, allowLocal: config.allowLocal, reachable: true, minPowBits: config.powBits })
  })
  const kept = new KeptSites({
    helia,
    minPowBits: config.powBits,
    hostedNames: async () => (await store.listSites()).map(site => site.name)
  }, await KeptSites.maxBytes())
  const host = new Host({ helia, store, keys: { owner: await loadOrCreateOwnerKey(store) }, kept, config })
  kept.start(hostedRoots(await store.listSites()))
  host.start()
  blockstore.onActivity = () => { host.touch() }
  // a reservation taken or lost changes whether visitors can reach this device. The circuit relay listener
  // says so at once (`transport:listening`); `self:peer:update` comes a debounced second later, and not at all
  // when a reservation was lost within that second of being taken (the stored peer record never changed)
  const reachabilityChanged = (): void => { host.dispatchEvent(new Event(ACTIVITY_CHANGED_EVENT)) }
  for (const event of ['self:peer:update', 'transport:listening', 'transport:close'] as const) {
    helia.libp2p.addEventListener(event, reachabilityChanged)
  }
  return host
}

/** Every root this device keeps blocks of: each hosted site's kept versions. */
function hostedRoots (sites: HostedSite[]): CID[] {
  const roots = new Set(sites.flatMap(site => keptVersions(site).map(version => version.root)))
  return [...roots].map(root => CID.parse(root))
}

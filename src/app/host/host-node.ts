import { unixfs } from '@helia/unixfs'
import { privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { isStartable } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import drain from 'it-drain'
import { IDBDatastore } from 'datastore-idb'
import { CID } from 'multiformats/cid'
import { equals } from 'uint8arrays'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { importSite } from '../../content/index.js'
import { NameTakenError, createNameRecord, createTransfer, decodeTransfer, encodeNameRecord, encodeTransfer, formatName, putNameRecord, verifyTransfer } from '../../naming/index.js'
import { browserLibp2pOptions } from '../../node/browser.js'
import { createWiaHelia, hasReservation, relayPeerIds, waitForDHTPeer, waitForReservation, withTimeout } from '../../node/index.js'
import { IdentityConflictError, InvalidTransferTargetError } from './errors.js'
import { decryptIdentity, encryptIdentity } from '../identity/index.js'
import { OWNER_KEY_ID, loadOrCreateOwnerKey } from './owner-key.js'
import { ActivityBlockstore } from './activity-blockstore.js'
import { KeptSites } from './kept-sites.js'
import { keepOnRelays } from './relay-copies.js'
import { DEFAULT_HOST_IDLE_MS, SleepController } from './sleep.js'
import { checkRegistration, nextOwnSeq, nextRecordParams } from './registration.js'
import { REPUBLISH_INTERVAL_MS, republishSite } from './republish.js'
import { AppStore } from './store.js'
import type { ImportProgress, SiteFile } from '../../content/index.js'
import type { Tld } from '../../naming/index.js'
import type { BrowserServices } from '../../node/browser.js'
import type { ClientConfig } from '../../node/index.js'
import type { HostedSite } from './store.js'
import type { CachedSite } from '../../cache/index.js'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import type { UnixFS } from '@helia/unixfs'
import type { PrivateKey } from '@libp2p/interface'

const log = logger('wia:app:host')

/** IndexedDB database holding the site blocks. */
export const BLOCKSTORE_DB = 'wia-blocks'
/** IndexedDB database holding the node's own state (its libp2p key, Helia's pins). */
export const DATASTORE_DB = 'wia-datastore'
/** How long the node waits for a circuit relay reservation before publishing (ms). */
export const RESERVATION_TIMEOUT_MS = 15_000
/** How long a provide (announce) of a site root may take (ms). */
export const PROVIDE_TIMEOUT_MS = 15_000

export interface PublishInit {
  label: string
  tld: Tld
  files: SiteFile[]
  signal?: AbortSignal
  onProgress?(progress: PublishProgress): void
}

export type PublishProgress =
  | { phase: 'check' }
  | { phase: 'import', progress: ImportProgress }
  | { phase: 'register', progress: { hashes: number, expected: number } }
  | { phase: 'sign' }
  | { phase: 'announce' }

/** Event a {@link HostNode} dispatches when a hosted site's stored state changed (e.g. its relay copies). */
export const SITES_CHANGED_EVENT = 'wia-sites-changed'
/**
 * Event a {@link HostNode} dispatches when it falls asleep or wakes up (see
 * {@link HostNode.activity}), and when it loses or regains its relay
 * reservations (see {@link HostNode.reachable}).
 */
export const ACTIVITY_CHANGED_EVENT = 'wia-activity-changed'

/**
 * The hosting tab's node: site blocks in IndexedDB, reachable through the
 * relays, which it asks to keep copies of its sites.
 */
export class HostNode extends EventTarget {
  private timer?: ReturnType<typeof setInterval>
  /** The last sleep or wake transition (see `inTurn`). */
  private transition: Promise<void> = Promise.resolve()
  /** Other people's sites this tab keeps online ("Keep this site online"). */
  readonly kept: KeptSites
  private readonly sleeper: SleepController

  private constructor (
    readonly helia: HeliaWithLibp2p<BrowserServices>,
    private readonly fs: UnixFS,
    private readonly store: AppStore,
    private ownerKey: PrivateKey,
    private readonly config: ClientConfig,
    keptBytes: number
  ) {
    super()
    this.kept = new KeptSites({
      helia,
      minPowBits: config.powBits,
      hostedNames: async () => (await store.listSites()).map(site => site.name)
    }, keptBytes)
    this.sleeper = new SleepController({
      idleMs: config.hostIdleMs ?? DEFAULT_HOST_IDLE_MS,
      // one transition at a time: a wake that starts the DHT while a sleep is
      // still stopping it left the DHT stopped (a publish then hung)
      sleep: async () => { await this.inTurn(async () => { await this.sleep() }) },
      wake: async () => { await this.inTurn(async () => { await this.wake() }) },
      onChange: () => { this.dispatchEvent(new Event(ACTIVITY_CHANGED_EVENT)) }
    })
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

  /**
   * Open the stores, start the node, take relay reservations and announce every
   * site hosted earlier (re-putting its stored record) without re-importing it.
   */
  static async start (config: ClientConfig): Promise<HostNode> {
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
    const node = new HostNode(helia, unixfs(helia), store, await loadOrCreateOwnerKey(store), config, await KeptSites.maxBytes())
    node.kept.start((await store.listSites()).filter(site => site.hasContent !== false).map(site => CID.parse(site.root)))
    void node.republishAll()
    node.startTimers()
    blockstore.onActivity = () => { node.sleeper.touch() }
    node.sleeper.start()
    helia.libp2p.addEventListener('self:peer:update', () => { node.dispatchEvent(new Event(ACTIVITY_CHANGED_EVENT)) })
    return node
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
    this.timer = setInterval(() => { void this.republishAll() }, REPUBLISH_INTERVAL_MS)
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
    const relays = new Set(relayPeerIds(this.config.relays))
    await Promise.all(this.helia.libp2p.getConnections()
      .filter(conn => !relays.has(conn.remotePeer.toString()))
      .map(async conn => conn.close().catch(err => { log('closing %p failed - %e', conn.remotePeer, err) })))
  }

  async sites (): Promise<HostedSite[]> {
    return this.store.listSites()
  }

  /**
   * Import a folder and publish it under `<label>.wia.<tld>`: a new name costs
   * a proof of work, an update by the owner costs nothing.
   *
   * @throws {InvalidNameError} for a label that breaks the name rules
   * @throws {NameTakenError} when another key registered the name first
   * @throws {EmptySiteError} for a folder without files
   * @throws {PutRejectedError} when no relay stored the name record
   * @throws {NoReservationError} when no relay gave this node a reservation
   */
  async publish (init: PublishInit): Promise<HostedSite> {
    const name = formatName(init.label, init.tld)
    const dht = this.helia.libp2p.services.dht
    init.onProgress?.({ phase: 'check' })
    await this.awake()
    await waitForDHTPeer(dht, { signal: init.signal })
    const registration = await checkRegistration(dht, name, this.ownerKey, { minPowBits: this.config.powBits, signal: init.signal })
    if (registration.kind === 'theirs' && await this.store.getTransfer(name) == null) {
      throw new NameTakenError(name)
    }
    const imported = await importSite(this.fs, init.files, {
      signal: init.signal,
      onProgress: progress => init.onProgress?.({ phase: 'import', progress })
    })
    this.kept.protect(imported.root)
    const transferToken = await this.store.getTransfer(name)
    const params = await nextRecordParams({
      name,
      owner: this.ownerKey,
      registration,
      local: await this.store.getSite(name),
      transfer: transferToken == null ? undefined : decodeTransfer(transferToken),
      powBits: this.config.powBits,
      signal: init.signal,
      onProgress: progress => init.onProgress?.({ phase: 'register', progress })
    })

    init.onProgress?.({ phase: 'sign' })
    const record = await createNameRecord({ name, root: imported.root, privateKey: this.ownerKey, ...params })

    init.onProgress?.({ phase: 'announce' })
    await waitForReservation(this.helia.libp2p, { signal: init.signal, timeoutMs: RESERVATION_TIMEOUT_MS })
    // announce the root before the record points to it, so no visitor looks
    // for providers of a root nobody has announced yet
    await this.provide(imported.root, init.signal)
    await putNameRecord(this.helia.libp2p.services.dht, record, { signal: init.signal })

    const site: HostedSite = {
      name,
      root: imported.root.toString(),
      seq: record.seq,
      record: encodeNameRecord(record),
      files: imported.files,
      bytes: imported.bytes,
      publishedAt: Date.now(),
      hasContent: true
    }
    const previous = await this.store.getSite(name)
    await this.store.putSite(site)
    await this.store.deleteTransfer(name)
    if (previous?.hasContent !== false && previous != null && previous.root !== site.root) {
      // the old version's blocks go at the next garbage collection
      await drain(this.helia.pins.rm(CID.parse(previous.root))).catch(err => { log('could not unpin %s - %e', previous.root, err) })
    }
    void this.copyToRelays(site)
    return site
  }

  /** Keep another person's site online from this tab (see {@link KeptSites.keep}). */
  async keepOnline (name: string, options: { signal?: AbortSignal } = {}): Promise<CachedSite> {
    await this.awake()
    return this.kept.keep(name, options)
  }

  /** This device's owner key as a PeerId string (`12D3KooW…`): what a sender of a transfer needs. */
  ownerKeyId (): string {
    return peerIdFromPrivateKey(this.ownerKey).toString()
  }

  /**
   * Sign the transfer of a name this key owns to another key (its owner key
   * ID, `12D3KooW…`). Returns the token to give to the new owner; the name
   * moves once they publish with it.
   *
   * @throws {InvalidTransferTargetError} for a key ID that is not an Ed25519 PeerId
   * @throws {NameTakenError} when the name is not this key's
   */
  async transferName (name: string, toKeyId: string): Promise<string> {
    let to: Uint8Array
    try {
      const publicKey = peerIdFromString(toKeyId.trim()).publicKey
      if (publicKey?.type !== 'Ed25519') {
        throw new Error('not an Ed25519 key')
      }
      to = publicKeyToProtobuf(publicKey)
    } catch (err) {
      throw new InvalidTransferTargetError(`"${toKeyId}" is not a wia-home key ID. Ask the new owner for the key ID their app shows under "Your key".`, { cause: err })
    }
    await this.awake()
    await waitForDHTPeer(this.helia.libp2p.services.dht)
    const registration = await checkRegistration(this.helia.libp2p.services.dht, name, this.ownerKey, { minPowBits: this.config.powBits })
    const local = await this.store.getSite(name)
    if (registration.kind === 'theirs' || (registration.kind === 'free' && local == null)) {
      throw new NameTakenError(name)
    }
    return encodeTransfer(await createTransfer({ name, to, seq: nextOwnSeq(registration, local), privateKey: this.ownerKey }))
  }

  /**
   * Keep a transfer token given to this device; the next publish under its
   * name uses it (no proof of work: the old owner's proof is carried over).
   *
   * @throws {MalformedRecordError | InvalidSignatureError} for a damaged or forged token
   * @throws {InvalidTransferTargetError} when the token names another key
   */
  async acceptTransfer (token: string): Promise<string> {
    const transfer = decodeTransfer(token.trim())
    await verifyTransfer(transfer)
    if (!equals(transfer.to, publicKeyToProtobuf(this.ownerKey.publicKey))) {
      throw new InvalidTransferTargetError(`This transfer of ${transfer.name} is for another key. Send the old owner this device's key ID.`)
    }
    await this.store.putTransfer(transfer.name, encodeTransfer(transfer))
    return transfer.name
  }

  /**
   * The owner's identity (key and names) as a passphrase-encrypted file's text.
   *
   * @throws {WeakPassphraseError} for a passphrase shorter than 8 characters
   */
  async exportIdentity (passphrase: string): Promise<string> {
    const sites = await this.store.listSites()
    return encryptIdentity({
      ownerKey: privateKeyToProtobuf(this.ownerKey),
      sites: sites.map(({ name, seq, root, record }) => ({ name, seq, root, record })),
      exportedAt: Date.now()
    }, passphrase)
  }

  /**
   * Make an exported identity this device's: its key signs from now on and
   * its names are listed (to serve one again, publish its folder: an update,
   * so no proof of work).
   *
   * @throws {WrongPassphraseError} when the passphrase does not open the file
   * @throws {InvalidIdentityFileError} for a file that is not a wia-home identity
   * @throws {IdentityConflictError} when this device owns names under another key
   */
  async importIdentity (fileText: string, passphrase: string): Promise<HostedSite[]> {
    const identity = await decryptIdentity(fileText, passphrase)
    const key = privateKeyFromProtobuf(identity.ownerKey)
    const current = await this.store.listSites()
    const sameKey = equals(publicKeyToProtobuf(key.publicKey), publicKeyToProtobuf(this.ownerKey.publicKey))
    if (!sameKey && current.length > 0) {
      throw new IdentityConflictError(`This device already owns ${current.map(s => s.name).join(', ')} with another key. Export that identity first, or import in another browser profile.`)
    }
    const imported: HostedSite[] = identity.sites
      .filter(site => current.every(local => local.name !== site.name))
      .map(site => ({ ...site, files: 0, bytes: 0, publishedAt: identity.exportedAt, hasContent: false }))
    await this.store.replaceIdentity(OWNER_KEY_ID, identity.ownerKey, [...current, ...imported])
    this.ownerKey = key
    void this.republishAll()
    return this.store.listSites()
  }

  async stop (): Promise<void> {
    this.sleeper.stop()
    clearInterval(this.timer)
    await this.helia.stop()
    this.store.close()
  }

  /**
   * Re-put the record of every hosted site (renewing those that near expiry)
   * and announce their roots; runs at start and every {@link REPUBLISH_INTERVAL_MS}.
   */
  private async republishAll (): Promise<void> {
    try {
      await waitForReservation(this.helia.libp2p, { timeoutMs: RESERVATION_TIMEOUT_MS })
      await waitForDHTPeer(this.helia.libp2p.services.dht)
    } catch (err) {
      log.error('no reservation, names not republished - %e', err)
      return
    }
    const components = {
      dht: this.helia.libp2p.services.dht,
      owner: this.ownerKey,
      provide: async (root: CID) => { await this.provide(root) }
    }
    for (const site of await this.store.listSites()) {
      try {
        const current = await republishSite(components, site)
        if (current !== site) {
          await this.store.putSite(current)
        }
        log('republished %s (seq %d)', site.name, current.seq)
        if (site.hasContent !== false) {
          void this.copyToRelays(current)
        }
      } catch (err) {
        log.error('republishing %s failed - %e', site.name, err)
      }
    }
  }

  /**
   * Ask the relays to keep `site`'s current version and record how many do
   * (shown in the site list); a site updated meanwhile is left to its own ask.
   */
  private async copyToRelays (site: HostedSite): Promise<void> {
    const copies = await keepOnRelays(this.helia.libp2p, this.config.relays, site.name)
    const latest = await this.store.getSite(site.name)
    if (latest?.root === site.root) {
      await this.store.putSite({ ...latest, relayCopies: copies })
      this.dispatchEvent(new Event(SITES_CHANGED_EVENT))
    }
  }

  private async provide (root: CID, signal?: AbortSignal): Promise<void> {
    await this.helia.routing.provide(root, { signal: withTimeout(signal, PROVIDE_TIMEOUT_MS) })
  }
}

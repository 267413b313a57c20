import { logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { CustomProgressEvent } from 'progress-events'
import { createNameRecord, decodeNameRecord, encodeNameRecord, isUnpublished, putNameRecord } from '../../../naming/index.js'
import { waitForDHTPeer, waitForReservation } from '../../../node/index.js'
import { RENEW_BEFORE_MS, RESERVATION_TIMEOUT_MS } from '../constants.js'
import { provideRoot } from './utils/record.js'
import type { HostComponents } from '../components.js'
import type { HostedSite } from '../store.js'
import type { AbortOptions } from '@libp2p/interface'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

const log = logger('wia:app:host:republish')

/** What republishing did for one name. */
export type RepublishResult =
  | { name: string, ok: true, site: HostedSite, renewed: boolean }
  | { name: string, ok: false, error: Error }

export type RepublishProgressEvents =
  | ProgressEvent<'republish:site', RepublishResult>

export interface RepublishOptions extends AbortOptions, ProgressOptions<RepublishProgressEvents> {}

/**
 * Keep every hosted name alive: once the node is awake, a relay holds a
 * reservation for it and a DHT server answers, put each name's record again (relays that
 * lost it, or joined since, get it), renewing it with `seq + 1` and a fresh
 * validity when less than {@link RENEW_BEFORE_MS} is left, and announce the
 * site root when this device holds the blocks. An unpublished name's record
 * is re-put and renewed too (the name stays this key's), its old root never
 * announced. A name that fails does not
 * stop the others: its result carries the error. Renewed sites are stored.
 * The app runs this at start, every `REPUBLISH_INTERVAL_MS` and after an
 * identity import; it takes no init.
 *
 * @throws {NoReservationError} when no relay gave this node a reservation
 * @throws {NoRelayReachableError} when no DHT server answers
 */
export async function republish (components: HostComponents, options: RepublishOptions = {}): Promise<RepublishResult[]> {
  // after an identity import the node may be asleep, its DHT stopped
  await components.waker.awake()
  await waitForReservation(components.libp2p, { timeoutMs: RESERVATION_TIMEOUT_MS, signal: options.signal })
  await waitForDHTPeer(components.dht, { signal: options.signal })
  const results: RepublishResult[] = []
  for (const { name } of await components.store.listSites()) {
    options.signal?.throwIfAborted()
    let result: RepublishResult | undefined
    const release = await components.locks.lock(name, options)
    try {
      result = await republishName(components, name, options)
    } catch (err) {
      log.error('republishing %s failed - %e', name, err)
      result = { name, ok: false, error: err as Error }
    } finally {
      release()
    }
    if (result != null) {
      options.onProgress?.(new CustomProgressEvent('republish:site', result))
      results.push(result)
    }
  }
  return results
}

/**
 * Put one name's stored record again (renewed when near expiry, then
 * stored) and announce its root, holding the name's lock; nothing for a name
 * no longer stored.
 */
async function republishName (components: HostComponents, name: string, options: AbortOptions): Promise<RepublishResult | undefined> {
  // read under the lock: a publish that held it may have stored a newer record
  const site = await components.store.getSite(name)
  if (site == null) {
    return undefined
  }
  const current = await republishSite(components, site, options)
  if (current !== site) {
    await components.store.putSite(current)
  }
  log('republished %s (seq %d)', name, current.seq)
  return { name, ok: true, site: current, renewed: current !== site }
}

/** Put one site's record again (renewed when near expiry) and announce its root. Returns the site as it is now. */
async function republishSite (components: HostComponents, site: HostedSite, options: AbortOptions): Promise<HostedSite> {
  const now = components.clock.now()
  let record = decodeNameRecord(site.record)
  let current = site
  if (record.expires - now < RENEW_BEFORE_MS) {
    record = await createNameRecord({
      name: record.name,
      root: record.root,
      seq: record.seq + 1,
      proof: record.proof,
      transfer: record.transfer,
      privateKey: components.keys.owner,
      now
    })
    current = { ...site, seq: record.seq, record: encodeNameRecord(record) }
  }
  await putNameRecord(components.dht, record, { signal: options.signal })
  // an unpublished name has no root to announce (docs/naming.md §6a)
  if (site.hasContent !== false && !isUnpublished(record)) {
    await provideRoot(components, CID.parse(site.root), options)
  }
  return current
}

import { CID } from 'multiformats/cid'
import { RECORD_VALIDITY_MS, createNameRecord, decodeNameRecord, encodeNameRecord, putNameRecord } from '../../naming/index.js'
import type { HostedSite } from './store.js'
import type { PrivateKey } from '@libp2p/interface'
import type { KadDHT } from '@libp2p/kad-dht'

/** How often a running app re-announces its names and site roots (ms). */
export const REPUBLISH_INTERVAL_MS = 60 * 60_000
/** A record is renewed (re-signed with a later expiry) once less than this much validity is left (ms). */
export const RENEW_BEFORE_MS = RECORD_VALIDITY_MS / 2

export interface RepublishComponents {
  dht: KadDHT
  owner: PrivateKey
  /** Announce this device as a provider of a site root. */
  provide(root: CID): Promise<void>
}

/**
 * Keep one hosted name alive: put its record again (relays that lost it, or
 * joined since, get it), renewing it with `seq + 1` and a fresh validity when
 * less than {@link RENEW_BEFORE_MS} is left, and announce the site root when
 * this device holds the blocks. Returns the site as it is now (renewed or not).
 *
 * @throws {PutRejectedError} when no relay accepted the record
 */
export async function republishSite (components: RepublishComponents, site: HostedSite, now = Date.now()): Promise<HostedSite> {
  let record = decodeNameRecord(site.record)
  let current = site
  if (record.expires - now < RENEW_BEFORE_MS) {
    record = await createNameRecord({
      name: record.name,
      root: record.root,
      seq: record.seq + 1,
      proof: record.proof,
      transfer: record.transfer,
      privateKey: components.owner,
      now
    })
    current = { ...site, seq: record.seq, record: encodeNameRecord(record) }
  }
  await putNameRecord(components.dht, record)
  if (site.hasContent !== false) {
    await components.provide(CID.parse(site.root))
  }
  return current
}

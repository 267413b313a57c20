/**
 * Unpublished names (`docs/naming.md` §6a): a name whose owner took the site
 * down is a normal signed format-1 record, with a higher `seq`, whose `root`
 * is {@link UNPUBLISHED_ROOT}. Nothing in the wire format changes: relays
 * validate, store and re-put it like any record, so the name stays the
 * owner's until its `exp`; readers that understand it show "unpublished"
 * instead of fetching content.
 *
 * @module
 */

import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { SiteUnpublishedError } from './errors.js'
import type { NameRecord } from './record.js'

/**
 * The root of an unpublished name's record: the well-known empty identity CID
 * (CIDv1, raw codec, identity multihash of zero bytes), `bafkqaaa`. It holds
 * no data and needs no block: nothing is fetched for it, and no site can be
 * published under it by mistake (a UnixFS import never yields it).
 */
export const UNPUBLISHED_ROOT: CID = CID.create(1, raw.code, identity.digest(new Uint8Array(0)))

/** Whether `record` says its name was unpublished (its root is {@link UNPUBLISHED_ROOT}). */
export function isUnpublished (record: Pick<NameRecord, 'root'>): boolean {
  return record.root.equals(UNPUBLISHED_ROOT)
}

/**
 * The site root `record` points at, for a reader about to fetch content.
 *
 * @throws {SiteUnpublishedError} when the record says the name was unpublished
 */
export function siteRoot (record: Pick<NameRecord, 'name' | 'root'>): CID {
  if (isUnpublished(record)) {
    throw new SiteUnpublishedError(record.name)
  }
  return record.root
}

import { identity } from 'multiformats/hashes/identity'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { equals } from 'uint8arrays/equals'
import { carSections } from './car-reader.js'
import { BlockHashMismatchError, UnsupportedHashError } from './errors.js'
import type { CID } from 'multiformats/cid'
import type { MultihashHasher } from 'multiformats/hashes/interface'

/**
 * Hash functions a block can be checked with: sha2-256 (every CID wia-home
 * makes), sha2-512 and identity (inline CIDs). WebCrypto backs the sha2 family
 * in browsers and workers.
 */
const HASHERS: ReadonlyMap<number, MultihashHasher<number>> = new Map<number, MultihashHasher<number>>([
  [sha256.code, sha256],
  [sha512.code, sha512],
  [identity.code, identity]
])

/**
 * Check that `bytes` are the block `cid` names: hash them with the CID's hash
 * function and compare digests (the trust model of the IPFS Trustless Gateway
 * spec: the client verifies, the server is not believed).
 *
 * @throws {BlockHashMismatchError} when the digest differs
 * @throws {UnsupportedHashError} when the CID's hash function is not one of sha2-256, sha2-512, identity
 */
export async function verifyBlock (cid: CID, bytes: Uint8Array): Promise<void> {
  const hasher = HASHERS.get(cid.multihash.code)
  if (hasher == null) {
    throw new UnsupportedHashError(cid.multihash.code)
  }
  const digest = await hasher.digest(bytes)
  if (!equals(digest.digest, cid.multihash.digest)) {
    throw new BlockHashMismatchError(cid.toString())
  }
}

/** A block read from a CAR and checked against its CID. */
export interface VerifiedBlock {
  cid: CID
  bytes: Uint8Array
}

/**
 * The blocks of a CARv1 stream (`application/vnd.ipld.car`), each checked with
 * {@link verifyBlock} before it is yielded: a consumer never sees a block
 * whose bytes do not match its CID. Each block's bytes are on a buffer of
 * their own ({@link carSections}), not a view into the stream's chunks. The
 * stream's roots are not trusted either; a consumer asks for the blocks it
 * needs by CID.
 *
 * @throws {BlockHashMismatchError} at the first altered block (blocks before it were good)
 * @throws {MalformedCarError} when the stream is not a valid CARv1
 */
export async function * verifiedCarBlocks (car: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<VerifiedBlock> {
  for await (const { cid, bytes } of carSections(car)) {
    await verifyBlock(cid, bytes)
    yield { cid, bytes }
  }
}

import { privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CustomProgressEvent } from 'progress-events'
import { equals } from 'uint8arrays'
import { decryptIdentity, encryptIdentity } from '../../identity/index.js'
import { IdentityConflictError } from '../errors.js'
import { OWNER_KEY_ID } from '../owner-key.js'
import type { HostComponents } from '../components.js'
import type { HostedSite } from '../store.js'
import type { AbortOptions } from '@libp2p/interface'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

/** This device's owner key as a key ID (a PeerId string, `12D3KooW…`): what a sender of a transfer needs. */
export function ownerKeyId (components: Pick<HostComponents, 'keys'>): string {
  return peerIdFromPrivateKey(components.keys.owner).toString()
}

export interface ExportIdentityInit {
  /** At least `MIN_PASSPHRASE_LENGTH` (8) characters. */
  passphrase: string
  /**
   * PBKDF2 iterations that derive the file's key from the passphrase.
   *
   * @default PBKDF2_ITERATIONS (600,000)
   */
  iterations?: number
}

/** The passphrase's key derivation is the slow part (about a second). */
export type ExportIdentityProgressEvents = ProgressEvent<'identity:encrypt', { sites: number }>

export interface ExportIdentityOptions extends AbortOptions, ProgressOptions<ExportIdentityProgressEvents> {}

/**
 * The owner's identity (key and names) as a passphrase-encrypted file's text.
 *
 * @throws {WeakPassphraseError} for a passphrase shorter than 8 characters
 */
export async function exportIdentity (components: Pick<HostComponents, 'keys' | 'store' | 'clock'>, init: ExportIdentityInit, options: ExportIdentityOptions = {}): Promise<string> {
  const sites = await components.store.listSites()
  options.signal?.throwIfAborted()
  options.onProgress?.(new CustomProgressEvent('identity:encrypt', { sites: sites.length }))
  return encryptIdentity({
    ownerKey: privateKeyToProtobuf(components.keys.owner),
    sites: sites.map(({ name, seq, root, record }) => ({ name, seq, root, record })),
    exportedAt: components.clock.now()
  }, init.passphrase, { iterations: init.iterations })
}

export interface ImportIdentityInit {
  /** The exported file's text. */
  fileText: string
  passphrase: string
}

export type ImportIdentityProgressEvents = ProgressEvent<'identity:decrypt'>

export interface ImportIdentityOptions extends AbortOptions, ProgressOptions<ImportIdentityProgressEvents> {}

/**
 * Make an exported identity this device's: its key signs from now on and its
 * names are listed, without blocks (to serve one again, publish its folder:
 * an update, so no proof of work). Names this device already lists stay as
 * they are. Returns every site this device lists now; the caller republishes
 * the names' records.
 *
 * @throws {WrongPassphraseError} when the passphrase does not open the file
 * @throws {InvalidIdentityFileError} for a file that is not a wia-home identity
 * @throws {IdentityConflictError} when this device owns names under another key
 */
export async function importIdentity (components: Pick<HostComponents, 'keys' | 'store'>, init: ImportIdentityInit, options: ImportIdentityOptions = {}): Promise<HostedSite[]> {
  options.onProgress?.(new CustomProgressEvent('identity:decrypt'))
  const identity = await decryptIdentity(init.fileText, init.passphrase)
  const key = privateKeyFromProtobuf(identity.ownerKey)
  const current = await components.store.listSites()
  const sameKey = equals(publicKeyToProtobuf(key.publicKey), publicKeyToProtobuf(components.keys.owner.publicKey))
  if (!sameKey && current.length > 0) {
    throw new IdentityConflictError(current.map(s => s.name))
  }
  const imported: HostedSite[] = identity.sites
    .filter(site => current.every(local => local.name !== site.name))
    .map(site => ({ ...site, files: 0, bytes: 0, publishedAt: identity.exportedAt, hasContent: false }))
  options.signal?.throwIfAborted()
  await components.store.replaceIdentity(OWNER_KEY_ID, identity.ownerKey, [...current, ...imported])
  components.keys.owner = key
  return components.store.listSites()
}

import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { AppStore } from './store.js'
import type { PrivateKey } from '@libp2p/interface'

/** Key under which the owner's identity key is kept in the `keys` store. */
export const OWNER_KEY_ID = 'owner'

/**
 * The owner's Ed25519 key that signs name records: loaded from IndexedDB, or
 * generated and stored on first use. Whoever holds it owns the names it signed
 * (DESIGN.md §2), so it never leaves the device except by an explicit export.
 */
export async function loadOrCreateOwnerKey (store: AppStore): Promise<PrivateKey> {
  const stored = await store.getKey(OWNER_KEY_ID)
  if (stored != null) {
    return privateKeyFromProtobuf(stored)
  }
  const key = await generateKeyPair('Ed25519')
  await store.putKey(OWNER_KEY_ID, privateKeyToProtobuf(key))
  return key
}

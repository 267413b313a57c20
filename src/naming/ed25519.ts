import { MalformedRecordError } from './errors.js'

/** libp2p's `KeyType` enum values (libp2p crypto spec, `keys.proto`), for messages. */
const KEY_TYPES: Readonly<Record<number, string>> = { 0: 'RSA', 1: 'Ed25519', 2: 'secp256k1', 3: 'ECDSA' }

/** Bytes of an Ed25519 public key. */
const ED25519_KEY_BYTES = 32

/**
 * The raw 32-byte Ed25519 key inside a libp2p protobuf `PublicKey`
 * (`Type = 1` as field 1, `Data` as field 2: `08 01 12 20 <32 bytes>`, the
 * form `publicKeyToProtobuf` writes; libp2p peer ID spec, "Keys").
 *
 * @param context - what the key is, for the error message (`'The name record for alice.wia.home has a public key that'`)
 * @throws {MalformedRecordError} when the bytes are not that form, or hold another key type
 */
export function ed25519KeyFromProtobuf (bytes: Uint8Array, context: string): Uint8Array {
  if (bytes.byteLength >= 2 && bytes[0] === 0x08 && bytes[1] !== 0x01) {
    throw new MalformedRecordError(`${context} is a ${KEY_TYPES[bytes[1] ?? -1] ?? 'unknown'} key; only Ed25519 keys are accepted`)
  }
  if (bytes.byteLength !== 4 + ED25519_KEY_BYTES || bytes[0] !== 0x08 || bytes[1] !== 0x01 || bytes[2] !== 0x12 || bytes[3] !== ED25519_KEY_BYTES) {
    throw new MalformedRecordError(`${context} cannot be read`)
  }
  return bytes.subarray(4)
}

/**
 * Check an Ed25519 signature (RFC 8032) with WebCrypto, which every runtime
 * of wia-home has (Chromium 137+, Firefox 129+, Safari 17+, Node 20): the site
 * worker then carries no elliptic-curve code of its own.
 *
 * @throws {Error} from WebCrypto when the runtime lacks Ed25519 or the key is invalid
 */
export async function verifyEd25519 (rawKey: Uint8Array, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const key = await crypto.subtle.importKey('raw', rawKey.slice(), { name: 'Ed25519' }, false, ['verify'])
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature.slice(), data.slice())
}

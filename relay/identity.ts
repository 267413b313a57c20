import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

const KEY_FILE = 'peer-key'

/**
 * Load the relay's Ed25519 private key from `<dataDir>/peer-key` (libp2p
 * protobuf encoding), creating it on first start, so the relay keeps its PeerId
 * (and so its multiaddr) across restarts.
 */
export async function loadOrCreateRelayKey (dataDir: string): Promise<PrivateKey> {
  const file = join(dataDir, KEY_FILE)
  try {
    return privateKeyFromProtobuf(await readFile(file))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw err
    }
  }
  const key = await generateKeyPair('Ed25519')
  await mkdir(dataDir, { recursive: true })
  await writeFile(file, privateKeyToProtobuf(key), { mode: 0o600 })
  return key
}

/**
 * How many peers keep a copy of a hosted site: the providers of its current
 * root that its relays know (Delegated Routing V1,
 * `GET /_wia/routing/v1/providers/<cid>`, `docs/http.md`), less this device
 * and the relays themselves. Other app tabs that keep the site online
 * ("Keep online") and visitors' nodes that announce it are counted.
 */

import { peerIdFromString } from '@libp2p/peer-id'
import { askRelays } from './relay-answers.js'

/** Path of the providers of a CID under a relay gateway base (one ending in `/_wia/`, see `relayBases`). */
export const PROVIDERS_PATH = 'routing/v1/providers/'

/**
 * Bound on one relay's answer before it is left out (ms): above the relay's
 * own 10 s bound on its DHT lookup (`PROVIDERS_TIMEOUT_MS` in `relay/gateway/constants.ts`).
 */
export const PEERS_TIMEOUT_MS = 15_000

/** Media type of the answer asked for: one JSON document (at most 100 records, `MAX_PROVIDERS_JSON`). */
const JSON_MEDIA_TYPE = 'application/json'

/** The peers that keep a copy of a site's current version. */
export interface SitePeers {
  /** The root CID asked about (string form). */
  root: string
  /** Distinct peers that provide it, neither this device nor one of the relays. */
  peers: number
  /** Relays that answered, of those asked. */
  relays: { answered: number, asked: number }
}

/** No relay told the providers of a root (`reasons`: what each said). */
export class ProvidersUnavailableError extends Error {
  static override name = 'ProvidersUnavailableError'
  override name = 'ProvidersUnavailableError'

  constructor (readonly root: string, readonly reasons: string[]) {
    super(`No relay told the providers of ${root}: ${reasons.join('; ')}`)
  }
}

export interface CountPeersOptions {
  /** Relay gateway bases, each ending in `/_wia/` (see `relayBases`). */
  bases: string[]
  /** PeerIds (strings) not to count: this device's node and the relays. */
  exclude: string[]
  signal?: AbortSignal
  /** @default globalThis.fetch */
  fetch?: typeof fetch
}

/**
 * Ask every relay for the providers of `root` and count the distinct peers
 * among them that are not in `options.exclude`. A relay that fails or takes
 * longer than {@link PEERS_TIMEOUT_MS} is left out (`relays.answered` says how
 * many counted); a record whose `ID` is not a PeerId is not counted.
 *
 * @throws {ProvidersUnavailableError} when no relay answered
 */
export async function countPeers (root: string, options: CountPeersOptions): Promise<SitePeers> {
  const urls = options.bases.map(base => new URL(`${base}${PROVIDERS_PATH}${encodeURIComponent(root)}`))
  const { answers, reasons } = await askRelays(urls, async res => providerIds(await res.json()), {
    timeoutMs: PEERS_TIMEOUT_MS,
    accept: JSON_MEDIA_TYPE,
    signal: options.signal,
    fetch: options.fetch
  })
  if (answers.length === 0) {
    throw new ProvidersUnavailableError(root, reasons)
  }
  const excluded = new Set(options.exclude.flatMap(id => normalPeerId(id) ?? []))
  const peers = new Set(answers.flat().filter(id => !excluded.has(id)))
  return { root, peers: peers.size, relays: { answered: answers.length, asked: urls.length } }
}

/**
 * The PeerIds (normal string form) of a providers answer's records; `null`
 * or absent `Providers` is none (the spec allows both).
 *
 * @throws {TypeError} when the answer is not a providers answer
 */
function providerIds (body: unknown): string[] {
  const providers = (body as { Providers?: unknown } | null)?.Providers
  if (providers == null) {
    return []
  }
  if (!Array.isArray(providers)) {
    throw new TypeError('not a providers answer')
  }
  return providers.flatMap((record: { ID?: unknown } | null) => typeof record?.ID === 'string' ? normalPeerId(record.ID) ?? [] : [])
}

/** `id` as `PeerId.toString()` writes it (a CIDv1 `libp2p-key` form becomes base58btc), or `undefined` when it is not a PeerId. */
function normalPeerId (id: string): string | undefined {
  try {
    return peerIdFromString(id).toString()
  } catch {
    return undefined
  }
}

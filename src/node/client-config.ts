import { DEFAULT_POW_BITS } from '../naming/pow.js'
import { ConfigUnavailableError } from './errors.js'

/** Path of the client configuration every origin serves (see `relay/http.ts`). */
export const CONFIG_PATH = '/_wia/config.json'

/** What `/_wia/config.json` holds. */
export interface ClientConfig {
  /** Relay multiaddrs, each ending in `/p2p/<PeerId>`. */
  relays: string[]
  /** Host suffix of site origins. */
  gatewaySuffix: string
  /** Whether to dial `ws://` and loopback/private addresses. */
  allowLocal: boolean
  /** Least proof-of-work difficulty (leading zero bits) the relays demand of a new name. */
  powBits: number
  /** Time without visitors after which a hosting tab's node sleeps (ms); absent: the app's default. */
  hostIdleMs?: number
  /**
   * The site this origin serves when it is a custom domain (`www.alice.example`
   * → `alice.wia.home`, from the domain's `_wia` TXT record as the relay
   * checked it); absent on WIA site origins, whose host names the site.
   */
  site?: string
  /**
   * The host custom domains point to (their CNAME target), when the relay
   * serves custom domains; absent: it does not.
   */
  customDomainTarget?: string
  /**
   * HTTP gateways of other relays (base URLs ending in `/_wia/`, answering with
   * CORS), asked after the origin's own relay (`docs/http.md`).
   */
  gateways?: string[]
}


/**
 * Fetch the client configuration from an origin's own server (used by the app
 * and by every site service worker).
 *
 * @throws {ConfigUnavailableError} when the server cannot be reached or answers badly
 */
export async function loadClientConfig (origin: string, options: { signal?: AbortSignal, cache?: RequestInit['cache'] } = {}): Promise<ClientConfig> {
  let body: unknown
  try {
    const res = await fetch(new URL(CONFIG_PATH, origin), { cache: options.cache ?? 'no-store', signal: options.signal })
    if (!res.ok) {
      throw new Error(`HTTP ${res.status}`)
    }
    body = await res.json()
  } catch (err) {
    throw new ConfigUnavailableError(`Could not load ${CONFIG_PATH} from ${origin}`, { cause: err })
  }
  const config = body as Partial<ClientConfig>
  if (!Array.isArray(config.relays) || typeof config.gatewaySuffix !== 'string') {
    throw new ConfigUnavailableError(`${CONFIG_PATH} from ${origin} is malformed`)
  }
  return {
    relays: config.relays.filter((r): r is string => typeof r === 'string'),
    gatewaySuffix: config.gatewaySuffix,
    allowLocal: config.allowLocal === true,
    powBits: typeof config.powBits === 'number' ? config.powBits : DEFAULT_POW_BITS,
    ...(typeof config.hostIdleMs === 'number' && config.hostIdleMs > 0 ? { hostIdleMs: config.hostIdleMs } : {}),
    ...(typeof config.site === 'string' ? { site: config.site } : {}),
    ...(typeof config.customDomainTarget === 'string' ? { customDomainTarget: config.customDomainTarget } : {}),
    ...(Array.isArray(config.gateways) ? { gateways: config.gateways.filter((g): g is string => typeof g === 'string') } : {})
  }
}

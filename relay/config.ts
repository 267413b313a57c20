import { parseArgs } from 'node:util'
import proxyaddr from 'proxy-addr'
import { DEFAULT_CACHE_SIZE_BYTES } from '../src/cache/index.js'
import { DEFAULT_POW_BITS } from '../src/naming/index.js'
import { readTestClock } from './clock.js'
import type { TestClockInit } from './clock.js'

/** Default HTTP port of the app and site gateway. */
export const DEFAULT_HTTP_PORT = 8080
/** Default WebSocket port of the relay's libp2p node. */
export const DEFAULT_RELAY_PORT = 9090
/** Default address both servers bind to: loopback only. */
export const DEFAULT_HOST = '127.0.0.1'
/** Default address both servers bind to in public mode: every IPv4 interface. */
export const DEFAULT_PUBLIC_HOST = '0.0.0.0'
/** Default HTTPS port in public mode: the app, site origins and `wss` for libp2p share it. */
export const DEFAULT_PUBLIC_HTTPS_PORT = 443
/** Default plain HTTP port in public mode: redirects to HTTPS and answers ACME HTTP-01 challenges. */
export const DEFAULT_PUBLIC_HTTP_PORT = 80
/**
 * The port a TLS-terminating reverse proxy in front of the relay
 * (`--behind-proxy`) takes HTTPS and `wss` on: the app's URL and the
 * announced multiaddr name it.
 */
export const PROXY_PUBLIC_PORT = 443
/**
 * Default proxies whose `X-Forwarded-For` a relay `--behind-proxy` believes:
 * a proxy on the same machine (`proxy-addr`'s `loopback`: 127.0.0.0/8 and ::1).
 */
export const DEFAULT_TRUSTED_PROXIES = ['loopback']
/**
 * Default ACME directory for custom-domain certificates: Let's Encrypt
 * (RFC 8555). Tests point `--acme-directory` at a test CA.
 */
export const DEFAULT_ACME_DIRECTORY = 'https://acme-v02.api.letsencrypt.org/directory'
/** Default host suffix of site origins: `alice.wia.home.localhost`. */
export const DEFAULT_GATEWAY_SUFFIX = 'localhost'
/** Default folder for the relay's identity. */
export const DEFAULT_DATA_DIR = '.wia-data/relay'
/** Default most circuit relay reservations held at once. */
export const DEFAULT_MAX_RESERVATIONS = 1024
/**
 * Default number of visits (decayed, see `docs/caching.md`) after which a
 * relay fetches a site it does not keep yet and keeps it.
 */
export const DEFAULT_HOT_VISITS = 3

export interface RelayConfig {
  /** Address both servers bind to. */
  host: string
  /** HTTP port of the app and the site gateway (`0` picks a free one). */
  httpPort: number
  /** WebSocket port of the libp2p node (`0` picks a free one). */
  relayPort: number
  /** Folder with the built app (`dist/`); `null` runs the relay without the app server. */
  appDir: string | null
  /** Folder that keeps the relay's private key so its PeerId survives restarts. */
  dataDir: string
  /** Host suffix of site origins. */
  gatewaySuffix: string
  /** Extra relays the app and service workers use besides this one (multiaddrs with `/p2p/`). */
  extraRelays: string[]
  /**
   * HTTP gateways of other relays (base URLs ending in `/_wia/`) site workers
   * ask after this one; public relays among `extraRelays` are added by themselves.
   */
  relayGateways: string[]
  /** Most circuit relay reservations held at once. */
  maxReservations: number
  /** Other relays to join in one DHT (multiaddrs with `/p2p/`). */
  bootstrap: string[]
  /** Least proof-of-work difficulty (leading zero bits) of a new name registration. */
  powBits: number
  /** Bound on the bytes of the sites the relay keeps in its block cache (`<dataDir>/blocks`); 0 keeps none. */
  cacheSize: number
  /** Visits after which the relay keeps a site it was not asked to keep. */
  hotVisits: number
  /** Told to the app: time without visitors after which a hosting tab sleeps (ms); `undefined`: the app's default (5 min). */
  hostIdleMs?: number
  /** Public mode (`--public-domain`); `undefined` runs the local relay of `npm start`. */
  public?: PublicConfig
  /**
   * **Test-only** simulated clock (`WIA_TEST_CLOCK_*`, `relay/clock.ts`):
   * the relay runs "on day N" of a test, or a week in a minute. Refused in
   * public mode. `undefined`: the real clock.
   */
  testClock?: TestClockInit
}

/**
 * A relay run as a public service on a domain (README "Run a public relay"):
 * HTTPS on {@link RelayConfig.httpPort} for the app (`https://<domain>/`),
 * site origins (`https://<label>.wia.<tld>.<domain>/`) and libp2p's `wss`
 * WebSocket upgrades; plain HTTP on {@link PublicConfig.redirectPort}. libp2p's
 * own WebSocket listener then listens on loopback at
 * {@link RelayConfig.relayPort} and is reached only through the HTTPS port.
 */
export interface PublicConfig {
  /** The relay's domain, e.g. `example.org`; also the gateway suffix of site origins. */
  domain: string
  /** Who terminates TLS: the relay itself (`--tls-cert`) or a reverse proxy in front of it (`--behind-proxy`). */
  tls: OwnTls | ProxyTls
  /** Multiaddrs (without `/p2p/`) the relay announces; default `/dns4/<domain>/tcp/<https port>/tls/ws`. */
  announce: string[]
  /** ACME directory URL for custom-domain certificates (HTTP-01). */
  acmeDirectory: string
  /** Contact address given to the ACME CA, if any. */
  acmeEmail?: string
  /**
   * Serve custom domains whose `_wia` TXT record names a registered site,
   * ordering their certificates from {@link PublicConfig.acmeDirectory}
   * (turning this on agrees to that CA's terms of service).
   */
  customDomains: boolean
}

/** The relay terminates TLS itself: HTTPS on {@link RelayConfig.httpPort}, plain HTTP on {@link OwnTls.redirectPort}. */
export interface OwnTls {
  mode: 'own'
  /** PEM certificate chain file (SANs: the domain and `*.wia.<tld>.<domain>` per TLD); reloaded when it changes. */
  certFile: string
  /** PEM private key file of {@link OwnTls.certFile}. */
  keyFile: string
  /** Plain HTTP port: redirects to HTTPS, ACME HTTP-01 challenges, custom-domain refusals (`0` picks a free one). */
  redirectPort: number
}

/**
 * A reverse proxy terminates TLS on port {@link PROXY_PUBLIC_PORT} and passes
 * requests and WebSocket upgrades to the relay's plain HTTP port
 * ({@link RelayConfig.httpPort}, on loopback by default); it orders the
 * certificates, custom domains' too, and redirects port 80.
 */
export interface ProxyTls {
  mode: 'proxy'
  /**
   * The proxies whose `X-Forwarded-For` header names the client (`proxy-addr`
   * trust values: addresses, CIDR ranges, `loopback`, `linklocal`,
   * `uniquelocal`); a request from any other address is taken as from that
   * address, whatever its headers say.
   */
  trustedProxies: string[]
}

/**
 * Read the relay configuration from command-line flags, then environment
 * variables, then defaults.
 *
 * | flag | env | default |
 * |---|---|---|
 * | `--port` | `PORT` | 8080 |
 * | `--relay-port` | `RELAY_PORT` | 9090 |
 * | `--host` | `HOST` | 127.0.0.1 |
 * | `--app-dir` | `APP_DIR` | `dist` (`--no-app` for none) |
 * | `--data-dir` | `DATA_DIR` | `.wia-data/relay` |
 * | `--gateway-suffix` | `GATEWAY_SUFFIX` | `localhost` |
 * | `--relay` (repeatable) | `WIA_RELAYS` (comma separated) | none |
 * | `--relay-gateway` (repeatable) | `WIA_RELAY_GATEWAYS` (comma separated) | none |
 * | `--max-reservations` | `MAX_RESERVATIONS` | 1024 |
 * | `--bootstrap` (repeatable) | `WIA_BOOTSTRAP` (comma separated) | none |
 * | `--pow-bits` | `POW_BITS` | `DEFAULT_POW_BITS` (20) |
 * | `--cache-size` (bytes, or with a unit: `500MB`, `1GiB`; `0`: no cache) | `CACHE_SIZE` | 1 GiB |
 * | `--hot-visits` | `HOT_VISITS` | 3 |
 * | `--host-idle-ms` | `HOST_IDLE_MS` | the app's default, 300000 (5 min) |
 * | `--public-domain` | `PUBLIC_DOMAIN` | none: local mode |
 * | `--tls-cert`, `--tls-key` | `TLS_CERT`, `TLS_KEY` | required in public mode, unless `--behind-proxy` |
 * | `--behind-proxy` | `BEHIND_PROXY` (`1`/`true`) | off: the relay terminates TLS |
 * | `--trusted-proxy` (repeatable) | `WIA_TRUSTED_PROXIES` (comma separated) | `loopback` |
 * | `--http-port` | `HTTP_PORT` | 80 in public mode |
 * | `--announce` (repeatable) | `WIA_ANNOUNCE` (comma separated) | `/dns4/<domain>/tcp/<port>/tls/ws` |
 * | `--acme-directory` | `ACME_DIRECTORY` | Let's Encrypt |
 * | `--acme-email` | `ACME_EMAIL` | none |
 * | `--custom-domains` | `CUSTOM_DOMAINS` (`1`/`true`) | off |
 * | (test-only) | `WIA_TEST_CLOCK_SCALE`, `WIA_TEST_CLOCK_EPOCH_MS`, `WIA_TEST_CLOCK_OFFSET_MS` | the real clock |
 *
 * In public mode `--port` defaults to 443, `--host` to `0.0.0.0`, the
 * gateway suffix is the public domain and `--relay-port` (libp2p's loopback
 * WebSocket listener behind the HTTPS port) defaults to a free port. Behind
 * a proxy, `--port` (plain HTTP, what the proxy passes to) defaults to 8080
 * and `--host` to `127.0.0.1`.
 *
 * The test clock (`relay/clock.ts`) exists for tests that simulate days
 * (`npm run stress`, seven days): a public relay refuses it.
 *
 * @throws {Error} with a message naming the flag, when a value is malformed, public mode lacks its certificate (or is given one behind a proxy) or is given a test clock
 */
export function readConfig (argv: string[], env: NodeJS.ProcessEnv): RelayConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'relay-port': { type: 'string' },
      host: { type: 'string' },
      'app-dir': { type: 'string' },
      'no-app': { type: 'boolean' },
      'data-dir': { type: 'string' },
      'gateway-suffix': { type: 'string' },
      relay: { type: 'string', multiple: true },
      'relay-gateway': { type: 'string', multiple: true },
      'max-reservations': { type: 'string' },
      bootstrap: { type: 'string', multiple: true },
      'pow-bits': { type: 'string' },
      'cache-size': { type: 'string' },
      'hot-visits': { type: 'string' },
      'host-idle-ms': { type: 'string' },
      'public-domain': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'http-port': { type: 'string' },
      announce: { type: 'string', multiple: true },
      'acme-directory': { type: 'string' },
      'acme-email': { type: 'string' },
      'custom-domains': { type: 'boolean' },
      'behind-proxy': { type: 'boolean' },
      'trusted-proxy': { type: 'string', multiple: true }
    },
    strict: true
  })

  const domain = toDomain(values['public-domain'] ?? env.PUBLIC_DOMAIN)
  const testClock = readTestClock(env)
  if (domain != null && testClock != null) {
    throw new Error('WIA_TEST_CLOCK_* set a simulated clock for tests; a public relay runs on the real clock only')
  }
  const behindProxy = values['behind-proxy'] ?? isOn(env.BEHIND_PROXY)
  if (behindProxy && domain == null) {
    throw new Error('--behind-proxy needs --public-domain: it runs a public relay whose TLS a reverse proxy terminates (see README "Behind a reverse proxy")')
  }
  const ownTls = domain != null && !behindProxy
  const httpPort = toPort(values.port ?? env.PORT, ownTls ? DEFAULT_PUBLIC_HTTPS_PORT : DEFAULT_HTTP_PORT, 'port')
  return {
    host: values.host ?? env.HOST ?? (ownTls ? DEFAULT_PUBLIC_HOST : DEFAULT_HOST),
    httpPort,
    relayPort: toPort(values['relay-port'] ?? env.RELAY_PORT, domain == null ? DEFAULT_RELAY_PORT : 0, 'relay-port'),
    appDir: values['no-app'] === true ? null : (values['app-dir'] ?? env.APP_DIR ?? 'dist'),
    dataDir: values['data-dir'] ?? env.DATA_DIR ?? DEFAULT_DATA_DIR,
    gatewaySuffix: domain ?? values['gateway-suffix'] ?? env.GATEWAY_SUFFIX ?? DEFAULT_GATEWAY_SUFFIX,
    extraRelays: values.relay ?? splitList(env.WIA_RELAYS),
    relayGateways: (values['relay-gateway'] ?? splitList(env.WIA_RELAY_GATEWAYS)).map(toGatewayBase),
    maxReservations: toPositiveInt(values['max-reservations'] ?? env.MAX_RESERVATIONS, DEFAULT_MAX_RESERVATIONS, 'max-reservations'),
    bootstrap: values.bootstrap ?? splitList(env.WIA_BOOTSTRAP),
    powBits: toPowBits(values['pow-bits'] ?? env.POW_BITS),
    cacheSize: toBytes(values['cache-size'] ?? env.CACHE_SIZE, DEFAULT_CACHE_SIZE_BYTES, 'cache-size'),
    hotVisits: toPositiveInt(values['hot-visits'] ?? env.HOT_VISITS, DEFAULT_HOT_VISITS, 'hot-visits'),
    hostIdleMs: optionalPositiveInt(values['host-idle-ms'] ?? env.HOST_IDLE_MS, 'host-idle-ms'),
    ...(testClock == null ? {} : { testClock }),
    ...(domain == null
      ? {}
      : {
          public: {
            domain,
            tls: behindProxy
              ? proxyTls(values, env)
              : {
                  mode: 'own',
                  certFile: required(values['tls-cert'] ?? env.TLS_CERT, 'tls-cert'),
                  keyFile: required(values['tls-key'] ?? env.TLS_KEY, 'tls-key'),
                  redirectPort: toPort(values['http-port'] ?? env.HTTP_PORT, DEFAULT_PUBLIC_HTTP_PORT, 'http-port')
                },
            announce: values.announce ?? splitList(env.WIA_ANNOUNCE),
            acmeDirectory: values['acme-directory'] ?? env.ACME_DIRECTORY ?? DEFAULT_ACME_DIRECTORY,
            customDomains: values['custom-domains'] ?? isOn(env.CUSTOM_DOMAINS),
            ...optional('acmeEmail', values['acme-email'] ?? env.ACME_EMAIL)
          }
        })
  }
}

/** A relay's HTTP gateway base URL, ending in `/_wia/` (`https://relay.example.org` → `https://relay.example.org/_wia/`). */
function toGatewayBase (value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error(`--relay-gateway must be a URL like https://relay.example.org/_wia/, got "${value}"`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`--relay-gateway must be an http(s) URL, got "${value}"`)
  }
  const path = url.pathname.replace(/\/+$/, '')
  return `${url.origin}${path.endsWith('/_wia') ? path : `${path}/_wia`}/`
}

/** A public domain: lowercase DNS name of at least two labels, no scheme, port or path. */
function toDomain (value: string | undefined): string | undefined {
  if (value == null || value === '') {
    return undefined
  }
  const domain = value.toLowerCase().replace(/\.$/, '')
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(domain)) {
    throw new Error(`--public-domain must be a domain name like example.org (no scheme, port or path), got "${value}"`)
  }
  return domain
}

/** Behind a proxy: which proxies to believe; the certificate and port 80 are the proxy's, so their flags are refused rather than ignored. */
function proxyTls (values: { 'tls-cert'?: string, 'tls-key'?: string, 'http-port'?: string, 'trusted-proxy'?: string[] }, env: NodeJS.ProcessEnv): ProxyTls {
  for (const flag of ['tls-cert', 'tls-key', 'http-port'] as const) {
    if (values[flag] != null) {
      throw new Error(`--${flag} does not go with --behind-proxy: the proxy terminates TLS and answers port 80 (see README "Behind a reverse proxy")`)
    }
  }
  const trustedProxies = values['trusted-proxy'] ?? splitList(env.WIA_TRUSTED_PROXIES)
  try {
    // proxy-addr's own check: an address, a CIDR range or one of its names
    proxyaddr.compile(trustedProxies)
  } catch (err) {
    throw new Error(`--trusted-proxy takes addresses, CIDR ranges, loopback, linklocal or uniquelocal: ${(err as Error).message}`, { cause: err })
  }
  return { mode: 'proxy', trustedProxies: trustedProxies.length > 0 ? trustedProxies : DEFAULT_TRUSTED_PROXIES }
}

function isOn (value: string | undefined): boolean {
  return ['1', 'true', 'yes'].includes((value ?? '').toLowerCase())
}

function required (value: string | undefined, what: string): string {
  if (value == null || value === '') {
    throw new Error(`--${what} is required with --public-domain: the relay serves HTTPS and wss from it (see README "Run a public relay"); with a reverse proxy that terminates TLS, use --behind-proxy instead`)
  }
  return value
}

function optional<K extends string> (key: K, value: string | undefined): Partial<Record<K, string>> {
  return value == null || value === '' ? {} : { [key]: value } as Record<K, string>
}

function toPort (value: string | undefined, fallback: number, what: string): number {
  if (value == null || value === '') {
    return fallback
  }
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--${what} must be a port number from 0 to 65535, got "${value}"`)
  }
  return port
}

function toPositiveInt (value: string | undefined, fallback: number, what: string): number {
  if (value == null || value === '') {
    return fallback
  }
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new Error(`--${what} must be a positive integer, got "${value}"`)
  }
  return n
}

function optionalPositiveInt (value: string | undefined, what: string): number | undefined {
  return value == null || value === '' ? undefined : toPositiveInt(value, 0, what)
}

function splitList (value: string | undefined): string[] {
  return (value ?? '').split(',').map(s => s.trim()).filter(s => s !== '')
}

function toPowBits (value: string | undefined): number {
  if (value == null || value === '') {
    return DEFAULT_POW_BITS
  }
  const bits = Number(value)
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) {
    throw new Error(`--pow-bits must be an integer from 0 to 32, got "${value}"`)
  }
  return bits
}

const UNITS: Record<string, number> = {
  '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4
}

/** `1073741824`, `500MB`, `1 GiB` → bytes (SI units are powers of 1000, IEC units of 1024). */
export function toBytes (value: string | undefined, fallback: number, what: string): number {
  if (value == null || value === '') {
    return fallback
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value)
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'none']
  const bytes = match == null || unit == null ? NaN : Math.floor(Number(match[1]) * unit)
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new Error(`--${what} must be a size in bytes, like 1073741824, 500MB or 1GiB; got "${value}"`)
  }
  return bytes
}

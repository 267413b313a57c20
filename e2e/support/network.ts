import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from './chromium.js'
import { TEST_POW_BITS, startRelay } from './relay-process.js'
import type { RelayProcess } from './relay-process.js'
import type { Browser, BrowserContext, BrowserContextOptions } from '@playwright/test'

const run = promisify(execFile)
const NET_DIR = resolve('e2e/net')
/** Tools the test network needs (e2e/net/up.sh checks them too). */
const TOOLS = ['ip', 'iptables', 'dnsmasq', 'pebble', 'certutil', 'openssl', 'curl']
/**
 * Default namespace prefix of an e2e network (`wiae2e-cloud`, …), apart from
 * a developer's `wia-*` one. Specs that run at the same time (Playwright's
 * two workers) each pass a prefix of their own.
 */
const NET_PREFIX = 'wiae2e'

/** The variables `e2e/net/up.sh` writes to `<state>/env`. */
export interface NetworkEnv {
  WIA_NET_DIR: string
  WIA_NS_CLOUD: string
  WIA_NS_HOME: string
  WIA_NS_PHONE: string
  WIA_CLOUD_IP: string
  WIA_HOME_PUBLIC_IP: string
  WIA_PHONE_PUBLIC_IP: string
  WIA_DOMAIN: string
  WIA_CA_CERT: string
  WIA_RELAY_CERT: string
  WIA_RELAY_KEY: string
  WIA_ACME_DIRECTORY: string
  WIA_BROWSER_HOME_HOME: string
  WIA_BROWSER_HOME_PHONE: string
  WIA_CHROMIUM: string
  [key: string]: string
}

/** Why the test network cannot be built here, or `undefined` when it can. */
export function networkSkipReason (): string | undefined {
  if (process.platform !== 'linux') {
    return 'the test network needs Linux network namespaces'
  }
  if (process.getuid?.() !== 0) {
    return 'the test network needs root (ip netns, iptables); CI runs the tests as root'
  }
  const missing = TOOLS.filter(tool => !['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some(dir => existsSync(join(dir, tool))))
  if (missing.length > 0) {
    return `the test network needs ${missing.join(', ')} (Debian: iproute2 iptables dnsmasq-base pebble libnss3-tools openssl curl; .ci/run installs them)`
  }
  return undefined
}

/** Which side of the test network a browser runs on. */
export type Place = 'home' | 'phone'

/** A small internet in network namespaces (e2e/net/README.md), up for one spec. */
export interface TestNetwork {
  env: NetworkEnv
  /** Replace the extra DNS records (dnsmasq lines, e.g. `txt-record=_wia.www.alice.test,"wia=alice.wia.home"`). */
  dns(lines: string[]): Promise<void>
  /** Headless Chromium inside `place`'s namespace, trusting the test CA and pebble through its own NSS database. */
  launchBrowser(place: Place): Promise<Browser>
  /**
   * Chromium with a persistent profile inside `place`'s namespace (what the
   * installability check needs: Chromium reports every context of a plain
   * launch as `in-incognito`).
   */
  launchPersistent(place: Place, options?: BrowserContextOptions): Promise<BrowserContext>
  /** A public relay inside the cloud namespace, on 443/80 of the cloud's address. */
  startRelay(extraArgs?: string[]): Promise<RelayProcess>
  /**
   * A public relay inside the cloud namespace behind a TLS-terminating
   * reverse proxy (`--behind-proxy`): plain HTTP on the namespace's
   * 127.0.0.1:`port`, for a proxy on 443/80 of the cloud's address.
   */
  startRelayBehindProxy(port: number, extraArgs?: string[], env?: Record<string, string>): Promise<RelayProcess>
  /**
   * A plain HTTP(S) client as a person's `curl` is: real curl inside
   * `place`'s namespace (`cloud`: beside the relay, as its reverse proxy or a monitor), trusting the test CA, no redirects followed. The
   * answer's headers have lower-case names (the last of a repeated one).
   */
  curl(place: Place | 'cloud', url: string, headers?: Record<string, string>): Promise<CurlAnswer>
  /** Remove every namespace, link and process the network made. */
  down(): Promise<void>
}

/** What {@link TestNetwork.curl} got. */
export interface CurlAnswer {
  /** As curl's status line names it: `HTTP/2`, `HTTP/1.1`. */
  protocol: string
  status: number
  headers: Record<string, string>
  body: Buffer
}

/**
 * Bring the test network up (`e2e/net/up.sh`); tear it down with
 * {@link TestNetwork.down}, also when a test fails. A network left by a run
 * killed before its teardown, under the same `prefix`, is removed first.
 *
 * @param prefix - namespace prefix (at most 16 of `a-z0-9-`): one per spec, so two specs' networks can be up side by side
 */
export async function startTestNetwork (prefix = NET_PREFIX): Promise<TestNetwork> {
  const dir = await mkdtemp(join(tmpdir(), 'wia-net-'))
  const scriptEnv = { ...process.env, WIA_NET_PREFIX: prefix }
  // a run killed before its teardown left its namespaces: remove them first
  await run('bash', [join(NET_DIR, 'down.sh'), '--keep-state', dir], { env: scriptEnv }).catch(() => {})
  try {
    await run('bash', [join(NET_DIR, 'up.sh'), dir], { env: scriptEnv })
  } catch (err) {
    await run('bash', [join(NET_DIR, 'down.sh'), dir], { env: scriptEnv }).catch(() => {})
    throw new Error(`the test network did not come up: ${(err as { stderr?: string }).stderr ?? String(err)}`, { cause: err })
  }
  const env = parseEnv(readFileSync(join(dir, 'env'), 'utf8')) as NetworkEnv
  const browsers: Array<Browser | BrowserContext> = []
  const browserEnv = (place: Place): Record<string, string | undefined> => ({
    ...process.env,
    WIA_NETNS: place === 'home' ? env.WIA_NS_HOME : env.WIA_NS_PHONE,
    WIA_BROWSER_HOME: place === 'home' ? env.WIA_BROWSER_HOME_HOME : env.WIA_BROWSER_HOME_PHONE,
    WIA_CHROMIUM_BIN: chromiumPath() ?? chromium.executablePath()
  })

  return {
    env,
    async dns (lines) {
      await run('bash', [join(NET_DIR, 'dns.sh'), dir, ...lines], { env: scriptEnv })
    },
    async launchBrowser (place) {
      const browser = await chromium.launch({ executablePath: env.WIA_CHROMIUM, args: CHROMIUM_ARGS, env: browserEnv(place) })
      browsers.push(browser)
      return browser
    },
    async launchPersistent (place, options = {}) {
      const profile = await mkdtemp(join(dir, `profile-${place}-`))
      const context = await chromium.launchPersistentContext(profile, { ...options, executablePath: env.WIA_CHROMIUM, args: CHROMIUM_ARGS, env: browserEnv(place) })
      browsers.push(context)
      return context
    },
    async startRelayBehindProxy (port, extraArgs = [], relayEnv = {}) {
      return await startRelay({
        launcher: ['ip', 'netns', 'exec', env.WIA_NS_CLOUD],
        httpPort: port,
        env: relayEnv,
        extraArgs: ['--public-domain', env.WIA_DOMAIN, '--behind-proxy', '--relay-port', '0', '--pow-bits', String(TEST_POW_BITS), ...extraArgs]
      })
    },
    async startRelay (extraArgs = []) {
      return await startRelay({
        launcher: ['ip', 'netns', 'exec', env.WIA_NS_CLOUD],
        // the relay trusts the test CA that signed pebble's ACME API (a real relay trusts Let's Encrypt's)
        env: { NODE_EXTRA_CA_CERTS: env.WIA_CA_CERT },
        extraArgs: [
          '--public-domain', env.WIA_DOMAIN,
          '--tls-cert', env.WIA_RELAY_CERT,
          '--tls-key', env.WIA_RELAY_KEY,
          '--host', env.WIA_CLOUD_IP,
          '--port', '443',
          '--http-port', '80',
          '--relay-port', '0',
          '--pow-bits', String(TEST_POW_BITS),
          '--custom-domains',
          '--acme-directory', env.WIA_ACME_DIRECTORY,
          ...extraArgs
        ]
      })
    },
    async curl (place, url, headers = {}) {
      const out = await mkdtemp(join(dir, 'curl-'))
      const ns = { home: env.WIA_NS_HOME, phone: env.WIA_NS_PHONE, cloud: env.WIA_NS_CLOUD }[place]
      const headerArgs = Object.entries(headers).flatMap(([key, value]) => ['-H', `${key}: ${value}`])
      await run('ip', ['netns', 'exec', ns, 'curl', '-sS', '--max-time', '30', '--cacert', env.WIA_CA_CERT, '-D', join(out, 'headers'), '-o', join(out, 'body'), ...headerArgs, url])
      const head = readFileSync(join(out, 'headers'), 'latin1').split('\r\n')
      const [protocol = '', status] = head[0]?.split(' ') ?? []
      const answer: CurlAnswer = { protocol, status: Number(status), headers: {}, body: existsSync(join(out, 'body')) ? readFileSync(join(out, 'body')) : Buffer.alloc(0) }
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':')
        if (colon > 0) answer.headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      return answer
    },
    async down () {
      await Promise.allSettled(browsers.map(async browser => { await browser.close() }))
      await run('bash', [join(NET_DIR, 'down.sh'), dir], { env: scriptEnv })
    }
  }
}

function parseEnv (text: string): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim())
    if (match != null) {
      vars[match[1]!] = match[2]!
    }
  }
  return vars
}

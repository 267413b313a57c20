import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import type { TestNetwork } from './network.js'

const run = promisify(execFile)

/** The reverse proxies README "Behind a reverse proxy" ships a configuration for. */
export type ProxyKind = 'nginx' | 'caddy'

const BINARIES: Record<ProxyKind, string> = { nginx: '/usr/sbin/nginx', caddy: '/usr/bin/caddy' }
const PACKAGES: Record<ProxyKind, string> = { nginx: 'nginx-light', caddy: 'caddy' }

/** Why the reverse-proxy tests cannot run here, or `undefined` when they can. */
export function reverseProxySkipReason (): string | undefined {
  const missing = (Object.keys(BINARIES) as ProxyKind[]).filter(kind => !existsSync(BINARIES[kind]))
  return missing.length === 0 ? undefined : `the reverse-proxy test needs ${missing.join(' and ')} (Debian: ${missing.map(kind => PACKAGES[kind]).join(' ')}; .ci/run installs them)`
}

export interface ReverseProxy {
  /** Its log so far (for a failing test's message). */
  log(): Promise<string>
  stop(): Promise<void>
}

/**
 * A real reverse proxy in the test network's cloud namespace, on 443 and 80
 * of every address there, running the configuration the README ships
 * (`deploy/nginx-wia-relay.conf`, `deploy/Caddyfile`) with only the domain,
 * the certificate files and the relay's port put in (and, for Caddy, the
 * test network's ACME CA). Its state is in a folder of the network's state
 * dir, removed with it; `down.sh` kills it with the namespace too.
 */
export async function startReverseProxy (net: TestNetwork, kind: ProxyKind, relayPort: number): Promise<ReverseProxy> {
  const dir = await mkdtemp(join(net.env.WIA_NET_DIR, `${kind}-`))
  const logFile = join(dir, 'proxy.log')
  const args = kind === 'nginx' ? await nginxConfig(net, dir, relayPort, logFile) : await caddyConfig(net, dir, relayPort)
  const child = spawn('ip', ['netns', 'exec', net.env.WIA_NS_CLOUD, BINARIES[kind], ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Caddy keeps its data (certificates, ACME account) under XDG_DATA_HOME
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') }
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const log = async (): Promise<string> => `${await readFile(logFile, 'utf8').catch(() => '')}${stderr}`
  // listening once the plain HTTP port answers with its redirect
  const deadline = Date.now() + 15_000
  for (;;) {
    const status = await run('ip', ['netns', 'exec', net.env.WIA_NS_CLOUD, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', `host: ${net.env.WIA_DOMAIN}`, `http://${net.env.WIA_CLOUD_IP}/`]).then(r => r.stdout, () => '')
    if (status === '301' || status === '308') break
    if (child.exitCode != null || Date.now() > deadline) {
      child.kill()
      throw new Error(`${kind} did not start: ${await log()}`)
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return {
    log,
    async stop () {
      if (child.exitCode != null) return
      const exited = once(child, 'exit')
      // nginx: fast shutdown (a graceful one waits for every WebSocket it passes on); Caddy: graceful, bounded here
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
  }
}

/** `deploy/nginx-wia-relay.conf` inside the least main configuration nginx runs with; returns nginx's arguments. */
async function nginxConfig (net: TestNetwork, dir: string, relayPort: number, logFile: string): Promise<string[]> {
  const site = (await readFile(resolve('deploy/nginx-wia-relay.conf'), 'utf8'))
    .replaceAll('example.org', net.env.WIA_DOMAIN)
    .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${net.env.WIA_RELAY_CERT};`)
    .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${net.env.WIA_RELAY_KEY};`)
    .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${relayPort};`)
  await writeFile(join(dir, 'wia-relay.conf'), site)
  await writeFile(join(dir, 'nginx.conf'), [
    'daemon off;',
    // workers as root: the state dir is root's alone (mkdtemp, 0700)
    'user root;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${logFile} info;`,
    'events { worker_connections 1024; }',
    'http {',
    `  access_log ${join(dir, 'access.log')};`,
    `  include ${join(dir, 'wia-relay.conf')};`,
    '}',
    ''
  ].join('\n'))
  const args = ['-p', dir, '-e', logFile, '-c', join(dir, 'nginx.conf')]
  await run('ip', ['netns', 'exec', net.env.WIA_NS_CLOUD, BINARIES.nginx, ...args, '-t'])
  return args
}

/** `deploy/Caddyfile` with the test network's ACME CA (pebble) in its global options; returns Caddy's arguments. */
async function caddyConfig (net: TestNetwork, dir: string, relayPort: number): Promise<string[]> {
  const shipped = await readFile(resolve('deploy/Caddyfile'), 'utf8')
  if (!shipped.includes('\ton_demand_tls {')) {
    throw new Error('deploy/Caddyfile has no on_demand_tls global option to add the test CA beside')
  }
  const caddyfile = shipped
    .replaceAll('example.org', net.env.WIA_DOMAIN)
    .replace(/\ttls \/etc\/letsencrypt\S+ \S+/, `\ttls ${net.env.WIA_RELAY_CERT} ${net.env.WIA_RELAY_KEY}`)
    .replaceAll('127.0.0.1:8080', `127.0.0.1:${relayPort}`)
    .replace('\ton_demand_tls {', [
      `\tacme_ca ${net.env.WIA_ACME_DIRECTORY}`,
      // pebble's API is served with a certificate from the test CA
      `\tacme_ca_root ${net.env.WIA_CA_CERT}`,
      `\tstorage file_system ${join(dir, 'data')}`,
      '\tadmin off',
      '\tskip_install_trust',
      '\tocsp_stapling off',
      '\ton_demand_tls {'
    ].join('\n'))
  await writeFile(join(dir, 'Caddyfile'), caddyfile)
  return ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile']
}

import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import type { TestNetwork } from './network.js'

const run = promisify(execFile)
/** The nginx configuration README "Behind a reverse proxy" tells operators to use. */
const SITE_CONF = resolve('deploy/nginx-wia-relay.conf')
const NGINX = '/usr/sbin/nginx'

/** Why nginx cannot run here, or `undefined` when it can. */
export function nginxSkipReason (): string | undefined {
  return existsSync(NGINX) ? undefined : 'the reverse-proxy test needs nginx (Debian: nginx-light; .ci/run installs it)'
}

export interface Nginx {
  /** Its error log so far (for a failing test's message). */
  errors(): Promise<string>
  stop(): Promise<void>
}

/**
 * Real nginx in the test network's cloud namespace, on 443 and 80 of every
 * address there, running `deploy/nginx-wia-relay.conf` as shipped with only
 * the domain, the certificate files and the relay's port put in. Its state
 * (configuration, logs, pid, temp files) is in a folder of the network's
 * state dir, removed with it; `down.sh` kills it with the namespace too.
 */
export async function startNginx (net: TestNetwork, relayPort: number): Promise<Nginx> {
  const dir = await mkdtemp(join(net.env.WIA_NET_DIR, 'nginx-'))
  const site = (await readFile(SITE_CONF, 'utf8'))
    .replaceAll('example.org', net.env.WIA_DOMAIN)
    .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${net.env.WIA_RELAY_CERT};`)
    .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${net.env.WIA_RELAY_KEY};`)
    .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${relayPort};`)
  await writeFile(join(dir, 'wia-relay.conf'), site)
  // what Debian's /etc/nginx/nginx.conf gives the http block, minus what this test does not need
  await writeFile(join(dir, 'nginx.conf'), [
    'daemon off;',
    // workers as root: the state dir is root's alone (mkdtemp, 0700)
    'user root;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} info;`,
    'events { worker_connections 1024; }',
    'http {',
    `  access_log ${join(dir, 'access.log')};`,
    `  include ${join(dir, 'wia-relay.conf')};`,
    '}',
    ''
  ].join('\n'))
  const args = ['netns', 'exec', net.env.WIA_NS_CLOUD, NGINX, '-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')]
  await run('ip', [...args, '-t'])
  const child = spawn('ip', args, { stdio: 'ignore' })
  const errors = async (): Promise<string> => await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')
  // listening once the plain HTTP port answers (its redirect)
  const deadline = Date.now() + 15_000
  for (;;) {
    const answered = await run('ip', ['netns', 'exec', net.env.WIA_NS_CLOUD, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', `http://${net.env.WIA_CLOUD_IP}/`]).then(r => r.stdout, () => '')
    if (answered === '301') break
    if (child.exitCode != null || Date.now() > deadline) {
      child.kill()
      throw new Error(`nginx did not start: ${await errors()}`)
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return {
    errors,
    async stop () {
      if (child.exitCode != null) return
      const exited = once(child, 'exit')
      child.kill('SIGQUIT')
      await exited
    }
  }
}

import { execFileSync, spawn } from 'node:child_process'
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { dns } from '@multiformats/dns'
import { crypto as acmeCrypto } from 'acme-client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAcmeCertificates } from './acme.js'
import { ACME_CHALLENGE_PATH } from './constants.js'
import { CertificateStore } from './cert-store.js'
import { systemResolver } from './system-resolver.js'
import { createCustomDomains, dnsTxtResolver } from './txt-check.js'
import type { ChildProcess } from 'node:child_process'
import type { Server } from 'node:http'

const PEBBLE = '/usr/bin/pebble'
const CHALLTESTSRV = '/usr/bin/pebble-challtestsrv'
const HAVE_PEBBLE = existsSync(PEBBLE) && existsSync(CHALLTESTSRV)
const HOST = 'www.alice.example'
const DAY_MS = 24 * 60 * 60_000

async function freeTcpPort (): Promise<number> {
  const server = createNetServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  return port
}

async function freeUdpPort (): Promise<number> {
  const socket = createSocket('udp4')
  socket.bind(0, '127.0.0.1')
  await once(socket, 'listening')
  const { port } = socket.address()
  socket.close()
  return port
}

/** A throwaway self-signed certificate (EC P-256) made with openssl. */
function selfSigned (dir: string, name: string, days: number, san: string): { keyPath: string, certPath: string } {
  const keyPath = join(dir, `${name}.key`)
  const certPath = join(dir, `${name}.crt`)
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', String(days), '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`
  ], { stdio: 'ignore' })
  return { keyPath, certPath }
}

/** Start a process and wait until its output contains `ready`. */
async function startProcess (command: string, args: string[], env: Record<string, string>, ready: string): Promise<{ child: ChildProcess, output: () => string }> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`${command} did not start:\n${output}`)) }, 5_000)
    const onData = (data: Buffer): void => {
      output += data.toString()
      if (output.includes(ready)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`${command} exited with ${code}:\n${output}`)) })
  })
  return { child, output: () => output }
}

async function stopProcess (child: ChildProcess | undefined): Promise<void> {
  if (child == null || child.exitCode != null || child.signalCode != null) {
    return
  }
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
}

/** An HTTP server that answers every request with 404 and counts them: an ACME directory that fails fast. */
async function brokenDirectory (): Promise<{ url: string, hits: () => number, server: Server }> {
  let hits = 0
  const server = createServer((_req, res) => { hits++; res.writeHead(404).end() }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/dir`, hits: () => hits, server }
}

describe('AcmeCertificates without a CA', () => {
  let dir: string
  let directory: Awaited<ReturnType<typeof brokenDirectory>>

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wia-acme-'))
    directory = await brokenDirectory()
  })

  afterEach(async () => {
    directory.server.close()
    await rm(dir, { recursive: true, force: true })
  })

  /** Store a 90-day certificate for HOST as if it had been issued before. */
  async function storeCertificate (): Promise<{ key: string, cert: string, notAfter: number }> {
    const { keyPath, certPath } = selfSigned(dir, HOST, 90, `DNS:${HOST}`)
    const stored = { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') }
    await new CertificateStore(join(dir, 'acme')).save(HOST, stored)
    return { ...stored, notAfter: new Date(new X509Certificate(stored.cert).validTo).getTime() }
  }

  it('serves a certificate stored on disk without contacting the CA', async () => {
    const stored = await storeCertificate()
    const certificates = createAcmeCertificates({ directoryUrl: directory.url, dataDir: join(dir, 'acme') })

    const certificate = await certificates.certificateFor('WWW.alice.example:443')
    expect(certificate).toEqual(stored)
    expect(await certificates.certificateFor(HOST)).toBe(certificate)
    expect(directory.hits()).toBe(0)
    expect((await stat(join(dir, 'acme', 'certs', `${HOST}.pem`))).mode & 0o777).toBe(0o600)
  })

  it('keeps serving a certificate within the renewal margin while renewal fails, and waits before ordering again', async () => {
    const stored = await storeCertificate()
    let now = Date.now() + 70 * DAY_MS // 20 days left: within the 30-day margin
    const certificates = createAcmeCertificates({ directoryUrl: directory.url, dataDir: join(dir, 'acme'), retryAfterMs: 100 * DAY_MS }, { now: () => now })

    expect((await certificates.certificateFor(HOST)).cert).toBe(stored.cert)
    const hits = directory.hits()
    expect(hits).toBeGreaterThan(0)

    // within retryAfterMs: no new order
    expect((await certificates.certificateFor(HOST)).cert).toBe(stored.cert)
    expect(directory.hits()).toBe(hits)

    // expired, and still within retryAfterMs: the earlier failure is thrown
    now = stored.notAfter + 1
    await expect(certificates.certificateFor(HOST)).rejects.toMatchObject({ name: 'CertificateIssueError', host: HOST })
    expect(directory.hits()).toBe(hits)

    // once retryAfterMs has passed: a new order
    now += 100 * DAY_MS
    await expect(certificates.certificateFor(HOST)).rejects.toMatchObject({ name: 'CertificateIssueError', host: HOST })
    expect(directory.hits()).toBeGreaterThan(hits)
  })

  it('refuses a name that is not a host', async () => {
    const certificates = createAcmeCertificates({ directoryUrl: directory.url, dataDir: dir })
    for (const host of ['../etc', '127.0.0.1', 'a/b.example', 'localhost']) {
      await expect(certificates.certificateFor(host), host).rejects.toMatchObject({ name: 'InvalidHostError' })
    }
    expect(directory.hits()).toBe(0)
  })

  it('answers no challenge it did not create', () => {
    const certificates = createAcmeCertificates({ directoryUrl: directory.url, dataDir: dir })
    expect(certificates.challengeResponse(HOST, 'unknown-token')).toBeUndefined()
  })
})

describe('AcmeCertificates with pebble', () => {
  it.skipIf(!HAVE_PEBBLE)(`issues a certificate by HTTP-01 for a host whose TXT record checks out${HAVE_PEBBLE ? '' : ` (skipped: ${PEBBLE} or ${CHALLTESTSRV} is not installed)`}`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wia-pebble-'))
    let dnsServer: ChildProcess | undefined
    let pebble: ChildProcess | undefined
    let challengeServer: Server | undefined

    try {
      // pebble's own HTTPS certificate, trusted by the ACME client below
      const tls = selfSigned(dir, 'localhost', 1, 'DNS:localhost,IP:127.0.0.1')
      const [acmePort, managementPort, httpPort, dnsManagementPort, dnsPort] = [await freeTcpPort(), await freeTcpPort(), await freeTcpPort(), await freeTcpPort(), await freeUdpPort()]
      const config = join(dir, 'pebble-config.json')
      await writeFile(config, JSON.stringify({
        pebble: {
          listenAddress: `127.0.0.1:${acmePort}`,
          managementListenAddress: `127.0.0.1:${managementPort}`,
          certificate: tls.certPath,
          privateKey: tls.keyPath,
          httpPort,
          tlsPort: await freeTcpPort(),
          ocspResponderURL: '',
          externalAccountBindingRequired: false
        }
      }))

      // a mock DNS server: every A query answers 127.0.0.1, TXT records set below
      dnsServer = (await startProcess(CHALLTESTSRV, [
        '-dns01', `127.0.0.1:${dnsPort}`, '-http01', '', '-https01', '', '-tlsalpn01', '',
        '-management', `127.0.0.1:${dnsManagementPort}`, '-defaultIPv4', '127.0.0.1', '-defaultIPv6', ''
      ], {}, 'Starting management server')).child
      pebble = (await startProcess(PEBBLE, ['-config', config, '-dnsserver', `127.0.0.1:${dnsPort}`], {
        PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0'
      }, 'Listening on')).child

      // the owner's TXT record, read back through the relay's DNS client
      const setTxt = await fetch(`http://127.0.0.1:${dnsManagementPort}/set-txt`, { method: 'POST', body: JSON.stringify({ host: `_wia.${HOST}.`, value: 'wia=alice.wia.home' }) })
      expect(setTxt.ok).toBe(true)
      const domains = createCustomDomains({}, { resolveTxt: dnsTxtResolver(dns({ resolvers: { '.': systemResolver({ servers: () => [`127.0.0.1:${dnsPort}`] }) } })) })
      expect(await domains.siteFor(HOST)).toBe('alice.wia.home')

      const certificates = createAcmeCertificates({
        directoryUrl: `https://127.0.0.1:${acmePort}/dir`,
        dataDir: join(dir, 'acme'),
        email: 'ops@example.org',
        termsOfServiceAgreed: true,
        caCertificates: await readFile(tls.certPath, 'utf8')
      })

      // the relay's port-80 server, on the port pebble validates against
      let challengeHits = 0
      challengeServer = createServer((req, res) => {
        const path = req.url ?? ''
        const answer = path.startsWith(ACME_CHALLENGE_PATH) ? certificates.challengeResponse(req.headers.host ?? '', path.slice(ACME_CHALLENGE_PATH.length)) : undefined
        if (answer == null) {
          res.writeHead(404).end()
          return
        }
        challengeHits++
        res.writeHead(200, { 'content-type': 'text/plain' }).end(answer)
      }).listen(httpPort, '127.0.0.1')
      await once(challengeServer, 'listening')

      const [issued, shared] = await Promise.all([certificates.certificateFor(HOST), certificates.certificateFor(HOST)])
      expect(shared).toBe(issued) // one order for both callers
      expect(challengeHits).toBeGreaterThan(0)

      const [leafPem, intermediatePem] = acmeCrypto.splitPemChain(issued.cert)
      const leaf = new X509Certificate(leafPem ?? '')
      expect(leaf.subjectAltName).toBe(`DNS:${HOST}`)
      expect(leaf.checkPrivateKey(createPrivateKey(issued.key))).toBe(true)
      expect(leaf.checkIssued(new X509Certificate(intermediatePem ?? ''))).toBe(true)
      expect(issued.notAfter).toBe(new Date(leaf.validTo).getTime())

      // again: from memory, with no new order
      expect(await certificates.certificateFor(HOST)).toBe(issued)

      // after a restart: from disk, with no new order (a CA that fails would fail this)
      const directory = await brokenDirectory()
      try {
        const restarted = createAcmeCertificates({ directoryUrl: directory.url, dataDir: join(dir, 'acme') })
        expect(await restarted.certificateFor(HOST)).toEqual(issued)
        expect(directory.hits()).toBe(0)
      } finally {
        directory.server.close()
      }
    } finally {
      challengeServer?.close()
      await stopProcess(pebble)
      await stopProcess(dnsServer)
      await rm(dir, { recursive: true, force: true })
    }
  }, 20_000)
})

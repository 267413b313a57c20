import { X509Certificate } from 'node:crypto'
import { copyFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { connect } from 'node:tls'
import { createServer } from 'node:tls'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestCa, issueTestCertificate } from '../../test/fixtures/tls.js'
import { CertificateFiles } from './certificate-files.js'
import type { TestCa, TestLeaf } from '../../test/fixtures/tls.js'
import type { Server } from 'node:tls'

const NAMES = ['example.test', '*.wia.home.example.test']

/** The fingerprint of the certificate a TLS client is shown for `servername`. */
async function servedFingerprint (port: number, ca: string, servername: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', servername, ca }, () => {
      resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? '')
      socket.destroy()
    })
    socket.once('error', reject)
  })
}

describe('CertificateFiles', () => {
  let ca: TestCa
  let first: TestLeaf
  let second: TestLeaf
  let server: Server | undefined
  let files: CertificateFiles | undefined

  beforeAll(async () => {
    ca = await createTestCa()
    first = await issueTestCertificate(ca, 'first', NAMES)
    second = await issueTestCertificate(ca, 'second', NAMES)
  })

  afterEach(() => {
    files?.stop()
    server?.close()
  })

  /** Files in use by the relay (copies, so the test can rewrite them), and a TLS server using them per connection. */
  async function serve (): Promise<{ port: number, certFile: string, keyFile: string }> {
    const certFile = join(ca.dir, `live-${Math.random()}.pem`)
    const keyFile = join(ca.dir, `live-key-${Math.random()}.pem`)
    await copyFile(first.certFile, certFile)
    await copyFile(first.keyFile, keyFile)
    files = new CertificateFiles({ certFile, keyFile, pollIntervalMs: 20 })
    await files.load()
    files.start()
    const current = files
    server = createServer({ SNICallback: (_name, cb) => { cb(null, current.current.context) } }, socket => { socket.end() })
    await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    return { port: typeof address === 'object' && address != null ? address.port : 0, certFile, keyFile }
  }

  const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256

  it('serves the new certificate to the next connection after the files are renewed, without a restart', async () => {
    const { port, certFile, keyFile } = await serve()
    expect(await servedFingerprint(port, ca.cert, 'alice.wia.home.example.test')).toBe(fingerprint(first.cert))

    const reloaded = new Promise(resolve => files!.addEventListener('reload', resolve, { once: true }))
    await writeFile(keyFile, second.key)
    await writeFile(certFile, second.cert)
    await reloaded

    expect(await servedFingerprint(port, ca.cert, 'alice.wia.home.example.test')).toBe(fingerprint(second.cert))
    expect(files!.current.subjectAltName).toContain('DNS:*.wia.home.example.test')
  })

  it('keeps the certificate in use when the renewed files do not fit together, and says why', async () => {
    const { port, keyFile } = await serve()
    const refused = new Promise<CustomEvent<Error>>(resolve => files!.addEventListener('reload:error', resolve, { once: true }))
    await writeFile(keyFile, second.key) // the certificate file still holds the first certificate

    const event = await refused
    expect(event.detail.name).toBe('TlsCertificateError')
    expect(event.detail.message).toMatch(/does not belong to the certificate/)
    expect(await servedFingerprint(port, ca.cert, 'example.test')).toBe(fingerprint(first.cert))
  })

  it('refuses to start from a missing or malformed file with a TlsCertificateError naming it', async () => {
    const missing = new CertificateFiles({ certFile: join(ca.dir, 'nope.pem'), keyFile: first.keyFile })
    await expect(missing.load()).rejects.toMatchObject({ name: 'TlsCertificateError', message: expect.stringContaining('nope.pem') })
    const garbage = join(ca.dir, 'garbage.pem')
    await writeFile(garbage, 'not a certificate')
    const malformed = new CertificateFiles({ certFile: garbage, keyFile: first.keyFile })
    await expect(malformed.load()).rejects.toMatchObject({ name: 'TlsCertificateError', message: expect.stringContaining('holds no PEM certificate') })
  })
})

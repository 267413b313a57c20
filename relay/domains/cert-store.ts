/**
 * Where the ACME account key and the issued certificates live on disk, so
 * they survive restarts:
 *
 * - `<dir>/account.key`: the ACME account's private key (PEM);
 * - `<dir>/certs/<host>.pem`: a host's private key, then its full chain (PEM),
 *   in one file written atomically (temporary file, then rename), so a key
 *   never sits beside another key's certificate.
 *
 * Files holding private keys are created with mode 0600.
 *
 * @module
 */

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { InvalidHostError } from './errors.js'
import { normalizeHost } from './host.js'

const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----\s*/

/** A private key and its certificate chain, PEM. */
export interface KeyAndChain {
  /** Private key, PEM */
  key: string
  /** Leaf certificate then intermediates, PEM */
  cert: string
}

export class CertificateStore {
  private readonly dir: string

  /**
   * @param dir - folder of the store, created when first written
   */
  constructor (dir: string) {
    this.dir = dir
  }

  /**
   * The account key, read from disk, or made with `create` and written.
   */
  async accountKey (create: () => Promise<Buffer>): Promise<Buffer> {
    const path = join(this.dir, 'account.key')
    try {
      return await readFile(path)
    } catch (err) {
      if (!isNotFound(err)) {
        throw err
      }
    }
    const key = await create()
    await this.writeAtomic(path, key)
    return key
  }

  /**
   * A host's key and chain, or `undefined` when none is stored.
   *
   * @throws {InvalidHostError} if `host` is not a normalised host name
   */
  async load (host: string): Promise<KeyAndChain | undefined> {
    let text: string
    try {
      text = await readFile(this.certPath(host), 'utf8')
    } catch (err) {
      if (isNotFound(err)) {
        return undefined
      }
      throw err
    }
    const key = PRIVATE_KEY_BLOCK.exec(text)?.[0]
    if (key == null) {
      return undefined
    }
    return { key: key.trim() + '\n', cert: text.replace(key, '').trim() + '\n' }
  }

  /**
   * Store a host's key and chain, replacing any earlier ones.
   *
   * @throws {InvalidHostError} if `host` is not a normalised host name
   */
  async save (host: string, { key, cert }: KeyAndChain): Promise<void> {
    await this.writeAtomic(this.certPath(host), `${key.trim()}\n${cert.trim()}\n`)
  }

  private certPath (host: string): string {
    // the host becomes a file name: accept only a normalised DNS name
    if (normalizeHost(host) !== host) {
      throw new InvalidHostError(host)
    }
    return join(this.dir, 'certs', `${host}.pem`)
  }

  private async writeAtomic (path: string, data: string | Buffer): Promise<void> {
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 })
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`
    await writeFile(temporary, data, { mode: 0o600 })
    await rename(temporary, path)
  }
}

function isNotFound (err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}

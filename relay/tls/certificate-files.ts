import { createPrivateKey, X509Certificate } from 'node:crypto'
import { unwatchFile, watchFile } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createSecureContext } from 'node:tls'
import { TypedEventEmitter } from 'main-event'
import { TlsCertificateError } from '../errors.js'
import { TLS_FILE_POLL_INTERVAL_MS } from './constants.js'
import type { SecureContext } from 'node:tls'

export interface CertificateFilesInit {
  /** PEM certificate chain (leaf first). */
  certFile: string
  /** PEM private key of the leaf. */
  keyFile: string
  /**
   * How often the files' modification times are checked (ms). Polling, not
   * inotify: ACME clients replace files by renaming or by swapping symlinks
   * (certbot's `live/`), which an inotify watch on the old inode misses.
   *
   * @default TLS_FILE_POLL_INTERVAL_MS (5000)
   */
  pollIntervalMs?: number
}

/** The certificate in use. */
export interface LoadedCertificate {
  /** PEM chain and key as read. */
  cert: string
  key: string
  /** Ready for `tls` / `https` (SNI callbacks, `setSecureContext`). */
  context: SecureContext
  /** The leaf's subject alternative names, as Node prints them (`DNS:example.org, DNS:*.wia.home.example.org`). */
  subjectAltName: string
  /** End of the leaf's validity. */
  notAfter: Date
  /** SHA-256 fingerprint of the leaf (colon-separated hex). */
  fingerprint256: string
}

export interface CertificateFilesEvents {
  /** A changed pair of files was read and is now in use. */
  reload: CustomEvent<LoadedCertificate>
  /** Changed files could not be used; the previous certificate stays in use. */
  'reload:error': CustomEvent<TlsCertificateError>
}

/**
 * A TLS certificate and key read from PEM files and read again when either
 * file changes, so a renewal (an ACME client rewriting the files) needs no
 * restart: connections opened after the change get the new certificate, open
 * ones keep theirs. A pair that fails to load (half-written files, a key that
 * does not match) is refused and the previous certificate stays in use.
 */
export class CertificateFiles extends TypedEventEmitter<CertificateFilesEvents> {
  readonly certFile: string
  readonly keyFile: string
  private readonly pollIntervalMs: number
  private loaded?: LoadedCertificate
  private watching = false
  private reloading?: Promise<boolean>

  constructor (init: CertificateFilesInit) {
    super()
    this.certFile = init.certFile
    this.keyFile = init.keyFile
    this.pollIntervalMs = init.pollIntervalMs ?? TLS_FILE_POLL_INTERVAL_MS
  }

  /**
   * The certificate in use.
   *
   * @throws {Error} before {@link CertificateFiles.load} succeeded
   */
  get current (): LoadedCertificate {
    if (this.loaded == null) {
      throw new Error('CertificateFiles.load() has not completed')
    }
    return this.loaded
  }

  /**
   * Read both files now.
   *
   * @throws {TlsCertificateError} when a file is missing or malformed, or the key does not match the certificate
   */
  async load (): Promise<LoadedCertificate> {
    this.loaded = await readCertificate(this.certFile, this.keyFile)
    return this.loaded
  }

  /** Start watching both files; a change leads to {@link CertificateFiles.reload}. */
  start (): void {
    if (this.watching) {
      return
    }
    this.watching = true
    const onChange = (now: { mtimeMs: number }, before: { mtimeMs: number }): void => {
      if (now.mtimeMs !== before.mtimeMs) {
        void this.reload()
      }
    }
    watchFile(this.certFile, { interval: this.pollIntervalMs, persistent: false }, onChange)
    watchFile(this.keyFile, { interval: this.pollIntervalMs, persistent: false }, onChange)
  }

  stop (): void {
    if (!this.watching) {
      return
    }
    this.watching = false
    unwatchFile(this.certFile)
    unwatchFile(this.keyFile)
  }

  /**
   * Read the files again (also on SIGHUP). Resolves `true` when the new pair
   * is in use, `false` when it was refused (a `reload:error` event says why)
   * or is the same certificate as before.
   */
  async reload (): Promise<boolean> {
    // a renewal rewrites two files: both changes land in one reload
    this.reloading ??= this.readAgain().finally(() => { this.reloading = undefined })
    return this.reloading
  }

  private async readAgain (): Promise<boolean> {
    try {
      const next = await readCertificate(this.certFile, this.keyFile)
      if (next.fingerprint256 === this.loaded?.fingerprint256 && next.key === this.loaded.key) {
        return false
      }
      this.loaded = next
      this.safeDispatchEvent('reload', { detail: next })
      return true
    } catch (err) {
      this.safeDispatchEvent('reload:error', { detail: err as TlsCertificateError })
      return false
    }
  }
}

async function readCertificate (certFile: string, keyFile: string): Promise<LoadedCertificate> {
  const files = { certFile, keyFile }
  let cert: string
  let key: string
  try {
    [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')])
  } catch (err) {
    throw new TlsCertificateError(`Cannot read ${(err as NodeJS.ErrnoException).path ?? 'the TLS files'}`, { ...files, cause: err })
  }
  let leaf: X509Certificate
  try {
    leaf = new X509Certificate(cert)
  } catch (err) {
    throw new TlsCertificateError(`${certFile} holds no PEM certificate`, { ...files, cause: err })
  }
  try {
    if (!leaf.checkPrivateKey(createPrivateKey(key))) {
      throw new TlsCertificateError(`The key in ${keyFile} does not belong to the certificate in ${certFile}`, files)
    }
    return {
      cert,
      key,
      context: createSecureContext({ cert, key }),
      subjectAltName: leaf.subjectAltName ?? '',
      notAfter: new Date(leaf.validTo),
      fingerprint256: leaf.fingerprint256
    }
  } catch (err) {
    if (err instanceof TlsCertificateError) {
      throw err
    }
    throw new TlsCertificateError(`${keyFile} holds no usable PEM private key`, { ...files, cause: err })
  }
}

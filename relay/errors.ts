/**
 * Errors of the relay process. Messages are short and technical; data is in
 * fields. Operators read them in the relay's log.
 */

/** A TLS certificate or key file is missing, unreadable, malformed, or the key does not match the certificate. */
export class TlsCertificateError extends Error {
  static override name = 'TlsCertificateError'
  override name = 'TlsCertificateError'
  /** The certificate file that was read. */
  readonly certFile: string
  /** The key file that was read. */
  readonly keyFile: string

  constructor (message: string, init: { certFile: string, keyFile: string, cause?: unknown }) {
    super(message, { cause: init.cause })
    this.certFile = init.certFile
    this.keyFile = init.keyFile
  }
}

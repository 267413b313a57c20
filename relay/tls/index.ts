export { CertificateFiles, type CertificateFilesInit, type CertificateFilesEvents, type LoadedCertificate } from './certificate-files.js'
export { TLS_FILE_POLL_INTERVAL_MS } from './constants.js'

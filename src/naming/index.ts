/**
 * WIA names: site names (`alice.wia.home`), the signed name records that
 * bind them to an owner key and a site root, their registration proof of
 * work and transfers, the rules relays and visitors apply to them, and their
 * place in the DHT. Shared by the page, the service worker and the relay;
 * uses no DOM and no Node built-ins. Specification: `docs/naming.md`.
 *
 * @module
 */

export {
  InsufficientProofOfWorkError,
  InvalidNameError,
  InvalidProofOfWorkError,
  InvalidSignatureError,
  MalformedRecordError,
  NameMismatchError,
  NameNotFoundError,
  NameTakenError,
  OwnerKeyChangedError,
  PutRejectedError,
  RecordExpiredError,
  RecordTooLargeError,
  SiteUnpublishedError,
  StaleRecordError,
  UnsupportedRecordVersionError
} from './errors.js'
export {
  MAX_LABEL_LENGTH,
  TLDS,
  WIA_ZONE,
  formatName,
  isTld,
  hostnameOf,
  nameFromHost,
  parseName,
  siteOrigin,
  validateLabel
} from './name.js'
export type { NameRule } from './errors.js'
export type { GatewayOrigin, ParsedName, Tld } from './name.js'
export {
  MAX_RECORD_BYTES,
  NAME_RECORD_VERSION,
  RECORD_VALIDITY_MS,
  SIGNING_PREFIX,
  createNameRecord,
  decodeNameRecord,
  encodeNameRecord,
  ownerKeyId,
  signingInput
} from './record.js'
export type { CreateNameRecordInit, NameRecord, UnsignedNameRecord } from './record.js'
export { decodeVerifiedNameRecord, verifyNameRecord } from './verify.js'
export type { VerifyNameRecordOptions } from './verify.js'
export {
  DEFAULT_POW_BITS,
  MAX_POW_BITS,
  POW_BATCH_SIZE,
  leadingZeroBits,
  powChallenge,
  proofHash,
  registrationProofHash,
  solveProofOfWork,
  verifyProofOfWork,
  verifyRegistrationProof
} from './pow.js'
export type { ProofOfWork, ProofOfWorkProgress, SolveProofOfWorkInit } from './pow.js'
export {
  TRANSFER_SIGNING_PREFIX,
  createTransfer,
  decodeTransfer,
  encodeTransfer,
  transferSigningInput,
  verifyRecordTransfer,
  verifyTransfer
} from './transfer.js'
export type { CreateTransferInit, TransferAuthorization, TransferProof } from './transfer.js'
export { EXPIRY_GRACE_MS, checkReplacement, registrationOf } from './rules.js'
export type { CheckReplacementOptions, ReplacementOutcome, StoredRegistration } from './rules.js'
export { chooseRecord } from './choose.js'
export type { Candidate, ChosenRecord, PinOutcome } from './choose.js'
export {
  NAME_RECORD_NAMESPACE,
  createNameRecordValidator,
  decodeNameRecordForKey,
  nameFromRecordKey,
  nameRecordKey,
  selectNameRecord,
  validateNameRecord
} from './dht.js'
export type { NameRecordValidator, NameRecordValidatorInit, ValidateNameRecordOptions } from './dht.js'
export { UNPUBLISHED_ROOT, isUnpublished, siteRoot } from './unpublished.js'
export { putNameRecord, resolveNameRecord } from './dht-client.js'
export type { PutNameRecordResult, ResolveNameOptions, ResolvedName } from './dht-client.js'

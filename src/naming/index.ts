/**
 * WIA names: site names (`alice.wia.home`), the signed name records that
 * bind them to an owner key and a site root, and their place in the DHT.
 * Shared by the page, the service worker and the relay; uses no DOM and no
 * Node built-ins.
 *
 * @module
 */

export {
  InvalidNameError,
  InvalidSignatureError,
  MalformedRecordError,
  NameMismatchError,
  NameNotFoundError,
  PutRejectedError,
  RecordExpiredError,
  RecordTooLargeError,
  UnsupportedRecordVersionError
} from './errors.js'
export {
  MAX_LABEL_LENGTH,
  TLDS,
  WIA_ZONE,
  formatName,
  isTld,
  nameFromHost,
  parseName,
  siteOrigin,
  validateLabel
} from './name.js'
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
  signingInput,
  verifyNameRecord
} from './record.js'
export type { CreateNameRecordInit, NameRecord, UnsignedNameRecord, VerifyNameRecordOptions } from './record.js'
export {
  NAME_RECORD_NAMESPACE,
  nameFromRecordKey,
  nameRecordKey,
  selectNameRecord,
  validateNameRecord
} from './dht.js'
export type { ValidateNameRecordOptions } from './dht.js'
export { putNameRecord, resolveNameRecord } from './dht-client.js'
export type { PutNameRecordResult } from './dht-client.js'

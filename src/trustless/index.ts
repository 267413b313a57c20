/**
 * Trustless retrieval, shared by every runtime: a block is believed only when
 * its bytes hash to its CID, whoever sent it (IPFS Trustless Gateway spec).
 *
 * @module
 */
export { verifyBlock, verifiedCarBlocks, type VerifiedBlock } from './verify.js'
export { BlockHashMismatchError, MalformedCarError, UnexpectedCarContentError, UnsupportedHashError } from './errors.js'
export { carSections, MAX_CAR_HEADER_BYTES, MAX_CAR_SECTION_BYTES, type CarSection } from './car-reader.js'
export { blockBytes, ownBytes } from './block-bytes.js'
export { CheckedBlockstore, readRefetchingCorrupt, refetchingCorrupt, type CheckedBlockstoreInit, type CheckMemo } from './checked-blockstore.js'
export { CAR_MEDIA_TYPE, NAME_RECORD_MEDIA_TYPE, PAGE_CAR_ENTITY_BYTES, carRequest, firstVisitRequests, nameRecordRequest, pagePath, type VisitRequest } from './visit-requests.js'

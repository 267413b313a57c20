import { STORED_BYTES_PER_FILE_BYTE } from './constants.js'
import { NotEnoughSpaceError } from './errors.js'

/** What the browser says of this origin's storage (`navigator.storage.estimate()`), in bytes. */
export interface SpaceEstimate {
  quota?: number
  usage?: number
}

/** The browser's storage accounting (`navigator.storage` in the app). */
export interface SpaceEstimator {
  estimate(): Promise<SpaceEstimate>
}

/** Bytes the blocks of `fileBytes` of site files take at most (see {@link STORED_BYTES_PER_FILE_BYTE}). */
export function neededBytes (fileBytes: number): number {
  return Math.ceil(fileBytes * STORED_BYTES_PER_FILE_BYTE)
}

/** Bytes this origin may still store (its quota less its usage), or `undefined` when the browser does not say. */
export async function availableBytes (storage: SpaceEstimator): Promise<number | undefined> {
  const { quota, usage } = await storage.estimate()
  return quota == null ? undefined : Math.max(0, quota - (usage ?? 0))
}

/**
 * Whether `err` is the browser refusing a write for lack of space: IndexedDB's
 * `QuotaExceededError`, which `blockstore-idb` passes on only as the message
 * of a `PutFailedError`.
 */
export function isQuotaExceeded (err: unknown): boolean {
  const e = err as Error | undefined
  return e?.name === 'QuotaExceededError' || (e?.name === 'PutFailedError' && e.message.includes('QuotaExceededError'))
}

/** The {@link NotEnoughSpaceError} for `siteName`'s `fileBytes` of files and `available` free bytes. */
export function notEnoughSpace (siteName: string, fileBytes: number, available: number, options?: ErrorOptions): NotEnoughSpaceError {
  const needed = neededBytes(fileBytes)
  return new NotEnoughSpaceError(`${siteName} needs ${needed} bytes of browser storage; ${available} are free`, siteName, needed, available, options)
}

import { EmptySiteError } from './errors.js'
import { normalizeFilePath } from './path.js'
import { joinChunks, ownBytes } from '../trustless/block-bytes.js'
import { unixfs } from '@helia/unixfs'
import type { AddOptions, UnixFS, UnixFSComponents } from '@helia/unixfs'
import type { CID } from 'multiformats/cid'

/**
 * Bytes per UnixFS leaf block: the chunk size of `@helia/unixfs`'s default
 * fixed-size chunker (1 MiB). File content is handed to the importer in
 * pieces of exactly this size, each its own buffer.
 */
export const BLOCK_BYTES = 1_048_576

/**
 * The importer settings of every site import: CIDv1 with raw leaves, the
 * files wrapped in a root directory (on top of `@helia/unixfs`'s defaults:
 * balanced layout, {@link BLOCK_BYTES} fixed-size chunks). {@link siteFileCids}
 * uses them too, so a file's CID there is the one an import gives it.
 */
export const IMPORT_OPTIONS = { wrapWithDirectory: true, cidVersion: 1, rawLeaves: true } as const satisfies AddOptions

/**
 * A `Blob`'s (a picked `File`'s) bytes in pieces of `size` bytes (the last
 * one shorter), each read with one `Blob.slice().arrayBuffer()` into a buffer
 * of its own: the importer takes each {@link BLOCK_BYTES} piece as it is,
 * where `Blob.stream()`'s 64 KiB chunks had to be read one by one and copied
 * together (`npm run bench`, import into IndexedDB).
 *
 * @param size - bytes per piece (default {@link BLOCK_BYTES})
 * @throws the `NotReadableError` of `arrayBuffer()` when the file changed or went away while read
 */
export async function * blobPieces (blob: Blob, size: number = BLOCK_BYTES): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < blob.size; offset += size) {
    yield new Uint8Array(await blob.slice(offset, offset + size).arrayBuffer())
  }
}

/** One file of a site being imported. */
export interface SiteFile {
  /** Path relative to the site root, `/`-separated (`'css/site.css'`). */
  path: string
  /** Size in bytes, used for progress totals. */
  size: number
  /** Opens the file's bytes; called once, when the importer reaches the file. */
  content: () => AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>
}

/** Progress of an import; every count is cumulative. */
export interface ImportProgress {
  /** Files read completely so far. */
  files: number
  /** Files in the import. */
  totalFiles: number
  /** Bytes read so far. */
  bytes: number
  /** Sum of the declared sizes of all files, in bytes. */
  totalBytes: number
}

export interface ImportSiteOptions {
  /** Aborts the import; blocks already written stay in the blockstore. */
  signal?: AbortSignal
  /** Called after every piece of content read and after every file. */
  onProgress?(progress: ImportProgress): void
}

export interface ImportResult {
  /** CID of the site's root directory (CIDv1, dag-pb). */
  root: CID
  /** Files imported. */
  files: number
  /** Bytes of file content imported. */
  bytes: number
}

/**
 * Import a site's files into UnixFS blocks and build its root directory.
 *
 * Blocks are CIDv1 with raw leaves of {@link BLOCK_BYTES}. Every leaf block is
 * a buffer of its own: a blockstore that persists a `Uint8Array`'s whole
 * underlying buffer (blockstore-idb, DESIGN.md §4) stores no more than the file.
 * The file list is read first (to know the totals), then each file's content
 * is streamed, a few files at a time.
 *
 * @param fs - UnixFS over the blockstore that receives the blocks
 * @param files - the site's files; a file's `content()` is opened only when
 * the importer reaches it
 * @returns the root directory's CID and the counts imported
 * @throws {EmptySiteError} `files` is empty
 * @throws {InvalidPathError} a file path is empty or contains `..` or NUL
 * @throws the signal's reason when aborted, or any error of a file's content
 */
export async function importSite (fs: UnixFS, files: AsyncIterable<SiteFile> | Iterable<SiteFile>, options: ImportSiteOptions = {}): Promise<ImportResult> {
  const list = await listFiles(files, options.signal)
  const progress = newProgress(list)
  let root: CID | undefined
  for await (const entry of importEntries(fs, list, progress, options)) {
    // with wrapWithDirectory the wrapping root directory comes last
    root = entry.cid
  }
  if (root == null) {
    throw new EmptySiteError('The importer produced no root directory')
  }
  return { root, files: progress.files, bytes: progress.bytes }
}

/** A file's CID and size as an import would give them (see {@link siteFileCids}). */
export interface SiteFileCid {
  /** CID of the file's UnixFS root (a raw block for a file of one leaf). */
  cid: CID
  /** Size in bytes, as the file declares it ({@link SiteFile.size}). */
  bytes: number
}

/**
 * The CID each file gets when the site is imported, computed without storing
 * a block: the same importer, settings ({@link IMPORT_OPTIONS}) and chunking
 * as {@link importSite}, over a blockstore that drops what it is given. Every
 * file's content is read once.
 *
 * @param files - the site's files, as for {@link importSite}
 * @returns normalized file path (`'css/site.css'`) → its CID and declared size in bytes
 * @throws {EmptySiteError} `files` is empty
 * @throws {InvalidPathError} a file path is empty or contains `..` or NUL
 * @throws the signal's reason when aborted, or any error of a file's content
 */
export async function siteFileCids (files: AsyncIterable<SiteFile> | Iterable<SiteFile>, options: ImportSiteOptions = {}): Promise<Map<string, SiteFileCid>> {
  const list = await listFiles(files, options.signal)
  const sizes = new Map(list.map(file => [normalizeFilePath(file.path), file.size]))
  const cids = new Map<string, SiteFileCid>()
  for await (const entry of importEntries(unixfs({ blockstore: DISCARDING_BLOCKSTORE }), list, newProgress(list), options)) {
    const bytes = entry.path == null ? undefined : sizes.get(entry.path)
    if (entry.path != null && bytes != null) {
      cids.set(entry.path, { cid: entry.cid, bytes })
    }
  }
  return cids
}

/** A blockstore that keeps nothing: the importer only writes (it never reads back what it wrote). */
const DISCARDING_BLOCKSTORE: UnixFSComponents['blockstore'] = {
  put: async cid => cid,
  has: async () => false,
  // eslint-disable-next-line require-yield
  get: async function * (cid) {
    throw Object.assign(new Error(`${cid} is not stored: this blockstore keeps nothing`), { name: 'NotFoundError' })
  }
}

/** Read the file list (to know the totals before any content). */
async function listFiles (files: AsyncIterable<SiteFile> | Iterable<SiteFile>, signal?: AbortSignal): Promise<SiteFile[]> {
  signal?.throwIfAborted()
  const list: SiteFile[] = []
  for await (const file of files) {
    signal?.throwIfAborted()
    list.push(file)
  }
  if (list.length === 0) {
    throw new EmptySiteError()
  }
  return list
}

function newProgress (list: SiteFile[]): ImportProgress {
  return { files: 0, totalFiles: list.length, bytes: 0, totalBytes: list.reduce((sum, file) => sum + file.size, 0) }
}

/**
 * Import `list` with {@link IMPORT_OPTIONS}, each file's content in owned
 * {@link BLOCK_BYTES} pieces, counting into `progress`: the importer's
 * entries, files and directories, the wrapping root last.
 */
async function * importEntries (fs: UnixFS, list: SiteFile[], progress: ImportProgress, options: ImportSiteOptions): AsyncGenerator<{ cid: CID, path?: string }> {
  const { signal, onProgress } = options
  const report = (): void => { onProgress?.({ ...progress }) }

  async function * read (file: SiteFile): AsyncGenerator<Uint8Array> {
    for await (const bytes of iterate(file.content())) {
      signal?.throwIfAborted()
      progress.bytes += bytes.byteLength
      report()
      yield bytes
    }
    progress.files++
    report()
  }

  const candidates = list.map(file => ({
    path: normalizeFilePath(file.path),
    content: ownedBlocks(read(file), BLOCK_BYTES)
  }))
  yield * fs.addAll(candidates, { ...IMPORT_OPTIONS, signal })
}

/**
 * Regroup a byte stream into pieces of exactly `size` bytes (the last one
 * shorter), each a buffer of its own, so that no stored block is a view into
 * a larger buffer: a piece that comes whole as its own buffer (what
 * {@link blobPieces} yields) is passed on as it is, any other is copied.
 */
async function * ownedBlocks (source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = []
  let length = 0
  for await (const bytes of source) {
    let offset = 0
    while (offset < bytes.byteLength) {
      const take = Math.min(size - length, bytes.byteLength - offset)
      parts.push(bytes.subarray(offset, offset + take))
      length += take
      offset += take
      if (length === size) {
        yield ownBytes(joinChunks(parts, length))
        parts = []
        length = 0
      }
    }
  }
  if (length > 0) {
    yield ownBytes(joinChunks(parts, length))
  }
}


/** Iterate a `ReadableStream` with a reader (Safari lacks its async iterator) or pass an iterable through. */
function iterate (source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  return 'getReader' in source ? readStream(source) : source
}

async function * readStream (stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader()
  let done = false
  try {
    while (true) {
      const result = await reader.read()
      if (result.done) {
        done = true
        return
      }
      yield result.value
    }
  } finally {
    if (done) {
      reader.releaseLock()
    } else {
      // stopped early (abort or error): let the source free its resources
      await reader.cancel().catch(() => {})
    }
  }
}

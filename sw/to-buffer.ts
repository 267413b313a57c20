import { blockBytes, joinChunks } from '../src/trustless/block-bytes.js'

/**
 * `it-to-buffer`'s API for the site worker's bundle (`vite.sw.config.ts`
 * aliases the package to this module): the chunks of `source` as one
 * `Uint8Array`, synchronously for a sync iterable as the package does, but a
 * single chunk is returned as it is, not copied (see `blockBytes`). Every
 * store in the worker yields buffers of its own (memory, IndexedDB, a CAR
 * block), and nothing in it writes to the bytes it reads; the exporter
 * (`ipfs-unixfs-exporter`) reads every block of a file through it.
 */
function toBuffer (source: Iterable<Uint8Array>): Uint8Array
function toBuffer (source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array>
function toBuffer (source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Uint8Array | Promise<Uint8Array> {
  if (Symbol.asyncIterator in source) {
    return blockBytes(source)
  }
  return joinChunks([...source])
}

export default toBuffer

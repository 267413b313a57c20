import { concat } from 'uint8arrays/concat'

/**
 * The bytes of one block from a blockstore `get` (or a `put` value), which
 * yields them in one chunk or several: the chunk itself when there is one,
 * else one concatenation. `it-to-buffer` 5 copies every chunk into a new
 * buffer as it arrives, so each of its reads of a 1 MiB block allocated and
 * copied 1 MiB; in the site worker's profile of a 30 MB transfer its copies
 * were a fifth of the worker's busy time.
 *
 * The bytes returned may be the store's own: callers do not write to them.
 */
export async function blockBytes (source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let length = 0
  for await (const chunk of source) {
    chunks.push(chunk)
    length += chunk.byteLength
  }
  return joinChunks(chunks, length)
}

/**
 * `chunks` as one `Uint8Array`: the chunk itself when there is one (not a
 * copy), else one concatenation of `length` bytes (their sum when absent).
 */
export function joinChunks (chunks: Uint8Array[], length?: number): Uint8Array {
  return chunks.length === 1 ? chunks[0]! : concat(chunks, length)
}

/**
 * `bytes` on a buffer of their own: the view itself when it spans its whole
 * `ArrayBuffer`, else a copy. A block read out of a larger buffer (a CAR
 * stream's chunk, a bitswap message) holds that whole buffer: in memory as
 * long as the block is kept, and in IndexedDB, whose structured clone of a
 * view stores its whole buffer (a 2 kB block after a 1 MiB one in a CAR took
 * 1 MiB of the origin's quota in Chromium 156). The copy is a plain
 * `Uint8Array`: a Node `Buffer`'s `slice()` is a view, not a copy.
 */
export function ownBytes (bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes)
}

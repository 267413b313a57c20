/**
 * A CARv1 reader that puts each block's bytes straight into a buffer of the
 * block's own size: a `ReadableStream`'s bytes go there by BYOB reads (one
 * copy, the one any read makes), other sources' chunks by one copy each.
 * `@ipld/car`'s stream reader joins the chunks a block arrived in into a new
 * buffer, and a block kept apart from its neighbours needs another copy: in
 * the site worker's profile of a 95 MB transfer those two copies took 150 ms
 * of its 720 ms busy, and every one allocated a block's size.
 *
 * Format: CARv1 (ipld.io/specs/transport/car/carv1): a varint-prefixed
 * DAG-CBOR header `{ version: 1, roots }`, then sections of varint length,
 * CID and block bytes. The roots are not used: callers ask for blocks by CID.
 *
 * @module
 */

import * as dagCbor from '@ipld/dag-cbor'
import { varint } from 'multiformats'
import { CID } from 'multiformats/cid'
import { MalformedCarError } from './errors.js'

/**
 * Largest CAR section read (varint-declared length of CID and block, bytes):
 * twice bitswap's 2 MiB block limit (IPFS Bitswap spec, "Block Sizes");
 * wia-home's blocks are at most 1 MiB (`BLOCK_BYTES`). A longer section is
 * refused before anything is allocated for it.
 */
export const MAX_CAR_SECTION_BYTES = 4 * 1_048_576

/** Largest CAR header (bytes): a header names roots, a few CIDs in practice. */
export const MAX_CAR_HEADER_BYTES = 65_536

/**
 * Bytes asked for when the reader needs a section's length and CID: a
 * stream of small blocks (directory nodes, small files) is read a few of
 * them at a time; of a large block, at most this much is copied once more.
 */
const HEAD_READ_BYTES = 4_096

/** Longest varint of a section length (bytes): 64-bit LEB128 needs 10 at most. */
const MAX_VARINT_BYTES = 10

/** A CID's longest encoding read (bytes): a CIDv1 of a sha2-512 digest takes 70. */
const MAX_CID_BYTES = 128

/** One section of a CAR: a CID and the bytes sent for it (not checked here). */
export interface CarSection {
  cid: CID
  /** On a buffer of their own (`bytes.buffer.byteLength === bytes.byteLength`). */
  bytes: Uint8Array
}

/**
 * Where the reader's bytes come from: `read` fills the start of `into` (and
 * may detach its buffer, as a BYOB read does) and returns a view of the
 * bytes it read, on the buffer that now holds them; a view of no bytes at
 * the end of the stream.
 */
interface ByteSource {
  read(into: Bytes): Promise<Bytes>
  close(): Promise<void>
}

/** Bytes on an `ArrayBuffer` (what a BYOB read takes and gives back). */
type Bytes = Uint8Array<ArrayBuffer>

/** A byte stream read by BYOB reads into the reader's buffers. */
function byobSource (reader: ReadableStreamBYOBReader, body: ReadableStream<Uint8Array>): ByteSource {
  return {
    async read (into) {
      const { done, value } = await reader.read(into)
      if (value == null) {
        // only a cancelled stream ends without handing the buffer back
        throw new MalformedCarError('the stream was cancelled')
      }
      return done ? value.subarray(0, 0) : value
    },
    async close () {
      reader.releaseLock()
      await body.cancel().catch(() => {})
    }
  }
}

/** Chunks of any source, copied into the reader's buffers. */
function chunkSource (chunks: AsyncIterator<Uint8Array>): ByteSource {
  let pending: Uint8Array = new Uint8Array(0)
  return {
    async read (into) {
      while (pending.byteLength === 0) {
        const next = await chunks.next()
        if (next.done === true) {
          return into.subarray(0, 0)
        }
        pending = next.value
      }
      const n = Math.min(pending.byteLength, into.byteLength)
      into.set(pending.subarray(0, n))
      pending = pending.subarray(n)
      return into.subarray(0, n)
    },
    async close () {
      await chunks.return?.()
    }
  }
}

/** The chunks of `body` by its default reader (not every browser iterates a `ReadableStream`). */
async function * streamChunks (body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) {
        return
      }
      yield value
    }
  } finally {
    reader.releaseLock()
    await body.cancel().catch(() => {})
  }
}

/** A BYOB reader of `body`, or none where the browser cannot read its fetch bodies that way. */
function byobReader (body: ReadableStream<Uint8Array>): ReadableStreamBYOBReader | undefined {
  try {
    return body.getReader({ mode: 'byob' })
  } catch {
    return undefined
  }
}

/** Reads a CAR from a {@link ByteSource}: what it read but did not parse yet is kept in `rest`. */
class CarReader {
  private rest: Bytes = new Uint8Array(0)

  constructor (private readonly source: ByteSource) {}

  /**
   * Read into `buffer` from byte `filled` on until it holds at least `min`
   * bytes (at most its whole length) or the stream ends; returns the buffer
   * that now holds them (a BYOB read detaches the one it was given) and how
   * many it holds.
   */
  private async readInto (buffer: ArrayBuffer, filled: number, min: number): Promise<{ buffer: ArrayBuffer, filled: number }> {
    while (filled < min) {
      const read = await this.source.read(new Uint8Array(buffer, filled, buffer.byteLength - filled))
      buffer = read.buffer
      if (read.byteLength === 0) {
        break
      }
      filled += read.byteLength
    }
    return { buffer, filled }
  }

  /** Whether `rest` holds `n` bytes, reading more when it does not (false: the stream ended first). */
  private async fill (n: number): Promise<boolean> {
    if (this.rest.byteLength >= n) {
      return true
    }
    const next = new Uint8Array(Math.max(n, HEAD_READ_BYTES))
    next.set(this.rest)
    const { buffer, filled } = await this.readInto(next.buffer, this.rest.byteLength, n)
    this.rest = new Uint8Array(buffer, 0, filled)
    return filled >= n
  }

  /** Whether the stream has ended with nothing left to parse. */
  async atEnd (): Promise<boolean> {
    return !await this.fill(1)
  }

  /** A varint from the stream (CAR section and header lengths). */
  async varint (): Promise<number> {
    await this.fill(MAX_VARINT_BYTES)
    let value: number
    let length: number
    try {
      [value, length] = varint.decode(this.rest)
    } catch (err) {
      throw new MalformedCarError('a length prefix is cut off or malformed', { cause: err })
    }
    this.rest = this.rest.subarray(length)
    return value
  }

  /** The next `length` bytes, on a buffer of their own. */
  async exactly (length: number): Promise<Bytes> {
    const out = new Uint8Array(length)
    const taken = Math.min(this.rest.byteLength, length)
    out.set(this.rest.subarray(0, taken))
    this.rest = this.rest.subarray(taken)
    const { buffer, filled } = await this.readInto(out.buffer, taken, length)
    if (filled < length) {
      throw new MalformedCarError(`the stream ended ${length - filled} bytes short of a section`)
    }
    return new Uint8Array(buffer, 0, length)
  }

  /** The CID at the start of a section of `sectionLength` bytes. */
  async cid (sectionLength: number): Promise<CID> {
    const head = Math.min(sectionLength, MAX_CID_BYTES)
    if (!await this.fill(head)) {
      throw new MalformedCarError('the stream ended inside a CID')
    }
    try {
      const [cid, remainder] = CID.decodeFirst(this.rest.subarray(0, head))
      this.rest = this.rest.subarray(head - remainder.byteLength)
      return cid
    } catch (err) {
      throw new MalformedCarError('a section starts with no valid CID', { cause: err })
    }
  }

  async close (): Promise<void> {
    await this.source.close()
  }
}

/** Read and check the CAR header: a DAG-CBOR map with `version: 1` and a `roots` array. */
async function readHeader (reader: CarReader): Promise<void> {
  const length = await reader.varint()
  if (length === 0 || length > MAX_CAR_HEADER_BYTES) {
    throw new MalformedCarError(`a CAR header of ${length} bytes`)
  }
  let header: unknown
  try {
    header = dagCbor.decode(await reader.exactly(length))
  } catch (err) {
    throw new MalformedCarError('the CAR header is not DAG-CBOR', { cause: err })
  }
  const { version, roots } = (header ?? {}) as { version?: unknown, roots?: unknown }
  if (version !== 1 || !Array.isArray(roots)) {
    throw new MalformedCarError(`not a CARv1 stream (header version ${String(version)})`)
  }
}

/**
 * The sections of a CARv1 stream, each block on a buffer of its own,
 * unchecked (`verifiedCarBlocks` checks them). A `ReadableStream` is read
 * with a BYOB reader where the runtime has one (Chromium's fetch bodies),
 * else by its chunks; the stream is released and cancelled when the caller
 * stops early or the CAR is malformed.
 *
 * @throws {MalformedCarError} when the stream is not a CARv1: a bad or oversize header, a truncated or oversize section (over {@link MAX_CAR_SECTION_BYTES}), a section without a CID
 */
export async function * carSections (car: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<CarSection> {
  let source: ByteSource
  if (car instanceof ReadableStream) {
    const byob = byobReader(car)
    source = byob != null ? byobSource(byob, car) : chunkSource(streamChunks(car))
  } else {
    source = chunkSource(car[Symbol.asyncIterator]())
  }
  const reader = new CarReader(source)
  try {
    await readHeader(reader)
    while (!await reader.atEnd()) {
      const length = await reader.varint()
      if (length > MAX_CAR_SECTION_BYTES) {
        throw new MalformedCarError(`a CAR section of ${length} bytes, over the ${MAX_CAR_SECTION_BYTES}-byte limit`)
      }
      const cid = await reader.cid(length)
      const bytes = await reader.exactly(length - cid.bytes.byteLength)
      yield { cid, bytes }
    }
  } finally {
    await reader.close()
  }
}

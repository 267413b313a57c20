import * as dagCbor from '@ipld/dag-cbor'
import { varint } from 'multiformats'
import { describe, expect, it } from 'vitest'
import { carBytes, rawBlock as block } from '../../test/fixtures/blocks.js'
import { MAX_CAR_SECTION_BYTES, carSections } from './car-reader.js'
import type { CarSection } from './car-reader.js'

/** `bytes` in chunks of `size` bytes (the last may be shorter). */
function chunked (bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = []
  for (let at = 0; at < bytes.byteLength; at += size) {
    chunks.push(bytes.subarray(at, at + size))
  }
  return chunks
}

async function * from (chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield * chunks
}

/** A byte stream (`type: 'bytes'`, readable by BYOB reads, as Chromium's fetch bodies are) of `chunks`. */
function byteStream (chunks: Uint8Array[]): ReadableStream<Uint8Array> & { cancelled: () => boolean } {
  let next = 0
  let cancelled = false
  const stream = new ReadableStream({
    type: 'bytes',
    pull (controller) {
      const chunk = chunks[next++]
      if (chunk == null) {
        controller.close()
        controller.byobRequest?.respond(0)
      } else {
        controller.enqueue(chunk.slice())
      }
    },
    cancel () { cancelled = true }
  })
  return Object.assign(stream, { cancelled: () => cancelled })
}

/** A default (not byte) stream of `chunks`. */
function defaultStream (chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0
  return new ReadableStream({
    pull (controller) {
      const chunk = chunks[next++]
      if (chunk == null) {
        controller.close()
      } else {
        controller.enqueue(chunk)
      }
    }
  })
}

async function read (source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): Promise<CarSection[]> {
  const sections: CarSection[] = []
  for await (const section of carSections(source)) {
    sections.push(section)
  }
  return sections
}

const texts = ['a', 'bb', 'x'.repeat(10_000), '', 'the end']

describe('carSections', () => {
  it('reads every section of a CAR however its bytes are split, each block on a buffer of its own', async () => {
    const blocks = await Promise.all(texts.map(async text => block(text)))
    const car = await carBytes(blocks)
    const sources = {
      'one chunk': () => from([car]),
      '1-byte chunks': () => from(chunked(car, 1)),
      '1000-byte chunks': () => from(chunked(car, 1000)),
      'byte stream (BYOB)': () => byteStream(chunked(car, 3000)),
      'byte stream of 7-byte chunks': () => byteStream(chunked(car, 7)),
      'default stream': () => defaultStream(chunked(car, 500))
    }
    for (const [what, source] of Object.entries(sources)) {
      const sections = await read(source())
      expect(sections.map(s => s.cid.toString()), what).toEqual(blocks.map(b => b.cid.toString()))
      expect(sections.map(s => new TextDecoder().decode(s.bytes)), what).toEqual(texts)
      for (const { bytes } of sections) {
        expect(bytes.buffer.byteLength, what).toBe(bytes.byteLength)
      }
    }
  })

  it('reads a CAR with no sections', async () => {
    const header = dagCbor.encode({ version: 1, roots: [] })
    expect(await read(from([varint.encodeTo(header.byteLength, new Uint8Array(varint.encodingLength(header.byteLength))), header]))).toEqual([])
  })

  it('refuses a stream cut off inside a block, after yielding the blocks before it', async () => {
    const blocks = await Promise.all(texts.map(async text => block(text)))
    const car = await carBytes(blocks)
    const seen: string[] = []
    const reading = (async () => {
      for await (const { bytes } of carSections(byteStream(chunked(car.subarray(0, car.byteLength - 3), 4096)))) {
        seen.push(new TextDecoder().decode(bytes))
      }
    })()
    await expect(reading).rejects.toMatchObject({ name: 'MalformedCarError' })
    expect(seen).toEqual(texts.slice(0, -1))
  })

  it('refuses a section longer than the limit before reading it', async () => {
    const [first] = await Promise.all([block('a')])
    const car = await carBytes([first!])
    const header = car.subarray(0, car.byteLength - (first!.cid.bytes.byteLength + 1 + 1))
    const huge = varint.encodeTo(MAX_CAR_SECTION_BYTES + 1, new Uint8Array(varint.encodingLength(MAX_CAR_SECTION_BYTES + 1)))
    await expect(read(from([header, huge, first!.cid.bytes]))).rejects.toMatchObject({ name: 'MalformedCarError', message: expect.stringContaining('limit') })
  })

  it('refuses what is not a CARv1: an empty stream, a CARv2 pragma, a header that is not DAG-CBOR, a section with no CID', async () => {
    const v2 = dagCbor.encode({ version: 2 })
    const junk = new Uint8Array([0xff, 0xff, 0xff])
    const header = dagCbor.encode({ version: 1, roots: [] })
    const prefixed = (bytes: Uint8Array): Uint8Array[] => [varint.encodeTo(bytes.byteLength, new Uint8Array(varint.encodingLength(bytes.byteLength))), bytes]
    for (const chunks of [[], prefixed(v2), prefixed(junk), [...prefixed(header), ...prefixed(new Uint8Array([9, 9, 9, 9]))]]) {
      await expect(read(from(chunks))).rejects.toMatchObject({ name: 'MalformedCarError' })
    }
  })

  it('cancels the stream when its reader stops early', async () => {
    const blocks = await Promise.all(texts.map(async text => block(text)))
    const stream = byteStream(chunked(await carBytes(blocks), 64))
    for await (const section of carSections(stream)) {
      expect(section.bytes.byteLength).toBe(1)
      break
    }
    expect(stream.cancelled()).toBe(true)
  })
})

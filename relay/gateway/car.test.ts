import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import toBuffer from 'it-to-buffer'
import { describe, expect, it } from 'vitest'
import { readingAhead } from './car.js'
import type { GatewayBlockstore } from './blockstore.js'

setFlagsFromString('--expose-gc')
/** V8's full garbage collection, as `node --expose-gc` gives it. */
const gc = runInNewContext('gc') as () => void

describe('readingAhead', () => {
  it('gives up on a child nobody sends within its bound even when garbage collection ran meanwhile, and reads it from the store', async () => {
    const childBytes = new TextEncoder().encode('child')
    const child = CID.createV1(raw.code, await sha256.digest(childBytes))
    const parentBytes = dagPb.encode(dagPb.prepare({ Links: [{ Hash: child, Name: 'c', Tsize: childBytes.byteLength }] }))
    const parent = CID.createV1(dagPb.code, await sha256.digest(parentBytes))
    // the network never has the child: its read ends only when its signal aborts
    const network: GatewayBlockstore = {
      has: async () => false,
      get: async function * (_cid, options = {}) {
        await new Promise((_resolve, reject) => { options.signal?.addEventListener('abort', () => { reject(options.signal?.reason) }, { once: true }) })
        yield new Uint8Array()
      }
    }
    const store = {
      get: async function * (cid: CID) { yield cid.equals(parent) ? parentBytes : childBytes }
    }
    const reader = readingAhead(store, network, { signal: new AbortController().signal, timeoutMs: 100 })
    await toBuffer(reader.get(parent))
    for (let i = 0; i < 3; i++) {
      gc()
      await new Promise(resolve => setTimeout(resolve, 5))
    }
    const outcome = await Promise.race([toBuffer(reader.get(child)), new Promise(resolve => setTimeout(resolve, 2_000, 'still waiting'))])
    expect(outcome).toEqual(childBytes)
  })
})

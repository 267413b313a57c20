import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { fromString, toString } from 'uint8arrays'
import { beforeAll, describe, expect, it } from 'vitest'
import * as errors from './errors.js'
import {
  IDENTITY_FILE_FORMAT,
  IDENTITY_FILE_VERSION,
  MIN_PASSPHRASE_LENGTH,
  MIN_PBKDF2_ITERATIONS,
  PBKDF2_ITERATIONS,
  decryptIdentity,
  encryptIdentity
} from './index.js'
import type { Identity } from './index.js'

/** Cheapest count the format accepts, so tests stay fast. */
const TEST_ITERATIONS = MIN_PBKDF2_ITERATIONS
const PASSPHRASE = 'correct horse battery staple'

let identity: Identity

async function rootOf (text: string): Promise<string> {
  const digest = await sha256.digest(new TextEncoder().encode(text))
  return CID.createV1(raw.code, digest).toString()
}

beforeAll(async () => {
  const key = await generateKeyPair('Ed25519')
  identity = {
    ownerKey: privateKeyToProtobuf(key),
    sites: [
      { name: 'alice.wia.home', seq: 3, root: await rootOf('alice v3'), record: crypto.getRandomValues(new Uint8Array(300)) },
      { name: 'alice-blog.wia.home', seq: 0, root: await rootOf('blog v0'), record: crypto.getRandomValues(new Uint8Array(280)) }
    ],
    exportedAt: 1_700_000_000_000
  }
})

async function exportFile (passphrase = PASSPHRASE): Promise<string> {
  return encryptIdentity(identity, passphrase, { iterations: TEST_ITERATIONS })
}

/** An identity file's JSON, loosely typed so tests can break it. */
interface FileJson {
  [field: string]: unknown
  format: unknown
  version: unknown
  kdf: { [field: string]: unknown, iterations: unknown, salt: string }
  cipher: { [field: string]: unknown, iv: string }
  ciphertext: string
}

/** The file's JSON, to change and write back. */
function parse (text: string): FileJson {
  return JSON.parse(text)
}

/** Flips the lowest bit of byte `index` of a base64url value. */
function flipByte (value: string, index: number): string {
  const bytes = fromString(value, 'base64url')
  bytes[index] = (bytes[index] ?? 0) ^ 1
  return toString(bytes, 'base64url')
}

async function errorOf (promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err) {
    return err as Error
  }
  throw new Error('expected the promise to reject')
}

describe('errors', () => {
  it.each([errors.WrongPassphraseError, errors.InvalidIdentityFileError, errors.WeakPassphraseError])('$name carries its name on the class and on instances, with a default message', (ErrorClass) => {
    const cause = new Error('underlying')
    const exportName = Object.entries(errors).find(([, value]) => value === ErrorClass)?.[0]
    const err = new ErrorClass('what happened', { cause })

    expect(ErrorClass.name).toBe(exportName)
    expect(err.name).toBe(exportName)
    expect(err.cause).toBe(cause)
    expect(new ErrorClass().message).toMatch(/^[a-z][^.]{5,60}$/)
  })
})

describe('encryptIdentity / decryptIdentity', () => {
  it('round-trips the owner key and sites', async () => {
    const text = await exportFile()
    const restored = await decryptIdentity(text, PASSPHRASE)

    expect(restored.ownerKey).toEqual(identity.ownerKey)
    expect(restored.sites).toEqual(identity.sites)
    expect(restored.exportedAt).toBe(identity.exportedAt)
  })

  it('round-trips an identity without sites', async () => {
    const empty = { ...identity, sites: [] }
    const text = await encryptIdentity(empty, PASSPHRASE, { iterations: TEST_ITERATIONS })

    expect(await decryptIdentity(text, PASSPHRASE)).toEqual(empty)
  })

  it('writes the documented header, with 600,000 iterations by default', async () => {
    const file = parse(await encryptIdentity(identity, PASSPHRASE))

    expect(PBKDF2_ITERATIONS).toBe(600_000)
    expect(Object.keys(file).sort()).toEqual(['cipher', 'ciphertext', 'format', 'kdf', 'version'])
    expect(file.format).toBe(IDENTITY_FILE_FORMAT)
    expect(file.version).toBe(IDENTITY_FILE_VERSION)
    expect(file.kdf).toEqual({ name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000, salt: expect.any(String) })
    expect(fromString(file.kdf.salt, 'base64url')).toHaveLength(16)
    expect(file.cipher).toEqual({ name: 'AES-GCM', iv: expect.any(String) })
    expect(fromString(file.cipher.iv, 'base64url')).toHaveLength(12)
  })

  it('normalises the passphrase to NFC', async () => {
    const composed = 'café au lait'
    const decomposed = composed.normalize('NFD')
    expect(decomposed).not.toBe(composed)

    const text = await exportFile(decomposed)
    const restored = await decryptIdentity(text, composed)

    expect(restored.ownerKey).toEqual(identity.ownerKey)
  })

  it('uses a fresh salt and IV for every export', async () => {
    const first = await exportFile()
    const second = await exportFile()

    expect(first).not.toBe(second)
    expect(parse(first).kdf.salt).not.toBe(parse(second).kdf.salt)
    expect(parse(first).cipher.iv).not.toBe(parse(second).cipher.iv)
    expect(parse(first).ciphertext).not.toBe(parse(second).ciphertext)
  })

  it('does not reveal the key or the site names', async () => {
    const text = await exportFile()

    expect(text).not.toContain(toString(identity.ownerKey, 'base64url'))
    expect(text).not.toContain(toString(identity.ownerKey.subarray(-32), 'base64url'))
    expect(text).not.toContain(toString(identity.ownerKey, 'base64'))
    for (const site of identity.sites) {
      expect(text).not.toContain(site.name)
      expect(text).not.toContain(site.name.split('.')[0])
      expect(text).not.toContain(site.root)
    }
  })
})

describe('the documented format', () => {
  /** Writes an identity file by following the spec in format.ts with WebCrypto alone. */
  async function handMade (aad: string): Promise<string> {
    const salt = crypto.getRandomValues(new Uint8Array(16))
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(PASSPHRASE.normalize('NFC')), 'PBKDF2', false, ['deriveKey'])
    const key = await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: TEST_ITERATIONS }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt'])
    const payload = JSON.stringify({
      ownerKey: toString(identity.ownerKey, 'base64url'),
      sites: identity.sites.map(site => ({ ...site, record: toString(site.record, 'base64url') })),
      exportedAt: identity.exportedAt
    })
    const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(aad) }, key, new TextEncoder().encode(payload))
    return JSON.stringify({
      format: 'wia-home-identity',
      version: 1,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: TEST_ITERATIONS, salt: toString(salt, 'base64url') },
      cipher: { name: 'AES-GCM', iv: toString(iv, 'base64url') },
      ciphertext: toString(new Uint8Array(ciphertext), 'base64url')
    })
  }

  it('reads a file written by another implementation of the spec', async () => {
    expect(await decryptIdentity(await handMade('wia-home-identity:v1'), PASSPHRASE)).toEqual(identity)
  })

  it('binds the ciphertext to the format version through the additional data', async () => {
    const err = await errorOf(decryptIdentity(await handMade('wia-home-identity:v2'), PASSPHRASE))

    expect(err.name).toBe('WrongPassphraseError')
  })
})

describe('decryptIdentity with the wrong secret or a changed file', () => {
  let text: string

  beforeAll(async () => {
    text = await exportFile()
  })

  it('rejects a wrong passphrase with WrongPassphraseError', async () => {
    const err = await errorOf(decryptIdentity(text, `${PASSPHRASE}!`))

    expect(err.name).toBe('WrongPassphraseError')
    expect(err.message).toMatch(/passphrase/)
  })

  it('rejects an empty passphrase with WrongPassphraseError', async () => {
    expect((await errorOf(decryptIdentity(text, ''))).name).toBe('WrongPassphraseError')
  })

  it.each([
    ['the first ciphertext byte', (file: FileJson) => { file.ciphertext = flipByte(file.ciphertext, 0) }],
    ['the last ciphertext byte (tag)', (file: FileJson) => { file.ciphertext = flipByte(file.ciphertext, fromString(file.ciphertext, 'base64url').length - 1) }],
    ['the salt', (file: FileJson) => { file.kdf.salt = flipByte(file.kdf.salt, 5) }],
    ['the IV', (file: FileJson) => { file.cipher.iv = flipByte(file.cipher.iv, 11) }],
    ['the iteration count', (file: FileJson) => { file.kdf.iterations = Number(file.kdf.iterations) + 1 }]
  ])('rejects a change to %s with WrongPassphraseError', async (_, change) => {
    const file = parse(text)
    change(file)

    expect((await errorOf(decryptIdentity(JSON.stringify(file), PASSPHRASE))).name).toBe('WrongPassphraseError')
  })

  it('rejects a truncated ciphertext with WrongPassphraseError', async () => {
    const file = parse(text)
    file.ciphertext = toString(fromString(file.ciphertext, 'base64url').subarray(0, -1), 'base64url')

    expect((await errorOf(decryptIdentity(JSON.stringify(file), PASSPHRASE))).name).toBe('WrongPassphraseError')
  })

  it('stops when the signal is aborted', async () => {
    const err = await errorOf(decryptIdentity(text, PASSPHRASE, { signal: AbortSignal.abort() }))

    expect(err.name).toBe('AbortError')
  })
})

describe('decryptIdentity with a file that is not a valid identity file', () => {
  let text: string

  beforeAll(async () => {
    text = await exportFile()
  })

  const changes: Array<[string, (file: FileJson) => unknown]> = [
    ['version 2', file => { file.version = 2 }],
    ['version "1" (a string)', file => { file.version = '1' }],
    ['a wrong format', file => { file.format = 'wia-home-backup' }],
    ['no format', file => { Reflect.deleteProperty(file, 'format') }],
    ['no version', file => { Reflect.deleteProperty(file, 'version') }],
    ['no kdf', file => { Reflect.deleteProperty(file, 'kdf') }],
    ['no cipher', file => { Reflect.deleteProperty(file, 'cipher') }],
    ['no ciphertext', file => { Reflect.deleteProperty(file, 'ciphertext') }],
    ['no salt', file => { Reflect.deleteProperty(file.kdf, 'salt') }],
    ['no iv', file => { Reflect.deleteProperty(file.cipher, 'iv') }],
    ['an unknown field', file => { file.comment = 'hello' }],
    ['an unknown kdf field', file => { file.kdf.memory = 65536 }],
    ['another kdf', file => { file.kdf.name = 'scrypt' }],
    ['another hash', file => { file.kdf.hash = 'SHA-1' }],
    ['another cipher', file => { file.cipher.name = 'AES-CBC' }],
    ['iterations below 100,000', file => { file.kdf.iterations = 99_999 }],
    ['iterations above 10,000,000', file => { file.kdf.iterations = 10_000_001 }],
    ['fractional iterations', file => { file.kdf.iterations = 100_000.5 }],
    ['iterations as a string', file => { file.kdf.iterations = '600000' }],
    ['a 15-byte salt', file => { file.kdf.salt = toString(new Uint8Array(15), 'base64url') }],
    ['a 17-byte salt', file => { file.kdf.salt = toString(new Uint8Array(17), 'base64url') }],
    ['a 16-byte IV', file => { file.cipher.iv = toString(new Uint8Array(16), 'base64url') }],
    ['a salt that is not base64url', file => { file.kdf.salt = `${file.kdf.salt.slice(0, -1)}!` }],
    ['a padded base64url salt', file => { file.kdf.salt = `${file.kdf.salt}==` }],
    ['a standard base64 IV', file => { file.cipher.iv = toString(new Uint8Array(12).fill(0xfb), 'base64') }],
    ['ciphertext that is not base64url', file => { file.ciphertext = `${file.ciphertext}*` }],
    ['ciphertext as bytes', file => { Object.assign(file, { ciphertext: [...fromString(file.ciphertext, 'base64url')] }) }],
    ['empty ciphertext', file => { file.ciphertext = '' }],
    ['ciphertext shorter than the tag', file => { file.ciphertext = toString(new Uint8Array(16), 'base64url') }],
    ['a null kdf', file => { Object.assign(file, { kdf: null }) }]
  ]

  it.each(changes)('rejects %s with InvalidIdentityFileError', async (_, change) => {
    const file = parse(text)
    change(file)

    expect((await errorOf(decryptIdentity(JSON.stringify(file), PASSPHRASE))).name).toBe('InvalidIdentityFileError')
  })

  it.each([
    ['non-JSON text', 'this is not an identity file'],
    ['truncated JSON', '{"format": "wia-home-identity", "version": 1, "kdf": {'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['an empty file', '']
  ])('rejects %s with InvalidIdentityFileError', async (_, fileText) => {
    expect((await errorOf(decryptIdentity(fileText, PASSPHRASE))).name).toBe('InvalidIdentityFileError')
  })

  it('tells the user to update wia-home for a newer version', async () => {
    const file = parse(text)
    file.version = 2
    const err = await errorOf(decryptIdentity(JSON.stringify(file), PASSPHRASE))

    expect(err.name).toBe('InvalidIdentityFileError')
    expect(err).toMatchObject({ version: 2, message: expect.stringMatching(/version 2/) })
  })

  it('checks the file before asking for the passphrase', async () => {
    expect((await errorOf(decryptIdentity('{}', 'wrong passphrase'))).name).toBe('InvalidIdentityFileError')
  })
})

describe('encryptIdentity refusals', () => {
  it(`rejects a passphrase shorter than ${MIN_PASSPHRASE_LENGTH} characters with WeakPassphraseError`, async () => {
    const err = await errorOf(exportFile('1234567'))

    expect(MIN_PASSPHRASE_LENGTH).toBe(8)
    expect(err.name).toBe('WeakPassphraseError')
    expect(err.message).toMatch(/8 characters/)
  })

  it('counts characters, not UTF-16 code units', async () => {
    // 4 emoji are 8 UTF-16 code units but only 4 characters
    expect((await errorOf(exportFile('🔑🔑🔑🔑'))).name).toBe('WeakPassphraseError')
    await expect(exportFile('🔑🔑🔑🔑🔑🔑🔑🔑')).resolves.toContain(IDENTITY_FILE_FORMAT)
  })

  it('accepts a passphrase of exactly 8 characters', async () => {
    await expect(exportFile('12345678')).resolves.toContain(IDENTITY_FILE_FORMAT)
  })

  it.each([99_999, 10_000_001, 100_000.5, Number.NaN])('rejects %s iterations with RangeError', async (iterations) => {
    const err = await errorOf(encryptIdentity(identity, PASSPHRASE, { iterations }))

    expect(err.name).toBe('RangeError')
  })

  it.each([
    ['a site name that is not a WIA name', (id: Identity) => { id.sites[0]!.name = 'alice.example.com' }],
    ['a root that is not a CID', (id: Identity) => { id.sites[0]!.root = 'not-a-cid' }],
    ['a negative seq', (id: Identity) => { id.sites[0]!.seq = -1 }],
    ['an empty record', (id: Identity) => { id.sites[0]!.record = new Uint8Array() }],
    ['a duplicate site', (id: Identity) => { id.sites.push({ ...id.sites[0]! }) }],
    ['an owner key that is not a libp2p key', (id: Identity) => { id.ownerKey = new Uint8Array(64).fill(7) }]
  ])('refuses to export %s, so every export can be imported', async (_, change) => {
    const broken: Identity = { ...identity, sites: identity.sites.map(site => ({ ...site })) }
    change(broken)

    expect((await errorOf(encryptIdentity(broken, PASSPHRASE, { iterations: TEST_ITERATIONS }))).name).toBe('InvalidIdentityFileError')
  })

  it('refuses to export a non-Ed25519 owner key', async () => {
    const key = await generateKeyPair('secp256k1')
    const err = await errorOf(encryptIdentity({ ...identity, ownerKey: privateKeyToProtobuf(key) }, PASSPHRASE, { iterations: TEST_ITERATIONS }))

    expect(err.name).toBe('InvalidIdentityFileError')
    expect(err.message).toMatch(/Ed25519/)
  })
})

import { CID } from 'multiformats/cid'
import { describe, expect, it, vi } from 'vitest'
import { formatLine, logger } from './log.js'

describe('the worker log', () => {
  it('fills in each specifier with the next argument in words, as @libp2p/logger does', () => {
    const cid = CID.parse('bafkqaaa')
    const err = Object.assign(new Error('no relay answered'), { stack: undefined })
    expect(formatLine('block %c from %s: %d bytes - %e (100%%)', [cid, 'relay a', 42, err])).toBe('block bafkqaaa from relay a: 42 bytes - Error: no relay answered (100%)')
    expect(formatLine('%o and %s', [{ a: 1 }])).toBe('{"a":1} and %s')
  })

  it('prints errors with console.error and the rest with console.debug, under the namespace', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    try {
      const log = logger('wia:sw:test')
      log('fetched %d blocks', 3)
      log.error('could not serve %s', '/a')
      expect(debug).toHaveBeenCalledWith('wia:sw:test fetched 3 blocks')
      expect(error).toHaveBeenCalledWith('wia:sw:test could not serve /a')
    } finally {
      error.mockRestore()
      debug.mockRestore()
    }
  })
})

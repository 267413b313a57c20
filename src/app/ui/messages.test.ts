import { describe, expect, it } from 'vitest'
import { NameTakenError } from '../../naming/index.js'
import { NotEnoughSpaceError, VersionNotKeptError } from '../host/errors.js'
import { errorMessage, siteErrorMessage } from './messages.js'

describe('siteErrorMessage', () => {
  it('words a rollback failure by the error name, never by its technical message', () => {
    const gone = siteErrorMessage(new VersionNotKeptError('This device keeps no version bafy of alice.wia.home', 'alice.wia.home', 'bafy'))
    expect(gone).toContain('no longer keeps that version')
    expect(gone).not.toContain('bafy')
    expect(siteErrorMessage(new NameTakenError('alice.wia.home'))).toContain('transferred away')
  })

  it('words a refused clipboard, and falls back to the message for anything else', () => {
    expect(siteErrorMessage(new DOMException('denied', 'NotAllowedError'))).toContain('Copy the address from the link')
    expect(siteErrorMessage(new Error('boom'))).toBe('That did not work: boom. Try again; if it keeps failing, reload the page.')
  })
})

describe('errorMessage', () => {
  it('names the space a folder needs and the space left, in human units, and what to do', () => {
    const words = errorMessage(new NotEnoughSpaceError('alice.wia.home needs 12600000 bytes of browser storage; 3000000 are free', 'alice.wia.home', 12_600_000, 3_000_000))
    expect(words).toContain('about 13 MB')
    expect(words).toContain('only 3.0 MB')
    expect(words).toContain('publish a smaller folder')
    expect(words).not.toContain('12600000')
  })
})

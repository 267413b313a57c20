import { describe, expect, it } from 'vitest'
import { NameTakenError, SiteUnpublishedError } from '../../naming/index.js'
import { SiteNotHostedError, VersionNotKeptError } from '../host/errors.js'
import { VisitsUnavailableError } from '../visits.js'
import { keepErrorMessage, siteErrorMessage, visitsErrorMessage } from './messages.js'

describe('siteErrorMessage', () => {
  it('words a rollback failure by the error name, never by its technical message', () => {
    const gone = siteErrorMessage(new VersionNotKeptError('This device keeps no version bafy of alice.wia.home', 'alice.wia.home', 'bafy'))
    expect(gone).toContain('no longer keeps that version')
    expect(gone).not.toContain('bafy')
    expect(siteErrorMessage(new NameTakenError('alice.wia.home'))).toContain('transferred away')
  })

  it('words an unpublish of a site no longer hosted, and keeping an unpublished site online', () => {
    expect(siteErrorMessage(new SiteNotHostedError('alice.wia.home'))).toContain('does not host this site any more')
    expect(keepErrorMessage(new SiteUnpublishedError('alice.wia.home'))).toContain('Its owner unpublished this site')
  })

  it('words a refused clipboard, and falls back to the message for anything else', () => {
    expect(siteErrorMessage(new DOMException('denied', 'NotAllowedError'))).toContain('Copy the address from the link')
    expect(siteErrorMessage(new Error('boom'))).toBe('That did not work: boom. Try again; if it keeps failing, reload the page.')
  })
})

describe('visitsErrorMessage', () => {
  it('says no relay could tell the visits without the relays\' addresses and reasons', () => {
    const words = visitsErrorMessage(new VisitsUnavailableError('alice.wia.home', ['http://localhost:8080/_wia/: HTTP 500']))
    expect(words).toBe('No relay could tell the visits right now. Try again in a minute.')
  })
})

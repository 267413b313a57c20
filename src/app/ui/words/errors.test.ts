import { describe, expect, it } from 'vitest'
import * as cacheErrors from '../../../cache/errors.js'
import * as contentErrors from '../../../content/errors.js'
import * as namingErrors from '../../../naming/errors.js'
import * as nodeErrors from '../../../node/errors.js'
import * as trustlessErrors from '../../../trustless/errors.js'
import { DomainCheckError } from '../../custom-domain.js'
import * as hostErrors from '../../host/errors.js'
import * as identityErrors from '../../identity/errors.js'
import * as settingsErrors from '../../settings/errors.js'
import { ProvidersUnavailableError } from '../../peers.js'
import { VisitsUnavailableError } from '../../visits.js'
import { APP_ERROR_WORDS, describeError, errorText } from './errors.js'
import type { Task } from './errors.js'

/** Every error class exported by a module whose errors the app shows. */
const CLASSES = [namingErrors, hostErrors, identityErrors, contentErrors, cacheErrors, nodeErrors, trustlessErrors, settingsErrors, { DomainCheckError, VisitsUnavailableError, ProvidersUnavailableError }]
  .flatMap(module => Object.entries(module))
  .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)

const TASKS: Task[] = ['start', 'publish', 'site', 'key', 'transfer', 'keep', 'domain', 'settings', 'visits', 'peers']

describe('APP_ERROR_WORDS', () => {
  it.each(CLASSES)('has words for %s', (exportName) => {
    expect(Object.hasOwn(APP_ERROR_WORDS, exportName)).toBe(true)
  })

  it('words every entry as full sentences for every task, never echoing a technical message', () => {
    const err = Object.assign(new Error('TECHNICAL'), { siteName: 'alice.wia.home', siteNames: ['alice.wia.home'], subject: 'alice.wia.home', remoteError: 'NotKeptError', min: 1, max: 1440, neededBytes: 12_600_000, availableBytes: 3_000_000 })
    for (const name of Object.keys(APP_ERROR_WORDS)) {
      err.name = name
      for (const task of TASKS) {
        const { what, todo } = describeError(err, task)
        expect(what, name).toMatch(/^\S.*[.)]$/)
        expect(todo, name).toMatch(/^\S.*\.$/)
        if (name !== 'DomainCheckError') {
          expect(`${what} ${todo}`, name).not.toContain('TECHNICAL')
        }
      }
    }
  })
})

describe('describeError', () => {
  it('words a name rule, and what to do depends on the task', () => {
    const err = new namingErrors.InvalidNameError('label starts or ends with a hyphen', { rule: 'hyphen' })
    expect(describeError(err, 'publish')).toEqual({ what: 'A site name cannot start or end with a hyphen.', todo: 'Choose another site name.' })
    expect(describeError(err, 'transfer').todo).toBe('Give the full name, like alice.wia.home.')
  })

  it('uses the error\'s fields', () => {
    expect(errorText(new namingErrors.NameTakenError('bob.wia.blog'), 'publish')).toMatch(/^bob\.wia\.blog is already registered\. Choose another name/)
    expect(errorText(new namingErrors.PutRejectedError('bob.wia.blog'), 'publish')).toContain('No relay accepted the record for bob.wia.blog')
    expect(errorText(new cacheErrors.SiteTooLargeError('bob.wia.blog', 1000), 'keep')).toContain('bob.wia.blog does not fit')
    expect(errorText(new identityErrors.InvalidIdentityFileError('too new', { version: 2 }), 'key')).toContain('version 2')
    const space = errorText(new hostErrors.NotEnoughSpaceError('alice.wia.home needs 12600000 bytes; 3000000 are free', 'alice.wia.home', 12_600_000, 3_000_000), 'publish')
    expect(space).toContain('about 13 MB')
    expect(space).toContain('only 3.0 MB')
    expect(space).toContain('publish a smaller folder')
    expect(space).not.toContain('12600000')
    expect(errorText(new hostErrors.VersionNotKeptError('no kept version bafy of alice.wia.home', 'alice.wia.home', 'bafy'), 'site')).not.toContain('bafy')
  })

  it('tells to act again once the app is back on its relay, which it rejoins by itself', () => {
    for (const err of [new nodeErrors.NoReservationError('no relay reservation'), new namingErrors.PutRejectedError('bob.wia.blog')]) {
      expect(errorText(err, 'publish')).toContain('Nothing was published.')
      expect(errorText(err, 'publish')).toMatch(/again by itself: once the top of the page says Online, click Publish again\.$/)
      expect(errorText(err, 'site')).toMatch(/says Online, try again\.$/)
    }
  })

  it('words browser failures by task', () => {
    expect(errorText(new DOMException('denied', 'NotAllowedError'), 'site')).toContain('Copy the address from the link')
    expect(errorText(new DOMException('stop', 'AbortError'), 'publish')).toBe('Publishing was cancelled. Nothing was published. You can start again.')
  })

  it('shows an unknown error\'s message after what the user was doing', () => {
    expect(errorText(new Error('boom'), 'site')).toBe('Changing the site failed: boom. Try again; if it keeps failing, reload the page.')
    expect(errorText('odd', 'publish')).toBe('Publishing failed: odd. Try again; if it keeps failing, reload the page.')
  })
})

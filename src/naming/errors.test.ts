import { describe, it, expect } from 'vitest'
import * as errors from './errors.js'

const RECORD_AND_NAME_ERRORS = [
  errors.InvalidNameError,
  errors.MalformedRecordError,
  errors.RecordTooLargeError,
  errors.InvalidSignatureError,
  errors.NameMismatchError,
  errors.RecordExpiredError,
  errors.UnsupportedRecordVersionError,
  errors.InvalidProofOfWorkError,
  errors.InsufficientProofOfWorkError,
  errors.StaleRecordError
]

const SITE_ERRORS = [
  errors.NameTakenError,
  errors.OwnerKeyChangedError,
  errors.SiteUnpublishedError
]

describe('errors', () => {
  it.each(RECORD_AND_NAME_ERRORS)('$name carries its name on the class and on instances', (ErrorClass) => {
    const cause = new Error('underlying')
    const err = new ErrorClass('what happened', { cause })
    const exportName = Object.entries(errors).find(([, value]) => value === ErrorClass)?.[0]

    expect(ErrorClass.name).toBe(exportName)
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe(exportName)
    expect(err.message).toBe('what happened')
    expect(err.cause).toBe(cause)
  })

  it.each(RECORD_AND_NAME_ERRORS)('$name has a default message in plain words', (ErrorClass) => {
    expect(new ErrorClass().message).toMatch(/^The .{20,}/)
  })

  it.each(SITE_ERRORS)('$name carries its name and the site name, and says what to do', (ErrorClass) => {
    const cause = new Error('underlying')
    const err = new ErrorClass('alice.wia.home', { cause })
    const exportName = Object.entries(errors).find(([, value]) => value === ErrorClass)?.[0]

    expect(ErrorClass.name).toBe(exportName)
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe(exportName)
    expect(err.siteName).toBe('alice.wia.home')
    expect(err.message).toContain('alice.wia.home')
    expect(err.cause).toBe(cause)
  })

  it('NameTakenError starts with "<name> is already registered" and hints at the way out', () => {
    const { message } = new errors.NameTakenError('bob.wia.blog')
    expect(message).toMatch(/^bob\.wia\.blog is already registered\. /)
    expect(message).toContain('Choose another name')
    expect(message).toContain('import its owner key')
  })

  it('OwnerKeyChangedError says the page is not shown because it may be an impostor', () => {
    expect(new errors.OwnerKeyChangedError('bob.wia.blog').message).toMatch(/^The owner key of bob\.wia\.blog changed.*not shown because it may come from an impostor/)
  })
})

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

  it.each(RECORD_AND_NAME_ERRORS)('$name has a short technical default message (words for people are the surfaces\' job)', (ErrorClass) => {
    expect(new ErrorClass().message).toMatch(/^[a-z][^.]{5,60}$/)
  })

  it('InvalidNameError carries the rule it broke', () => {
    expect(new errors.InvalidNameError('label starts or ends with a hyphen', { rule: 'hyphen' }).rule).toBe('hyphen')
    expect(new errors.InvalidNameError().rule).toBeUndefined()
  })

  it('PutRejectedError carries the site name', () => {
    const err = new errors.PutRejectedError('alice.wia.home')
    expect(err.name).toBe('PutRejectedError')
    expect(err.siteName).toBe('alice.wia.home')
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
})

import { describe, it, expect } from 'vitest'
import * as errors from './errors.js'

const RECORD_AND_NAME_ERRORS = [
  errors.InvalidNameError,
  errors.MalformedRecordError,
  errors.RecordTooLargeError,
  errors.InvalidSignatureError,
  errors.NameMismatchError,
  errors.RecordExpiredError,
  errors.UnsupportedRecordVersionError
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
})

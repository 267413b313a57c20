import { MIN_PASSPHRASE_LENGTH } from './constants.js'

/** How hard a passphrase is to guess, from too short to strong. */
export type PassphraseStrength = 'too-short' | 'weak' | 'fair' | 'good' | 'strong'

/** An estimate of a passphrase's strength. */
export interface StrengthEstimate {
  strength: PassphraseStrength
  /** Estimated bits of guessing work before the file's key derivation (`PBKDF2_ITERATIONS` adds about 19 bits more). */
  bits: number
}

/** The character classes counted, with how many characters each offers a guesser. */
const CLASSES: ReadonlyArray<[RegExp, number]> = [
  [/[a-z]/, 26],
  [/[A-Z]/, 26],
  [/[0-9]/, 10],
  [/[ -/:-@[-`{-~]/, 33],
  [/[^\x20-\x7e]/, 100]
]

/** Least bits for each strength above `weak` (an offline guesser at ~10⁵ tries/s against 600,000 PBKDF2 rounds needs years past `good`). */
const BITS_FOR: ReadonlyArray<[PassphraseStrength, number]> = [['strong', 70], ['good', 55], ['fair', 40]]

/**
 * A small, deliberately pessimistic estimate of a passphrase's strength, for
 * the hint under the passphrase field (no dictionary: a few kilobytes, not
 * zxcvbn's megabyte).
 *
 * The guesser is assumed to know which character classes are used
 * (lowercase, uppercase, digits, ASCII symbols, anything else), so each
 * character is worth `log2(pool)` bits; a character that repeats the previous
 * one or continues a run (`aaa`, `abc`, `321`) is worth one bit, and a
 * passphrase made of one repeated word or pattern no more than that pattern.
 * Shorter than `MIN_PASSPHRASE_LENGTH` is `too-short` whatever its content,
 * as the key file refuses it.
 */
export function estimateStrength (passphrase: string): StrengthEstimate {
  const chars = [...passphrase.normalize('NFC')]
  const pool = CLASSES.reduce((sum, [re, size]) => sum + (chars.some(c => re.test(c)) ? size : 0), 0)
  const perChar = pool === 0 ? 0 : Math.log2(pool)
  let bits = 0
  chars.forEach((char, i) => {
    const step = i === 0 ? NaN : (char.codePointAt(0) ?? 0) - (chars[i - 1]!.codePointAt(0) ?? 0)
    bits += Math.abs(step) <= 1 ? 1 : perChar
  })
  const period = repeatPeriod(chars)
  if (period < chars.length) {
    bits = Math.min(bits, period * perChar + Math.log2(chars.length / period))
  }
  bits = Math.round(bits)
  if (chars.length < MIN_PASSPHRASE_LENGTH) {
    return { strength: 'too-short', bits }
  }
  return { strength: BITS_FOR.find(([, least]) => bits >= least)?.[0] ?? 'weak', bits }
}

/** The length of the shortest pattern `chars` repeats (`abcabcab` → 3), or its whole length. */
function repeatPeriod (chars: string[]): number {
  for (let period = 1; period <= chars.length / 2; period++) {
    if (chars.every((char, i) => char === chars[i % period])) {
      return period
    }
  }
  return chars.length
}

/**
 * The key file's passphrase rules, in a module of their own: the app's first
 * load needs them (error words, the strength hint) without the file's crypto.
 *
 * @module
 */

/**
 * PBKDF2-HMAC-SHA-256 iterations used for new exports: 600,000, the OWASP
 * recommendation for PBKDF2-SHA256 (Password Storage Cheat Sheet, 2023,
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#pbkdf2).
 * The count is stored in each file, so it can be raised later without
 * breaking older files.
 */
export const PBKDF2_ITERATIONS = 600_000

/**
 * Fewest characters (Unicode code points, after NFC normalisation) a
 * passphrase for a new export may have.
 */
export const MIN_PASSPHRASE_LENGTH = 8

import '@awesome.me/webawesome/dist/styles/themes/default.css'

/** The query that tells whether the person prefers a dark theme. */
const DARK_QUERY = '(prefers-color-scheme: dark)'

/**
 * Load Web Awesome's default theme (its `--wa-*` design tokens) and keep the
 * document in its light or dark variant (class `wa-dark` on `<html>`) as
 * `prefers-color-scheme` says, also when that changes while the app is open.
 * The app's elements style themselves with those tokens (`styles.ts`).
 */
export function followColorScheme (root: HTMLElement = document.documentElement): void {
  const dark = matchMedia(DARK_QUERY)
  const apply = (): void => {
    root.classList.toggle('wa-dark', dark.matches)
    root.classList.toggle('wa-light', !dark.matches)
  }
  apply()
  dark.addEventListener('change', apply)
}

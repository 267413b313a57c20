import type { ReactiveController, ReactiveControllerHost } from 'lit'

/** The app's screens. */
export type Screen = 'sites' | 'key' | 'transfer' | 'keep' | 'settings'

/** A screen's place in the navigation: its URL hash and its name (also the link's accessible name). */
export interface ScreenRoute {
  screen: Screen
  /** The URL hash that opens it, e.g. `#/key`; `#/` for the home screen. */
  hash: string
  /** What the navigation link and the page title say. */
  title: string
}

/** Every screen, in navigation order; the first is the home screen. */
export const ROUTES: readonly ScreenRoute[] = [
  { screen: 'sites', hash: '#/', title: 'My sites' },
  { screen: 'key', hash: '#/key', title: 'Your key' },
  { screen: 'transfer', hash: '#/transfer', title: 'Transfer' },
  { screen: 'keep', hash: '#/keep', title: 'Keep online' },
  { screen: 'settings', hash: '#/settings', title: 'Settings' }
]

/**
 * The route of a URL hash; the home screen for an empty or unknown hash.
 * Hash URLs need nothing from the server or the app-shell service worker, so
 * every screen opens offline and **Back** returns to the previous one.
 */
export function routeOf (hash: string): ScreenRoute {
  const path = hash === '' || hash === '#' ? '#/' : hash
  return ROUTES.find(route => route.hash === path) ?? ROUTES[0]!
}

/**
 * A Lit controller that keeps its host on the screen in `location.hash`:
 * re-renders the host on `hashchange` and titles the document after it.
 */
export class RouteController implements ReactiveController {
  /** The screen shown now. */
  route: ScreenRoute = routeOf(location.hash)

  private readonly host: ReactiveControllerHost
  private readonly appName: string

  constructor (host: ReactiveControllerHost, appName: string) {
    this.host = host
    this.appName = appName
    host.addController(this)
  }

  hostConnected (): void {
    window.addEventListener('hashchange', this.onHashChange)
    this.apply()
  }

  hostDisconnected (): void {
    window.removeEventListener('hashchange', this.onHashChange)
  }

  private readonly onHashChange = (): void => {
    this.apply()
    this.host.requestUpdate()
  }

  private apply (): void {
    this.route = routeOf(location.hash)
    document.title = this.route === ROUTES[0] ? this.appName : `${this.route.title} · ${this.appName}`
  }
}

/**
 * The HTTP requests a site worker makes to a relay (`docs/http.md`), spelled
 * once for both sides that make them: the worker (`sw/http/gateways.ts`) and
 * the relay's bootstrap page (`relay/bootstrap-page.ts`), which makes a cold
 * visit's first three ahead of the worker so the browser's HTTP cache holds
 * their answers when the worker asks. A cached answer is the same bytes the
 * relay would send again, and the worker verifies them as it verifies any.
 *
 * @module
 */

/** Media type of a CAR: Trustless Gateway spec §"Accept". */
export const CAR_MEDIA_TYPE = 'application/vnd.ipld.car'

/** Media type of a signed WIA name record (DAG-CBOR bytes as stored in the DHT, `docs/naming.md`). */
export const NAME_RECORD_MEDIA_TYPE = 'application/vnd.wia.name-record'

/** One request as `fetch()` makes it: its URL (absolute, or relative to the site origin) and its `Accept` header (none: the browser's default). */
export interface VisitRequest {
  url: string
  accept?: string
}

/**
 * The signed record of `name` from the gateway at `base` (a URL ending in
 * `/_wia/`): `GET <base>name/<name>` (`docs/http.md` §"Name records").
 */
export function nameRecordRequest (base: string, name: string): VisitRequest {
  return { url: `${base}name/${encodeURIComponent(name)}`, accept: NAME_RECORD_MEDIA_TYPE }
}

/**
 * The blocks of `root` + `path` as one CAR (Trustless Gateway spec
 * §"dag-scope", §"entity-bytes"): `dagScope` defaults to `entity`.
 * `path` starts with `/` or is empty.
 */
export function carRequest (base: string, root: string, path: string, options: { dagScope?: 'block' | 'entity' | 'all', entityBytes?: string } = {}): VisitRequest {
  const scope = `dag-scope=${options.dagScope ?? 'entity'}`
  const query = options.entityBytes == null ? scope : `${scope}&entity-bytes=${options.entityBytes}`
  return { url: `${base}ipfs/${root}${path}?${query}`, accept: CAR_MEDIA_TYPE }
}

/**
 * The path whose blocks one CAR brings before a page is served: for a
 * directory URL its `index.html`, which is what is served there.
 */
export function pagePath (pathname: string): string {
  return pathname.endsWith('/') ? `${pathname}index.html` : pathname
}

/**
 * The bytes of the page a cold visit's first CAR brings (Trustless Gateway
 * `entity-bytes`, `from:to` inclusive): the first 2 MiB. A page is whole
 * in it; a large file opened directly (a video's URL) brings its start, and
 * its request fetches the rest as it streams, instead of the worker's
 * install waiting for all of it.
 */
export const PAGE_CAR_ENTITY_BYTES = `0:${2 * 1024 * 1024 - 1}`

/**
 * What a site worker asks first when it opens `pathname` of `name` cold,
 * in the order it asks: the client configuration, the name's record, and,
 * when the root the relay holds for the name is known, the page's CAR.
 *
 * @param base - the origin's own gateway, `/_wia/` (same origin)
 * @param configPath - where the client configuration is served (`/_wia/config.json`)
 */
export function firstVisitRequests (base: string, configPath: string, name: string, pathname: string, root?: string): VisitRequest[] {
  return [
    { url: configPath },
    nameRecordRequest(base, name),
    ...(root == null ? [] : [carRequest(base, root, pagePath(pathname), { entityBytes: PAGE_CAR_ENTITY_BYTES })])
  ]
}

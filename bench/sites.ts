import { randomBytes } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, open, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'

/**
 * A ~1 MB site of 20 files, all of them subresources of `index.html`: 6
 * stylesheets, 6 scripts, 7 images (valid PNGs padded to size).
 */
export async function makeMegabyteSite (): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'wia-bench-site-'))
  await mkdir(join(root, 'css'))
  await mkdir(join(root, 'js'))
  await mkdir(join(root, 'img'))
  const pad = (bytes: number): string => `/* ${randomBytes(bytes / 2).toString('hex')} */\n`
  const tags: string[] = []
  for (let i = 0; i < 6; i++) {
    await writeFile(join(root, `css/s${i}.css`), `.c${i} { color: rgb(${i}, 0, 0) }\n${pad(60_000)}`)
    tags.push(`<link rel="stylesheet" href="css/s${i}.css">`)
  }
  for (let i = 0; i < 6; i++) {
    await writeFile(join(root, `js/m${i}.js`), `window.loaded = (window.loaded ?? 0) + 1\n${pad(80_000)}`)
    tags.push(`<script src="js/m${i}.js"></script>`)
  }
  for (let i = 0; i < 7; i++) {
    await copyFile(resolve('public/icons/icon-512.png'), join(root, `img/p${i}.png`))
    tags.push(`<img src="img/p${i}.png" width="64" height="64" alt="">`)
  }
  await writeFile(join(root, 'index.html'), `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>${tags.filter(t => t.startsWith('<link')).join('')}</head><body><h1>bench</h1>${tags.filter(t => !t.startsWith('<link')).join('')}</body></html>`)
  return root
}

/** The files of `swagger-ui-dist` that its `index.html` loads (not the other bundles, not source maps). */
const SWAGGER_UI_FILES = ['index.html', 'index.css', 'swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-16x16.png', 'favicon-32x32.png']

/**
 * swagger-ui as a site (about 2.2 MB): the `swagger-ui-dist` package's own
 * `index.html` and the files it loads, its `swagger-initializer.js` pointed
 * at a small OpenAPI document beside it (`bench/fixtures/openapi.json`)
 * instead of the petstore on the internet.
 */
export async function makeSwaggerSite (): Promise<string> {
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
  const root = await mkdtemp(join(tmpdir(), 'wia-bench-swagger-'))
  for (const file of SWAGGER_UI_FILES) {
    await copyFile(join(dist, file), join(root, file))
  }
  await copyFile(resolve('bench/fixtures/openapi.json'), join(root, 'openapi.json'))
  const initializer = await readFile(join(dist, 'swagger-initializer.js'), 'utf8')
  const local = initializer.replace(/url: "[^"]*"/, 'url: "./openapi.json"')
  if (local === initializer) {
    throw new Error('swagger-initializer.js of swagger-ui-dist names no spec url to replace')
  }
  await writeFile(join(root, 'swagger-initializer.js'), local)
  return root
}

/** Bytes written to disk per `write` when making large files. */
const WRITE_CHUNK_BYTES = 4 * 1_048_576

/** Write `bytes` random (incompressible, never deduplicated) bytes to `path`. */
async function writeRandomFile (path: string, bytes: number): Promise<void> {
  const file = await open(path, 'w')
  try {
    for (let written = 0; written < bytes; written += WRITE_CHUNK_BYTES) {
      await file.write(randomBytes(Math.min(WRITE_CHUNK_BYTES, bytes - written)))
    }
  } finally {
    await file.close()
  }
}

/**
 * A site of one large random file `big.bin` of `bytes` bytes beside a small
 * `index.html`; returns the folder.
 */
export async function makeBigFileSite (bytes: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'wia-bench-big-'))
  await writeFile(join(root, 'index.html'), '<!doctype html><title>big</title><p>one big file</p>\n')
  await writeRandomFile(join(root, 'big.bin'), bytes)
  return root
}

/**
 * A folder of mixed files totalling about `bytes` random bytes: per 10 MB,
 * one 4 MiB file, four 1 MiB files, 24 files of 32–96 KiB and 20 small files
 * of 0.5–4 KiB, in nested folders (so the import sees both multi-block files
 * and many small ones), and an `index.html`. The counts leave out `index.html`.
 */
export async function makeMixedFolder (bytes: number): Promise<{ folder: string, files: number, bytes: number }> {
  const root = await mkdtemp(join(tmpdir(), 'wia-bench-mixed-'))
  const sizes: number[] = []
  let total = 0
  const pattern = [4 * 1_048_576, 1_048_576, 1_048_576, 1_048_576, 1_048_576,
    ...Array.from({ length: 24 }, (_, i) => (32 + (i % 3) * 32) * 1024),
    ...Array.from({ length: 20 }, (_, i) => 512 + (i % 8) * 512)]
  while (total < bytes) {
    for (const size of pattern) {
      if (total >= bytes) break
      sizes.push(size)
      total += size
    }
  }
  await writeFile(join(root, 'index.html'), '<!doctype html><title>mixed</title><p>mixed files</p>\n')
  for (const [i, size] of sizes.entries()) {
    const dir = join(root, `d${i % 7}`, `e${i % 3}`)
    await mkdir(dir, { recursive: true })
    await writeRandomFile(join(dir, `f${i}.${['bin', 'js', 'css', 'png', 'html'][i % 5]}`), size)
  }
  return { folder: root, files: sizes.length, bytes: total }
}

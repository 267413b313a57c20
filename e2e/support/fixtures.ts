import { createHash, randomBytes } from 'node:crypto'
import { copyFile, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

/** Bytes of the binary file in the test site: 5 MB, several UnixFS chunks. */
export const BINARY_BYTES = 5 * 1000 * 1000

/** Relative paths of the files in {@link makeTestSite}'s folder. */
export const TEST_SITE_FILES = [
  'index.html',
  '404.html',
  'css/site.css',
  'img/icon.png',
  'docs/index.html',
  'docs/guide/deep/notes.txt',
  'data/blob.bin'
] as const

/**
 * A site folder on disk with nested folders, a real PNG image, a 5 MB random
 * binary and its own 404 page.
 */
export async function makeTestSite (): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'wia-site-'))
  const put = async (path: string, content: string | Uint8Array): Promise<void> => {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), content)
  }
  await put('index.html', '<!doctype html><html><head><link rel="stylesheet" href="css/site.css"><title>Test site</title></head><body><h1>Hello from a WIA site</h1><img id="logo" src="img/icon.png" alt="logo"><a href="docs/">Docs</a></body></html>')
  await put('404.html', '<!doctype html><title>Lost</title><h1>This site has no such page</h1>')
  // past 1 KiB, so a relay sends it compressed to clients that accept it
  await put('css/site.css', `body { background: rgb(1, 2, 3); color: white }\n/* ${'a stylesheet long enough to be worth compressing; '.repeat(30)}*/\n`)
  await mkdir(join(root, 'img'), { recursive: true })
  await copyFile(resolve('public/icons/icon-192.png'), join(root, 'img/icon.png'))
  await put('docs/index.html', '<!doctype html><title>Docs</title><h1>Docs index</h1>')
  await put('docs/guide/deep/notes.txt', 'nested four levels deep\n')
  await put('data/blob.bin', randomBytes(BINARY_BYTES))
  return root
}

/** {@link makeTestSite}'s folder with its home page heading saying `text`. */
export async function siteSaying (text: string): Promise<string> {
  const folder = await makeTestSite()
  const index = await readFile(join(folder, 'index.html'), 'utf8')
  await writeFile(join(folder, 'index.html'), index.replace('Hello from a WIA site', text))
  return folder
}

/** What {@link changedSite} does to a copy of a site folder: relative paths. */
export interface SiteChanges {
  /** Files whose content becomes the text given. */
  change?: Record<string, string>
  /** New files and their text. */
  add?: Record<string, string>
  /** Files to delete. */
  remove?: string[]
}

/** A copy of the site folder `folder` (in a new temporary folder) with `changes` made; the rest byte for byte the same. */
export async function changedSite (folder: string, changes: SiteChanges): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'wia-site-'))
  await cp(folder, root, { recursive: true })
  for (const [path, text] of Object.entries({ ...changes.change, ...changes.add })) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), text)
  }
  for (const path of changes.remove ?? []) {
    await rm(join(root, path))
  }
  return root
}

/** Largest file {@link bigSiteSaying} writes unless told (bytes): 8 MB. */
export const BIG_SITE_PART_BYTES = 8 * 1000 * 1000

/**
 * {@link siteSaying}'s folder with `extraBytes` more of random data in
 * files of at most `partBytes` (`data/part-N.bin`): a folder whose import
 * takes a while, or a file whose transfer does, so a test can act in the
 * middle of it.
 */
export async function bigSiteSaying (text: string, extraBytes: number, partBytes = BIG_SITE_PART_BYTES): Promise<string> {
  const folder = await siteSaying(text)
  for (let i = 0, left = extraBytes; left > 0; i++, left -= partBytes) {
    await writeFile(join(folder, `data/part-${i}.bin`), randomBytes(Math.min(partBytes, left)))
  }
  return folder
}

/** Bytes of the distinct file contents across `folders` (a file in several counts once, as its blocks are stored once). */
export async function distinctFileBytes (folders: string[]): Promise<number> {
  const seen = new Map<string, number>()
  for (const folder of folders) {
    for (const path of await readdir(folder, { recursive: true })) {
      const bytes = await readFile(join(folder, path)).catch(() => undefined)
      if (bytes != null) {
        seen.set(createHash('sha256').update(bytes).digest('hex'), bytes.byteLength)
      }
    }
  }
  return [...seen.values()].reduce((sum, n) => sum + n, 0)
}

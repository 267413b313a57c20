import { randomBytes } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

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

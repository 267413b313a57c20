import { blobPieces } from '../../content/index.js'
import type { SiteFile } from '../../content/index.js'

/**
 * Site files from a folder chosen with `<input type="file" webkitdirectory>`:
 * every `File.webkitRelativePath` starts with the chosen folder's own name,
 * which is dropped so the folder's contents become the site root.
 */
export function siteFilesFromFileList (files: Iterable<File>): SiteFile[] {
  return [...files].map(file => toSiteFile(stripTopFolder(file.webkitRelativePath !== '' ? file.webkitRelativePath : file.name), file))
}

/**
 * Site files from a folder dropped on the page (`DataTransferItem.webkitGetAsEntry`),
 * walking it recursively. The dropped folder itself becomes the site root.
 */
export async function siteFilesFromDrop (items: DataTransferItemList): Promise<SiteFile[]> {
  const entries = [...items]
    .map(item => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry != null)
  const out: SiteFile[] = []
  for (const entry of entries) {
    if (entry.isDirectory) {
      await walk(entry as FileSystemDirectoryEntry, '', out)
    } else {
      const file = await fileOf(entry as FileSystemFileEntry)
      out.push(toSiteFile(file.name, file))
    }
  }
  return out
}

async function walk (dir: FileSystemDirectoryEntry, prefix: string, out: SiteFile[]): Promise<void> {
  for (const entry of await readAllEntries(dir)) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`
    if (entry.isDirectory) {
      await walk(entry as FileSystemDirectoryEntry, path, out)
    } else {
      out.push(toSiteFile(path, await fileOf(entry as FileSystemFileEntry)))
    }
  }
}

/** `readEntries` returns at most 100 entries per call: read until it returns none. */
async function readAllEntries (dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader()
  const all: FileSystemEntry[] = []
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => { reader.readEntries(resolve, reject) })
    if (batch.length === 0) {
      return all
    }
    all.push(...batch)
  }
}

async function fileOf (entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => { entry.file(resolve, reject) })
}

function stripTopFolder (path: string): string {
  const slash = path.indexOf('/')
  return slash === -1 ? path : path.slice(slash + 1)
}

function toSiteFile (path: string, file: File): SiteFile {
  return {
    path,
    size: file.size,
    content: () => blobPieces(file)
  }
}

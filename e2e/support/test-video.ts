import { stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type * as MediabunnyModule from 'mediabunny'
import type { Browser } from '@playwright/test'

/** The shape of a test video: a VP8 WebM of noise, each second a key frame, so any point can be sought. */
export interface TestVideoInit {
  /** Length of the video (s). @default 100 */
  seconds?: number
  /** Frames per second. @default 5 */
  fps?: number
  /** Frame size (px): small enough that the encoder keeps to `bitrate` (640×360 noise came out 60 % over it). @default 320 */
  width?: number
  /** @default 180 */
  height?: number
  /** Bits per second the encoder keeps to: the file's size is about `bitrate * seconds / 8` bytes. @default 1_600_000 (20 MB for 100 s) */
  bitrate?: number
}

export interface TestVideo {
  /** Its size (bytes). */
  bytes: number
  /** Its length (s). */
  seconds: number
  /** How long making it took (ms). */
  makeMs: number
}

/** Where the page that encodes the video pretends to be (a `localhost` origin is a secure context, which WebCodecs needs). */
const ENCODER_PAGE = 'http://video-maker.localhost/'

/** mediabunny's browser build (it sets `globalThis.Mediabunny`), beside the Node one `require` finds. */
const MEDIABUNNY_BROWSER_BUNDLE = join(dirname(createRequire(import.meta.url).resolve('mediabunny')), 'mediabunny.min.cjs')

/**
 * Make a real, seekable video without ffmpeg: Chromium encodes frames of
 * noise (which does not compress away) with WebCodecs at a constant bitrate,
 * `mediabunny` muxes them into a WebM with cues (an index of its key frames
 * that players seek with), and the page hands the file over as a download,
 * saved at `path`. About 5 s for the default 20 MB.
 */
export async function makeTestVideo (browser: Browser, path: string, init: TestVideoInit = {}): Promise<TestVideo> {
  const shape = { seconds: 100, fps: 5, width: 320, height: 180, bitrate: 1_600_000, ...init }
  const started = Date.now()
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.route(ENCODER_PAGE, route => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>video maker</title>' }))
    await page.goto(ENCODER_PAGE)
    await page.addScriptTag({ path: MEDIABUNNY_BROWSER_BUNDLE })
    const download = page.waitForEvent('download')
    await page.evaluate(encodeNoiseVideo, shape)
    await (await download).saveAs(path)
    return { bytes: (await stat(path)).size, seconds: shape.seconds, makeMs: Date.now() - started }
  } finally {
    await context.close()
  }
}

/** Runs in the page: encode and mux the video, then download it. */
async function encodeNoiseVideo ({ seconds, fps, width, height, bitrate }: Required<TestVideoInit>): Promise<void> {
  const { BufferTarget, CanvasSource, Output, Quality, WebMOutputFormat } = (globalThis as unknown as { Mediabunny: typeof MediabunnyModule }).Mediabunny
  const canvas = new OffscreenCanvas(width, height)
  const context = canvas.getContext('2d')!
  const image = context.createImageData(width, height)
  const pixels = new Uint32Array(image.data.buffer)
  const output = new Output({ format: new WebMOutputFormat(), target: new BufferTarget() })
  const source = new CanvasSource(canvas, { codec: 'vp8', quality: new Quality({ bitrate, bitrateMode: 'constant' }), keyFrameInterval: 1 })
  output.addVideoTrack(source, { frameRate: fps })
  await output.start()
  let seed = 0x9e3779b9
  for (let frame = 0; frame < seconds * fps; frame++) {
    for (let i = 0; i < pixels.length; i++) {
      // xorshift32: fast noise, opaque
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      pixels[i] = seed | 0xff000000
    }
    context.putImageData(image, 0, 0)
    await source.add(frame / fps, 1 / fps)
  }
  await output.finalize()
  const link = document.createElement('a')
  link.href = URL.createObjectURL(new Blob([output.target.buffer!], { type: 'video/webm' }))
  link.download = 'video.webm'
  link.click()
}

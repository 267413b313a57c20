/**
 * Wrap an async iterable of bytes in a pull-based `ReadableStream`: the
 * iterator is created on the first pull and advanced one chunk per pull, and
 * cancelling the stream ends the iterator (`return()`), so a cancelled
 * response stops fetching blocks.
 *
 * @param source - chunks of bytes, e.g. from `fs.cat()`
 * @returns a stream that errors with whatever the iterator throws
 */
export function toReadableStream (source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Uint8Array> | undefined
  return new ReadableStream<Uint8Array>({
    async pull (controller) {
      iterator ??= source[Symbol.asyncIterator]()
      const result = await iterator.next()
      if (result.done === true) {
        controller.close()
      } else {
        controller.enqueue(result.value)
      }
    },
    async cancel (reason) {
      await iterator?.return?.(reason)
    }
  }, { highWaterMark: 0 })
}

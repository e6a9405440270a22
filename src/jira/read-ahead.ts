// One page of read-ahead: the next page is requested while the records of the current one are being
// written. Without it a partition's chain stands still whenever its records wait for the writer (the
// merge of partitions pulls one item at a time), and requests in flight drop well below the limit.

/** Yields the items of `source`, asking it for the next one as soon as the current one is handed out. */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  try {
    for (;;) {
      const result = await pending;
      if (result.done) return;
      pending = iterator.next();
      pending.catch(() => {}); // observed on the next turn; avoids an unhandled rejection meanwhile
      yield result.value;
    }
  } finally {
    // Stopped early (a kill, an error elsewhere): let the source clean up once its request settles.
    void pending.then(
      () => iterator.return?.(undefined),
      () => undefined,
    );
  }
}

// Read-ahead: the next items of a source are requested while the current one is handed out. Without it a
// partition's chain stands still whenever its records wait for the writer (the merge of partitions pulls
// one item at a time) or for a lookup, and requests in flight drop well below the limit.

/** Yields the items of `source` in order, keeping up to `depth` further items requested meanwhile. */
export async function* readAhead<T>(source: AsyncIterable<T>, depth = 1): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const ahead: Promise<IteratorResult<T>>[] = [];
  const request = () => {
    const next = iterator.next();
    next.catch(() => {}); // observed when its turn comes; avoids an unhandled rejection meanwhile
    ahead.push(next);
  };
  let done = false;
  try {
    request();
    for (;;) {
      const result = await ahead.shift()!;
      if (result.done) {
        done = true;
        return;
      }
      // An async generator answers queued requests in order, so asking again before it has answered is
      // safe; past its end, the extra requests come back done.
      while (ahead.length < depth) request();
      yield result.value;
    }
  } finally {
    // Stopped early (a kill, an error elsewhere): let the source clean up once its requests settle.
    if (!done)
      void Promise.allSettled(ahead).then(
        () => iterator.return?.(undefined),
        () => undefined,
      );
  }
}

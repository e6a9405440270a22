// Async iteration that holds nothing between items. A suspended async generator keeps every local of its
// frame alive until it resumes, so a generator that parsed a page of 100 issues still holds that page
// while the consumer works through the records made from it (and, read ahead, while the next page is
// fetched): the page survives into V8's old generation, which is what sets peak RSS. A step function's
// frame ends when it returns its item.

/**
 * An async iterable whose items come from `step`, called once per item until it returns `done`. Calls
 * are serialized: a request made before the previous one settled waits for it (as an async generator
 * would). After `done` or an error, every further request is `done`.
 */
export function fromSteps<T>(step: () => Promise<IteratorResult<T, undefined>>): AsyncIterableIterator<T> {
  let finished = false;
  let last: Promise<unknown> = Promise.resolve();
  const next = (): Promise<IteratorResult<T, undefined>> => {
    const result = last.then(async (): Promise<IteratorResult<T, undefined>> => {
      if (finished) return { done: true, value: undefined };
      try {
        const item = await step();
        if (item.done) finished = true;
        return item;
      } catch (error) {
        finished = true;
        throw error;
      }
    });
    last = result.then(
      () => undefined,
      () => undefined,
    ); // settled, without keeping the item
    return result;
  };
  const iterator: AsyncIterableIterator<T> = {
    next,
    return: async () => {
      finished = true;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

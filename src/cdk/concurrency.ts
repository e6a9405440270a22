// Bounded-concurrency merging of async sources with back-pressure: a source's next item is only
// pulled after the consumer took its previous one, so at most `concurrency` items wait in memory.

export type MergeEvent<S, T> =
  | { kind: 'item'; source: S; item: T }
  | { kind: 'done'; source: S }
  | { kind: 'error'; source: S; error: unknown };

export interface MergeOptions {
  /** How many sources are open at once. */
  concurrency: number;
  /** Stops the merge: the consumer's next pull throws the signal's reason. */
  signal?: AbortSignal;
}

/** A promise that every waiter shares until the next `notify()`. */
class Notifier {
  private waiters: Array<() => void> = [];
  wait = () => new Promise<void>((resolve) => this.waiters.push(resolve));
  notify = () => this.waiters.splice(0).forEach((resolve) => resolve());
}

const abortReason = (signal: AbortSignal) =>
  signal.reason instanceof Error
    ? signal.reason
    : Object.assign(new Error('Aborted'), { name: 'AbortError' });

/**
 * Opens up to `concurrency` sources at once (pulled lazily from `sources`, in order) and yields
 * their items tagged with the source, then a `done` or `error` event per source. A source's errors
 * are events, not exceptions; an error while listing the sources is thrown.
 */
export async function* mergeTagged<S, T>(
  sources: Iterable<S> | AsyncIterable<S>,
  open: (source: S) => AsyncIterable<T>,
  options: MergeOptions,
): AsyncGenerator<MergeEvent<S, T>> {
  const limit = Math.max(1, Math.floor(options.concurrency) || 1);
  const queue: Array<{ event: MergeEvent<S, T>; taken: (accepted: boolean) => void }> = [];
  const changed = new Notifier();
  let running = 0;
  let listed = false;
  let listError: { error: unknown } | undefined;
  let closed = false;

  // Resolves true once the consumer took the event, false if the merge was closed meanwhile.
  const push = (event: MergeEvent<S, T>) =>
    new Promise<boolean>((taken) => {
      if (closed) return taken(false);
      queue.push({ event, taken });
      changed.notify();
    });

  const worker = async (source: S) => {
    try {
      for await (const item of open(source)) {
        if (!(await push({ kind: 'item', source, item }))) return;
      }
      await push({ kind: 'done', source });
    } catch (error) {
      await push({ kind: 'error', source, error });
    } finally {
      running--;
      changed.notify();
    }
  };

  const launcher = async () => {
    try {
      for await (const source of sources) {
        while (running >= limit && !closed) await changed.wait();
        if (closed) return;
        running++;
        void worker(source);
      }
    } catch (error) {
      listError = { error };
    } finally {
      listed = true;
      changed.notify();
    }
  };

  // The event handed to the consumer and not yet acknowledged: released if the consumer stops there.
  let handedOut: ((accepted: boolean) => void) | undefined;
  const onAbort = () => changed.notify();
  options.signal?.addEventListener('abort', onAbort);
  void launcher();
  try {
    for (;;) {
      if (options.signal?.aborted) throw abortReason(options.signal);
      const next = queue.shift();
      if (next) {
        handedOut = next.taken;
        yield next.event;
        handedOut = undefined;
        next.taken(true);
      } else if (listError) {
        throw listError.error;
      } else if (listed && running === 0) {
        return;
      } else {
        await changed.wait();
      }
    }
  } finally {
    closed = true;
    handedOut?.(false);
    options.signal?.removeEventListener('abort', onAbort);
    for (const { taken } of queue.splice(0)) taken(false);
    changed.notify();
  }
}

/** Items of `open(source)` for every source, `concurrency` sources at a time, in arrival order; the first error is thrown. */
export async function* mergeEach<S, T>(
  sources: Iterable<S> | AsyncIterable<S>,
  open: (source: S) => AsyncIterable<T>,
  options: MergeOptions,
): AsyncGenerator<T> {
  for await (const event of mergeTagged(sources, open, options)) {
    if (event.kind === 'item') yield event.item;
    else if (event.kind === 'error') throw event.error;
  }
}

/** Items of all `iterables`, `concurrency` at a time, in arrival order; the first error is thrown. */
export function mergeAsync<T>(
  iterables: Iterable<AsyncIterable<T>> | AsyncIterable<AsyncIterable<T>>,
  options: MergeOptions,
): AsyncGenerator<T> {
  return mergeEach(iterables, (iterable) => iterable, options);
}

/** Maps `items` with at most `concurrency` calls of `fn` in flight; results in input order. */
export async function* mapConcurrent<I, O>(
  items: Iterable<I> | AsyncIterable<I>,
  fn: (item: I) => Promise<O>,
  options: MergeOptions,
): AsyncGenerator<O> {
  const pending: Array<Promise<O>> = [];
  for await (const item of items) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const promise = fn(item);
    promise.catch(() => {}); // observed below, in order; avoids an unhandled rejection meanwhile
    pending.push(promise);
    if (pending.length >= Math.max(1, options.concurrency)) yield await pending.shift()!;
  }
  while (pending.length) yield await pending.shift()!;
}

import { mapConcurrent, mergeAsync, mergeTagged } from '../../src/cdk/concurrency';
import { compareCursors, maxCursor, subtractMinutes } from '../../src/cdk/cursor';

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function* numbers(from: number, count: number, log?: { open: number; max: number }) {
  if (log) log.max = Math.max(log.max, ++log.open);
  try {
    for (let i = from; i < from + count; i++) {
      await tick();
      yield i;
    }
  } finally {
    if (log) log.open--;
  }
}

async function toArray<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('mergeAsync', () => {
  it('yields every item of every source, each source in order, at most `concurrency` open at once', async () => {
    const log = { open: 0, max: 0 };
    const sources = [0, 100, 200, 300].map((from) => numbers(from, 5, log));
    const items = await toArray(mergeAsync(sources, { concurrency: 2 }));
    expect(items.sort((a, b) => a - b)).toEqual(
      [0, 100, 200, 300].flatMap((f) => [f, f + 1, f + 2, f + 3, f + 4]),
    );
    expect(log.max).toBe(2);
  });

  it('throws the first source error', async () => {
    async function* broken() {
      yield 1;
      throw new Error('boom');
    }
    await expect(toArray(mergeAsync([broken()], { concurrency: 2 }))).rejects.toThrow('boom');
  });

  it('closes every open source when the consumer stops early', async () => {
    const log = { open: 0, max: 0 };
    for await (const item of mergeAsync([numbers(0, 100, log), numbers(100, 100, log)], { concurrency: 2 })) {
      if (item > 3) break;
    }
    await tick();
    expect(log.open).toBe(0);
  });
});

describe('mergeTagged', () => {
  it('reports each source’s end or error as an event, and throws when listing the sources fails', async () => {
    async function* failing() {
      await tick();
      if (Date.now() > 0) throw new Error('nope');
      yield 0;
    }
    const events = await toArray(
      mergeTagged(['a', 'b'], (s) => (s === 'a' ? numbers(0, 1) : failing()), { concurrency: 1 }),
    );
    expect(events.map((e) => [e.source, e.kind])).toEqual([
      ['a', 'item'],
      ['a', 'done'],
      ['b', 'error'],
    ]);
    async function* listing() {
      yield 'a';
      throw new Error('listing failed');
    }
    await expect(toArray(mergeTagged(listing(), () => numbers(0, 1), { concurrency: 1 }))).rejects.toThrow(
      'listing failed',
    );
  });
});

describe('mapConcurrent', () => {
  it('keeps input order with bounded calls in flight', async () => {
    let inFlight = 0;
    let max = 0;
    const out = await toArray(
      mapConcurrent(
        [5, 1, 4, 2, 3],
        async (n) => {
          max = Math.max(max, ++inFlight);
          for (let i = 0; i < n; i++) await tick();
          inFlight--;
          return n * 10;
        },
        { concurrency: 2 },
      ),
    );
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(max).toBe(2);
  });
});

describe('cursor helpers', () => {
  it('compares instants across offsets and formats', () => {
    expect(compareCursors('2024-01-01T10:00:00.000+0000', '2024-01-01T11:00:00+02:00')).toBeGreaterThan(0);
    expect(maxCursor('2024-01-01T10:00:00Z', '2024-01-01T09:00:00-02:00')).toBe('2024-01-01T09:00:00-02:00');
    expect(maxCursor(undefined, '2024-01-01T10:00:00Z')).toBe('2024-01-01T10:00:00Z');
  });

  it('subtracts a lookback window', () => {
    expect(subtractMinutes('2024-01-01T00:10:00.000+0100', 15)).toBe('2023-12-31T22:55:00.000Z');
    expect(() => subtractMinutes('soon', 1)).toThrow(RangeError);
  });
});

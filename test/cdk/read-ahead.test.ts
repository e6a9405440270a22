import { readAhead } from '../../src/cdk/read-ahead';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A source that records how many items were asked for and whether it was closed. */
function counted(count: number, failAt?: number) {
  const log = { started: 0, closed: false };
  async function* source() {
    try {
      for (let i = 0; i < count; i++) {
        log.started++;
        await tick();
        if (i === failAt) throw new Error(`item ${i} failed`);
        yield i;
      }
    } finally {
      log.closed = true;
    }
  }
  return { log, items: source() };
}

describe('readAhead', () => {
  it('keeps `depth` items requested while the consumer holds the current one, in order', async () => {
    const { log, items } = counted(10);
    const seen: number[] = [];
    const startedWhenHeld: number[] = [];
    for await (const item of readAhead(items, 3)) {
      seen.push(item);
      for (let i = 0; i < 5; i++) await tick();
      startedWhenHeld.push(log.started);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Holding item k, items up to k + 3 have been asked for (never more, never fewer before the end).
    expect(startedWhenHeld).toEqual([4, 5, 6, 7, 8, 9, 10, 10, 10, 10]);
  });

  it('reads one item ahead by default', async () => {
    const { log, items } = counted(4);
    const startedWhenHeld: number[] = [];
    for await (const _ of readAhead(items)) {
      for (let i = 0; i < 5; i++) await tick();
      startedWhenHeld.push(log.started);
    }
    expect(startedWhenHeld).toEqual([2, 3, 4, 4]);
  });

  it('passes a failure on at its place in the order, after the items before it', async () => {
    const { items } = counted(10, 2);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(items, 3)) seen.push(item);
      })(),
    ).rejects.toThrow('item 2 failed');
    expect(seen).toEqual([0, 1]);
  });

  it('closes the source when the consumer stops early', async () => {
    const { log, items } = counted(10);
    for await (const item of readAhead(items, 2)) if (item === 1) break;
    for (let i = 0; i < 10; i++) await tick();
    expect(log.closed).toBe(true);
    expect(log.started).toBeLessThanOrEqual(4);
  });
});

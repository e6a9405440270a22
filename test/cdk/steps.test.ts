import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fromSteps } from '../../src/cdk/steps';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** A step whose next item arrives when the test says so. */
function controlled() {
  const waiting: Array<(item: { payload: number[] } | undefined) => void> = [];
  let calls = 0;
  const iterator = fromSteps(async () => {
    calls++;
    const item = await new Promise<{ payload: number[] } | undefined>((resolve) => waiting.push(resolve));
    return item ? { done: false as const, value: item } : { done: true as const, value: undefined };
  });
  return { iterator, deliver: (item?: { payload: number[] }) => waiting.shift()!(item), calls: () => calls };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('fromSteps', () => {
  it('yields the items of its steps in order, then done for every further request', async () => {
    let n = 0;
    const iterator = fromSteps(async () =>
      n < 3 ? { done: false, value: n++ } : { done: true, value: undefined },
    );
    const seen: number[] = [];
    for await (const item of iterator) seen.push(item);
    expect(seen).toEqual([0, 1, 2]);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('runs one step at a time: a request made before the previous one settled waits for it', async () => {
    const { iterator, deliver, calls } = controlled();
    const first = iterator.next();
    const second = iterator.next();
    await settle();
    expect(calls()).toBe(1);
    deliver({ payload: [1] });
    expect(await first).toEqual({ done: false, value: { payload: [1] } });
    await settle();
    expect(calls()).toBe(2);
    deliver({ payload: [2] });
    expect(await second).toEqual({ done: false, value: { payload: [2] } });
  });

  it('is done after a step fails, and after return()', async () => {
    let n = 0;
    const failing = fromSteps<number>(async () => {
      if (n++ === 1) throw new Error('page 2 failed');
      return { done: false, value: n };
    });
    expect(await failing.next()).toEqual({ done: false, value: 1 });
    await expect(failing.next()).rejects.toThrow('page 2 failed');
    expect(await failing.next()).toEqual({ done: true, value: undefined });

    const closed = fromSteps(async () => ({ done: false, value: 1 }));
    await closed.return!();
    expect(await closed.next()).toEqual({ done: true, value: undefined });
  });

  it('keeps no reference to an item the consumer dropped, while the next step waits', async () => {
    const { iterator, deliver } = controlled();
    const weak = await (async () => {
      const pending = iterator.next();
      await settle();
      deliver({ payload: new Array(1000).fill(1) });
      return new WeakRef((await pending).value as object);
    })();
    const next = iterator.next(); // waits for its item; the previous one must not be held meanwhile
    await settle();
    collectGarbage();
    expect(weak.deref()).toBeUndefined();
    deliver(undefined);
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it('(why it exists) a suspended async generator still holds the item it yielded', async () => {
    let release!: () => void;
    async function* pages() {
      const page = { payload: new Array(1000).fill(1) };
      yield page;
      await new Promise<void>((resolve) => (release = resolve));
    }
    const iterator = pages();
    const weak = await (async () => new WeakRef((await iterator.next()).value as object))();
    const next = iterator.next();
    await settle();
    collectGarbage();
    expect(weak.deref()).toBeDefined();
    release();
    await next;
  });
});

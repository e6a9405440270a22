import { ConfigError } from '../../src/cdk/errors';
import { readPartitioned, type PartitionCheckpoint, type PartitionItem } from '../../src/cdk/partitioned';
import type { RecordData, StreamEvent } from '../../src/cdk/stream';

type Data = Record<string, RecordData[]>;

/** Records of partition `p`: `count` records one minute apart, ids p-0, p-1, … */
function dataset(partitions: string[], count: number, offset = 'Z'): Data {
  return Object.fromEntries(
    partitions.map((p, pi) => [
      p,
      Array.from({ length: count }, (_, i) => {
        const minute = String(i).padStart(2, '0');
        const base = `2024-03-0${pi + 1}T10:${minute}:00`;
        return { id: `${p}-${i}`, updated_at: offset === 'Z' ? `${base}Z` : `${base}${offset}` };
      }),
    ]),
  );
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Like a real stream: ascending, from the checkpoint inclusive (duplicates are fine, gaps are not). */
function reader(
  data: Data,
  log: { pulled: number; active: number; maxActive: number } = { pulled: 0, active: 0, maxActive: 0 },
) {
  return async function* (
    p: string,
    checkpoint: PartitionCheckpoint | undefined,
  ): AsyncIterable<PartitionItem> {
    log.active++;
    log.maxActive = Math.max(log.maxActive, log.active);
    try {
      const from = checkpoint?.cursor ? Date.parse(checkpoint.cursor) : -Infinity;
      for (const record of data[p]!) {
        if (Date.parse(record.updated_at as string) < from) continue;
        await tick();
        log.pulled++;
        yield { record };
      }
    } finally {
      log.active--;
    }
  };
}

async function collect(iterable: AsyncIterable<StreamEvent>, limit = Infinity) {
  const events: StreamEvent[] = [];
  for await (const event of iterable) {
    events.push(event);
    if (events.filter((e) => e.type === 'record').length >= limit) break;
  }
  return events;
}

const states = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'state' ? [e.state] : []));
const recordIds = (events: StreamEvent[]) =>
  events.flatMap((e) => (e.type === 'record' ? [e.data.id as string] : []));
const signal = new AbortController().signal;

describe('readPartitioned', () => {
  it('checkpoints every N records, on partition completion and at the end, with per-partition cursors', async () => {
    const data = dataset(['A', 'B'], 3);
    const events = await collect(
      readPartitioned({
        partitions: ['A', 'B'],
        key: (p) => p,
        read: reader(data),
        cursorField: 'updated_at',
        checkpointEvery: 2,
        concurrency: 1,
        signal,
      }),
    );
    expect(recordIds(events)).toEqual(['A-0', 'A-1', 'A-2', 'B-0', 'B-1', 'B-2']);
    expect(events.map((e) => e.type)).toEqual([
      'record',
      'record',
      'state',
      'record',
      'state', // A done (the count restarts at every state)
      'record',
      'record',
      'state', // 2 records
      'record',
      'state', // B done
      'state', // end
    ]);
    expect(states(events).at(-1)).toEqual({
      partitions: { A: { cursor: '2024-03-01T10:02:00Z' }, B: { cursor: '2024-03-02T10:02:00Z' } },
    });
  });

  it('never moves a cursor past the newest record emitted for that partition', async () => {
    const data = dataset(['A', 'B', 'C'], 5);
    const newest: Record<string, number> = {};
    for await (const event of readPartitioned({
      partitions: ['A', 'B', 'C'],
      key: (p) => p,
      read: reader(data),
      cursorField: 'updated_at',
      checkpointEvery: 1,
      concurrency: 3,
      signal,
    })) {
      if (event.type === 'record') {
        const p = (event.data.id as string)[0]!;
        newest[p] = Math.max(newest[p] ?? 0, Date.parse(event.data.updated_at as string));
      } else if (event.type === 'state') {
        for (const [p, checkpoint] of Object.entries(
          (event.state as { partitions: Record<string, PartitionCheckpoint> }).partitions,
        )) {
          expect(Date.parse(checkpoint.cursor!)).toBe(newest[p]);
        }
      }
    }
  });

  it('compares cursors as instants, not strings', async () => {
    const read = async function* (): AsyncIterable<PartitionItem> {
      yield { record: { id: 1, updated_at: '2024-03-01T10:00:00.000+0000' } };
      yield { record: { id: 2, updated_at: '2024-03-01T11:30:00.000+02:00' } }; // 09:30Z: older, must not win
      yield { record: { id: 3, updated_at: '2024-03-01T10:00:00Z' } };
    };
    const events = await collect(
      readPartitioned({ partitions: ['A'], key: (p) => p, read, cursorField: 'updated_at', signal }),
    );
    expect(states(events).at(-1)).toEqual({ partitions: { A: { cursor: '2024-03-01T10:00:00.000+0000' } } });
  });

  it('reads at most `concurrency` partitions at once, keeps each partition in order, and is actually concurrent', async () => {
    const partitions = ['A', 'B', 'C', 'D', 'E'];
    const data = dataset(partitions, 4);
    const log = { pulled: 0, active: 0, maxActive: 0 };
    const events = await collect(
      readPartitioned({
        partitions,
        key: (p) => p,
        read: reader(data, log),
        cursorField: 'updated_at',
        concurrency: 2,
        signal,
      }),
    );
    expect(log.maxActive).toBe(2);
    const ids = recordIds(events);
    expect(ids).toHaveLength(20);
    for (const p of partitions)
      expect(ids.filter((id) => id.startsWith(p))).toEqual(data[p]!.map((r) => r.id));
    expect(ids.slice(0, 8).some((id) => id.startsWith('B'))).toBe(true); // interleaved, not one after another
  });

  it('does not pull records far ahead of the consumer (back-pressure)', async () => {
    const partitions = ['A', 'B', 'C'];
    const log = { pulled: 0, active: 0, maxActive: 0 };
    const iterator = readPartitioned({
      partitions,
      key: (p) => p,
      read: reader(dataset(partitions, 50), log),
      concurrency: 3,
      signal,
    })[Symbol.asyncIterator]();
    let consumed = 0;
    for (let i = 0; i < 10; i++) {
      const { value } = await iterator.next();
      if (value?.type === 'record') consumed++;
      for (let j = 0; j < 20; j++) await tick(); // a slow consumer: give producers every chance to run ahead
      expect(log.pulled - consumed).toBeLessThanOrEqual(3);
    }
    await iterator.return?.(undefined);
    expect(log.active).toBe(0); // the partitions' generators were closed
  });

  it('resumes from any mid-partition checkpoint without losing a record', async () => {
    const partitions = ['A', 'B', 'C'];
    const data = dataset(partitions, 6);
    const all = Object.values(data)
      .flat()
      .map((r) => r.id as string);
    const options = {
      partitions,
      key: (p: string) => p,
      read: reader(data),
      cursorField: 'updated_at',
      checkpointEvery: 4,
      concurrency: 2,
      signal,
    };
    for (let killAfter = 1; killAfter < all.length; killAfter++) {
      const first = await collect(readPartitioned(options), killAfter);
      // What a killed sync leaves: the records it emitted, and the last state emitted before the kill.
      const state = states(first).at(-1);
      const second = await collect(readPartitioned({ ...options, state }));
      const emitted = new Set([...recordIds(first), ...recordIds(second)]);
      expect([...all].filter((id) => !emitted.has(id))).toEqual([]);
    }
  });

  it('keeps the checkpoints of partitions not read yet, and drops vanished partitions at the end', async () => {
    const data = dataset(['A', 'B'], 2);
    const state = {
      partitions: { B: { cursor: '2024-03-02T10:00:00Z' }, GONE: { cursor: '2020-01-01T00:00:00Z' } },
      version: 2,
    };
    const events = await collect(
      readPartitioned({
        partitions: ['A', 'B'],
        key: (p) => p,
        read: reader(data),
        cursorField: 'updated_at',
        checkpointEvery: 1,
        concurrency: 1,
        state,
        signal,
      }),
    );
    expect(states(events)[0]).toEqual({
      version: 2,
      partitions: {
        A: { cursor: '2024-03-01T10:00:00Z' },
        B: state.partitions.B,
        GONE: state.partitions.GONE,
      },
    });
    expect(states(events).at(-1)).toEqual({
      version: 2,
      partitions: { A: { cursor: '2024-03-01T10:01:00Z' }, B: { cursor: '2024-03-02T10:01:00Z' } },
    });
  });

  it('lets a partition replace its checkpoint, keeping the cursor unless it sets one', async () => {
    const read = async function* (): AsyncIterable<PartitionItem> {
      yield { record: { id: 1, updated_at: '2024-03-01T10:00:00Z' } };
      yield { checkpoint: { digest: 'abc' } };
    };
    const events = await collect(
      readPartitioned({
        partitions: ['A'],
        key: (p) => p,
        read,
        cursorField: 'updated_at',
        state: { partitions: { A: { cursor: '2024-01-01T00:00:00Z', digest: 'old', extra: 1 } } },
        signal,
      }),
    );
    expect(states(events).at(-1)).toEqual({
      partitions: { A: { digest: 'abc', cursor: '2024-03-01T10:00:00Z' } },
    });
  });

  it('yields the state of what was emitted, then throws a failing partition’s error', async () => {
    const read = async function* (p: string): AsyncIterable<PartitionItem> {
      yield { record: { id: `${p}1`, updated_at: '2024-03-01T10:00:00Z' } };
      if (p === 'B') throw new Error('boom');
      await tick();
      yield { record: { id: `${p}2`, updated_at: '2024-03-01T11:00:00Z' } };
    };
    const events: StreamEvent[] = [];
    await expect(async () => {
      for await (const e of readPartitioned({
        partitions: ['A', 'B'],
        key: (p) => p,
        read,
        cursorField: 'updated_at',
        concurrency: 1,
        signal,
      }))
        events.push(e);
    }).rejects.toThrow('boom');
    expect(recordIds(events)).toEqual(['A1', 'A2', 'B1']);
    expect(states(events).at(-1)).toEqual({
      partitions: { A: { cursor: '2024-03-01T11:00:00Z' }, B: { cursor: '2024-03-01T10:00:00Z' } },
    });
  });

  it.each([
    ['not an object', [1]],
    ['partitions not an object', { partitions: 'x' }],
    ['a cursor that is not a date', { partitions: { A: { cursor: 'yesterday' } } }],
  ])('rejects a previous state with %s as a ConfigError naming the stream', async (_case, state) => {
    const run = collect(
      readPartitioned({
        partitions: ['A'],
        key: (p) => p,
        read: reader(dataset(['A'], 1)),
        cursorField: 'updated_at',
        state: state as never,
        stream: 'pages',
        signal,
      }),
    );
    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(/stream "pages"/);
  });

  it('stops when the signal aborts, after yielding the state of what was emitted', async () => {
    const controller = new AbortController();
    const data = dataset(['A'], 10);
    const events: StreamEvent[] = [];
    await expect(async () => {
      for await (const e of readPartitioned({
        partitions: ['A'],
        key: (p) => p,
        read: reader(data),
        cursorField: 'updated_at',
        signal: controller.signal,
      })) {
        events.push(e);
        if (recordIds(events).length === 3) controller.abort(new Error('stop'));
      }
    }).rejects.toThrow('stop');
    expect(recordIds(events)).toHaveLength(3);
    expect(events.at(-1)).toEqual({
      type: 'state',
      state: { partitions: { A: { cursor: '2024-03-01T10:02:00Z' } } },
    });
  });
});

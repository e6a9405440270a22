import { runCli } from '../../src/cdk/cli';
import { ConfigError, TransientError } from '../../src/cdk/errors';
import type { ReadContext, Stream, StreamEvent } from '../../src/cdk/stream';
import type { AirbyteMessage } from '../../src/generated/protocol';
import { parseProtocolOutput } from '../helpers/protocol';
import { lastState, records, runSource, statesAsInput, withInputFiles } from '../helpers/run-connector';
import { CaptureSink, failingRead, fakeSource, fakeStream } from './fake-source';

const config = { token: 'not-a-real-token' };
const tick = () => new Promise((resolve) => setImmediate(resolve));

function catalogFor(streams: Stream[], syncMode: 'full_refresh' | 'incremental' = 'full_refresh') {
  return {
    streams: streams.map((s) => ({
      stream: { name: s.name, json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
      sync_mode: s.cursorField ? syncMode : 'full_refresh',
      destination_sync_mode: 'append',
    })),
  };
}

const statesOf = (messages: AirbyteMessage[], stream: string) =>
  messages
    .filter((m) => m.type === 'STATE' && m.state!.stream!.stream_descriptor.name === stream)
    .map((m) => m.state!);
const statuses = (messages: AirbyteMessage[], stream: string) =>
  messages
    .filter(
      (m) => m.trace?.type === 'STREAM_STATUS' && m.trace.stream_status!.stream_descriptor.name === stream,
    )
    .map((m) => m.trace!.stream_status!.status);
const errors = (messages: AirbyteMessage[]) =>
  messages.filter((m) => m.trace?.type === 'ERROR').map((m) => m.trace!.error!);

/** An incremental stream over `n` items that checkpoints every `every` records and resumes from its state. */
function counter(name: string, n: number, every: number, seen: Array<ReadContext['state']> = []): Stream {
  return fakeStream(
    name,
    async function* (context) {
      seen.push(context.state);
      const from = (context.state?.next as number | undefined) ?? 0;
      for (let i = from; i < n; i++) {
        yield { type: 'record', data: { id: i } };
        if ((i + 1) % every === 0) yield { type: 'state', state: { next: i + 1 } };
      }
      yield { type: 'state', state: { next: n } };
    },
    { cursorField: ['id'] },
  );
}

describe('read', () => {
  it('emits STARTED, RUNNING, records, states with per-state record counts, COMPLETE, and a summary', async () => {
    const stream = counter('items', 5, 2);
    const run = await runSource(
      fakeSource(() => [stream]),
      ['read'],
      { config, catalog: catalogFor([stream], 'incremental') },
    );
    expect(run.exitCode).toBe(0);
    expect(statuses(run.messages, 'items')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(records(run.messages, 'items')).toHaveLength(5);
    expect(
      statesOf(run.messages, 'items').map((s) => [s.stream!.stream_state, s.sourceStats!.recordCount]),
    ).toEqual([
      [{ next: 2 }, 2],
      [{ next: 4 }, 2],
      [{ next: 5 }, 1],
    ]);
    const logs = run.messages.filter((m) => m.type === 'LOG').map((m) => m.log!.message);
    expect(logs.join('\n')).toMatch(/1 of 1 streams complete, 5 records .*items: 5/);
    expect(logs.join('\n')).toMatch(/requests=7, retries=1/);
  });

  it('hands the emitted state back to the stream on the next run', async () => {
    const seen: Array<ReadContext['state']> = [];
    const stream = counter('items', 3, 1, seen);
    const source = fakeSource(() => [stream]);
    const catalog = catalogFor([stream], 'incremental');
    const first = await runSource(source, ['read'], { config, catalog });
    const second = await runSource(source, ['read'], {
      config,
      catalog,
      state: statesAsInput(first.messages),
    });
    expect(seen).toEqual([undefined, { next: 3 }]);
    expect(records(second.messages)).toEqual([]);
    expect(lastState(second.messages, 'items')).toEqual({ next: 3 });
  });

  it('does not pass state to a stream read in full refresh', async () => {
    const seen: Array<ReadContext['state']> = [];
    const stream = counter('items', 1, 1, seen);
    const state = [
      { type: 'STREAM', stream: { stream_descriptor: { name: 'items' }, stream_state: { next: 1 } } },
    ];
    await runSource(
      fakeSource(() => [stream]),
      ['read'],
      { config, catalog: catalogFor([stream], 'full_refresh'), state },
    );
    expect(seen).toEqual([undefined]);
  });

  it('ends a full-refresh stream without states with an empty state, and re-emits an idle incremental stream’s state', async () => {
    const plain = fakeStream('plain', async function* () {
      yield { type: 'record', data: { id: 1 } };
    });
    const idle = fakeStream('idle', async function* () {}, { cursorField: ['updated_at'] });
    const state = [
      { type: 'STREAM', stream: { stream_descriptor: { name: 'idle' }, stream_state: { cursor: 'x' } } },
    ];
    const run = await runSource(
      fakeSource(() => [plain, idle]),
      ['read'],
      {
        config,
        catalog: catalogFor([plain, idle], 'incremental'),
        state,
      },
    );
    expect(statesOf(run.messages, 'plain')).toEqual([
      expect.objectContaining({
        stream: { stream_descriptor: { name: 'plain' }, stream_state: {} },
        sourceStats: { recordCount: 1 },
      }),
    ]);
    expect(statesOf(run.messages, 'idle').map((s) => s.stream!.stream_state)).toEqual([{ cursor: 'x' }]);
    expect(statuses(run.messages, 'idle')).toEqual(['STARTED', 'COMPLETE']);
  });

  it('turns estimate events into ESTIMATE traces', async () => {
    const stream = fakeStream('items', async function* () {
      yield { type: 'estimate', rowCount: 42 };
    });
    const run = await runSource(
      fakeSource(() => [stream]),
      ['read'],
      { config, catalog: catalogFor([stream]) },
    );
    expect(run.messages.find((m) => m.trace?.type === 'ESTIMATE')!.trace!.estimate).toEqual({
      name: 'items',
      type: 'STREAM',
      row_estimate: 42,
    });
  });

  it('reports a failed stream (TRACE ERROR + INCOMPLETE), still reads the others, and exits 1', async () => {
    const before = counter('before', 2, 1);
    const failing = fakeStream(
      'failing',
      async function* () {
        yield { type: 'record', data: { id: 1 } };
        yield { type: 'state', state: { next: 1 } };
        yield { type: 'record', data: { id: 2 } };
        throw new TransientError('Confluence answered 503 three times');
      },
      { cursorField: ['id'] },
    );
    const after = counter('after', 2, 1);
    const streams = [before, failing, after];
    const run = await runSource(
      fakeSource(() => streams),
      ['read'],
      { config, catalog: catalogFor(streams, 'incremental') },
    );
    expect(run.exitCode).toBe(1);
    expect(statuses(run.messages, 'failing')).toEqual(['STARTED', 'RUNNING', 'INCOMPLETE']);
    expect(errors(run.messages)).toEqual([
      expect.objectContaining({
        message: 'Confluence answered 503 three times',
        failure_type: 'transient_error',
        stream_descriptor: { name: 'failing' },
      }),
    ]);
    // The failed stream claims no progress past its last state, but restates it after record 2 so the
    // destination commits everything emitted (the next sync reads record 2 again).
    const failingStates = statesOf(run.messages, 'failing');
    expect(failingStates.map((s) => s.stream!.stream_state)).toEqual([{ next: 1 }, { next: 1 }]);
    expect(failingStates.at(-1)!.sourceStats).toEqual({ recordCount: 1 });
    const lastOf = (test: (m: AirbyteMessage) => boolean) => run.messages.findLastIndex(test);
    expect(lastOf((m) => m.state?.stream?.stream_descriptor.name === 'failing')).toBeGreaterThan(
      lastOf((m) => m.record?.stream === 'failing'),
    );
    expect(statuses(run.messages, 'after')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(lastState(run.messages, 'after')).toEqual({ next: 2 });
  });

  it('stops the whole run on a fatal error (e.g. credentials rejected) after the states of what succeeded', async () => {
    const before = counter('before', 2, 1);
    const failing = fakeStream(
      'failing',
      failingRead(() => new ConfigError('The token was rejected (401).', { fatal: true })),
    );
    const after = counter('after', 2, 1);
    const streams = [before, failing, after];
    const run = await runSource(
      fakeSource(() => streams),
      ['read'],
      { config, catalog: catalogFor(streams) },
    );
    expect(run.exitCode).toBe(1);
    expect(lastState(run.messages, 'before')).toEqual({ next: 2 });
    expect(errors(run.messages)).toEqual([expect.objectContaining({ failure_type: 'config_error' })]);
    expect(statuses(run.messages, 'after')).toEqual([]);
    expect(run.messages.at(-2)!.log!.message).toMatch(/after: not started/);
  });

  it('emits RATE_LIMITED at most once per stream in a burst of 429s', async () => {
    const resetAt = 1_800_000_000_000;
    const source = fakeSource((_config, runtime) => [
      fakeStream('items', async function* () {
        runtime.onRateLimited({ resetAt });
        runtime.onRateLimited({ resetAt });
        yield { type: 'record', data: { id: 1 } };
      }),
    ]);
    const catalog = catalogFor(source.streams(config, { logger: console, onRateLimited: () => {} }));
    const run = await runSource(source, ['read'], { config, catalog });
    const limited = run.messages.filter((m) => m.trace?.stream_status?.reasons);
    expect(limited.map((m) => m.trace!.stream_status)).toEqual([
      {
        stream_descriptor: { name: 'items' },
        status: 'RUNNING',
        reasons: [{ type: 'RATE_LIMITED', rate_limited: { quota_reset: resetAt } }],
      },
    ]);
  });

  it('reads streams side by side when the source asks, each with its own statuses, states and rate limits', async () => {
    // `first` cannot finish until `second` has started: only possible if they run at the same time.
    let secondStarted!: () => void;
    const started = new Promise<void>((resolve) => (secondStarted = resolve));
    const source = fakeSource(
      (_config, runtime) => [
        fakeStream('first', async function* () {
          yield { type: 'record', data: { id: 1 } };
          await started;
          runtime.onRateLimited({ resetAt: 1 });
          yield { type: 'record', data: { id: 2 } };
        }),
        fakeStream('second', async function* () {
          secondStarted();
          await tick();
          runtime.onRateLimited({ resetAt: 2 });
          yield { type: 'record', data: { id: 3 } };
        }),
        counter('third', 2, 1),
      ],
      { streamsAtOnce: 2 },
    );
    const catalog = catalogFor(source.streams(config, { logger: console, onRateLimited: () => {} }));
    const run = await runSource(source, ['read'], { config, catalog });
    expect(run.exitCode).toBe(0);
    for (const name of ['first', 'second', 'third'])
      expect(statuses(run.messages, name).filter((s) => s !== 'RUNNING')).toEqual(['STARTED', 'COMPLETE']);
    const limited = run.messages
      .filter((m) => m.trace?.stream_status?.reasons)
      .map((m) => [m.trace!.stream_status!.stream_descriptor.name, m.trace!.stream_status!.reasons![0]!]);
    expect(limited).toEqual(
      expect.arrayContaining([
        ['first', { type: 'RATE_LIMITED', rate_limited: { quota_reset: 1 } }],
        ['second', { type: 'RATE_LIMITED', rate_limited: { quota_reset: 2 } }],
      ]),
    );
    expect(limited).toHaveLength(2);
    expect(records(run.messages, 'first').map((r) => r.id)).toEqual([1, 2]);
    expect(lastState(run.messages, 'third')).toEqual({ next: 2 });
    // The summary lists streams in catalog order whatever order they finished in.
    expect(run.messages.at(-2)!.log!.message).toMatch(/first: 2, second: 1, third: 2/);
  });

  it('starts the streams that say they take longest first, the others in catalog order', async () => {
    const streams = [
      counter('small', 1, 1),
      { ...counter('long', 1, 1), startFirst: 2 },
      counter('other', 1, 1),
      { ...counter('longish', 1, 1), startFirst: 1 },
    ];
    const run = await runSource(
      fakeSource(() => streams),
      ['read'],
      { config, catalog: catalogFor(streams) },
    );
    const started = run.messages
      .filter((m) => m.trace?.stream_status?.status === 'STARTED')
      .map((m) => m.trace!.stream_status!.stream_descriptor.name);
    expect(started).toEqual(['long', 'longish', 'small', 'other']);
  });

  it('stops on abort (SIGTERM) with the state of what was emitted and a non-zero exit code', async () => {
    const controller = new AbortController();
    const endless = fakeStream(
      'endless',
      async function* (context): AsyncIterable<StreamEvent> {
        for (let i = 0; !context.signal.aborted; i++) {
          await tick();
          yield { type: 'record', data: { id: i } };
          yield { type: 'state', state: { next: i + 1 } };
          if (i === 4) controller.abort(new TransientError('The sync was interrupted by SIGTERM.'));
        }
      },
      { cursorField: ['id'] },
    );
    const stdout = new CaptureSink();
    const args = withInputFiles(['read'], { config, catalog: catalogFor([endless], 'incremental') });
    const exitCode = await runCli(
      fakeSource(() => [endless]),
      args,
      { stdout, stderr: new CaptureSink(), signal: controller.signal },
    );
    const messages = parseProtocolOutput(stdout.text);
    expect(exitCode).toBe(1);
    expect(statuses(messages, 'endless').at(-1)).toBe('INCOMPLETE');
    expect(errors(messages)[0]).toEqual(
      expect.objectContaining({ failure_type: 'transient_error', message: expect.stringMatching(/SIGTERM/) }),
    );
    expect(lastState(messages, 'endless')).toEqual({ next: records(messages).length });
  });
});

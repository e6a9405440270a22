// The end-to-end helpers against the real connector, in-process and as a child process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastState, records, runConnector, spawnConnector, statesAsInput } from '../helpers/run-connector';
import type { AirbyteMessage } from '../../src/generated/protocol';

const spec = JSON.parse(readFileSync(join(__dirname, '../../spec.json'), 'utf8')) as Record<string, unknown>;

describe('run-connector helpers', () => {
  it('runs the real connector in-process', async () => {
    const run = await runConnector(['spec']);
    expect(run.exitCode).toBe(0);
    expect(run.messages).toEqual([{ type: 'SPEC', spec }]);
  });

  it('runs the built connector as a child process (dist/src/main.js)', async () => {
    const run = await spawnConnector(['spec']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.messages).toEqual([{ type: 'SPEC', spec }]);
  });

  it('reports an invalid config on check as one FAILED status', async () => {
    const run = await runConnector(['check'], { config: {} });
    expect(run.exitCode).toBe(0);
    expect(run.messages).toHaveLength(1);
    expect(run.messages[0]!.connectionStatus!.status).toBe('FAILED');
  });

  it('extracts records and turns the last state of each stream into the next state file', () => {
    const state = (name: string, blob: Record<string, unknown>): AirbyteMessage => ({
      type: 'STATE',
      state: {
        type: 'STREAM',
        stream: { stream_descriptor: { name }, stream_state: blob },
        sourceStats: { recordCount: 1 },
      },
    });
    const record = (stream: string, id: number): AirbyteMessage => ({
      type: 'RECORD',
      record: { stream, data: { id }, emitted_at: 1 },
    });
    const messages = [
      record('a', 1),
      state('a', { n: 1 }),
      record('b', 2),
      state('b', { n: 2 }),
      record('a', 3),
      state('a', { n: 3 }),
    ];
    expect(records(messages, 'a')).toEqual([{ id: 1 }, { id: 3 }]);
    expect(records(messages)).toHaveLength(3);
    expect(lastState(messages, 'a')).toEqual({ n: 3 });
    expect(statesAsInput(messages)).toEqual([
      { type: 'STREAM', stream: { stream_descriptor: { name: 'a' }, stream_state: { n: 3 } } },
      { type: 'STREAM', stream: { stream_descriptor: { name: 'b' }, stream_state: { n: 2 } } },
    ]);
  });
});

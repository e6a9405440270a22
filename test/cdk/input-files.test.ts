import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { AirbyteMessage } from '../../src/generated/protocol';
import { runSource, type ConnectorFiles } from '../helpers/run-connector';
import { fakeSource, fakeStream } from './fake-source';

const source = fakeSource(() => [
  fakeStream('plain', async function* () {
    yield { type: 'record', data: { id: 1 } };
  }),
  fakeStream(
    'pages',
    async function* (context) {
      yield { type: 'state', state: context.state ?? {} };
    },
    { cursorField: ['updated_at'] },
  ),
]);
const config = { token: 'abcd-1234' };
const configured = (name: string, sync_mode = 'full_refresh') => ({
  stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh'] },
  sync_mode,
  destination_sync_mode: 'append',
});
const catalog = { streams: [configured('plain'), configured('pages', 'incremental')] };
const missing = join(tmpdir(), 'does-not-exist', 'nothing.json');

const traceError = (messages: AirbyteMessage[]) => {
  expect(messages).toHaveLength(1);
  const error = messages[0]!.trace!.error!;
  expect(error.failure_type).toBe('config_error');
  return error.message;
};

async function fails(files: ConnectorFiles, extraArgs: string[] = []) {
  const run = await runSource(source, ['read', ...extraArgs], files);
  expect(run.exitCode).toBe(1);
  return traceError(run.messages);
}

describe('input files', () => {
  describe('config', () => {
    it('names a missing config file', async () => {
      expect(await fails({ catalog }, ['--config', missing])).toBe(
        `The config file "${missing}" does not exist.`,
      );
    });
    it('names a config file that is not valid JSON', async () => {
      expect(await fails({ config: '{"token": ', catalog })).toMatch(
        /^The config file ".*config\.json" is not valid JSON: /,
      );
    });
    it('names an empty config file', async () => {
      expect(await fails({ config: '  \n', catalog })).toMatch(/config file ".*" is empty/);
    });
    it('rejects a config that is not an object', async () => {
      expect(await fails({ config: [1, 2], catalog })).toMatch(
        /config file ".*" must contain a JSON object, not an array/,
      );
    });
    it('reports an invalid config through the source’s validation', async () => {
      expect(await fails({ config: { name: 'x' }, catalog })).toBe('Invalid config: /token is required');
    });
  });

  describe('catalog', () => {
    it('names a missing catalog file', async () => {
      expect(await fails({ config }, ['--catalog', missing])).toBe(
        `The catalog file "${missing}" does not exist.`,
      );
    });
    it('names a catalog that is not valid JSON', async () => {
      expect(await fails({ config, catalog: 'streams: []' })).toMatch(/catalog file ".*" is not valid JSON/);
    });
    it('rejects a catalog of the wrong shape with the path of each problem', async () => {
      const message = await fails({
        config,
        catalog: { streams: [{ stream: { name: 'plain' }, sync_mode: 'sometimes' }] },
      });
      expect(message).toMatch(/catalog file ".*" is not a valid configured catalog/);
      expect(message).toMatch(/\/streams\/0 must have required property 'destination_sync_mode'/);
      expect(message).toMatch(
        /\/streams\/0\/sync_mode must be equal to one of the allowed values: full_refresh, incremental/,
      );
    });
    it('names unknown streams and lists the available ones', async () => {
      const message = await fails({
        config,
        catalog: { streams: [configured('plain'), configured('nope')] },
      });
      expect(message).toMatch(
        /catalog file ".*" has problems: unknown stream "nope"\. Streams available: plain, pages\./,
      );
    });
    it('rejects incremental sync for a stream that only supports full refresh', async () => {
      const message = await fails({ config, catalog: { streams: [configured('plain', 'incremental')] } });
      expect(message).toMatch(/stream "plain" does not support incremental sync/);
    });
  });

  describe('state', () => {
    it('names a missing state file', async () => {
      expect(await fails({ config, catalog }, ['--state', missing])).toBe(
        `The state file "${missing}" does not exist.`,
      );
    });
    it('names a state file that is not valid JSON', async () => {
      expect(await fails({ config, catalog, state: '[{' })).toMatch(/state file ".*" is not valid JSON/);
    });
    it('rejects LEGACY state (one object for all streams)', async () => {
      expect(await fails({ config, catalog, state: { pages: { cursor: 'x' } } })).toMatch(
        /state file ".*" .*LEGACY state/,
      );
    });
    it('rejects a LEGACY state message', async () => {
      expect(await fails({ config, catalog, state: [{ type: 'LEGACY', data: {} }] })).toMatch(
        /entry 0 is LEGACY state/,
      );
    });
    it('rejects GLOBAL state', async () => {
      const state = [{ type: 'GLOBAL', global: { stream_states: [] } }];
      expect(await fails({ config, catalog, state })).toMatch(
        /state file ".*" is invalid: entry 0 is GLOBAL state/,
      );
    });
    it('rejects garbage', async () => {
      expect(await fails({ config, catalog, state: 42 })).toMatch(
        /state file ".*" .*must be a JSON array of STREAM states, not number/,
      );
    });
    it('rejects an entry without a stream name', async () => {
      const state = [{ type: 'STREAM', stream: { stream_state: {} } }];
      expect(await fails({ config, catalog, state })).toMatch(/entry 0 has no stream.stream_descriptor.name/);
    });
    it('rejects a stream_state that is not an object', async () => {
      const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'pages' }, stream_state: 'x' } }];
      expect(await fails({ config, catalog, state })).toMatch(
        /stream "pages"\) has a stream_state that is string/,
      );
    });
    it('rejects two states for one stream and says which to keep', async () => {
      const entry = (cursor: string) => ({
        type: 'STREAM',
        stream: { stream_descriptor: { name: 'pages' }, stream_state: { cursor } },
      });
      expect(await fails({ config, catalog, state: [entry('a'), entry('b')] })).toMatch(
        /stream "pages" appears twice \(keep only the last STATE message of each stream\)/,
      );
    });
    it.each([
      ['an empty file', ''],
      ['an empty array', []],
      ['an empty object', {}],
    ])('treats %s as no state', async (_n, state) => {
      const run = await runSource(source, ['read'], { config, catalog, state });
      expect(run.exitCode).toBe(0);
    });
    it('accepts the per-stream array form and hands each stream its state', async () => {
      const state = [
        { type: 'STREAM', stream: { stream_descriptor: { name: 'pages' }, stream_state: { cursor: 'c' } } },
      ];
      const run = await runSource(source, ['read'], { config, catalog, state });
      expect(run.exitCode).toBe(0);
      expect(
        run.messages.find((m) => m.state?.stream?.stream_descriptor.name === 'pages')!.state!.stream!
          .stream_state,
      ).toEqual({ cursor: 'c' });
    });
  });
});

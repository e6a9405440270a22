import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cdk/cli';
import type { Source } from '../../src/cdk/source';
import { parseProtocolOutput } from '../helpers/protocol';
import { CaptureSink, fakeSource, fakeStream, type FakeConfig } from './fake-source';

async function run(source: Source<FakeConfig>, args: string[]) {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const exitCode = await runCli(source, args, { stdout, stderr, name: 'source-fake' });
  return {
    exitCode,
    stdout: stdout.text,
    stderr: stderr.text,
    get messages() {
      return parseProtocolOutput(stdout.text);
    },
  };
}

function files(contents: Record<string, unknown>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'cdk-cli-'));
  return Object.fromEntries(
    Object.entries(contents).map(([name, value]) => {
      const path = join(dir, `${name}.json`);
      writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
      return [name, path];
    }),
  );
}

const numbers = fakeStream('numbers', async function* () {
  yield { type: 'record', data: { id: 1 } };
  yield { type: 'record', data: { id: 2 } };
});
const source = fakeSource(() => [numbers]);
const catalog = {
  streams: [
    {
      stream: { name: 'numbers', json_schema: {}, supported_sync_modes: ['full_refresh'] },
      sync_mode: 'full_refresh',
      destination_sync_mode: 'overwrite',
    },
  ],
};

describe('runCli', () => {
  it('prints the spec', async () => {
    const { exitCode, messages } = await run(source, ['spec']);
    expect(exitCode).toBe(0);
    expect(messages).toEqual([{ type: 'SPEC', spec: source.spec() }]);
  });

  it('discovers the streams with their sync modes and keys', async () => {
    const f = files({ config: { token: 'abcd1234' } });
    const { exitCode, messages } = await run(source, ['discover', '--config', f.config!]);
    expect(exitCode).toBe(0);
    expect(messages[0]!.catalog!.streams).toEqual([
      expect.objectContaining({
        name: 'numbers',
        supported_sync_modes: ['full_refresh'],
        source_defined_primary_key: [['id']],
      }),
    ]);
  });

  it('check reports exactly one CONNECTION_STATUS, FAILED for an invalid config', async () => {
    const f = files({ config: { name: 'x' } });
    const { exitCode, messages } = await run(source, ['check', '--config', f.config!]);
    expect(exitCode).toBe(0);
    expect(messages).toEqual([
      {
        type: 'CONNECTION_STATUS',
        connectionStatus: { status: 'FAILED', message: 'Invalid config: /token is required' },
      },
    ]);
  });

  it('reads records, a final state and statuses', async () => {
    const f = files({ config: { token: 'abcd1234' }, catalog });
    const { exitCode, messages } = await run(source, [
      'read',
      '--config',
      f.config!,
      '--catalog',
      f.catalog!,
    ]);
    expect(exitCode).toBe(0);
    expect(messages.map((m) => m.type)).toEqual([
      'TRACE',
      'TRACE',
      'RECORD',
      'RECORD',
      'STATE',
      'TRACE',
      'LOG',
      'LOG',
    ]);
  });

  it('reports a missing required option as a config error with exit code 1', async () => {
    const { exitCode, messages, stderr } = await run(source, ['read', '--config', 'x.json']);
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/--catalog/);
    expect(messages).toEqual([
      expect.objectContaining({
        trace: expect.objectContaining({ error: expect.objectContaining({ failure_type: 'config_error' }) }),
      }),
    ]);
  });

  it('prints help on request without protocol messages', async () => {
    const { exitCode, stdout } = await run(source, ['--help']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/read .*catalog/);
  });

  it('explains a missing command as a config error', async () => {
    const { exitCode, messages } = await run(source, []);
    expect(exitCode).toBe(1);
    expect(messages[0]!.trace!.error!.message).toBe(
      'Invalid command line: no command given; use spec, check, discover or read (see --help).',
    );
  });

  it('emits DEBUG logs only with --debug', async () => {
    const chatty = fakeSource(() => [
      fakeStream('numbers', async function* (context) {
        context.logger.debug('page 1 of 1');
        yield { type: 'record', data: { id: 1 } };
      }),
    ]);
    const f = files({ config: { token: 'abcd1234' }, catalog });
    const debugLogs = async (args: string[]) =>
      (await run(chatty, args)).messages.filter((m) => m.log?.level === 'DEBUG').map((m) => m.log!.message);
    expect(await debugLogs(['read', '--config', f.config!, '--catalog', f.catalog!])).toEqual([]);
    expect(await debugLogs(['--debug', 'read', '--config', f.config!, '--catalog', f.catalog!])).toEqual([
      'page 1 of 1',
    ]);
  });
});

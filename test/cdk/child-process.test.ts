// The CLI as a real process: signals, kills and crashes, with a small fake source in plain JS
// running on the built CDK (`npm test` builds first).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AirbyteMessage } from '../../src/generated/protocol';
import { lastState, records, spawnConnector, statesAsInput } from '../helpers/run-connector';

const cli = join(__dirname, '../../dist/src/cdk/cli.js');
const token = 'tok-5e3cr3t-value';

const entrySource = `
const { runCli } = require(${JSON.stringify(cli)});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const source = {
  spec: () => ({ connectionSpecification: { type: 'object', properties: { token: { type: 'string', airbyte_secret: true } } } }),
  validateConfig: (raw) => raw,
  check: async () => ({ status: 'SUCCEEDED' }),
  streams: (config) => [{
    name: 'numbers', jsonSchema: { type: 'object' }, primaryKey: [['id']], cursorField: ['id'],
    async *read(context) {
      if (config.crash) setTimeout(() => { throw new Error('crashed holding ' + config.token); }, 5);
      for (let i = context.state?.next ?? 0; i < config.count && !context.signal.aborted; i++) {
        await sleep(2);
        yield { type: 'record', data: { id: i } };
        yield { type: 'state', state: { next: i + 1 } };
      }
    },
  }],
};
runCli(source, process.argv.slice(2), { installProcessHandlers: true }).then((code) => process.exit(code));
`;

const catalog = {
  streams: [
    {
      stream: { name: 'numbers', json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
      sync_mode: 'incremental',
      destination_sync_mode: 'append',
    },
  ],
};

let entry: string;
beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
  entry = join(mkdtempSync(join(tmpdir(), 'cdk-entry-')), 'entry.js');
  writeFileSync(entry, entrySource);
});

const statuses = (messages: AirbyteMessage[]) =>
  messages.filter((m) => m.trace?.type === 'STREAM_STATUS').map((m) => m.trace!.stream_status!.status);

describe('CLI as a child process', () => {
  it('on SIGTERM stops, keeps the state of every emitted record, reports INCOMPLETE and exits 1', async () => {
    const run = await spawnConnector(
      ['read'],
      { config: { token, count: 100000 }, catalog },
      { entry, killAfterRecords: 5, killSignal: 'SIGTERM' },
    );
    expect(run.exitCode).toBe(1);
    expect(statuses(run.messages).at(-1)).toBe('INCOMPLETE');
    const error = run.messages.find((m) => m.trace?.type === 'ERROR')!.trace!.error!;
    expect(error).toEqual(
      expect.objectContaining({ failure_type: 'transient_error', message: expect.stringMatching(/SIGTERM/) }),
    );
    expect(lastState(run.messages, 'numbers')).toEqual({ next: records(run.messages).length });
  });

  it('resumes after a SIGKILL from the last state without losing a record', async () => {
    const config = { token, count: 30 };
    const killed = await spawnConnector(['read'], { config, catalog }, { entry, killAfterRecords: 10 });
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await spawnConnector(
      ['read'],
      { config, catalog, state: statesAsInput(killed.messages) },
      { entry },
    );
    expect(resumed.exitCode).toBe(0);
    const ids = new Set([...records(killed.messages), ...records(resumed.messages)].map((r) => r.id));
    expect(ids.size).toBe(30);
  });

  it('turns an uncaught exception into a scrubbed TRACE ERROR and exit code 1', async () => {
    const run = await spawnConnector(
      ['read'],
      { config: { token, count: 1000, crash: true }, catalog },
      { entry },
    );
    expect(run.exitCode).toBe(1);
    const error = run.messages.find((m) => m.trace?.type === 'ERROR')!.trace!.error!;
    expect(error.failure_type).toBe('system_error');
    expect(error.message).toBe('crashed holding [redacted]');
    expect(run.stdout + run.stderr).not.toContain(token);
  });
});

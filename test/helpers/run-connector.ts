// Runs the connector the way Airbyte does (JSON files in, protocol lines out) for end-to-end tests.
// Every stdout line is validated against the official protocol schema; an invalid line fails the test.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../src/cdk/cli';
import type { Source } from '../../src/cdk/source';
import { AtlassianSource } from '../../src/source';
import type { AirbyteMessage } from '../../src/generated/protocol';
import { parseProtocolOutput } from './protocol';

/** File contents: a JSON value, or a string written as is (for malformed-input tests). */
export interface ConnectorFiles {
  config?: unknown;
  catalog?: unknown;
  state?: unknown;
}

export interface ConnectorRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  messages: AirbyteMessage[];
}

/** Writes the files to a fresh temp dir and appends `--config/--catalog/--state <path>` to args. */
export function withInputFiles(args: string[], files: ConnectorFiles): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'connector-'));
  const out = [...args];
  for (const name of ['config', 'catalog', 'state'] as const) {
    if (files[name] === undefined) continue;
    const path = join(dir, `${name}.json`);
    const value = files[name];
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    out.push(`--${name}`, path);
  }
  return out;
}

class TextSink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs any Source in-process through the real CLI. */
export async function runSource<C>(
  source: Source<C>,
  args: string[],
  files: ConnectorFiles = {},
): Promise<ConnectorRun> {
  const stdout = new TextSink();
  const stderr = new TextSink();
  const exitCode = await runCli(source, withInputFiles(args, files), {
    stdout,
    stderr,
    name: 'source-atlassian',
  });
  return { exitCode, stdout: stdout.text, stderr: stderr.text, messages: parseProtocolOutput(stdout.text) };
}

/** Runs the real connector in-process, e.g. `runConnector(['read'], { config, catalog, state })`. */
export function runConnector(args: string[], files: ConnectorFiles = {}): Promise<ConnectorRun> {
  return runSource(new AtlassianSource(), args, files);
}

export interface SpawnOptions {
  /** Kill the child once it has written this many RECORD lines (resume tests). */
  killAfterRecords?: number;
  /** Signal sent at `killAfterRecords`; default SIGKILL (SIGTERM tests a graceful stop). */
  killSignal?: NodeJS.Signals;
  env?: NodeJS.ProcessEnv;
  /** Script to run instead of the connector's `dist/src/main.js`. */
  entry?: string;
}

export interface SpawnedRun extends Omit<ConnectorRun, 'exitCode'> {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs `node dist/src/main.js` (built by `npm test`) as a child process; a line cut by a kill is dropped. */
export function spawnConnector(
  args: string[],
  files: ConnectorFiles = {},
  options: SpawnOptions = {},
): Promise<SpawnedRun> {
  const main = options.entry ?? join(__dirname, '../../dist/src/main.js');
  const child = spawn(process.execPath, [main, ...withInputFiles(args, files)], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let records = 0;
  let partialLine = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (options.killAfterRecords === undefined || child.killed) return;
    const lines = (partialLine + chunk).split('\n');
    partialLine = lines.pop()!;
    records += lines.filter((line) => line.startsWith('{"type":"RECORD"')).length;
    if (records >= options.killAfterRecords) child.kill(options.killSignal ?? 'SIGKILL');
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
      try {
        resolve({ exitCode, signal, stdout, stderr, messages: parseProtocolOutput(complete) });
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

/** The `data` of RECORD messages, optionally of one stream. */
export function records(messages: AirbyteMessage[], stream?: string): Record<string, unknown>[] {
  return messages.flatMap((m) =>
    m.type === 'RECORD' && m.record && (stream === undefined || m.record.stream === stream)
      ? [m.record.data]
      : [],
  );
}

/** The last `stream_state` emitted for a stream, if any. */
export function lastState(messages: AirbyteMessage[], stream: string): Record<string, unknown> | undefined {
  const states = messages.filter(
    (m) => m.type === 'STATE' && m.state?.stream?.stream_descriptor.name === stream,
  );
  return states.at(-1)?.state?.stream?.stream_state;
}

/** The state file for the next run: the last STATE of every stream, in the array form Airbyte sends. */
export function statesAsInput(messages: AirbyteMessage[]): unknown[] {
  const last = new Map<string, unknown>();
  for (const m of messages) {
    const stream = m.type === 'STATE' ? m.state?.stream : undefined;
    if (stream) last.set(stream.stream_descriptor.name, { type: 'STREAM', stream });
  }
  return [...last.values()];
}

/** Exit code and error messages of a run, for `expect(outcome(run)).toEqual(SUCCESS)`: a failure shows why. */
export function outcome(run: ConnectorRun): { exitCode: number; errors: string[] } {
  const errors = run.messages.flatMap((m) =>
    m.trace?.type === 'ERROR'
      ? [`${m.trace.error?.stream_descriptor?.name ?? '-'}: ${m.trace.error?.message}`]
      : [],
  );
  return { exitCode: run.exitCode, errors };
}

export const SUCCESS = { exitCode: 0, errors: [] };

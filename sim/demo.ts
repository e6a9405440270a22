// The README's main job: start the simulator in-process at `small`, run the compiled connector
// (dist/src/main.js) as a child process — spec, discover, then one full sync of every discovered stream,
// as Airbyte would run it — write each stream's records to <out>/<stream>.jsonl and the final state to
// <out>/state.json, and print a summary table.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { startSimulator, type ScaleName } from './index';

interface StreamSummary {
  stream: string;
  records: number;
  /** From the stream's STARTED status to its COMPLETE (streams run side by side). */
  seconds?: number;
  status: string;
}

interface RunResult {
  exitCode: number;
  stderr: string;
}

const CONNECTOR = resolve(__dirname, '..', 'src', 'main.js');

/** Runs the connector, handing each stdout protocol message to `onMessage` as it arrives. */
function runConnector(
  args: string[],
  onMessage: (message: Record<string, unknown>) => void,
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CONNECTOR, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        onMessage(JSON.parse(line) as Record<string, unknown>);
      } catch {
        process.stderr.write(`demo: non-JSON line on the connector's stdout: ${line.slice(0, 200)}\n`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ exitCode: code ?? 1, stderr: stderr.join('') }));
  });
}

function table(rows: StreamSummary[]): string {
  const header = ['stream', 'records', 'seconds', 'status'];
  const body = rows.map((r) => [
    r.stream,
    String(r.records),
    r.seconds === undefined ? '' : r.seconds.toFixed(2),
    r.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const fmt = (row: string[]): string =>
    row
      .map((cell, i) => (i === 0 || i === 3 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt)].join('\n');
}

/** Incremental (append_dedup) where the stream supports it, as a search index would sync; else full refresh. */
function configuredCatalog(streams: Array<Record<string, unknown>>): unknown {
  return {
    streams: streams.map((stream) => {
      const incremental = ((stream.supported_sync_modes as string[] | undefined) ?? []).includes(
        'incremental',
      );
      return {
        stream,
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: incremental ? 'append_dedup' : 'overwrite',
        ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
        ...(incremental && stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
      };
    }),
  };
}

async function main(): Promise<void> {
  const o = new Command('demo')
    .description('One full sync of every stream against the simulator, one JSONL file per stream')
    .option('--out <dir>', 'output folder', 'output')
    .option('--scale <name>', 'tiny | small | bench | large', 'small')
    .option('--seed <seed>', 'dataset seed', '1')
    .parse()
    .opts<{ out: string; scale: string; seed: string }>();
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  const sim = await startSimulator({ scale: o.scale as ScaleName, seed: Number(o.seed) });
  const work = mkdtempSync(join(tmpdir(), 'source-atlassian-demo-'));
  const configFile = join(work, 'config.json');
  writeFileSync(configFile, JSON.stringify(sim.connectorConfig()));
  try {
    process.stdout.write(`Simulator (${o.scale}) at ${sim.url}; connector ${CONNECTOR}\n`);
    let specOk = false;
    await runConnector(['spec'], (m) => (specOk ||= m.type === 'SPEC'));
    if (!specOk) throw new Error('the connector printed no SPEC message (is it built? run `npm run build`)');

    let streams: Array<Record<string, unknown>> = [];
    await runConnector(['discover', '--config', configFile], (m) => {
      if (m.type === 'CATALOG')
        streams = (m.catalog as { streams: Array<Record<string, unknown>> }).streams ?? [];
    });
    if (streams.length === 0) throw new Error('discover returned no streams');
    process.stdout.write(
      `Discovered ${streams.length} streams: ${streams.map((s) => String(s.name)).join(', ')}\n` +
        'Reading all of them in one sync…\n\n',
    );

    const catalogFile = join(work, 'catalog.json');
    writeFileSync(catalogFile, JSON.stringify(configuredCatalog(streams)));
    const summaries = new Map<string, StreamSummary & { file: WriteStream; startedAt?: number }>(
      streams.map((s) => {
        const name = String(s.name);
        const file = createWriteStream(join(out, `${name}.jsonl`));
        return [name, { stream: name, records: 0, status: 'not started', file }];
      }),
    );
    const states = new Map<string, unknown>();
    const errors: string[] = [];
    sim.clearRequests();
    const started = performance.now();
    const result = await runConnector(['read', '--config', configFile, '--catalog', catalogFile], (m) => {
      if (m.type === 'RECORD') {
        const record = m.record as { stream: string; data: Record<string, unknown> };
        const summary = summaries.get(record.stream);
        if (!summary) return;
        summary.records++;
        summary.file.write(`${JSON.stringify(record.data)}\n`);
      } else if (m.type === 'STATE') {
        // The last STATE of each stream is what the next (incremental) sync would start from.
        const state = m.state as { stream?: { stream_descriptor: { name: string } } };
        if (state.stream) states.set(state.stream.stream_descriptor.name, state);
      } else if (m.type === 'TRACE') {
        const trace = m.trace as {
          type: string;
          stream_status?: { stream_descriptor: { name: string }; status: string };
          error?: { message: string };
        };
        const summary = trace.stream_status && summaries.get(trace.stream_status.stream_descriptor.name);
        if (summary && trace.stream_status) {
          summary.status = trace.stream_status.status;
          if (summary.status === 'STARTED') summary.startedAt = performance.now();
          if (summary.status === 'COMPLETE' && summary.startedAt !== undefined)
            summary.seconds = (performance.now() - summary.startedAt) / 1000;
        }
        if (trace.type === 'ERROR' && trace.error) errors.push(trace.error.message);
      }
    });
    const seconds = (performance.now() - started) / 1000;
    await Promise.all([...summaries.values()].map(({ file }) => new Promise<void>((r) => file.end(r))));
    writeFileSync(join(out, 'state.json'), `${JSON.stringify([...states.values()], null, 2)}\n`);

    const rows = [...summaries.values()];
    const requests = sim.requests();
    const total: StreamSummary = {
      stream: 'TOTAL',
      records: rows.reduce((n, s) => n + s.records, 0),
      seconds,
      status:
        result.exitCode === 0 && rows.every((s) => s.status === 'COMPLETE')
          ? 'COMPLETE'
          : `exit ${result.exitCode}`,
    };
    process.stdout.write(
      `${table([...rows, total])}\n\n` +
        `${requests.length} requests to the simulator (${requests.filter((r) => r.status === 429).length} ` +
        `answered 429) in ${seconds.toFixed(1)} s; streams read side by side, so their seconds overlap.\n` +
        `Records written to ${out}/<stream>.jsonl, the final state to ${out}/state.json.\n`,
    );
    for (const message of errors) process.stdout.write(`error: ${message}\n`);
    if (result.exitCode !== 0) {
      process.stderr.write(result.stderr.slice(-2000));
      process.exitCode = 1;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    await sim.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exit(1);
});

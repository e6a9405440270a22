#!/usr/bin/env node
// The README's main job: start the simulator in-process at `small`, run the compiled connector
// (dist/src/main.js) as a child process — spec, discover, then a full read of every discovered stream —
// write each stream's records to <out>/<stream>.jsonl and print a summary table.
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
  ms: number;
  requests: number;
  status: string;
}

interface RunResult {
  exitCode: number;
  lines: number;
}

const CONNECTOR = resolve(__dirname, '..', 'src', 'main.js');

/** Runs the connector, handing each stdout protocol message to `onMessage` as it arrives. */
function runConnector(
  args: string[],
  onMessage: (message: Record<string, unknown>) => void,
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CONNECTOR, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    const stderr: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines++;
      try {
        onMessage(JSON.parse(line) as Record<string, unknown>);
      } catch {
        process.stderr.write(`demo: non-JSON line on the connector's stdout: ${line.slice(0, 200)}\n`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && stderr.length) process.stderr.write(stderr.join('').slice(-2000));
      resolvePromise({ exitCode: code ?? 1, lines });
    });
  });
}

function table(rows: StreamSummary[]): string {
  const header = ['stream', 'records', 'time', 'requests', 'status'];
  const body = rows.map((r) => [
    r.stream,
    String(r.records),
    `${(r.ms / 1000).toFixed(2)} s`,
    String(r.requests),
    r.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const fmt = (row: string[]): string =>
    row
      .map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt)].join('\n');
}

async function main(): Promise<void> {
  const o = new Command('demo')
    .description('Full read of every stream against the simulator, one JSONL file per stream')
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
      `Discovered ${streams.length} streams: ${streams.map((s) => String(s.name)).join(', ')}\n\n`,
    );

    const summaries: StreamSummary[] = [];
    for (const stream of streams) {
      const name = String(stream.name);
      const modes = (stream.supported_sync_modes as string[] | undefined) ?? ['full_refresh'];
      const fullRefresh = modes.includes('full_refresh');
      const catalog = {
        streams: [
          {
            stream,
            sync_mode: fullRefresh ? 'full_refresh' : 'incremental',
            destination_sync_mode: fullRefresh ? 'overwrite' : 'append',
            ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
          },
        ],
      };
      const catalogFile = join(work, `catalog-${name}.json`);
      writeFileSync(catalogFile, JSON.stringify(catalog));
      const file: WriteStream = createWriteStream(join(out, `${name}.jsonl`));
      let records = 0;
      let status = 'n/a';
      sim.clearRequests();
      const started = performance.now();
      const result = await runConnector(['read', '--config', configFile, '--catalog', catalogFile], (m) => {
        if (m.type === 'RECORD') {
          const record = m.record as { data: unknown };
          records++;
          file.write(`${JSON.stringify(record.data)}\n`);
        } else if (m.type === 'TRACE') {
          const trace = m.trace as { type: string; stream_status?: { status: string } };
          if (trace.type === 'STREAM_STATUS' && trace.stream_status) status = trace.stream_status.status;
          if (trace.type === 'ERROR') status = 'ERROR';
        }
      });
      const ms = performance.now() - started;
      await new Promise<void>((r) => file.end(r));
      const requests = sim.requests().length;
      summaries.push({
        stream: name,
        records,
        ms,
        requests,
        status: result.exitCode === 0 ? status : `${status} (exit ${result.exitCode})`,
      });
      process.stdout.write(`  ${name}: ${records} records\n`);
    }
    const total: StreamSummary = {
      stream: 'TOTAL',
      records: summaries.reduce((n, s) => n + s.records, 0),
      ms: summaries.reduce((n, s) => n + s.ms, 0),
      requests: summaries.reduce((n, s) => n + s.requests, 0),
      status: summaries.every((s) => s.status === 'COMPLETE') ? 'COMPLETE' : 'see above',
    };
    process.stdout.write(`\n${table([...summaries, total])}\n\nRecords written to ${out}/<stream>.jsonl\n`);
    if (summaries.some((s) => s.status.includes('exit'))) process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
    await sim.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exit(1);
});

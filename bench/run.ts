// `npm run bench`: the simulator at `bench` scale and at 4x the data, with latency and a rate limit,
// a full sync of every stream, then each content stream alone — each next to a baseline measured in the
// same run (bench/baseline.ts) in a process started the same way. Prints a table and writes
// bench/results/latest.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { startSimulator, type Simulator } from '../sim';
import { expectedIds } from '../sim/expected';
import { CONTENT_STREAMS, type SiteAccess, type WalkFigures } from './baseline';
import { completeMinimum } from './complete-minimum';

const root = join(__dirname, '..', '..');
const args = new Map(
  process.argv
    .slice(2)
    .join(' ')
    .split('--')
    .filter(Boolean)
    .map((a) => a.trim().split(/\s+/) as [string, string]),
);
const LATENCY_MS = Number(args.get('latency') ?? 50);
const RATE = Number(args.get('rate') ?? 100);
const CONCURRENCY = Number(args.get('concurrency') ?? 8);
/** Streams also synced on their own, each compared with the minimum request sequence for it. */
const ALONE = CONTENT_STREAMS;
/** The longest one measured run may take (the full sync at `large` takes a few minutes). */
const RUN_LIMIT_MS = 30 * 60_000;
const SCALES = (args.get('scales') ?? 'bench').split(',') as Array<'tiny' | 'small' | 'bench' | 'large'>;

interface ConnectorFigures extends ProcessFigures {
  records: Record<string, number>;
  /** Per stream with a ground truth: ids the truth holds that the sync did not emit. */
  lost: Record<string, number>;
  totalRecords: number;
  requests: number;
  rateLimited: number;
  /** Seconds from each stream's STARTED status to its COMPLETE. */
  streamSeconds: Record<string, number>;
  /** Requests the simulator received in each 5 s of the run: where the pace dips. */
  requestsPer5s: number[];
  /** When each stream started and completed, in seconds from the start of the run (streams overlap). */
  streamWindows: Record<string, [number, number]>;
}

async function runConnector(sim: Simulator, streams: readonly string[] | 'all'): Promise<ConnectorFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const config = sim.connectorConfig({
    requests_per_second: RATE,
    max_concurrency: CONCURRENCY,
    confluence: { include_archived_spaces: true },
    // Attachment downloads are one request per file whatever the connector does; the attachment text
    // extraction is measured by the tests. Here: listing, paging and permissions at the rate ceiling.
    attachments: { extract_text: false },
  });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const discovered = await capture(['discover', '--config', join(dir, 'config.json')]);
  const catalog = JSON.parse(discovered.find((l) => l.includes('"CATALOG"')) ?? '{}').catalog;
  const selected = catalog.streams.filter(
    (s: { name: string }) => streams === 'all' || streams.includes(s.name),
  );
  writeFileSync(
    join(dir, 'catalog.json'),
    JSON.stringify({
      streams: selected.map((stream: unknown) => ({
        stream,
        sync_mode: 'full_refresh',
        destination_sync_mode: 'overwrite',
      })),
    }),
  );
  sim.clearRequests();
  const records: Record<string, number> = {};
  const ids: Record<string, Set<string>> = {};
  const withTruth = new Set<string>(
    selected.map((x: { name: string }) => x.name).filter((name: string) => expectedIds(sim, name)),
  );
  const streamStarted: Record<string, number> = {};
  const streamSeconds: Record<string, number> = {};
  const streamWindows: Record<string, [number, number]> = {};
  const started = Date.now();
  // The connector runs as the image runs it (bin/source-atlassian: its Node flags included).
  const run = await measured(
    join(root, 'bin/source-atlassian'),
    ['read', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')],
    {},
    (line) => {
      // This process also serves the simulator: look into TRACE lines only, count RECORD lines cheaply.
      const status = line.startsWith('{"type":"TRACE"')
        ? /"stream_descriptor":\{"name":"([^"]+)"[^}]*\},"status":"(STARTED|COMPLETE)"/.exec(line)
        : null;
      if (status) {
        const [, name = '?', phase] = status;
        if (phase === 'STARTED') streamStarted[name] = Date.now();
        else {
          const from = streamStarted[name] ?? started;
          streamSeconds[name] = round((Date.now() - from) / 1000);
          streamWindows[name] = [round((from - started) / 1000), round((Date.now() - started) / 1000)];
        }
      }
      if (!line.startsWith('{"type":"RECORD"')) return;
      const stream = /"stream":"([^"]+)"/.exec(line)?.[1] ?? '?';
      records[stream] = (records[stream] ?? 0) + 1;
      // The key comes first in every record with a ground truth; tombstones do not count as read.
      if (withTruth.has(stream) && !line.includes('"_ab_cdc_deleted_at":"')) {
        const id = /"data":\{"(?:id|account_id|group_id)":"([^"]*)"/.exec(line)?.[1];
        if (id !== undefined) (ids[stream] ??= new Set()).add(id);
      }
    },
  );
  const log = sim.requests();
  return {
    ...run,
    records,
    lost: lostRecords(sim, withTruth, ids),
    totalRecords: Object.values(records).reduce((a, b) => a + b, 0),
    requests: log.length,
    rateLimited: log.filter((r) => r.status === 429).length,
    streamSeconds,
    streamWindows,
    requestsPer5s: log.reduce<number[]>((buckets, r) => {
      const i = Math.max(0, Math.floor((r.at - started) / 5000));
      while (buckets.length <= i) buckets.push(0);
      buckets[i]!++;
      return buckets;
    }, []),
  };
}

interface BaselineRun extends WalkFigures, ProcessFigures {
  site: SiteAccess;
  /** The walk's own time, without Node's start-up. */
  walkWallMs: number;
}

/** The minimum request sequence of `streams` (default: every content stream), in a process of its own. */
async function runBaseline(sim: Simulator, streams?: readonly string[]): Promise<BaselineRun> {
  const site: SiteAccess = {
    url: sim.url,
    cloudId: sim.cloudId,
    email: sim.credentials.serviceAccountEmail,
    token: sim.credentials.serviceAccountToken,
  };
  const options = { concurrency: CONCURRENCY, requestsPerSecond: RATE, streams };
  const { flags, env } = connectorLaunch();
  let figures: WalkFigures | undefined;
  const run = await measured(
    process.execPath,
    [...flags, join(root, 'dist/bench/baseline.js')],
    { ...env, BASELINE_RUN: JSON.stringify({ site, options }) },
    (line) => {
      if (line.startsWith('{')) figures = JSON.parse(line) as WalkFigures;
    },
  );
  if (run.exitCode !== 0 || !figures) throw new Error(`the baseline exited ${run.exitCode}`);
  // The process's wall time, as the connector's: start-up included on both sides.
  return { ...figures, walkWallMs: figures.wallMs, ...run, site };
}

/**
 * How bin/source-atlassian starts Node (its flags and environment defaults), read from the script itself
 * so that the baseline runs under the same conditions as the connector.
 */
function connectorLaunch(): { flags: string[]; env: Record<string, string> } {
  const script = readFileSync(join(root, 'bin/source-atlassian'), 'utf8');
  const flags = /^exec node ((?:--\S+\s+)*)"/m.exec(script)?.[1];
  if (flags === undefined)
    throw new Error('bin/source-atlassian has no `exec node <flags> "…"` line to take the Node flags from');
  const env: Record<string, string> = {};
  for (const line of script.split('\n').filter((l) => l.startsWith('export '))) {
    const [, name, value] = /^export (\w+)="\$\{\1:-([^}]*)\}"$/.exec(line) ?? [];
    if (!name)
      throw new Error(`bin/source-atlassian: cannot read \`${line}\` (expected export X="\${X:-default}")`);
    env[name] = process.env[name] ?? value!;
  }
  return { flags: flags.split(/\s+/).filter(Boolean), env };
}

interface ProcessFigures {
  wallMs: number;
  /** The process's own high-water mark (VmHWM). */
  maxRssMb: number;
  /** Peak V8 heap in use, sampled: what the data held needs, as opposed to what V8 kept. */
  maxHeapUsedMb: number;
  /** Peaks of process.memoryUsage() fields (rss, heapTotal, external, arrayBuffers), sampled. */
  peakMemoryMb: Record<string, number>;
  cpuSeconds: number;
  exitCode: number;
}

/** Runs a Node process with bench/usage.js preloaded, hands each stdout line to `onLine`, returns its usage. */
async function measured(
  command: string,
  argv: string[],
  env: Record<string, string>,
  onLine: (line: string) => void,
): Promise<ProcessFigures> {
  const usageFile = join(mkdtempSync(join(tmpdir(), 'bench-usage-')), 'usage.json');
  const started = Date.now();
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(command, argv, {
      env: {
        ...process.env,
        ...env,
        BENCH_USAGE_FILE: usageFile,
        NODE_OPTIONS: `--require "${join(root, 'bench/usage.js')}"`,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout }).on('line', onLine);
    // A run that hangs (a bug, a simulator gone) ends the benchmark instead of stalling it.
    const limit = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
  const wallMs = Date.now() - started;
  if (!existsSync(usageFile))
    throw new Error(`${basename(command)} exited ${exitCode} without its usage figures`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  return {
    wallMs,
    maxRssMb: usage.maxRssKb / 1024,
    maxHeapUsedMb: usage.peakMemoryMb.heapUsed ?? 0,
    peakMemoryMb: usage.peakMemoryMb,
    cpuSeconds: (usage.userCpuUs + usage.systemCpuUs) / 1e6,
    exitCode,
  };
}

function capture(cliArgs: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'dist/src/main.js'), ...cliArgs], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
    child.on('close', (code) =>
      code === 0 ? resolve(lines) : reject(new Error(`${cliArgs[0]} exited ${code}`)),
    );
  });
}

/** Per stream, how many ids the simulator's truth holds that the sync did not emit (0 everywhere = nothing lost). */
function lostRecords(
  sim: Simulator,
  streams: Set<string>,
  ids: Record<string, Set<string>>,
): Record<string, number> {
  const lost: Record<string, number> = {};
  for (const stream of streams) {
    const emitted = ids[stream] ?? new Set();
    const missing = [...(expectedIds(sim, stream) ?? [])].filter((id) => !emitted.has(id)).length;
    if (missing > 0) lost[stream] = missing;
  }
  return lost;
}

async function benchScale(scale: (typeof SCALES)[number]) {
  const t0 = Date.now();
  const sim = await startSimulator({
    scale,
    seed: 7,
    knobs: { latencyMs: LATENCY_MS, rateLimitPerSecond: RATE },
  });
  const simStartMs = Date.now() - t0;
  const simRssMb = process.memoryUsage().rss / 1024 / 1024;
  try {
    const baseline = await runBaseline(sim);
    const complete = await completeMinimum(baseline.site, {
      concurrency: CONCURRENCY,
      requestsPerSecond: RATE,
    });
    process.stderr.write(`bench:   baseline ${baseline.requests} requests in ${baseline.wallMs} ms\n`);
    const full = await runConnector(sim, 'all');
    process.stderr.write(
      `bench:   full sync ${full.totalRecords} records, ${full.requests} requests in ${full.wallMs} ms\n`,
    );
    // Each content stream alone, next to the baseline of that stream alone.
    const alone: Record<string, AloneFigures> = {};
    for (const stream of ALONE) {
      const base = await runBaseline(sim, [stream]);
      const figures = await runConnector(sim, [stream]);
      const minimumRequests = base.requestsByStream[stream] ?? 0;
      const completeMinimum = complete[stream];
      alone[stream] = {
        ...compared(figures, base),
        minimumRequests,
        requestsVsMinimum: round(figures.requests / Math.max(1, minimumRequests)),
        ...(completeMinimum === undefined
          ? {}
          : {
              completeMinimumRequests: completeMinimum,
              requestsVsCompleteMinimum: round(figures.requests / Math.max(1, completeMinimum)),
            }),
      };
    }
    return {
      scale,
      simulator: { startMs: simStartMs, rssMb: round(simRssMb) },
      completeRequestsByStream: complete,
      full: compared(full, baseline),
      alone,
    };
  } finally {
    await sim.close();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
const perSecond = (count: number, ms: number) => count / (ms / 1000);

type AloneFigures = ReturnType<typeof compared> & {
  minimumRequests: number;
  requestsVsMinimum: number;
  completeMinimumRequests?: number;
  requestsVsCompleteMinimum?: number;
};

/** A connector run's figures, derived rates, and the same for its baseline, with the ratios between them. */
function compared(f: ConnectorFigures, base: BaselineRun) {
  const { site: _site, ...baseline } = base;
  const cpuPer10k = (cpu: number, records: number) => round((cpu / Math.max(1, records)) * 10000);
  return {
    ...f,
    recordsPerSecond: round(perSecond(f.totalRecords, f.wallMs)),
    requestsPerSecond: round(perSecond(f.requests, f.wallMs)),
    ceilingRatio: round(perSecond(f.requests, f.wallMs) / RATE),
    requestsPer1000Records: round((f.requests / Math.max(1, f.totalRecords)) * 1000),
    cpuSecondsPer10kRecords: cpuPer10k(f.cpuSeconds, f.totalRecords),
    baseline: {
      ...baseline,
      requestsPerSecond: round(perSecond(base.requests, base.wallMs)),
      ceilingRatio: round(perSecond(base.requests, base.wallMs) / RATE),
      cpuSecondsPer10kItems: cpuPer10k(base.cpuSeconds, base.items),
    },
    wallVsBaseline: round(f.wallMs / base.wallMs),
    rssVsBaseline: round(f.maxRssMb / base.maxRssMb),
  };
}

async function main() {
  const results = [];
  for (const scale of SCALES) {
    process.stderr.write(`bench: scale ${scale}…\n`);
    const result = await benchScale(scale);
    results.push(result);
    // Each scale's figures as soon as they exist: the 4x run takes minutes.
    process.stderr.write(`bench: ${JSON.stringify(result)}\n`);
  }
  const [first, last] = [results[0], results[results.length - 1]];
  const summary = {
    at: new Date().toISOString(),
    conditions: { latencyMs: LATENCY_MS, rateLimitPerSecond: RATE, concurrency: CONCURRENCY },
    results,
    rssGrowth: first && last ? round(last.full.maxRssMb / first.full.maxRssMb) : undefined,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/latest.json'), JSON.stringify(summary, null, 2));
  // Each connector figure next to the same figure of its baseline (the `base` columns).
  const row = (
    scale: string,
    run: string,
    f: ReturnType<typeof compared>,
    minimum: number,
    complete = '',
  ) => [
    scale,
    run,
    f.totalRecords,
    (f.wallMs / 1000).toFixed(1),
    (f.baseline.wallMs / 1000).toFixed(1),
    f.wallVsBaseline,
    f.ceilingRatio,
    f.baseline.ceilingRatio,
    f.requests,
    minimum,
    complete,
    f.rateLimited,
    f.maxRssMb.toFixed(0),
    f.baseline.maxRssMb.toFixed(0),
    f.cpuSecondsPer10kRecords,
    f.baseline.cpuSecondsPer10kItems,
    Object.keys(f.lost).length ? JSON.stringify(f.lost) : '0',
  ];
  const rows = results.flatMap((r) => [
    row(r.scale, 'full sync', r.full, r.full.baseline.requests),
    ...Object.entries(r.alone).map(([stream, f]) =>
      row(r.scale, stream, f, f.minimumRequests, String(f.completeMinimumRequests ?? '')),
    ),
  ]);
  const header = [
    'scale',
    'run',
    'records',
    'wall s',
    'base s',
    'wall/base',
    'req/s÷ceiling',
    'base',
    'requests',
    'minimum',
    'complete min',
    '429s',
    'RSS MB',
    'base',
    'CPU s/10k',
    'base',
    'lost',
  ];
  console.log(table([header, ...rows.map((r) => r.map(String))]));
  for (const r of results) {
    const slowest = Object.entries(r.full.streamSeconds)
      .sort((a, b) => b[1] - a[1])
      .map(([name, seconds]) => `${name} ${seconds}`);
    console.log(`${r.scale} seconds per stream (full sync): ${slowest.join(', ')}`);
  }
  console.log(
    `peak RSS growth ${SCALES.join('→')}: ${summary.rssGrowth}× (results in bench/results/latest.json)`,
  );
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

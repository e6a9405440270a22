// `npm run bench`: the simulator at `bench` scale and at 4x the data, with latency and a rate limit,
// a full sync of every stream, then `jira_issues` alone — each next to a baseline measured in the
// same run (bench/baseline.ts). Prints a table and writes bench/results/latest.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startSimulator, type Simulator } from '../sim';
import { expectedIds } from '../sim/expected';
import { runBaseline } from './baseline';

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
const ALONE = [
  'jira_issues',
  'confluence_pages',
  'confluence_blogposts',
  'confluence_comments',
  'confluence_attachments',
];
const SCALES = (args.get('scales') ?? 'bench').split(',') as Array<'tiny' | 'small' | 'bench' | 'large'>;

interface ConnectorFigures {
  wallMs: number;
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
  maxRssMb: number;
  /** Peak V8 heap in use, sampled: what the data held needs, as opposed to what V8 kept. */
  maxHeapUsedMb: number;
  /** Peaks of process.memoryUsage() fields (rss, heapTotal, external, arrayBuffers), sampled. */
  peakMemoryMb: Record<string, number>;
  cpuSeconds: number;
  exitCode: number;
}

async function runConnector(sim: Simulator, streams: string[] | 'all'): Promise<ConnectorFigures> {
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
  const usageFile = join(dir, 'usage.json');
  const records: Record<string, number> = {};
  const ids: Record<string, Set<string>> = {};
  const withTruth = new Set<string>(
    selected.map((x: { name: string }) => x.name).filter((name: string) => expectedIds(sim, name)),
  );
  const streamStarted: Record<string, number> = {};
  const streamSeconds: Record<string, number> = {};
  const streamWindows: Record<string, [number, number]> = {};
  const started = Date.now();
  const exitCode = await new Promise<number>((resolve) => {
    // The connector runs as the image runs it (bin/source-atlassian: its Node flags included).
    const child = spawn(
      join(root, 'bin/source-atlassian'),
      ['read', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')],
      {
        env: {
          ...process.env,
          BENCH_USAGE_FILE: usageFile,
          NODE_OPTIONS: `--require "${join(root, 'bench/usage.js')}"`,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
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
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
  const wallMs = Date.now() - started;
  const log = sim.requests();
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  return {
    wallMs,
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
    const baseline = await runBaseline(sim, { concurrency: CONCURRENCY, requestsPerSecond: RATE });
    process.stderr.write(`bench:   baseline ${baseline.requests} requests in ${baseline.wallMs} ms\n`);
    const full = await runConnector(sim, 'all');
    process.stderr.write(
      `bench:   full sync ${full.totalRecords} records, ${full.requests} requests in ${full.wallMs} ms\n`,
    );
    // Each content stream alone: its requests next to the minimum the baseline needed for it.
    const alone: Record<string, ConnectorFigures> = {};
    for (const stream of ALONE) alone[stream] = await runConnector(sim, [stream]);
    const rps = (f: ConnectorFigures) => f.requests / (f.wallMs / 1000);
    return {
      scale,
      simulator: { startMs: simStartMs, rssMb: round(simRssMb) },
      baseline: { ...baseline, requestsPerSecond: round(baseline.requests / (baseline.wallMs / 1000)) },
      full: {
        ...full,
        recordsPerSecond: round(full.totalRecords / (full.wallMs / 1000)),
        requestsPerSecond: round(rps(full)),
        ceilingRatio: round(rps(full) / RATE),
        requestsPer1000Records: round((full.requests / full.totalRecords) * 1000),
        cpuSecondsPer10kRecords: round((full.cpuSeconds / full.totalRecords) * 10000),
      },
      alone: Object.fromEntries(
        Object.entries(alone).map(([stream, figures]) => {
          const minimumRequests = baseline.requestsByStream[stream] ?? 0;
          const completeMinimum = baseline.completeRequestsByStream[stream];
          return [
            stream,
            {
              ...figures,
              requestsPerSecond: round(rps(figures)),
              ceilingRatio: round(rps(figures) / RATE),
              minimumRequests,
              requestsVsMinimum: round(figures.requests / Math.max(1, minimumRequests)),
              ...(completeMinimum === undefined
                ? {}
                : {
                    completeMinimumRequests: completeMinimum,
                    requestsVsCompleteMinimum: round(figures.requests / Math.max(1, completeMinimum)),
                  }),
            },
          ];
        }),
      ),
    };
  } finally {
    await sim.close();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

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
  const rows = results.flatMap((r) => [
    [
      r.scale,
      'full sync',
      r.full.totalRecords,
      (r.full.wallMs / 1000).toFixed(1),
      (r.baseline.wallMs / 1000).toFixed(1),
      (r.full.wallMs / r.baseline.wallMs).toFixed(2),
      r.full.recordsPerSecond,
      r.full.ceilingRatio,
      r.full.requests,
      r.baseline.requests,
      '',
      r.full.rateLimited,
      r.full.maxRssMb.toFixed(0),
      r.full.maxHeapUsedMb.toFixed(0),
      r.full.cpuSecondsPer10kRecords,
      Object.keys(r.full.lost).length ? JSON.stringify(r.full.lost) : '0',
    ],
    ...Object.entries(r.alone).map(([stream, f]) => [
      r.scale,
      stream,
      f.totalRecords,
      (f.wallMs / 1000).toFixed(1),
      '',
      '',
      '',
      f.ceilingRatio,
      f.requests,
      f.minimumRequests,
      f.completeMinimumRequests ?? '',
      f.rateLimited,
      f.maxRssMb.toFixed(0),
      f.maxHeapUsedMb.toFixed(0),
      '',
      Object.keys(f.lost).length ? JSON.stringify(f.lost) : '0',
    ]),
  ]);
  const header = [
    'scale',
    'run',
    'records',
    'wall s',
    'base s',
    'wall/base',
    'rec/s',
    'req/s÷ceiling',
    'requests',
    'base req',
    'complete min',
    '429s',
    'RSS MB',
    'heap MB',
    'CPU s/10k',
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

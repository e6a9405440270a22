// Generates the acceptance fixtures an Airbyte user can reuse, from the connector's own output against the
// simulator (`tiny` scale, fixed seed): configured_catalog.json, expected_records.jsonl and
// abnormal_state.json. `fixtures.test.ts` regenerates them on every run and fails when the committed
// files differ, so they cannot go stale silently. To rewrite them after a deliberate change:
//   UPDATE_ACCEPTANCE_FIXTURES=1 npx jest integration_tests/fixtures.test.ts
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../sim';
import type {
  AirbyteCatalog,
  AirbyteMessage,
  AirbyteStream,
  ConfiguredAirbyteCatalog,
  ConfiguredAirbyteStream,
} from '../src/generated/protocol';
import { runConnector } from '../test/helpers/run-connector';

/** The simulator the fixtures come from; the same seed and scale always give the same dataset. */
export const FIXTURE_SIM = { scale: 'tiny', seed: 1 } as const;
/** The simulator acceptance.test.ts reads: abnormal_state.json names the partitions (spaces, projects) of this one. */
export const ACCEPTANCE_SIM = { scale: 'small', seed: 1 } as const;
/** Records per stream in expected_records.jsonl: the ones with the smallest primary keys. */
export const EXPECTED_PER_STREAM = 3;
/** A cursor no real record reaches: every incremental stream must read nothing from it. */
export const FUTURE_CURSOR = '2999-12-31T23:59:59.000Z';

export const FIXTURE_DIR = __dirname;
export const FIXTURE_FILES = {
  configuredCatalog: join(FIXTURE_DIR, 'configured_catalog.json'),
  expectedRecords: join(FIXTURE_DIR, 'expected_records.jsonl'),
  abnormalState: join(FIXTURE_DIR, 'abnormal_state.json'),
  sampleConfig: join(FIXTURE_DIR, 'sample_config.json'),
  invalidConfig: join(FIXTURE_DIR, 'invalid_config.json'),
} as const;

export const isIncremental = (stream: AirbyteStream): boolean =>
  stream.supported_sync_modes.includes('incremental');

/** Every stream in the mode it supports best: incremental + append_dedup, else full_refresh + overwrite. */
export function configuredCatalogOf(catalog: AirbyteCatalog): ConfiguredAirbyteCatalog {
  return {
    streams: catalog.streams.map((stream): ConfiguredAirbyteStream =>
      isIncremental(stream)
        ? {
            stream,
            sync_mode: 'incremental',
            destination_sync_mode: 'append_dedup',
            cursor_field: stream.default_cursor_field ?? [],
            primary_key: stream.source_defined_primary_key ?? [],
          }
        : {
            stream,
            sync_mode: 'full_refresh',
            destination_sync_mode: 'overwrite',
            primary_key: stream.source_defined_primary_key ?? [],
          },
    ),
  };
}

/** The value at a key path (`["id"]`, `["a","b"]`) of a record. */
export function valueAt(data: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = data;
  for (const key of path)
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** A record's primary key as one comparable string. */
export function primaryKeyOf(data: Record<string, unknown>, primaryKey: string[][]): string {
  return JSON.stringify(primaryKey.map((path) => valueAt(data, path)));
}

export interface ExpectedRecord {
  stream: string;
  data: Record<string, unknown>;
  emitted_at: number;
}

/** The first `EXPECTED_PER_STREAM` records of every stream by primary key, in catalog order (CAT's format). */
export function expectedRecordsOf(catalog: AirbyteCatalog, messages: AirbyteMessage[]): ExpectedRecord[] {
  return catalog.streams.flatMap((stream) => {
    const pk = stream.source_defined_primary_key ?? [];
    const byKey = new Map<string, Record<string, unknown>>();
    for (const m of messages) {
      if (m.type !== 'RECORD' || m.record?.stream !== stream.name) continue;
      if (m.record.data._ab_cdc_deleted_at) continue;
      byKey.set(primaryKeyOf(m.record.data, pk), m.record.data);
    }
    return [...byKey.keys()]
      .sort()
      .slice(0, EXPECTED_PER_STREAM)
      .map((key) => ({ stream: stream.name, data: byKey.get(key)!, emitted_at: 0 }));
  });
}

/** A state with every date it holds moved to `FUTURE_CURSOR`, and nothing else (no digests, no tokens). */
function futureOf(state: unknown): unknown {
  const blob = (state ?? {}) as Record<string, unknown>;
  if (blob.partitions && typeof blob.partitions === 'object') {
    return {
      partitions: Object.fromEntries(
        Object.keys(blob.partitions)
          .sort()
          .map((key) => [key, { cursor: FUTURE_CURSOR }]),
      ),
    };
  }
  return Object.fromEntries(
    Object.entries(blob).flatMap(([key, value]) =>
      typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? [[key, FUTURE_CURSOR]] : [],
    ),
  );
}

/**
 * Per-stream state (the array form Airbyte sends) with the cursor of every partition the read checkpointed
 * (or the stream's single cursor) far in the future. Partition keys are the simulator's space and project
 * ids: a site of your own has its own (take them from a STATE message of a real sync).
 */
export function abnormalStateOf(catalog: AirbyteCatalog, messages: AirbyteMessage[]): unknown[] {
  const merged = new Map<string, Record<string, unknown>>();
  for (const m of messages) {
    const stream = m.type === 'STATE' ? m.state?.stream : undefined;
    if (!stream) continue;
    const name = stream.stream_descriptor.name;
    const state = (stream.stream_state ?? {}) as Record<string, unknown>;
    const previous = merged.get(name) ?? {};
    // Partitions seen in any checkpoint, so one dropped before the final state is still covered.
    const partitions = { ...(previous.partitions as object), ...(state.partitions as object) };
    merged.set(name, state.partitions ? { ...state, partitions } : { ...previous, ...state });
  }
  return catalog.streams.filter(isIncremental).map((stream) => ({
    type: 'STREAM',
    stream: {
      stream_descriptor: { name: stream.name },
      stream_state: futureOf(merged.get(stream.name)),
    },
  }));
}

export interface AcceptanceFixtures {
  configuredCatalog: ConfiguredAirbyteCatalog;
  expectedRecords: ExpectedRecord[];
  abnormalState: unknown[];
}

async function discoverAndRead(
  options: typeof FIXTURE_SIM | typeof ACCEPTANCE_SIM,
  overrides: Record<string, unknown>,
  select: (stream: AirbyteStream) => boolean,
): Promise<{
  catalog: AirbyteCatalog;
  configuredCatalog: ConfiguredAirbyteCatalog;
  messages: AirbyteMessage[];
}> {
  const sim = await startSimulator(options);
  try {
    const config = sim.connectorConfig(overrides);
    const discovered = await runConnector(['discover'], { config });
    const catalog = discovered.messages.find((m) => m.type === 'CATALOG')?.catalog;
    if (!catalog)
      throw new Error(`discover gave no catalog (exit ${discovered.exitCode}): ${discovered.stderr}`);
    const configuredCatalog = configuredCatalogOf(catalog);
    const selected = { streams: configuredCatalog.streams.filter((s) => select(s.stream)) };
    const read = await runConnector(['read'], { config, catalog: selected });
    if (read.exitCode !== 0) throw new Error(`read failed (exit ${read.exitCode}): ${read.stderr}`);
    return { catalog, configuredCatalog, messages: read.messages };
  } finally {
    await sim.close();
  }
}

/** Runs discover and a first sync against the simulators, and derives the fixtures from the output. */
export async function generateAcceptanceFixtures(): Promise<AcceptanceFixtures> {
  const tiny = await discoverAndRead(FIXTURE_SIM, {}, () => true);
  // Only the partition keys matter here, so attachment texts are not extracted.
  const small = await discoverAndRead(
    ACCEPTANCE_SIM,
    { attachments: { extract_text: false } },
    isIncremental,
  );
  return {
    configuredCatalog: tiny.configuredCatalog,
    expectedRecords: expectedRecordsOf(tiny.catalog, tiny.messages),
    abnormalState: abnormalStateOf(small.catalog, small.messages),
  };
}

/** File contents exactly as committed. */
export function renderFixtures(fixtures: AcceptanceFixtures): Record<keyof AcceptanceFixtures, string> {
  return {
    configuredCatalog: `${JSON.stringify(fixtures.configuredCatalog, null, 2)}\n`,
    expectedRecords: fixtures.expectedRecords.map((r) => `${JSON.stringify(r)}\n`).join(''),
    abnormalState: `${JSON.stringify(fixtures.abnormalState, null, 2)}\n`,
  };
}

/** Writes the files, then formats them with the repository's prettier (its API cannot load under jest). */
export function writeFixtures(fixtures: AcceptanceFixtures): void {
  const text = renderFixtures(fixtures);
  writeFileSync(FIXTURE_FILES.configuredCatalog, text.configuredCatalog);
  writeFileSync(FIXTURE_FILES.expectedRecords, text.expectedRecords);
  writeFileSync(FIXTURE_FILES.abnormalState, text.abnormalState);
  execFileSync(process.execPath, [
    require.resolve('prettier/bin/prettier.cjs'),
    '--write',
    '--log-level=warn',
    FIXTURE_FILES.configuredCatalog,
    FIXTURE_FILES.abnormalState,
  ]);
}

if (require.main === module) {
  generateAcceptanceFixtures()
    .then(writeFixtures)
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}

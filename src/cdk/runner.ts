// The `read` command: runs the catalog's streams (a few at once, long ones first) and turns their events
// into RECORD / STATE / TRACE messages; each stream's messages keep their order, streams interleave. A failed stream is reported (TRACE ERROR + INCOMPLETE) and the
// others still run; the exit code is non-zero if any failed.
import type { ConfiguredAirbyteCatalog, SyncMode } from '../generated/protocol';
import { toFailure, TransientError, type Failure } from './errors';
import {
  errorTraceMessage,
  estimateTraceMessage,
  logMessage,
  recordMessage,
  stateMessage,
  streamStatusMessage,
} from './messages';
import { createRecordGuard } from './record-guard';
import type { Logger, RecordData, Stream, StreamStateBlob } from './stream';
import type { MessageWriter } from './writer';

export interface ReadOptions {
  streams: Stream[];
  catalog: ConfiguredAirbyteCatalog;
  /** Per-stream state from the state file; only passed to streams read incrementally. */
  state: Map<string, StreamStateBlob>;
  writer: MessageWriter;
  logger: Logger;
  /** Runs a stream's read in its own context (for RATE_LIMITED statuses on the right stream). */
  inStream?<T>(name: string, read: () => Promise<T>): Promise<T>;
  /** How many streams read at the same time (default 1: one after another). */
  streamsAtOnce?: number;
  signal: AbortSignal;
  /** The source's counters, read once at the end for the summary. */
  metrics?(): Record<string, number>;
}

interface StreamResult {
  name: string;
  records: number;
  failure?: Failure;
}

function interruption(signal: AbortSignal): unknown {
  return signal.reason instanceof Error ? signal.reason : new TransientError('The sync was interrupted.');
}

const MAX_NULLED_WARNINGS = 20;

const describeKey = (stream: Stream, data: RecordData): string =>
  stream.primaryKey.map((path) => JSON.stringify(data[path[0] ?? ''])).join('/');

async function readStream(stream: Stream, syncMode: SyncMode, options: ReadOptions): Promise<StreamResult> {
  const { writer, signal, logger } = options;
  const name = stream.name;
  const previous = syncMode === 'incremental' ? options.state.get(name) : undefined;
  let records = 0;
  let sinceState = 0;
  let lastState = previous;
  let stateEmitted = false;
  let nulled = 0;
  const guard = createRecordGuard(stream.jsonSchema);
  await writer.write(streamStatusMessage(name, 'STARTED'));
  try {
    for await (const event of stream.read({ syncMode, state: previous, logger, signal })) {
      if (writer.error) throw new TransientError('stdout was closed; the destination stopped reading.');
      if (event.type === 'record') {
        if (records === 0) await writer.write(streamStatusMessage(name, 'RUNNING'));
        records++;
        sinceState++;
        const { data, meta } = guard(event.data);
        if (meta?.changes?.length && ++nulled <= MAX_NULLED_WARNINGS) {
          const fields = meta.changes.map((c) => c.field).join(', ');
          logger.warn(
            `${name}: record ${describeKey(stream, event.data)} had fields of the wrong type from the API ` +
              `(${fields}); emitted with them nulled` +
              (nulled === MAX_NULLED_WARNINGS ? ' (further such records are not logged)' : ''),
          );
        }
        await writer.write(recordMessage(name, data, undefined, meta));
      } else if (event.type === 'state') {
        await writer.write(stateMessage(name, event.state, sinceState));
        sinceState = 0;
        lastState = event.state;
        stateEmitted = true;
      } else if (event.type === 'estimate') {
        await writer.write(estimateTraceMessage(name, event.rowCount, event.byteCount));
      }
    }
    if (signal.aborted) throw interruption(signal);
    // Every stream ends with a state: full refresh gets `{}`, incremental without news keeps its previous one.
    if (!stateEmitted || sinceState > 0) await writer.write(stateMessage(name, lastState ?? {}, sinceState));
    await writer.write(streamStatusMessage(name, 'COMPLETE'));
    return { name, records };
  } catch (error) {
    const failure = toFailure(signal.aborted ? interruption(signal) : error);
    // Records emitted since the last state are committed by re-stating that state (or the one the sync
    // started from): it claims no progress, so the next sync reads them again, and nothing is lost.
    if (sinceState > 0) await writer.write(stateMessage(name, lastState ?? {}, sinceState));
    await writer.write(errorTraceMessage(failure, name));
    await writer.write(streamStatusMessage(name, 'INCOMPLETE'));
    return { name, records, failure };
  }
}

function summary(
  results: StreamResult[],
  skipped: string[],
  startedAt: number,
  metrics: Record<string, number>,
): string[] {
  const total = results.reduce((n, r) => n + r.records, 0);
  const complete = results.filter((r) => !r.failure).length;
  const perStream = results.map((r) => `${r.name}: ${r.records}${r.failure ? ' (failed)' : ''}`);
  perStream.push(...skipped.map((s) => `${s}: not started`));
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const lines = [
    `Sync summary: ${complete} of ${results.length + skipped.length} streams complete, ${total} records in ${seconds}s` +
      (perStream.length ? ` (${perStream.join(', ')})` : ''),
  ];
  const counters = Object.entries(metrics).map(([k, v]) => `${k}=${v}`);
  if (counters.length) lines.push(`Source metrics: ${counters.join(', ')}`);
  return lines;
}

/** Runs `read` for the catalog and returns the process exit code. */
export async function runRead(options: ReadOptions): Promise<number> {
  const { writer, signal } = options;
  const startedAt = Date.now();
  const byName = new Map(options.streams.map((s) => [s.name, s]));
  const weight = (name: string) => byName.get(name)?.startFirst ?? 0;
  // Stable: equal weights keep catalog order.
  const pending = [...options.catalog.streams].sort((a, b) => weight(b.stream.name) - weight(a.stream.name));
  const results: StreamResult[] = [];
  const skipped: string[] = [];
  const inStream = options.inStream ?? ((_name, read) => read());
  // A fatal failure (bad credentials) stops streams from starting; those already reading end on their own.
  const stopped = () => signal.aborted || writer.error !== undefined || results.some((r) => r.failure?.fatal);
  const worker = async (): Promise<void> => {
    for (let configured = pending.shift(); configured; configured = pending.shift()) {
      const stream = byName.get(configured.stream.name);
      if (!stream || stopped()) {
        skipped.push(configured.stream.name);
        continue;
      }
      const syncMode = configured.sync_mode;
      results.push(await inStream(stream.name, () => readStream(stream, syncMode, options)));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.streamsAtOnce ?? 1) }, worker));
  const catalogOrder = new Map(options.catalog.streams.map((c, i) => [c.stream.name, i]));
  results.sort((a, b) => (catalogOrder.get(a.name) ?? 0) - (catalogOrder.get(b.name) ?? 0));
  const failed = results.some((r) => r.failure) || skipped.length > 0;
  for (const line of summary(results, skipped, startedAt, options.metrics?.() ?? {})) {
    await writer.write(logMessage(failed ? 'WARN' : 'INFO', line));
  }
  return failed ? 1 : 0;
}

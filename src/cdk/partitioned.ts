// Incremental reading split by partition (a Confluence space, a Jira project): the state keeps one
// small checkpoint per partition, partitions are read concurrently, and a checkpoint never covers a
// record that was not emitted, so a sync killed at any moment resumes without gaps.
import { mergeTagged } from './concurrency';
import { cursorTime } from './cursor';
import { ConfigError } from './errors';
import type { RecordData, StreamEvent, StreamStateBlob } from './stream';

export interface PartitionCheckpoint {
  cursor?: string;
  [key: string]: unknown;
}

export interface PartitionedState {
  partitions: Record<string, PartitionCheckpoint>;
  [key: string]: unknown;
}

/** A record, or a new checkpoint for the partition (e.g. a deletion-sweep digest). */
export type PartitionItem = { record: RecordData } | { checkpoint: PartitionCheckpoint };

export interface PartitionedReadOptions<P> {
  partitions: Iterable<P> | AsyncIterable<P>;
  key(partition: P): string;
  /** Yields the partition's records in ascending cursor order, starting from its checkpoint. */
  read(
    partition: P,
    checkpoint: PartitionCheckpoint | undefined,
    signal: AbortSignal,
  ): AsyncIterable<PartitionItem>;
  /** Previous stream state; a malformed one is a ConfigError naming the stream and the bad value. */
  state?: StreamStateBlob;
  /** Top-level record field holding an ISO-8601 string; absent = full refresh (no cursors). */
  cursorField?: string;
  /** Emit a state every N records (across partitions). Default 1000. */
  checkpointEvery?: number;
  /** Partitions read at once. Default 4. */
  concurrency?: number;
  signal: AbortSignal;
  /** Stream name, for error messages. */
  stream?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** Validates a previous state and returns a deep-enough copy to mutate. */
export function parsePartitionedState(state: unknown, stream = 'this stream'): PartitionedState {
  const bad = (what: string, value: unknown) =>
    new ConfigError(
      `The state of stream "${stream}" is invalid: ${what} ${JSON.stringify(value)?.slice(0, 200)}. ` +
        'Fix the state or reset the stream.',
    );
  if (state === undefined || state === null) return { partitions: {} };
  if (!isObject(state)) throw bad('expected an object, got', state);
  const { partitions = {}, ...rest } = state;
  if (!isObject(partitions)) throw bad('`partitions` must be an object, got', partitions);
  const copy: Record<string, PartitionCheckpoint> = {};
  for (const [key, checkpoint] of Object.entries(partitions)) {
    if (!isObject(checkpoint)) throw bad(`partition "${key}" must be an object, got`, checkpoint);
    if (checkpoint.cursor !== undefined && cursorTime(checkpoint.cursor) === undefined) {
      throw bad(`partition "${key}" has a cursor that is not a date:`, checkpoint.cursor);
    }
    copy[key] = { ...checkpoint };
  }
  return { ...rest, partitions: copy };
}

/**
 * Reads every partition (up to `concurrency` at once, merged with back-pressure) and yields their
 * records plus `state` events `{ ...previous, partitions: { [key]: checkpoint } }`: every
 * `checkpointEvery` records, when a partition completes (if anything changed), and always at the end,
 * where partitions absent from this run's list are dropped. A partition's cursor only ever becomes the
 * cursor of a record already yielded. If a partition fails, the other reads stop, the state of what was
 * yielded is emitted, and the error is thrown.
 */
export async function* readPartitioned<P>(options: PartitionedReadOptions<P>): AsyncGenerator<StreamEvent> {
  const { cursorField, checkpointEvery = 1000, concurrency = 4 } = options;
  const state = parsePartitionedState(options.state, options.stream);
  const cursors = new Map<string, number>(); // parsed cursor per partition, to compare as instants
  const seen = new Set<string>();
  let sinceCheckpoint = 0;
  let dirty = false;
  // Partitions' reads stop when the merge stops (an error elsewhere, or the caller's signal).
  const controller = new AbortController();
  const stopReads = () => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', stopReads, { once: true });

  const snapshot = (): StreamEvent => {
    sinceCheckpoint = 0;
    dirty = false;
    return { type: 'state', state: { ...state, partitions: { ...state.partitions } } };
  };

  const advance = (key: string, record: RecordData) => {
    if (!cursorField) return;
    const value = record[cursorField];
    const time = cursorTime(value);
    const current = cursors.get(key) ?? cursorTime(state.partitions[key]?.cursor) ?? -Infinity;
    if (time !== undefined && time > current) {
      cursors.set(key, time);
      state.partitions[key] = { ...state.partitions[key], cursor: value as string };
    }
  };

  const tagged = async function* () {
    for await (const partition of options.partitions) yield { partition, key: options.key(partition) };
  };
  const open = ({ partition, key }: { partition: P; key: string }) => {
    seen.add(key);
    const checkpoint = state.partitions[key];
    return options.read(partition, checkpoint && { ...checkpoint }, controller.signal);
  };

  try {
    for await (const event of mergeTagged(tagged(), open, { concurrency, signal: options.signal })) {
      const { key } = event.source;
      if (event.kind === 'error') throw event.error;
      if (event.kind === 'done') {
        if (dirty) yield snapshot();
        continue;
      }
      const item = event.item;
      if ('record' in item) {
        yield { type: 'record', data: item.record };
        advance(key, item.record);
        dirty = true;
        if (++sinceCheckpoint >= checkpointEvery) yield snapshot();
      } else {
        // An explicit checkpoint replaces the partition's, but keeps the tracked cursor unless it sets one.
        const cursor = 'cursor' in item.checkpoint ? item.checkpoint.cursor : state.partitions[key]?.cursor;
        const { cursor: _ignored, ...rest } = item.checkpoint;
        state.partitions[key] = cursor === undefined ? rest : { ...rest, cursor };
        cursors.delete(key);
        dirty = true;
      }
    }
  } catch (error) {
    if (dirty) yield snapshot();
    throw error;
  } finally {
    options.signal.removeEventListener('abort', stopReads);
    controller.abort();
  }
  // Partitions that no longer exist (deleted space, project now excluded) leave the state.
  for (const key of Object.keys(state.partitions)) if (!seen.has(key)) delete state.partitions[key];
  yield snapshot();
}

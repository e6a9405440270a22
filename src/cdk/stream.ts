// The contract between the protocol runner and a stream. Knows nothing about Atlassian.
import type { SyncMode } from '../generated/protocol';

/** A stream's state blob, as stored in a STREAM state message (`stream_state`). Keep it small. */
export type StreamStateBlob = Record<string, unknown>;

export type RecordData = Record<string, unknown>;

/** What a stream yields while it reads; the runner turns each into protocol messages, in order. */
export type StreamEvent =
  | { type: 'record'; data: RecordData }
  /** A checkpoint: this blob covers every record yielded before it. */
  | { type: 'state'; state: StreamStateBlob }
  /** A cheap count of what is coming, shown as progress in the Airbyte UI. */
  | { type: 'estimate'; rowCount?: number; byteCount?: number };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, stackTrace?: string): void;
}

export interface ReadContext {
  syncMode: SyncMode;
  /** This stream's state from the previous sync (already validated as an object), if any. */
  state?: StreamStateBlob;
  logger: Logger;
  /** Aborted when the run is stopping (a fatal error elsewhere, or a signal). */
  signal: AbortSignal;
}

export interface Stream {
  readonly name: string;
  /** JSON Schema of one record (draft-07), from schemas/<name>.json. */
  readonly jsonSchema: Record<string, unknown>;
  readonly primaryKey: string[][];
  /** Present when the stream supports incremental sync. */
  readonly cursorField?: string[];
  /**
   * Streams that usually take longest start first (default 0; higher first, then catalog order): with
   * several streams read side by side, a long one started last would be the sync's lone tail.
   */
  readonly startFirst?: number;
  /**
   * Yields records, checkpoints and estimates. Must end with a `state` event when it supports
   * incremental sync; for full refresh the runner emits an empty final state itself.
   */
  read(context: ReadContext): AsyncIterable<StreamEvent>;
}

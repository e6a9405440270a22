// Builders for the protocol messages this source emits. Pure; timestamps are ms since epoch.
import type {
  AirbyteRecordMessageMeta,
  AirbyteCatalog,
  AirbyteLogMessage,
  AirbyteMessage,
  AirbyteStreamStatusTraceMessage,
  ConnectorSpecification,
} from '../generated/protocol';
import type { Failure } from './errors';
import type { RecordData, StreamStateBlob } from './stream';

export type LogLevel = AirbyteLogMessage['level'];
export type StreamStatus = AirbyteStreamStatusTraceMessage['status'];

export const specMessage = (spec: ConnectorSpecification): AirbyteMessage => ({ type: 'SPEC', spec });

export const catalogMessage = (catalog: AirbyteCatalog): AirbyteMessage => ({ type: 'CATALOG', catalog });

export const connectionStatusMessage = (
  status: 'SUCCEEDED' | 'FAILED',
  message?: string,
): AirbyteMessage => ({
  type: 'CONNECTION_STATUS',
  connectionStatus: message === undefined ? { status } : { status, message },
});

export const recordMessage = (
  stream: string,
  data: RecordData,
  emittedAt = Date.now(),
  meta?: AirbyteRecordMessageMeta,
): AirbyteMessage => ({
  type: 'RECORD',
  record: meta ? { stream, data, emitted_at: emittedAt, meta } : { stream, data, emitted_at: emittedAt },
});

export const stateMessage = (
  stream: string,
  state: StreamStateBlob,
  recordCount: number,
): AirbyteMessage => ({
  type: 'STATE',
  state: {
    type: 'STREAM',
    stream: { stream_descriptor: { name: stream }, stream_state: state },
    sourceStats: { recordCount },
  },
});

export function logMessage(level: LogLevel, message: string, stackTrace?: string): AirbyteMessage {
  return { type: 'LOG', log: stackTrace ? { level, message, stack_trace: stackTrace } : { level, message } };
}

export function errorTraceMessage(failure: Failure, stream?: string): AirbyteMessage {
  return {
    type: 'TRACE',
    trace: {
      type: 'ERROR',
      emitted_at: Date.now(),
      error: {
        message: failure.message,
        internal_message: failure.internalMessage,
        ...(failure.stackTrace ? { stack_trace: failure.stackTrace } : {}),
        failure_type: failure.failureType,
        ...(stream ? { stream_descriptor: { name: stream } } : {}),
      },
    },
  };
}

export function estimateTraceMessage(stream: string, rowCount?: number, byteCount?: number): AirbyteMessage {
  return {
    type: 'TRACE',
    trace: {
      type: 'ESTIMATE',
      emitted_at: Date.now(),
      estimate: {
        name: stream,
        type: 'STREAM',
        ...(rowCount === undefined ? {} : { row_estimate: rowCount }),
        ...(byteCount === undefined ? {} : { byte_estimate: byteCount }),
      },
    },
  };
}

/** STREAM_STATUS; `rateLimitedUntil` (ms epoch, or null when unknown) adds a RATE_LIMITED reason. */
export function streamStatusMessage(
  stream: string,
  status: StreamStatus,
  rateLimitedUntil?: number | null,
): AirbyteMessage {
  const reasons =
    rateLimitedUntil === undefined
      ? undefined
      : [
          {
            type: 'RATE_LIMITED' as const,
            rate_limited: rateLimitedUntil === null ? {} : { quota_reset: rateLimitedUntil },
          },
        ];
  return {
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: Date.now(),
      stream_status: { stream_descriptor: { name: stream }, status, ...(reasons ? { reasons } : {}) },
    },
  };
}

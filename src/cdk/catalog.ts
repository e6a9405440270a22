// The discovered catalog: how a Stream is described to the platform.
import type { AirbyteStream } from '../generated/protocol';
import type { Stream } from './stream';

export function airbyteStream(stream: Stream): AirbyteStream {
  const incremental = !!stream.cursorField;
  return {
    name: stream.name,
    json_schema: stream.jsonSchema,
    supported_sync_modes: incremental ? ['full_refresh', 'incremental'] : ['full_refresh'],
    source_defined_cursor: incremental,
    ...(stream.cursorField ? { default_cursor_field: stream.cursorField } : {}),
    source_defined_primary_key: stream.primaryKey,
    is_resumable: incremental,
  };
}

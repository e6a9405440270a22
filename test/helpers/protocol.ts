// Validates connector output against the official Airbyte protocol schema (reference/airbyte_protocol.yaml).
// Stricter than the schema itself, on purpose: the protocol marks every struct `additionalProperties: true`
// and makes every payload optional, so `{"type":"RECORD"}` or a typo like `sourcestats` would pass. Here a
// message must carry exactly the payload its `type` names, and known structs reject unknown keys.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import type { AirbyteMessage } from '../../src/generated/protocol';

export type { AirbyteMessage };

type Schema = Record<string, unknown>;

const PAYLOAD_OF_MESSAGE: Record<string, string> = {
  RECORD: 'record',
  STATE: 'state',
  LOG: 'log',
  SPEC: 'spec',
  CONNECTION_STATUS: 'connectionStatus',
  CATALOG: 'catalog',
  TRACE: 'trace',
  CONTROL: 'control',
  DESTINATION_CATALOG: 'destination_catalog',
};
const PAYLOAD_OF_TRACE: Record<string, string> = {
  ERROR: 'error',
  ESTIMATE: 'estimate',
  STREAM_STATUS: 'stream_status',
  ANALYTICS: 'analytics',
};
const PAYLOAD_OF_STATE: Record<string, string> = { STREAM: 'stream', GLOBAL: 'global', LEGACY: 'data' };

/** `type: T` requires the payload named for T; besides it, only the `common` keys may appear. */
function payloadRules(payloads: Record<string, string>, common: string[]): Schema[] {
  return Object.entries(payloads).map(([type, key]) => ({
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: { required: [key], propertyNames: { enum: ['type', key, ...common] } },
  }));
}

/** Closes every struct that declares its properties; free-form blobs (record data, state, json_schema) stay open. */
function closeStructs(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const schema = node as Schema;
  if (schema.properties && typeof schema.properties === 'object' && schema.additionalProperties === true) {
    schema.additionalProperties = false;
  }
  for (const value of Object.values(schema)) closeStructs(value);
}

function buildValidator(): ValidateFunction {
  const root = parse(
    readFileSync(join(__dirname, '../../reference/airbyte_protocol.yaml'), 'utf8'),
  ) as Schema;
  const definitions = root.definitions as Record<string, Schema>;
  closeStructs(definitions);
  const withRules = (name: string, rules: Schema[]) => {
    const def = definitions[name]!;
    def.allOf = [...((def.allOf as Schema[]) ?? []), ...rules];
  };
  withRules('AirbyteMessage', payloadRules(PAYLOAD_OF_MESSAGE, []));
  withRules('AirbyteTraceMessage', payloadRules(PAYLOAD_OF_TRACE, ['emitted_at']));
  // LEGACY state (no `type`) is valid protocol but never acceptable from this connector.
  withRules('AirbyteStateMessage', [
    { required: ['type'] },
    ...payloadRules(PAYLOAD_OF_STATE, ['sourceStats', 'destinationStats']),
  ]);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile({ $schema: root.$schema, definitions, $ref: '#/definitions/AirbyteMessage' });
}

let validator: ValidateFunction | undefined;

function explain(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
    .join('; ');
}

const excerpt = (line: string) => (line.length > 300 ? `${line.slice(0, 300)}…` : line);

/** Parses one stdout line and checks it is a valid AirbyteMessage (nested payload included); throws otherwise. */
export function validateProtocolLine(line: string): AirbyteMessage {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`not a JSON line (${(error as Error).message}): ${excerpt(line)}`, { cause: error });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`not a JSON object: ${excerpt(line)}`);
  }
  validator ??= buildValidator();
  if (!validator(value)) {
    throw new Error(`not a valid AirbyteMessage: ${explain(validator.errors)}\n  line: ${excerpt(line)}`);
  }
  return value as AirbyteMessage;
}

/** Validates every line of a connector's stdout (a trailing newline is fine, blank lines are not). */
export function parseProtocolOutput(stdout: string): AirbyteMessage[] {
  const lines = stdout.endsWith('\n') ? stdout.slice(0, -1).split('\n') : stdout.split('\n');
  if (stdout === '') return [];
  return lines.map((line, index) => {
    try {
      return validateProtocolLine(line);
    } catch (error) {
      throw new Error(`stdout line ${index + 1}: ${(error as Error).message}`, { cause: error });
    }
  });
}

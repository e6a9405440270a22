// Validators for protocol structs, from a copy of reference/airbyte_protocol.yaml shipped with the code
// (a test keeps the copy identical to the reference). Used for the input catalog.
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import protocol from './airbyte-protocol.schema.json';

export type ProtocolDefinition = keyof (typeof protocol)['definitions'];

export interface ProtocolValidator {
  /** Returns one line per violation (`/path message`), empty when valid. */
  (value: unknown): string[];
}

export function formatAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
    const allowed = e.keyword === 'enum' ? `: ${(e.params.allowedValues as unknown[]).join(', ')}` : '';
    return `${e.instancePath || '/'} ${e.message}${allowed}${extra}`;
  });
}

export function protocolValidator(definition: ProtocolDefinition): ProtocolValidator {
  // strict: false because the YAML carries Java codegen keywords (existingJavaType). The schema is the
  // official one (a test keeps the copy identical): not checked against the meta-schema at each start.
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  const validate = ajv.compile({ definitions: protocol.definitions, $ref: `#/definitions/${definition}` });
  return (value) => (validate(value) ? [] : formatAjvErrors(validate.errors));
}

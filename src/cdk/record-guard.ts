// Keeps every emitted record within the schema `discover` declared. An API answer with a field of the wrong
// type (a number where a string belongs, a string where a list belongs) would otherwise break typed
// destinations; the field is nulled instead and the record says so in `meta.changes`, Airbyte's convention
// for a source that had to change a record.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { AirbyteRecordMessageMeta } from '../generated/protocol';
import type { RecordData } from './stream';

export interface GuardedRecord {
  data: RecordData;
  /** Set when fields were nulled; lists them. */
  meta?: AirbyteRecordMessageMeta;
}

export type RecordGuard = (data: RecordData) => GuardedRecord;

/**
 * One validator instance for every stream of a run. Stream schemas are not checked against the draft-07
 * meta-schema here: the tests do that for every schema (discover), and checking again per stream cost a
 * compile of the meta-schema each time.
 */
let shared: Ajv | undefined;
function recordAjv(): Ajv {
  if (!shared) {
    shared = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
    addFormats(shared);
  }
  return shared;
}

export function createRecordGuard(schema: Record<string, unknown>): RecordGuard {
  const validate = recordAjv().compile(schema);
  return (data) => {
    if (validate(data) as boolean) return { data };
    const fields = new Set<string>();
    for (const error of validate.errors ?? []) {
      const top = error.instancePath.split('/')[1];
      if (top) fields.add(decodeURIComponent(top.replace(/~1/g, '/').replace(/~0/g, '~')));
    }
    if (fields.size === 0) return { data }; // a record-level problem (e.g. a missing key): nothing to null
    const fixed = { ...data };
    for (const field of fields) fixed[field] = null;
    return {
      data: fixed,
      meta: {
        changes: [...fields].map((field) => ({
          field,
          change: 'NULLED' as const,
          reason: 'SOURCE_SERIALIZATION_ERROR' as const,
        })),
      },
    };
  };
}

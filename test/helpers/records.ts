// Record checks the end-to-end tests share: schema validation and id sets (live, tombstoned).
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { loadSchema } from '../../src/schemas';

const validators = new Map<string, ValidateFunction>();

/** Throws, naming the record and the violations, when `record` breaks its stream's schema. */
export function validate(stream: string, record: Record<string, unknown>): void {
  let v = validators.get(stream);
  if (!v) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    v = ajv.compile(loadSchema(stream));
    validators.set(stream, v);
  }
  if (!v(record)) throw new Error(`${stream} record ${String(record['id'])}: ${JSON.stringify(v.errors)}`);
}

export const live = (rs: Record<string, unknown>[]) =>
  rs.filter((r) => !r._ab_cdc_deleted_at).map((r) => r.id as string);
export const dead = (rs: Record<string, unknown>[]) =>
  rs.filter((r) => r._ab_cdc_deleted_at).map((r) => r.id as string);
export const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

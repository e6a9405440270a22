// Validates simulator (or recorded) responses against the response schema of an official OpenAPI operation
// in reference/atlassian/, resolving the spec's `$ref`s. OpenAPI 3.0 schemas are close enough to JSON Schema
// draft-04/07 for ajv once `nullable` is understood and vendor keywords (`x-…`, `example`) are ignored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

export interface ResponseValidator {
  (body: unknown): boolean;
  /** Human-readable errors of the last call, empty when it passed. */
  errors: string[];
  /** The operation declares no body schema for this status: anything validates. */
  schemaless: boolean;
}

const SPEC_DIR = join(__dirname, '..', '..', 'reference', 'atlassian');
const loaded = new Map<string, { ajv: Ajv; spec: Json }>();

function load(specFile: string): { ajv: Ajv; spec: Json } {
  const cached = loaded.get(specFile);
  if (cached) return cached;
  const spec = JSON.parse(readFileSync(join(SPEC_DIR, specFile), 'utf8')) as Json;
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, discriminator: false });
  addFormats(ajv);
  // Atlassian specs use formats ajv-formats does not know; accept them.
  for (const format of [
    'int32',
    'int64',
    'float',
    'double',
    'byte',
    'binary',
    'password',
    'uri-reference-template',
    'email|uri',
  ]) {
    ajv.addFormat(format, true);
  }
  ajv.addSchema(spec as object, 'spec');
  const entry = { ajv, spec };
  loaded.set(specFile, entry);
  return entry;
}

function pointerSegment(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function resolveLocal(spec: Json, ref: string): Json {
  const parts = ref
    .replace(/^#\//, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = spec;
  for (const part of parts) node = (node as Json)[part];
  if (!node) throw new Error(`unresolved $ref ${ref}`);
  return node as Json;
}

/**
 * `responseValidator('confluence-v2.openapi.json', 'get', '/pages', 200)`. `pathTemplate` is the spec's
 * path key exactly (v2: relative to `/wiki/api/v2`; v1 and Jira: with their prefix; admin: relative to `/admin`).
 */
export function responseValidator(
  specFile: string,
  method: string,
  pathTemplate: string,
  status: number | string,
): ResponseValidator {
  const { ajv, spec } = load(specFile);
  const paths = spec.paths as Record<string, Record<string, Json>>;
  const operation = paths[pathTemplate]?.[method.toLowerCase()];
  if (!operation) throw new Error(`${specFile}: no operation ${method.toUpperCase()} ${pathTemplate}`);
  const responses = operation.responses as Record<string, Json>;
  let response = responses[String(status)] ?? responses.default;
  if (!response)
    throw new Error(`${specFile}: ${method.toUpperCase()} ${pathTemplate} declares no ${status} response`);
  let responsePointer = ['paths', pathTemplate, method.toLowerCase(), 'responses', String(status)];
  if (typeof response.$ref === 'string') {
    responsePointer = response.$ref
      .replace(/^#\//, '')
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    response = resolveLocal(spec, response.$ref);
  }
  const content = (response.content ?? {}) as Record<string, Json>;
  const mediaType = Object.keys(content).find((t) => t.includes('json'));
  const schemaless = !mediaType || !content[mediaType]?.schema;
  let validate: ValidateFunction | undefined;
  if (!schemaless) {
    const pointer = [...responsePointer, 'content', mediaType, 'schema'].map(pointerSegment).join('/');
    validate = ajv.compile({ $ref: `spec#/${pointer}` });
  }
  const fn = ((body: unknown) => {
    if (!validate) {
      fn.errors = [];
      return true;
    }
    const ok = validate(body) as boolean;
    fn.errors = ok ? [] : (validate.errors ?? []).map(formatError);
    return ok;
  }) as ResponseValidator;
  fn.errors = [];
  fn.schemaless = schemaless;
  return fn;
}

function formatError(error: ErrorObject): string {
  return `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`;
}

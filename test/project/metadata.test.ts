import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '../..');
const schemaDir = join(root, 'reference/airbyte-metadata');

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/** Upstream quirks (see reference/airbyte-metadata/SOURCE.md): `type: const`, `type: ConnectorMetric`. */
function dropInvalidTypes(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (typeof record.type === 'string' && !JSON_TYPES.has(record.type)) delete record.type;
  Object.values(record).forEach(dropInvalidTypes);
}

function metadataValidator() {
  // Non-strict: the upstream schemas use a few constructs draft-07 does not define (see SOURCE.md there).
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.yaml'))) {
    const schema = parse(readFileSync(join(schemaDir, file), 'utf8'));
    delete schema.$id;
    dropInvalidTypes(schema);
    ajv.addSchema(schema, file);
  }
  return ajv.getSchema('ConnectorMetadataDefinitionV0.yaml')!;
}

describe('metadata.yaml', () => {
  const metadata = parse(readFileSync(join(root, 'metadata.yaml'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

  it('validates against the official connector metadata schema', () => {
    const validate = metadataValidator();
    expect(validate(metadata) ? [] : validate.errors).toEqual([]);
  });

  it('is caught by the schema when a required field is missing', () => {
    const validate = metadataValidator();
    const { dockerImageTag: _dropped, ...data } = metadata.data;
    expect(validate({ ...metadata, data })).toBe(false);
  });

  it('agrees with package.json and the Dockerfile on the version', () => {
    expect(metadata.data.dockerImageTag).toBe(pkg.version);
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`io.airbyte.version="${pkg.version}"`);
    expect(dockerfile).toContain(`io.airbyte.name="${metadata.data.dockerRepository}"`);
  });

  it('suggests only streams the connector has', () => {
    const streams = readdirSync(join(root, 'schemas')).map((f) => f.replace(/\.json$/, ''));
    for (const s of metadata.data.suggestedStreams.streams) expect(streams).toContain(s);
  });
});

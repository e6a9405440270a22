// The files in integration_tests/ that an Airbyte user reuses stay true to the connector: they are
// regenerated from the simulator on every run and compared with what is committed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { startSimulator } from '../sim';
import type { AirbyteCatalog, ConnectorSpecification } from '../src/generated/protocol';
import { runConnector } from '../test/helpers/run-connector';
import {
  type AcceptanceFixtures,
  type ExpectedRecord,
  FIXTURE_FILES,
  generateAcceptanceFixtures,
  primaryKeyOf,
  renderFixtures,
  writeFixtures,
} from './generate-expected-records';

const REGENERATE = 'UPDATE_ACCEPTANCE_FIXTURES=1 npx jest integration_tests/fixtures.test.ts';
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const readExpected = (): ExpectedRecord[] =>
  readFileSync(FIXTURE_FILES.expectedRecords, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ExpectedRecord);

/** Fields compared in expected_records.jsonl: identity, links and timestamps, not free text. */
const STABLE_FIELDS = [
  'id',
  'key',
  'name',
  'title',
  'summary',
  'url',
  'cloud_id',
  'created_at',
  'updated_at',
];

/** JSON-schema keywords that only document (draft-07 annotations); a property with such a name is an object. */
const ANNOTATIONS = new Set(['description', 'title', 'examples', '$comment']);

function withoutAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAnnotations);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(
        ([key, child]) => !(ANNOTATIONS.has(key) && (typeof child === 'string' || Array.isArray(child))),
      )
      .map(([key, child]) => [key, withoutAnnotations(child)]),
  );
}

/** A validator for one definition of the official protocol schema (reference/airbyte_protocol.yaml). */
function protocolValidator(definition: string) {
  const root = parse(readFileSync(join(__dirname, '../reference/airbyte_protocol.yaml'), 'utf8')) as {
    definitions: Record<string, unknown>;
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile({ definitions: root.definitions, $ref: `#/definitions/${definition}` });
}

let fixtures: AcceptanceFixtures;
let spec: ConnectorSpecification;

beforeAll(async () => {
  fixtures = await generateAcceptanceFixtures();
  if (process.env.UPDATE_ACCEPTANCE_FIXTURES === '1') writeFixtures(fixtures);
  const out = await runConnector(['spec']);
  spec = out.messages.find((m) => m.type === 'SPEC')!.spec!;
}, 120_000);

describe('committed acceptance fixtures', () => {
  it(`configured_catalog.json is the discovered catalog in each stream's best sync mode (else run ${REGENERATE})`, () => {
    // Compared without annotations: a reworded description does not change what a destination receives.
    expect(withoutAnnotations(readJson(FIXTURE_FILES.configuredCatalog))).toEqual(
      withoutAnnotations(fixtures.configuredCatalog),
    );
    const modes = fixtures.configuredCatalog.streams.map((s) => [s.sync_mode, s.destination_sync_mode]);
    for (const [sync, destination] of modes) {
      expect([
        ['incremental', 'append_dedup'],
        ['full_refresh', 'overwrite'],
      ]).toContainEqual([sync, destination]);
    }
  });

  it(`abnormal_state.json puts every checkpointed partition of every incremental stream in the far future (else run ${REGENERATE})`, () => {
    expect(readJson(FIXTURE_FILES.abnormalState)).toEqual(fixtures.abnormalState);
    const incremental = fixtures.configuredCatalog.streams.filter((s) => s.sync_mode === 'incremental');
    expect(fixtures.abnormalState).toHaveLength(incremental.length);
  });

  it(`expected_records.jsonl holds the same records, compared on stable fields (else run ${REGENERATE})`, () => {
    const committed = readExpected();
    const catalog: AirbyteCatalog = { streams: fixtures.configuredCatalog.streams.map((s) => s.stream) };
    const pkOf = (r: ExpectedRecord) =>
      primaryKeyOf(
        r.data,
        catalog.streams.find((s) => s.name === r.stream)?.source_defined_primary_key ?? [],
      );
    const identity = (records: ExpectedRecord[]) => records.map((r) => `${r.stream} ${pkOf(r)}`);
    expect(identity(committed)).toEqual(identity(fixtures.expectedRecords));
    const stable = (r: ExpectedRecord) =>
      Object.fromEntries(STABLE_FIELDS.filter((f) => f in r.data).map((f) => [f, r.data[f]]));
    expect(committed.map(stable)).toEqual(fixtures.expectedRecords.map(stable));
    // The tiny site has data in every stream, so every stream is represented.
    expect([...new Set(committed.map((r) => r.stream))]).toEqual(catalog.streams.map((s) => s.name));
  });

  it('configured_catalog.json and abnormal_state.json are valid Airbyte protocol objects', () => {
    const catalogValid = protocolValidator('ConfiguredAirbyteCatalog');
    expect(catalogValid(readJson(FIXTURE_FILES.configuredCatalog)) ? [] : catalogValid.errors).toEqual([]);
    const stateValid = protocolValidator('AirbyteStateMessage');
    for (const state of readJson(FIXTURE_FILES.abnormalState) as unknown[]) {
      expect(stateValid(state) ? [] : stateValid.errors).toEqual([]);
      expect(state).toMatchObject({ type: 'STREAM' });
    }
  });

  it('the rendered fixtures are deterministic text (JSON, one record per line)', () => {
    const text = renderFixtures(fixtures);
    expect(text.expectedRecords.trimEnd().split('\n')).toHaveLength(fixtures.expectedRecords.length);
    for (const line of text.expectedRecords.trimEnd().split('\n'))
      expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('sample_config.json', () => {
  const sample = readJson(FIXTURE_FILES.sampleConfig) as Record<string, unknown>;

  it('is valid against the spec and fills in every section a user can set', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(spec.connectionSpecification);
    expect(validate(sample) ? [] : validate.errors).toEqual([]);
    const properties = spec.connectionSpecification.properties as Record<
      string,
      { airbyte_hidden?: boolean }
    >;
    const visible = Object.entries(properties)
      .filter(([, p]) => !p.airbyte_hidden)
      .map(([name]) => name);
    expect(Object.keys(sample).sort()).toEqual(visible.sort());
  });

  it('carries placeholders, never a real-looking secret', () => {
    const credentials = sample.credentials as Record<string, string>;
    expect(credentials.service_account_token).toMatch(/REPLACE/);
    expect(sample.organization_admin_api_key).toMatch(/REPLACE/);
  });

  it('passes check once pointed at a site with working credentials', async () => {
    const sim = await startSimulator({ scale: 'tiny', seed: 1 });
    try {
      const site = sim.connectorConfig();
      const config = { ...sample };
      for (const key of [
        'domain',
        'credentials',
        'organization_id',
        'organization_admin_api_key',
        'site_url_override',
        'gateway_url_override',
        'auth_url_override',
      ]) {
        config[key] = site[key];
      }
      const out = await runConnector(['check'], { config });
      expect(out.messages.filter((m) => m.type === 'CONNECTION_STATUS')).toEqual([
        { type: 'CONNECTION_STATUS', connectionStatus: expect.objectContaining({ status: 'SUCCEEDED' }) },
      ]);
    } finally {
      await sim.close();
    }
  });
});

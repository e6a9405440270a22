// The Airbyte Connector Acceptance Test checks (spec, check, discover, basic read, full refresh twice,
// sequential incremental reads, resume from every checkpoint, abnormal future state), re-expressed in jest
// against the simulator. Every stdout line of every run is validated against the protocol schema by the
// run helper; the checks here assert what Airbyte relies on beyond the message shapes.
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { type Simulator, startSimulator } from '../sim';
import type {
  AirbyteCatalog,
  AirbyteMessage,
  AirbyteStream,
  ConfiguredAirbyteCatalog,
  ConnectorSpecification,
} from '../src/generated/protocol';
import { type ConnectorRun, records, runConnector, statesAsInput } from '../test/helpers/run-connector';
import {
  ACCEPTANCE_SIM,
  FIXTURE_FILES,
  configuredCatalogOf,
  isIncremental,
  primaryKeyOf,
  valueAt,
} from './generate-expected-records';

type Json = Record<string, unknown>;
type Schema = Record<string, unknown>;

const LOOKBACK_MINUTES = 5;
const MINUTE = 60_000;
/** JQL and CQL compare dates at minute precision, so a lookback bound is floored to the minute. */
const PRECISION_MS = MINUTE;

/** Streams that may legitimately be empty on `small`, with the reason. None today: small has data everywhere. */
const MAY_BE_EMPTY_ON_SMALL: Record<string, string> = {};

/** Fields a spec must mark `airbyte_secret`. */
const SECRET_FIELDS = ['service_account_token', 'client_secret', 'api_token', 'organization_admin_api_key'];
/** Names that look like secrets (Airbyte's CAT flags unmarked ones); `auth_type` is the oneOf discriminator. */
const SECRET_NAME = /(token|secret|password|api_?key|private_key)$/i;
/** Airbyte's own keywords in a connector spec, on top of draft-07. */
const AIRBYTE_SPEC_KEYWORDS = [
  'airbyte_secret',
  'airbyte_hidden',
  'order',
  'group',
  'groups',
  'always_show',
  'display_type',
  'pattern_descriptor',
  'multiline',
];

/** POST endpoints that only read (reference/atlassian/ENDPOINTS.md), and the OAuth token exchange. */
const READ_ONLY_POSTS = [
  /^\/oauth\/token$/,
  /^\/wiki\/api\/v2\/users-bulk$/,
  /^\/rest\/api\/3\/search\/(jql|approximate-count)$/,
  /^\/rest\/api\/3\/(issue|changelog)\/bulkfetch$/,
  /^\/rest\/api\/3\/comment\/list$/,
  /^\/rest\/api\/3\/permissions\/check$/,
  /^\/admin\/v2\/orgs\/[^/]+\/directories\/[^/]+\/(users|groups)\/search$/,
  /^\/admin\/v2\/orgs\/[^/]+\/workspaces$/,
];

/** The JSON types a destination maps (Airbyte's supported data types). */
const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

let sim: Simulator;
let spec: ConnectorSpecification;
let catalog: AirbyteCatalog;
let configured: ConfiguredAirbyteCatalog;
let incrementalStreams: AirbyteStream[];
/** Default config (attachment texts extracted), as a user would run it. */
let config: Json;
/** Same site, attachment texts not extracted: the same records and keys, much faster for repeated reads. */
let fastConfig: Json;
/** The first sync of every stream in its best mode, no state: the basic read and the first incremental read. */
let firstRead: ConnectorRun;
const runs: ConnectorRun[] = [];

async function run(args: string[], files: Parameters<typeof runConnector>[1]): Promise<ConnectorRun> {
  const out = await runConnector(args, files);
  runs.push(out);
  return out;
}

function only(catalogIn: ConfiguredAirbyteCatalog, names: string[]): ConfiguredAirbyteCatalog {
  return { streams: catalogIn.streams.filter((s) => names.includes(s.stream.name)) };
}

const streamOf = (name: string): AirbyteStream => catalog.streams.find((s) => s.name === name)!;
const pkOf = (stream: string, data: Json): string =>
  primaryKeyOf(data, streamOf(stream).source_defined_primary_key ?? []);
const keysOf = (messages: AirbyteMessage[], stream: string): Set<string> =>
  new Set(records(messages, stream).map((r) => pkOf(stream, r)));
const isTombstone = (data: Json): boolean =>
  data._ab_cdc_deleted_at !== undefined && data._ab_cdc_deleted_at !== null;

/** The partition (space or project) a content record belongs to, as the state keys it. */
const partitionOf = (data: Json): string => String(data.space_id ?? data.project_id);

interface Partitions {
  [key: string]: { cursor?: string } & Json;
}
const isPartitioned = (state: unknown): boolean => !!(state as Json | undefined)?.partitions;
const partitionsIn = (state: unknown): Partitions =>
  ((state as { partitions?: Partitions } | undefined)?.partitions ?? {}) as Partitions;

/**
 * The cursor a stream's state holds for a record: its partition's (`{ partitions: { id: { cursor } } }`,
 * a space or project), or, for a stream with one cursor, the value under the cursor field's name.
 */
function stateCursorFor(state: unknown, cursorField: string[], data: Json): string | undefined {
  const blob = (state ?? {}) as Json;
  if (blob.partitions) return partitionsIn(blob)[partitionOf(data)]?.cursor;
  const value = valueAt(blob, cursorField);
  return typeof value === 'string' ? value : undefined;
}

/** Every cursor in a state, keyed by partition (or `*` for a stream-wide cursor). */
function cursorsIn(state: unknown, cursorField: string[]): Map<string, string> {
  const blob = (state ?? {}) as Json;
  if (blob.partitions) {
    return new Map(
      Object.entries(partitionsIn(blob)).flatMap(([key, p]) => (p.cursor ? [[key, p.cursor] as const] : [])),
    );
  }
  const value = valueAt(blob, cursorField);
  return new Map(typeof value === 'string' ? [['*', value]] : []);
}

/** The STATE messages of one stream, in order, with the index of the message in the run. */
function statesOf(messages: AirbyteMessage[], stream: string): { index: number; message: AirbyteMessage }[] {
  return messages.flatMap((message, index) =>
    message.type === 'STATE' && message.state?.stream?.stream_descriptor.name === stream
      ? [{ index, message }]
      : [],
  );
}

function lastStateOf(messages: AirbyteMessage[], stream: string): unknown {
  return statesOf(messages, stream).at(-1)?.message.state?.stream?.stream_state;
}

const recordValidators = new Map<string, ValidateFunction>();
function recordValidator(stream: string): ValidateFunction {
  let validate = recordValidators.get(stream);
  if (!validate) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    validate = ajv.compile(streamOf(stream).json_schema);
    recordValidators.set(stream, validate);
  }
  return validate;
}

/** Records that do not validate against their stream's schema, described (at most 5 per stream). */
function invalidRecords(messages: AirbyteMessage[]): string[] {
  const problems: string[] = [];
  const perStream = new Map<string, number>();
  for (const m of messages) {
    if (m.type !== 'RECORD' || !m.record) continue;
    const { stream, data } = m.record;
    const validate = recordValidator(stream);
    if (validate(data)) continue;
    const n = (perStream.get(stream) ?? 0) + 1;
    perStream.set(stream, n);
    if (n <= 5) {
      const errors = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');
      problems.push(`${stream} ${pkOf(stream, data)}: ${errors}`);
    }
  }
  return problems;
}

/** Every JSON-schema node under a spec, with its path. */
function* schemaNodes(node: unknown, path: string[] = []): Generator<{ node: Schema; path: string[] }> {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const [i, child] of node.entries()) yield* schemaNodes(child, [...path, String(i)]);
    return;
  }
  yield { node: node as Schema, path };
  for (const [key, child] of Object.entries(node as Schema)) yield* schemaNodes(child, [...path, key]);
}

/** Every `properties` map of a schema, with its path. */
function propertyMaps(schema: Schema): { path: string[]; properties: Record<string, Schema> }[] {
  return [...schemaNodes(schema)]
    .filter(
      ({ node, path }) =>
        path.at(-1) !== 'properties' && node.properties && typeof node.properties === 'object',
    )
    .map(({ node, path }) => ({ path, properties: node.properties as Record<string, Schema> }));
}

/** The schema node a record path points at (`["a","b"]` -> properties.a.properties.b). */
function schemaAt(schema: Schema, path: string[]): Schema | undefined {
  let node: Schema | undefined = schema;
  for (const key of path) node = (node?.properties as Record<string, Schema> | undefined)?.[key];
  return node;
}

beforeAll(async () => {
  sim = await startSimulator(ACCEPTANCE_SIM);
  config = sim.connectorConfig({ lookback_minutes: LOOKBACK_MINUTES });
  fastConfig = sim.connectorConfig({
    lookback_minutes: LOOKBACK_MINUTES,
    attachments: { extract_text: false },
  });
  const specRun = await run(['spec'], {});
  spec = specRun.messages.find((m) => m.type === 'SPEC')!.spec!;
  const discovered = await run(['discover'], { config });
  catalog = discovered.messages.find((m) => m.type === 'CATALOG')!.catalog!;
  configured = configuredCatalogOf(catalog);
  incrementalStreams = catalog.streams.filter(isIncremental);
  firstRead = await run(['read'], { config, catalog: configured });
}, 120_000);

afterAll(async () => {
  await sim?.close();
});

describe('spec', () => {
  const connection = (): Schema => spec.connectionSpecification as Schema;

  it('prints one SPEC whose connectionSpecification is a valid draft-07 schema using only known keywords', () => {
    expect(connection().$schema).toBe('http://json-schema.org/draft-07/schema#');
    // strictSchema rejects unknown keywords, so a typo like `airbyte_secrets` fails here.
    const ajv = new Ajv({ strictSchema: true, strictTypes: false, allErrors: true });
    addFormats(ajv);
    for (const keyword of AIRBYTE_SPEC_KEYWORDS) ajv.addKeyword(keyword);
    expect(() => ajv.compile(connection())).not.toThrow();
    expect(connection().type).toBe('object');
    expect(connection().required).toEqual(expect.arrayContaining(['domain', 'credentials']));
  });

  it('marks every secret field airbyte_secret, and every field named like a secret', () => {
    const found = new Map<string, unknown[]>();
    for (const { path, properties } of propertyMaps(connection())) {
      for (const [name, property] of Object.entries(properties)) {
        if (SECRET_FIELDS.includes(name) || SECRET_NAME.test(name)) {
          found.set(name, [...(found.get(name) ?? []), [path.join('.'), property.airbyte_secret]]);
        }
      }
    }
    for (const name of SECRET_FIELDS) expect(found.has(name)).toBe(true);
    const unmarked = [...found].flatMap(([name, places]) =>
      (places as [string, unknown][]).filter(([, secret]) => secret !== true).map(([at]) => `${at}.${name}`),
    );
    expect(unmarked).toEqual([]);
  });

  it('follows Airbyte oneOf rules: object options sharing one required const discriminator, no nested oneOf', () => {
    const oneOfs = [...schemaNodes(connection())].filter(({ node }) => Array.isArray(node.oneOf));
    expect(oneOfs.length).toBeGreaterThan(0);
    for (const { node, path } of oneOfs) {
      const where = path.join('.');
      expect([where, node.type]).toEqual([where, 'object']);
      const options = node.oneOf as Schema[];
      expect(options.length).toBeGreaterThan(1);
      for (const option of options) {
        expect([where, option.type]).toEqual([where, 'object']);
        expect(option.properties).toBeDefined();
        expect(option.properties).toHaveProperty('auth_type');
        const discriminator = (option.properties as Record<string, Schema>).auth_type!;
        expect(typeof discriminator.const).toBe('string');
        if ('default' in discriminator) expect(discriminator.default).toBe(discriminator.const);
        if ('enum' in discriminator) expect(discriminator.enum).toEqual([discriminator.const]);
        expect(option.required).toContain('auth_type');
        // No oneOf/anyOf inside an option: Airbyte's UI cannot render nested choices.
        const nested = [...schemaNodes(option)].filter(({ node: n }) => 'oneOf' in n || 'anyOf' in n);
        expect(nested.map(({ path: p }) => [where, ...p].join('.'))).toEqual([]);
      }
      // Exactly one common const property, with a distinct value per option.
      const common = Object.keys((options[0]!.properties ?? {}) as Schema).filter((name) =>
        options.every((o) => 'const' in (((o.properties ?? {}) as Record<string, Schema>)[name] ?? {})),
      );
      expect(common).toEqual(['auth_type']);
      const values = options.map((o) => (o.properties as Record<string, Schema>).auth_type!.const);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it('declares its groups, uses each, puts `group` only on top-level fields and never repeats an order', () => {
    const root = connection();
    const groups = (root.groups as { id: string; title?: string }[] | undefined) ?? [];
    const ids = groups.map((g) => g.id);
    expect(new Set(ids).size).toBe(ids.length);
    const top = root.properties as Record<string, Schema>;
    const used = new Set(
      Object.values(top).flatMap((p) => (p.group === undefined ? [] : [p.group as string])),
    );
    expect([...used].filter((g) => !ids.includes(g))).toEqual([]);
    expect(ids.filter((id) => !used.has(id))).toEqual([]);
    // Visible top-level fields all sit in a group when groups are used.
    const ungrouped = Object.entries(top).filter(([, p]) => !p.airbyte_hidden && p.group === undefined);
    expect(ungrouped.map(([name]) => name)).toEqual([]);
    const nestedGroup = propertyMaps(root)
      .filter(({ path }) => path.length > 0)
      .flatMap(({ path, properties }) =>
        Object.entries(properties)
          .filter(([, p]) => 'group' in p)
          .map(([name]) => [...path, name].join('.')),
      );
    expect(nestedGroup).toEqual([]);
    const duplicates: string[] = [];
    for (const { path, properties } of propertyMaps(root)) {
      const seen = new Map<string, string>();
      for (const [name, property] of Object.entries(properties)) {
        if (property.order === undefined) continue;
        expect(Number.isInteger(property.order)).toBe(true);
        const slot = `${String(property.group ?? '')}#${String(property.order)}`;
        if (seen.has(slot))
          duplicates.push(`${path.join('.')}: ${seen.get(slot)} and ${name} share order ${slot}`);
        seen.set(slot, name);
      }
    }
    expect(duplicates).toEqual([]);
  });
});

describe('check', () => {
  const statuses = (out: ConnectorRun) => out.messages.filter((m) => m.type === 'CONNECTION_STATUS');

  it('succeeds with a valid config', async () => {
    const out = await run(['check'], { config });
    expect(statuses(out)).toEqual([
      { type: 'CONNECTION_STATUS', connectionStatus: expect.objectContaining({ status: 'SUCCEEDED' }) },
    ]);
    expect(out.exitCode).toBe(0);
  });

  it('fails on invalid_config.json and names every problem in it', async () => {
    const out = await run(['check'], { config: readJson(FIXTURE_FILES.invalidConfig) });
    const [status] = statuses(out);
    expect(statuses(out)).toHaveLength(1);
    expect(status?.connectionStatus?.status).toBe('FAILED');
    const message = status?.connectionStatus?.message ?? '';
    for (const field of [
      'domain',
      'service_account_token',
      'service_account_email',
      'organization_admin_api_key',
      'start_date',
      'max_concurrency',
      'lookback_minutes',
      'jira.enabled',
    ]) {
      expect([field, message.includes(field)]).toEqual([field, true]);
    }
  });

  it('fails with a wrong token, says the token was rejected and never prints it', async () => {
    const wrong = 'ATSTT3x.wrong.token.check';
    const out = await run(['check'], {
      config: sim.connectorConfig({ credentials: { service_account_token: wrong } }),
    });
    const [status] = statuses(out);
    expect(statuses(out)).toHaveLength(1);
    expect(status?.connectionStatus?.status).toBe('FAILED');
    expect(status?.connectionStatus?.message).toMatch(/401|rejected/i);
    expect(out.stdout + out.stderr).not.toContain(wrong);
  });
});

describe('discover', () => {
  it('lists streams with unique names and schemas that are valid draft-07 and compile', () => {
    const names = catalog.streams.map((s) => s.name);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
    for (const stream of catalog.streams) {
      const ajv = new Ajv({ strict: false });
      addFormats(ajv);
      // The connector compiles these without checking them against the meta-schema: this is the check.
      expect([stream.name, ajv.validateSchema(stream.json_schema), ajv.errors]).toEqual([
        stream.name,
        true,
        null,
      ]);
      expect(() => ajv.compile(stream.json_schema)).not.toThrow();
      expect([stream.name, stream.json_schema.type]).toEqual([stream.name, 'object']);
    }
  });

  it('has primary keys and cursor fields that exist in each schema', () => {
    const missing: string[] = [];
    for (const stream of catalog.streams) {
      const pk = stream.source_defined_primary_key ?? [];
      if (pk.length === 0) missing.push(`${stream.name}: no primary key`);
      for (const path of pk)
        if (!schemaAt(stream.json_schema, path)) missing.push(`${stream.name}: pk ${path.join('.')}`);
      const cursor = stream.default_cursor_field;
      if (cursor && !schemaAt(stream.json_schema, cursor))
        missing.push(`${stream.name}: cursor ${cursor.join('.')}`);
    }
    expect(missing).toEqual([]);
  });

  it('declares sensible sync modes: full refresh always; a cursor if and only if incremental, source-defined', () => {
    for (const stream of catalog.streams) {
      const modes = stream.supported_sync_modes;
      expect([stream.name, modes]).toEqual([stream.name, expect.arrayContaining(['full_refresh'])]);
      const hasCursor = (stream.default_cursor_field ?? []).length > 0;
      expect([stream.name, hasCursor]).toEqual([stream.name, modes.includes('incremental')]);
      if (hasCursor) {
        expect([stream.name, stream.source_defined_cursor]).toEqual([stream.name, true]);
        const cursorSchema = schemaAt(stream.json_schema, stream.default_cursor_field!)!;
        expect([stream.name, cursorSchema.format]).toEqual([stream.name, 'date-time']);
      }
    }
  });
  it('keeps schemas open and within the JSON types destinations support (additionalProperties never false)', () => {
    const problems: string[] = [];
    for (const stream of catalog.streams) {
      for (const { node, path } of schemaNodes(stream.json_schema)) {
        // Nodes under `properties` are names, not schemas; `examples`/`enum` hold data.
        if (path.at(-1) === 'properties' || path.includes('examples') || path.includes('enum')) continue;
        if (node.additionalProperties === false) problems.push(`${stream.name} ${path.join('.')}: closed`);
        const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
        for (const type of types) {
          if (!JSON_TYPES.includes(type as string))
            problems.push(`${stream.name} ${path.join('.')}: type ${String(type)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('uses scalar primary key fields', () => {
    const problems: string[] = [];
    for (const stream of catalog.streams) {
      for (const path of stream.source_defined_primary_key ?? []) {
        const node = schemaAt(stream.json_schema, path) ?? {};
        const types = Array.isArray(node.type) ? node.type : [node.type];
        if (types.some((t) => t === 'object' || t === 'array' || t === undefined)) {
          problems.push(`${stream.name} ${path.join('.')}: ${JSON.stringify(node.type)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('agrees with the spec on incremental support and the destination modes the configured catalog uses', () => {
    expect(spec.supportsIncremental ?? false).toBe(incrementalStreams.length > 0);
    const modes = new Set(configured.streams.map((s) => s.destination_sync_mode));
    expect(spec.supported_destination_sync_modes).toEqual(expect.arrayContaining([...modes]));
  });
});

describe('basic read', () => {
  it('exits 0 and every record validates against its stream schema', () => {
    expect(firstRead.exitCode).toBe(0);
    expect(invalidRecords(firstRead.messages)).toEqual([]);
  });

  it('reads something from every stream on `small`, except the ones listed as possibly empty', () => {
    const empty = configured.streams
      .map((s) => s.stream.name)
      .filter((name) => records(firstRead.messages, name).length === 0 && !(name in MAY_BE_EMPTY_ON_SMALL));
    expect(empty).toEqual([]);
  });

  it('emits no top-level field its schema does not declare (CAT fail_on_extra_columns)', () => {
    const extra = new Set<string>();
    for (const m of firstRead.messages) {
      if (m.type !== 'RECORD' || !m.record) continue;
      const declared = (streamOf(m.record.stream).json_schema.properties ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(m.record.data))
        if (!(key in declared)) extra.add(`${m.record.stream}.${key}`);
    }
    expect([...extra]).toEqual([]);
  });

  it('never emits a record without its primary key', () => {
    const withoutKey = configured.streams.flatMap(({ stream }) =>
      records(firstRead.messages, stream.name)
        .filter((r) => (stream.source_defined_primary_key ?? []).some((p) => valueAt(r, p) == null))
        .map((r) => `${stream.name} ${JSON.stringify(r).slice(0, 120)}`),
    );
    expect(withoutKey).toEqual([]);
  });

  it('reports STARTED, then RUNNING, then COMPLETE for every stream, with its records in between', () => {
    for (const { stream } of configured.streams) {
      const events = firstRead.messages.flatMap((m, index) => {
        if (m.type === 'TRACE' && m.trace?.type === 'STREAM_STATUS') {
          const status = m.trace.stream_status!;
          return status.stream_descriptor.name === stream.name
            ? [{ index, status: status.status as string }]
            : [];
        }
        return [];
      });
      const sequence = events
        .map((e) => e.status)
        .filter((s, i, all) => s !== 'RUNNING' || all[i - 1] !== 'RUNNING');
      expect([stream.name, sequence]).toEqual([stream.name, ['STARTED', 'RUNNING', 'COMPLETE']]);
      const started = events[0]!.index;
      const complete = events.at(-1)!.index;
      const outside = firstRead.messages.filter(
        (m, i) => m.type === 'RECORD' && m.record?.stream === stream.name && (i < started || i > complete),
      );
      expect([stream.name, outside.length]).toEqual([stream.name, 0]);
    }
  });

  it('emits STREAM states with sourceStats.recordCount adding up to the records of each stream', () => {
    const states = firstRead.messages.filter((m) => m.type === 'STATE');
    expect(states.every((m) => m.state?.type === 'STREAM')).toBe(true);
    for (const { stream } of configured.streams) {
      const own = statesOf(firstRead.messages, stream.name).map(({ message }) => message.state!);
      expect([stream.name, own.length > 0]).toEqual([stream.name, true]);
      const counts = own.map((s) => s.sourceStats?.recordCount);
      expect([stream.name, counts.every((c) => typeof c === 'number')]).toEqual([stream.name, true]);
      const total = counts.reduce<number>((sum, c) => sum + (c ?? 0), 0);
      expect([stream.name, total]).toEqual([stream.name, records(firstRead.messages, stream.name).length]);
    }
  });
});

describe('read failure', () => {
  it('a read with a rejected token ends with a config_error TRACE and a non-zero exit, never printing the token', async () => {
    const wrong = 'ATSTT3x.wrong.token.read';
    const out = await run(['read'], {
      config: sim.connectorConfig({ credentials: { service_account_token: wrong } }),
      catalog: only(configured, [configured.streams[0]!.stream.name]),
    });
    expect(out.exitCode).not.toBe(0);
    const errors = out.messages.filter((m) => m.type === 'TRACE' && m.trace?.type === 'ERROR');
    expect(errors.map((m) => m.trace?.error?.failure_type)).toContain('config_error');
    expect(out.stdout + out.stderr).not.toContain(wrong);
  });
});

describe('full refresh', () => {
  it('reads the same primary keys twice in a row', async () => {
    const fullRefresh: ConfiguredAirbyteCatalog = {
      streams: configured.streams.map((s) => ({
        stream: s.stream,
        sync_mode: 'full_refresh',
        destination_sync_mode: 'overwrite',
        primary_key: s.primary_key ?? [],
      })),
    };
    const first = await run(['read'], { config: fastConfig, catalog: fullRefresh });
    const second = await run(['read'], { config: fastConfig, catalog: fullRefresh });
    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    for (const { stream } of fullRefresh.streams) {
      const a = [...keysOf(first.messages, stream.name)].sort();
      const b = [...keysOf(second.messages, stream.name)].sort();
      expect([stream.name, b]).toEqual([stream.name, a]);
      // And the full refresh covers exactly what the first (incremental, no state) sync found.
      expect([stream.name, a]).toEqual([stream.name, [...keysOf(firstRead.messages, stream.name)].sort()]);
    }
  }, 120_000);
});

describe('incremental', () => {
  it('a second read with the first read`s state emits only records within the lookback window, loses none, never moves a cursor back', async () => {
    const second = await run(['read'], {
      config,
      catalog: configured,
      state: statesAsInput(firstRead.messages),
    });
    expect(second.exitCode).toBe(0);
    expect(invalidRecords(second.messages)).toEqual([]);
    const report: Record<string, { first: number; second: number }> = {};
    for (const stream of incrementalStreams) {
      const again = records(second.messages, stream.name);
      const firstCount = records(firstRead.messages, stream.name).length;
      report[stream.name] = { first: firstCount, second: again.length };
      expect([stream.name, again.length <= firstCount]).toEqual([stream.name, true]);
      const cursorField = stream.default_cursor_field!;
      const firstState = lastStateOf(firstRead.messages, stream.name);
      const outsideWindow = again
        .filter((r) => {
          const cursor = stateCursorFor(firstState, cursorField, r);
          if (cursor === undefined) return true;
          const bound = Date.parse(cursor) - LOOKBACK_MINUTES * MINUTE - PRECISION_MS;
          return Date.parse(String(valueAt(r, cursorField))) < bound;
        })
        .map(
          (r) => `${pkOf(stream.name, r)} ${String(valueAt(r, cursorField))} (partition ${partitionOf(r)})`,
        );
      expect([stream.name, outsideWindow.slice(0, 10), outsideWindow.length]).toEqual([stream.name, [], 0]);
      // Nothing changed on the site, so nothing the first read had may be deleted by the second.
      const firstKeys = keysOf(firstRead.messages, stream.name);
      const tombstoned = again.filter((r) => isTombstone(r) && firstKeys.has(pkOf(stream.name, r)));
      expect([stream.name, tombstoned.map((r) => pkOf(stream.name, r))]).toEqual([stream.name, []]);
      // Cursors never move backwards between the reads.
      const before = cursorsIn(firstState, cursorField);
      const after = cursorsIn(lastStateOf(second.messages, stream.name), cursorField);
      const backwards = [...before]
        .filter(([key, cursor]) => !after.has(key) || Date.parse(after.get(key)!) < Date.parse(cursor))
        .map(([key, cursor]) => `${key}: ${cursor} -> ${after.get(key)}`);
      expect([stream.name, backwards]).toEqual([stream.name, []]);
    }
    // Full-refresh streams still read everything.
    for (const stream of catalog.streams.filter((s) => !isIncremental(s))) {
      expect([stream.name, [...keysOf(second.messages, stream.name)].sort()]).toEqual([
        stream.name,
        [...keysOf(firstRead.messages, stream.name)].sort(),
      ]);
    }
    expect(Object.keys(report).sort()).toEqual(incrementalStreams.map((s) => s.name).sort());
  }, 120_000);

  it('never moves a partition cursor backwards within a read', () => {
    for (const stream of incrementalStreams) {
      const latest = new Map<string, number>();
      const backwards: string[] = [];
      for (const { message } of statesOf(firstRead.messages, stream.name)) {
        for (const [key, cursor] of cursorsIn(
          message.state?.stream?.stream_state,
          stream.default_cursor_field!,
        )) {
          const time = Date.parse(cursor);
          if (time < (latest.get(key) ?? -Infinity)) backwards.push(`${key}: ${cursor}`);
          latest.set(key, Math.max(time, latest.get(key) ?? -Infinity));
        }
      }
      expect([stream.name, backwards]).toEqual([stream.name, []]);
    }
  });

  it('resuming from every intermediate checkpoint of a first read covers every record of a full read', async () => {
    const catalogIncremental = only(
      configured,
      incrementalStreams.map((s) => s.name),
    );
    const first = await run(['read'], { config: fastConfig, catalog: catalogIncremental });
    expect(first.exitCode).toBe(0);
    const gaps: string[] = [];
    let resumed = 0;
    let intermediate = 0;
    for (const stream of incrementalStreams) {
      const all = keysOf(first.messages, stream.name);
      const seenStates = new Set<string>();
      const checkpoints = statesOf(first.messages, stream.name).filter(({ message }) => {
        const text = JSON.stringify(message.state?.stream?.stream_state);
        if (seenStates.has(text)) return false;
        seenStates.add(text);
        return true;
      });
      expect([stream.name, checkpoints.length > 0]).toEqual([stream.name, true]);
      for (const { index, message } of checkpoints) {
        const before = keysOf(first.messages.slice(0, index), stream.name);
        const out = await run(['read'], {
          config: fastConfig,
          catalog: only(catalogIncremental, [stream.name]),
          state: [{ type: 'STREAM', stream: message.state!.stream }],
        });
        resumed++;
        if (out.exitCode !== 0) gaps.push(`${stream.name} from state #${index}: exit ${out.exitCode}`);
        const after = keysOf(out.messages, stream.name);
        const resumedCursors = cursorsIn(
          lastStateOf(out.messages, stream.name),
          stream.default_cursor_field!,
        );
        for (const [key, cursor] of cursorsIn(
          message.state?.stream?.stream_state,
          stream.default_cursor_field!,
        )) {
          const now = resumedCursors.get(key);
          if (!now || Date.parse(now) < Date.parse(cursor)) {
            gaps.push(
              `${stream.name} from the state at line ${index + 1}: cursor of ${key} ${cursor} -> ${now}`,
            );
          }
        }
        const lost = [...all].filter((key) => !before.has(key) && !after.has(key));
        if (before.size < all.size) intermediate++;
        // A partitioned state resumes where it stopped: what was checkpointed is not read again in full.
        if (isPartitioned(message.state?.stream?.stream_state) && before.size > 0 && after.size >= all.size) {
          gaps.push(
            `${stream.name} from the state at line ${index + 1}: restarted (${after.size} of ${all.size} read again)`,
          );
        }
        if (lost.length > 0) {
          gaps.push(
            `${stream.name} from the state at line ${index + 1}: ${lost.length} lost, e.g. ${lost.slice(0, 3).join(', ')}`,
          );
        }
      }
    }
    expect(gaps).toEqual([]);
    expect(resumed).toBeGreaterThanOrEqual(incrementalStreams.length);
    // Checkpoints in the middle of a stream were exercised, not only the final ones.
    expect(intermediate).toBeGreaterThanOrEqual(incrementalStreams.length);
  }, 180_000);

  it('reads nothing from incremental streams given abnormal_state.json (cursors far in the future)', async () => {
    const abnormal = readJson(FIXTURE_FILES.abnormalState) as {
      stream: { stream_descriptor: { name: string }; stream_state: unknown };
    }[];
    // The file covers every incremental stream and every partition the connector checkpoints on this site.
    expect(abnormal.map((s) => s.stream.stream_descriptor.name).sort()).toEqual(
      incrementalStreams.map((s) => s.name).sort(),
    );
    for (const stream of incrementalStreams) {
      const inFile = abnormal.find((s) => s.stream.stream_descriptor.name === stream.name)!;
      const cursorField = stream.default_cursor_field!;
      const future = cursorsIn(inFile.stream.stream_state, cursorField);
      const missing = [...cursorsIn(lastStateOf(firstRead.messages, stream.name), cursorField).keys()].filter(
        (key) => !future.has(key),
      );
      expect([stream.name, missing]).toEqual([stream.name, []]);
      expect([
        stream.name,
        [...future.values()].every((c) => Date.parse(c) > Date.parse('2900-01-01')),
      ]).toEqual([stream.name, true]);
    }
    const out = await run(['read'], {
      config: fastConfig,
      catalog: only(
        configured,
        incrementalStreams.map((s) => s.name),
      ),
      state: abnormal,
    });
    expect(out.exitCode).toBe(0);
    const counts = Object.fromEntries(
      incrementalStreams.map((s) => [s.name, records(out.messages, s.name).length]),
    );
    expect(counts).toEqual(Object.fromEntries(incrementalStreams.map((s) => [s.name, 0])));
  }, 60_000);
});

describe('after changes on the site', () => {
  it('emits tombstones that validate against the stream schema, and the records created since', async () => {
    const page = records(firstRead.messages, 'confluence_pages').find((p) => !isTombstone(p));
    const issue = records(firstRead.messages, 'jira_issues').find(
      (i) => !isTombstone(i) && Array.isArray(i.subtask_ids) && i.subtask_ids.length === 0,
    );
    expect([page?.id, issue?.id]).toEqual([expect.anything(), expect.anything()]);
    const jira = sim.control.jira as unknown as { deleteIssue(o: { issue: string }): { deleted: string[] } };
    sim.control.confluence.trashPage(String(page!.id));
    const deleted = jira.deleteIssue({ issue: String(issue!.id) }).deleted.map(String);
    const created = sim.control.confluence.createPage({
      spaceId: String(page!.space_id),
      title: 'Created between two acceptance syncs',
    });
    const out = await run(['read'], {
      config: fastConfig,
      catalog: configured,
      state: statesAsInput(firstRead.messages),
    });
    expect(out.exitCode).toBe(0);
    expect(invalidRecords(out.messages)).toEqual([]);
    const tombstones = out.messages.flatMap((m) =>
      m.type === 'RECORD' && m.record && isTombstone(m.record.data) ? [m.record] : [],
    );
    const tombstoned = (stream: string) =>
      tombstones.filter((t) => t.stream === stream).map((t) => String(t.data.id));
    expect(tombstoned('confluence_pages')).toContain(String(page!.id));
    expect(tombstoned('jira_issues')).toEqual(expect.arrayContaining(deleted));
    for (const t of tombstones) {
      expect([t.stream, Number.isNaN(Date.parse(String(t.data._ab_cdc_deleted_at)))]).toEqual([
        t.stream,
        false,
      ]);
    }
    const live = records(out.messages, 'confluence_pages').filter((r) => !isTombstone(r));
    expect(live.map((r) => String(r.id))).toContain(String(created.id));
  }, 60_000);
});

describe('secrets', () => {
  it('no credential appears in any output of the whole suite', () => {
    const secrets = [
      sim.credentials.serviceAccountToken,
      sim.credentials.oauthClientSecret,
      sim.credentials.userApiToken,
      sim.credentials.orgAdminApiKey,
    ];
    expect(runs.length).toBeGreaterThan(5);
    for (const out of runs)
      for (const secret of secrets) expect(out.stdout + out.stderr).not.toContain(secret);
  });

  it('made only GET requests, besides the read-only search/bulk POSTs and the OAuth token exchange', () => {
    const writes = sim
      .requests()
      .filter(
        (r) => r.method !== 'GET' && !(r.method === 'POST' && READ_ONLY_POSTS.some((p) => p.test(r.path))),
      )
      .map((r) => `${r.method} ${r.path}`);
    expect([...new Set(writes)]).toEqual([]);
    expect(sim.requests().length).toBeGreaterThan(0);
  });
});

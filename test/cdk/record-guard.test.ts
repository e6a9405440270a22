// Records that break their stream's schema are emitted with the offending fields nulled, flagged in
// meta.changes, and logged — never passed through to a typed destination as they came.
import { runSource } from '../helpers/run-connector';
import type { Source } from '../../src/cdk/source';
import type { Stream } from '../../src/cdk/stream';

const schema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    summary: { type: ['null', 'string'] },
    labels: { type: ['null', 'array'], items: { type: 'string' } },
  },
};

function sourceOf(records: Record<string, unknown>[]): Source<Record<string, unknown>> {
  const stream: Stream = {
    name: 'issues',
    jsonSchema: schema,
    primaryKey: [['id']],
    async *read() {
      for (const data of records) yield { type: 'record', data };
    },
  };
  return {
    spec: () => ({ connectionSpecification: { type: 'object', properties: {} } }),
    validateConfig: (raw) => raw as Record<string, unknown>,
    check: async () => ({ status: 'SUCCEEDED' }),
    streams: () => [stream],
  };
}

const catalog = {
  streams: [
    {
      stream: { name: 'issues', json_schema: schema, supported_sync_modes: ['full_refresh'] },
      sync_mode: 'full_refresh',
      destination_sync_mode: 'overwrite',
    },
  ],
};

test('a field of the wrong type is nulled, flagged in meta.changes and warned about', async () => {
  const run = await runSource(
    sourceOf([
      { id: '1', summary: 12345, labels: 'not-an-array' },
      { id: '2', summary: 'ok', labels: ['a'] },
    ]),
    ['read'],
    {
      config: {},
      catalog,
    },
  );
  expect(run.exitCode).toBe(0);
  const records = run.messages.filter((m) => m.type === 'RECORD').map((m) => m.record!);
  expect(records[0]!.data).toEqual({ id: '1', summary: null, labels: null });
  expect(records[0]!.meta?.changes).toEqual([
    { field: 'summary', change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' },
    { field: 'labels', change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' },
  ]);
  expect(records[1]!.data).toEqual({ id: '2', summary: 'ok', labels: ['a'] });
  expect(records[1]!.meta).toBeUndefined();
  const warnings = run.messages
    .filter((m) => m.type === 'LOG' && m.log!.level === 'WARN')
    .map((m) => m.log!.message);
  expect(warnings.some((w) => w.includes('"1"') && w.includes('summary, labels'))).toBe(true);
});

// A small warehouse loader with the semantics of Airbyte's destinations (Destinations V2 typing and
// deduping), enough to prove that our primary keys, cursors and tombstones load as users expect. Not a
// product feature: one table per stream, the key columns as text, the record as `_airbyte_data jsonb`.
//
// - incremental + append_dedup: per primary key the latest record wins, "latest" ordered as Airbyte does:
//   cursor value descending (nulls last), then extraction order. A winner with a non-null
//   `_ab_cdc_deleted_at` deletes the row (CDC deletes apply whatever the stored row's cursor); any other
//   winner is upserted unless the stored row has a newer cursor.
// - full_refresh + overwrite: the table is replaced by this sync's records, deduplicated the same way and
//   without tombstoned keys.
//
// One transaction per sync: a read is loaded whole or not at all. Airbyte commits at STATE checkpoints so
// an interrupted sync keeps what was checkpointed; the tests load only complete reads, where committing at
// each checkpoint and once at the end leave the same tables.
import type { Client } from 'pg';
import type {
  AirbyteMessage,
  ConfiguredAirbyteCatalog,
  ConfiguredAirbyteStream,
} from '../../src/generated/protocol';

type Json = Record<string, unknown>;

/** Rows per INSERT statement (one jsonb parameter each). */
const CHUNK = 1000;

export interface StreamLoad {
  /** RECORD messages of the stream in this sync. */
  records: number;
  /** Records that lost to a later record with the same key in the same sync. */
  superseded: number;
  /** Keys whose latest record was a tombstone. */
  tombstones: number;
  /** Rows in the table after the load. */
  rows: number;
}

export interface LoadOptions {
  catalog: ConfiguredAirbyteCatalog;
  messages: AirbyteMessage[];
}

interface Candidate {
  key: string[];
  data: Json;
  emittedAt: number;
  cursor: number | string | null;
  seq: number;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
/** Table column for a key path: the path joined with `_` (`["id"]` -> `id`). */
export const keyColumn = (path: string[]): string => path.join('_');

function valueAt(data: Json, path: string[]): unknown {
  let node: unknown = data;
  for (const key of path) node = node && typeof node === 'object' ? (node as Json)[key] : undefined;
  return node;
}

const keyText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Postgres text and jsonb cannot hold U+0000; Airbyte's Postgres destination drops it too. */
const withoutNul = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? value.replaceAll('\u0000', '') : value;

/** Cursor values compare as instants when the schema says date-time, else as they are. */
function cursorValue(value: unknown, dateTime: boolean): number | string | null {
  if (value === null || value === undefined) return null;
  if (dateTime) {
    const ms = Date.parse(String(value));
    if (Number.isNaN(ms)) throw new Error(`cursor value ${JSON.stringify(value)} is not a date-time`);
    return ms;
  }
  return typeof value === 'number' ? value : String(value);
}

/** true when a is the later record: cursor descending with nulls last, then the later extraction. */
function later(a: Candidate, b: Candidate): boolean {
  if (a.cursor !== b.cursor) {
    if (a.cursor === null) return false;
    if (b.cursor === null) return true;
    return a.cursor > b.cursor;
  }
  return a.seq > b.seq;
}

/** The JSON-schema `format` of a stream's cursor field, if any. */
function cursorFormat(target: ConfiguredAirbyteStream): unknown {
  const node = (target.cursor_field ?? []).reduce<Json | undefined>(
    (schema, key) => (schema?.properties as Record<string, Json> | undefined)?.[key],
    target.stream.json_schema,
  );
  return node?.format;
}

const isTombstone = (data: Json): boolean =>
  data._ab_cdc_deleted_at !== undefined && data._ab_cdc_deleted_at !== null;

async function ensureTable(db: Client, table: string, keyColumns: string[]): Promise<void> {
  const columns = keyColumns.map((c) => `${quote(c)} text NOT NULL`).join(', ');
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${quote(table)} (${columns}, _airbyte_data jsonb NOT NULL, ` +
      `_airbyte_extracted_at timestamptz NOT NULL, PRIMARY KEY (${keyColumns.map(quote).join(', ')}))`,
  );
}

/**
 * Applies one `read`'s messages to the warehouse, in one transaction. Every RECORD must belong to a
 * configured stream and carry its whole primary key (Airbyte fails the sync otherwise).
 */
export async function loadSync(db: Client, options: LoadOptions): Promise<Record<string, StreamLoad>> {
  const configured = new Map(options.catalog.streams.map((s) => [s.stream.name, s]));
  const winners = new Map<string, Map<string, Candidate>>();
  const stats: Record<string, StreamLoad> = {};
  for (const name of configured.keys()) {
    winners.set(name, new Map());
    stats[name] = { records: 0, superseded: 0, tombstones: 0, rows: 0 };
  }

  let seq = 0;
  for (const message of options.messages) {
    if (message.type !== 'RECORD' || !message.record) continue;
    const { stream, data, emitted_at: emittedAt } = message.record;
    const target = configured.get(stream);
    if (!target) throw new Error(`RECORD for stream ${stream}, which the catalog does not configure`);
    const primaryKey = target.primary_key ?? target.stream.source_defined_primary_key ?? [];
    if (primaryKey.length === 0) throw new Error(`stream ${stream} has no primary key to deduplicate on`);
    const key = primaryKey.map((path) => {
      const value = valueAt(data, path);
      if (value === null || value === undefined)
        throw new Error(`${stream} record without primary key ${path.join('.')}: ${JSON.stringify(data)}`);
      return keyText(value);
    });
    const cursorField = target.sync_mode === 'incremental' ? (target.cursor_field ?? []) : [];
    const candidate: Candidate = {
      key,
      data,
      emittedAt,
      seq: seq++,
      cursor:
        cursorField.length > 0
          ? cursorValue(valueAt(data, cursorField), cursorFormat(target) === 'date-time')
          : null,
    };
    const byKey = winners.get(stream)!;
    const id = JSON.stringify(key);
    const previous = byKey.get(id);
    stats[stream]!.records++;
    if (previous) stats[stream]!.superseded++;
    if (!previous || later(candidate, previous)) byKey.set(id, candidate);
  }

  await db.query('BEGIN');
  try {
    for (const [name, target] of configured) {
      const primaryKey = target.primary_key ?? target.stream.source_defined_primary_key ?? [];
      const keyColumns = primaryKey.map(keyColumn);
      const all = [...winners.get(name)!.values()];
      const live = all.filter((c) => !isTombstone(c.data));
      const deleted = all.filter((c) => isTombstone(c.data));
      stats[name]!.tombstones = deleted.length;
      const overwrite = target.destination_sync_mode === 'overwrite';
      const dedup = target.destination_sync_mode === 'append_dedup';
      if (!overwrite && !dedup)
        throw new Error(`${name}: destination_sync_mode ${target.destination_sync_mode} is not supported`);
      // Overwrite: build the replacement beside the old table, swap at the end of the transaction.
      const table = overwrite ? `${name}__airbyte_tmp` : name;
      if (overwrite) await db.query(`DROP TABLE IF EXISTS ${quote(table)}`);
      await ensureTable(db, table, keyColumns);
      const keyList = keyColumns.map(quote).join(', ');
      const keyMatch = keyColumns.map((c, i) => `t.${quote(c)} = d.k->>${i}`).join(' AND ');

      if (dedup && deleted.length > 0) {
        for (let i = 0; i < deleted.length; i += CHUNK) {
          const keys = JSON.stringify(deleted.slice(i, i + CHUNK).map((c) => c.key));
          await db.query(
            `DELETE FROM ${quote(table)} t USING jsonb_array_elements($1::jsonb) AS d(k) WHERE ${keyMatch}`,
            [keys],
          );
        }
      }

      // A stored row stays when its cursor is newer than the incoming record's (Airbyte orders by cursor
      // first, extraction time second).
      const cursorField = target.sync_mode === 'incremental' ? (target.cursor_field ?? []) : [];
      const cursorPath = `'{${cursorField.join(',')}}'`;
      const cast = cursorFormat(target) === 'date-time' ? '::timestamptz' : '';
      const cursorOf = (alias: string) => `(${alias}._airbyte_data #>> ${cursorPath})${cast}`;
      const keepNewer =
        dedup && cursorField.length > 0
          ? ` WHERE ${cursorOf('EXCLUDED')} IS NOT NULL AND (${cursorOf('s')} IS NULL OR ` +
            `${cursorOf('EXCLUDED')} >= ${cursorOf('s')}) OR ${cursorOf('EXCLUDED')} IS NULL AND ${cursorOf('s')} IS NULL`
          : '';
      for (let i = 0; i < live.length; i += CHUNK) {
        const rows = JSON.stringify(
          live.slice(i, i + CHUNK).map((c) => ({ k: c.key, d: c.data, e: c.emittedAt })),
          withoutNul,
        );
        const keyValues = keyColumns.map((_, j) => `r->'k'->>${j}`).join(', ');
        await db.query(
          `INSERT INTO ${quote(table)} AS s (${keyList}, _airbyte_data, _airbyte_extracted_at) ` +
            `SELECT ${keyValues}, r->'d', to_timestamp((r->>'e')::double precision / 1000) ` +
            `FROM jsonb_array_elements($1::jsonb) AS x(r) ` +
            `ON CONFLICT (${keyList}) DO UPDATE SET _airbyte_data = EXCLUDED._airbyte_data, ` +
            `_airbyte_extracted_at = EXCLUDED._airbyte_extracted_at${keepNewer}`,
          [rows],
        );
      }
      if (overwrite) {
        await db.query(`DROP TABLE IF EXISTS ${quote(name)}`);
        await db.query(`ALTER TABLE ${quote(table)} RENAME TO ${quote(name)}`);
        // The key's index keeps the temporary name otherwise, and the next sync's temporary table needs it.
        await db.query(`ALTER INDEX ${quote(`${table}_pkey`)} RENAME TO ${quote(`${name}_pkey`)}`);
      }
      const count = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(name)}`);
      stats[name]!.rows = Number(count.rows[0]!.n);
    }
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
  return stats;
}

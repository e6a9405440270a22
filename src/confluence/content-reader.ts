// The shared traversal of the Confluence content streams (pages, blog posts, comments, attachments):
// one partition per selected space, read through v1 CQL `content/search` so that one request returns
// body, labels, ancestors, version, history and container together (v2 lists have no labels or
// ancestors). Incremental reads ask for `lastmodified >= cursor - lookback` in the account's time zone,
// oldest first. Deletions come from an id sweep compared with the previous sync's IdDigest (of the ids
// created before that sync, so that creations since do not crowd the difference).
import type { Logger, RecordData, Stream } from '../cdk/stream';
import type { AtlassianSite, StreamDeps } from '../atlassian/site';
import { confluenceCursorPages } from '../atlassian/pagination';
import {
  parsePartitionedState,
  readPartitioned,
  type PartitionCheckpoint,
  type PartitionItem,
} from '../cdk/partitioned';
import { IdDigest } from '../cdk/id-digest';
import { readAhead } from '../cdk/read-ahead';
import { withEstimate } from '../cdk/estimate';
import { subtractMinutes, maxCursor } from '../cdk/cursor';
import { loadSchema } from '../schemas';
import { selectedSpaces, skipReason, spaceFilter, type SpaceV2 } from './spaces';
import { cqlDate, cqlString, spaceContentCql, type ContentType } from './cql';
import { mentionNamesOf, type MentionNames } from './mention-names';

/** A v1 content item with the expands we ask for (reference/atlassian/confluence-v1.openapi.json `Content`). */
export interface V1Content {
  id: string;
  type: string;
  status?: string;
  title?: string;
  space?: { id?: number | string; key?: string; type?: string; status?: string };
  history?: { createdBy?: { accountId?: string }; createdDate?: string; ownedBy?: { accountId?: string } };
  version?: { by?: { accountId?: string }; when?: string; number?: number };
  ancestors?: { id: string; type?: string }[];
  container?: { id?: string | number; type?: string };
  body?: { storage?: { value?: string } };
  metadata?: { labels?: { results?: { name?: string }[] } };
  extensions?: Record<string, unknown>;
  _links?: { webui?: string; download?: string };
}

export interface ReadEnv {
  site: AtlassianSite;
  deps: StreamDeps;
  logger: Logger;
  signal: AbortSignal;
  /** Display names of people mentioned in bodies, filled by `resolveMentions` per result page. */
  names: MentionNames;
  /** Per-read memo for data a stream loads once and shares across spaces (e.g. the reply index). */
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export interface ContentStreamSpec {
  name: string;
  /** See Stream.startFirst: the streams with the most requests start first. */
  startFirst?: number;
  type: ContentType;
  /** v1 expands the mapping needs. */
  expand: string[];
  /** Runs once per result page before its items are mapped (batch lookups, e.g. mentioned users). */
  preparePage?(items: V1Content[], env: ReadEnv): Promise<void>;
  /** Turns one search result into a record; may do I/O (attachment text). */
  map(item: V1Content, space: SpaceV2, env: ReadEnv): RecordData | Promise<RecordData>;
}

/** `page_size.confluence`, 250 by default; the server clamps it to its maximum (50 with bodies, 100 without). */
export const pageLimit = (env: Pick<ReadEnv, 'deps'>): number => env.deps.config.page_size?.confluence ?? 250;

/** The calling account's time zone, which CQL dates are read in (v1 `user/current`). */
async function accountTimeZone(site: AtlassianSite, signal: AbortSignal): Promise<string> {
  const me = await site.confluence.get<{ timeZone?: string }>('/wiki/rest/api/user/current', { signal });
  const zone = me.timeZone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

async function* search(
  env: ReadEnv,
  cql: string,
  expand: string[],
  includeArchived: boolean,
): AsyncGenerator<V1Content[]> {
  const params: Record<string, string | number | string[]> = { cql, limit: pageLimit(env) };
  if (expand.length > 0) params.expand = expand.join(',');
  if (includeArchived) params.includeArchivedSpaces = 'true';
  yield* confluenceCursorPages<V1Content>(env.site.confluence, '/wiki/rest/api/content/search', {
    params,
    signal: env.signal,
  });
}

/**
 * Result pages with their preparation (mention lookups) started as each arrives. Up to PREPARE_AHEAD pages
 * are fetched while the oldest waits: a lookup waits up to MentionNames' gathering window plus its own
 * round trip, a few page fetches' worth, and the space's chain should not stand still meanwhile. Two, not
 * more: in a full sync every chain of every content stream holds that many pages (three: bench full sync
 * peak RSS +25 MB for no gain in time; comments alone 16.8 s with one, 14.9 s with two, 14.2 s with three).
 */
function prepared(
  env: ReadEnv,
  spec: ContentStreamSpec,
  pages: AsyncIterable<V1Content[]>,
): AsyncGenerator<{ page: V1Content[]; ready: Promise<void> }> {
  return readAhead(
    (async function* () {
      for await (const page of pages) {
        const ready = spec.preparePage?.(page, env) ?? Promise.resolve();
        ready.catch(() => {}); // awaited in turn by the reader
        yield { page, ready };
      }
    })(),
    PREPARE_AHEAD,
  );
}

const PREPARE_AHEAD = 2;

export interface PartitionPlan {
  /** Lower bound of the CQL query, as an ISO instant, or undefined for a full read of the space. */
  since?: string;
}

/** Where a partition read starts: its cursor minus the lookback, else start_date, else everything. */
export function planPartition(options: {
  checkpoint?: PartitionCheckpoint;
  lookbackMinutes: number;
  startDate?: string;
  incremental: boolean;
}): PartitionPlan {
  if (!options.incremental) return {};
  const cursor = options.checkpoint?.cursor;
  if (cursor) return { since: subtractMinutes(cursor, options.lookbackMinutes) };
  return options.startDate ? { since: new Date(options.startDate).toISOString() } : {};
}

export function tombstone(
  id: string,
  spaceId: string,
  cloudId: string,
  cursor: string | undefined,
  now: string,
): RecordData {
  return { id, space_id: spaceId, cloud_id: cloudId, updated_at: cursor ?? now, _ab_cdc_deleted_at: now };
}

export function contentStream(deps: StreamDeps, spec: ContentStreamSpec): Stream {
  return {
    name: spec.name,
    startFirst: spec.startFirst,
    jsonSchema: loadSchema(spec.name),
    primaryKey: [['id']],
    cursorField: ['updated_at'],
    async *read(context) {
      const site = await deps.site();
      const config = deps.config;
      const includeArchived = config.confluence?.include_archived_spaces ?? false;
      const incremental = context.syncMode === 'incremental';
      const memo = new Map<string, Promise<unknown>>();
      const env: ReadEnv = {
        site,
        deps,
        logger: context.logger,
        signal: context.signal,
        names: mentionNamesOf(deps),
        once: <T>(key: string, load: () => Promise<T>) => {
          if (!memo.has(key)) memo.set(key, load());
          return memo.get(key) as Promise<T>;
        },
      };
      let zone: Promise<string> | undefined;
      const timeZone = () => (zone ??= accountTimeZone(site, context.signal));

      const readSpace = async function* (
        space: SpaceV2,
        checkpoint: PartitionCheckpoint | undefined,
      ): AsyncGenerator<PartitionItem> {
        const plan = planPartition({
          checkpoint,
          lookbackMinutes: config.lookback_minutes ?? 5,
          startDate: config.start_date,
          incremental,
        });
        const spaceId = String(space.id);
        const since = plan.since ? cqlDate(plan.since, await timeZone()) : undefined;
        const cql = spaceContentCql({ spaceKey: space.key, type: spec.type, since });
        // A full read of the space doubles as the id sweep; an incremental one sweeps separately below.
        let newest = checkpoint?.cursor;
        const emitted = new Map<string, number | undefined>(); // id -> created (epoch millis)
        const emit = async (item: V1Content): Promise<PartitionItem> => {
          const record = await spec.map(item, space, env);
          newest = maxCursor(newest, record.updated_at as string | undefined);
          emitted.set(String(item.id), createdMillis(record.created_at));
          return { record };
        };
        for await (const { page, ready } of prepared(
          env,
          spec,
          search(env, cql, spec.expand, includeArchived),
        )) {
          await ready;
          for (const item of page) yield await emit(item);
        }
        if (!incremental) return;
        // The digest boundary: after everything emitted was created (by Atlassian's clock, which may run
        // ahead of ours), so that each record emitted is in the digest and its deletion is found next time.
        // Never below the previous boundary either: an id the previous digest holds must stay in this one
        // while it exists, or its deletion goes unnoticed (a fast clock's creation that is no longer in the
        // lookback window, while our clock is still behind its creation time).
        const previousBoundary = createdMillis(checkpoint?.digest_before);
        let boundary = Math.max(Date.now(), previousBoundary ?? -Infinity);
        for (const created of emitted.values())
          if (created !== undefined && created >= boundary) boundary = created + 1;
        // Id sweep: every id currently visible in the space, with its creation time, and every id emitted
        // (one deleted since it was read is then named by the next sync). A full read is its own sweep.
        const current = plan.since ? new Map(emitted) : emitted;
        if (plan.since) {
          const all = spaceContentCql({ spaceKey: space.key, type: spec.type });
          for await (const page of search(env, all, ['history'], includeArchived))
            for (const item of page) current.set(String(item.id), createdMillis(item.history?.createdDate));
        }
        // Each digest holds the ids created before its boundary, and the previous one is compared with the
        // ids present now that were created before the same boundary: the difference is what was deleted,
        // moved out or hidden since (or became visible), never what was created, so it stays decodable
        // however busy the space is. (A digest saved before boundaries existed holds every id.)
        const digestOf = (cells: number, before: number) => {
          const digest = IdDigest.empty(cells);
          for (const [id, created] of current) if ((created ?? -Infinity) < before) digest.add(id);
          return digest;
        };
        const fresh = digestOf(digestCells(current.size), boundary);
        const previous = typeof checkpoint?.digest === 'string' ? safeParse(checkpoint.digest) : undefined;
        if (previous) {
          const diff = previous.diff(digestOf(previous.cellCount, previousBoundary ?? Infinity));
          if (diff) {
            // Newly visible without a new version (a read restriction lifted): not in the CQL window, fetch them.
            const appeared = diff.onlyInB.filter((id) => !emitted.has(id));
            for (const batch of chunks(appeared, 50)) {
              const byId = `${spaceContentCql({ spaceKey: space.key, type: spec.type }).replace(/ order by.*$/, '')} and id in (${batch.map(cqlString).join(', ')})`;
              for await (const { page, ready } of prepared(
                env,
                spec,
                search(env, byId, spec.expand, includeArchived),
              )) {
                await ready;
                for (const item of page) yield await emit(item);
              }
            }
            const now = new Date().toISOString();
            const movedToSelected = await stillSelected(env, spec.type, diff.onlyInA, space.key);
            for (const id of diff.onlyInA) {
              if (!movedToSelected.has(id))
                yield { record: tombstone(id, spaceId, site.cloudId, newest, now) };
            }
          } else {
            context.logger.warn(
              `${spec.name}: too many removals in space ${space.key} to name them from the deletion digest; ` +
                'run a full refresh to drop them.',
            );
          }
        }
        yield {
          checkpoint: {
            ...(newest ? { cursor: newest } : {}),
            digest: fresh.serialize(),
            digest_before: new Date(boundary).toISOString(),
          },
        };
      };

      // The space list is small (one entry per space): collect it so a cheap count can go out first.
      const spaces: SpaceV2[] = [];
      for await (const space of selectedSpaces({
        site,
        config,
        logger: context.logger,
        signal: context.signal,
      })) {
        spaces.push(space);
      }
      const previous = parsePartitionedState(incremental ? context.state : undefined, spec.name).partitions;
      const fresh = Object.keys(previous).length === 0;
      if (incremental) {
        // Spaces gone since the last sync (deleted, excluded, archived, access lost): their partitions leave
        // the state, so their documents become tombstones now — when the old digest alone can name them.
        const current = new Set(spaces.map((x) => String(x.id)));
        const now = new Date().toISOString();
        for (const [key, checkpoint] of Object.entries(previous)) {
          if (current.has(key)) continue;
          const ids = typeof checkpoint.digest === 'string' ? idsOf(checkpoint.digest) : [];
          if (ids === undefined) {
            context.logger.warn(
              `${spec.name}: space ${key} is no longer read (deleted, excluded or not visible); its documents ` +
                'are too many to name from the deletion digest: run a full refresh to drop them.',
            );
            continue;
          }
          for (const id of ids) {
            yield { type: 'record', data: tombstone(id, key, site.cloudId, checkpoint.cursor, now) };
          }
        }
      }
      const events = readPartitioned<SpaceV2>({
        partitions: spaces,
        key: (space) => String(space.id),
        read: (space, checkpoint) => readSpace(space, checkpoint),
        state: incremental ? context.state : undefined,
        cursorField: incremental ? 'updated_at' : undefined,
        concurrency: config.max_concurrency ?? 4,
        checkpointEvery: 500,
        signal: context.signal,
        stream: spec.name,
      });
      yield* fresh ? withEstimate(events, estimate(env, spec.type, spaces, includeArchived)) : events;
    },
  };
}

/** Max spaces named in one counting query (CQL length stays well under URL limits). */
const ESTIMATE_MAX_SPACES = 100;

/**
 * How many items a full read will emit: one `search` request with `limit=1` reads `totalSize`
 * (ENDPOINTS.md §2.2). Skipped for very many spaces, and best effort: a failure only loses the estimate.
 */
async function estimate(
  env: ReadEnv,
  type: ContentType,
  spaces: SpaceV2[],
  includeArchived: boolean,
): Promise<number | undefined> {
  if (spaces.length === 0 || spaces.length > ESTIMATE_MAX_SPACES) return undefined;
  const cql = `type = ${type} and space in (${spaces.map((x) => cqlString(x.key)).join(', ')})`;
  try {
    const found = await env.site.confluence.get<{ totalSize?: number }>('/wiki/rest/api/search', {
      params: { cql, limit: 1, ...(includeArchived ? { includeArchivedSpaces: 'true' } : {}) },
      signal: env.signal,
    });
    return typeof found.totalSize === 'number' ? found.totalSize : undefined;
  } catch (error) {
    if (env.signal.aborted) throw error;
    env.logger.debug(`No estimate for ${type}s: ${(error as Error).message}`);
    return undefined;
  }
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Of ids gone from space `fromKey`, those now in another selected space (a move between included spaces):
 * the other partition emits them, so a tombstone here would race with the live record.
 */
async function stillSelected(
  env: ReadEnv,
  type: ContentType,
  ids: string[],
  fromKey: string,
): Promise<Set<string>> {
  const found = new Set<string>();
  const filter = spaceFilter(env.deps.config);
  for (const batch of chunks(ids, 100)) {
    const cql = `type = ${type} and id in (${batch.map(cqlString).join(', ')})`;
    for await (const page of search(env, cql, ['space'], filter.includeArchived)) {
      for (const item of page) {
        const s = item.space;
        if (!s?.key || s.key === fromKey) continue;
        const asSpace: SpaceV2 = { id: String(s.id), key: s.key, type: s.type, status: s.status };
        if (!skipReason(asSpace, filter)) found.add(String(item.id));
      }
    }
  }
  return found;
}

/**
 * Cells for a space's digest: what IdDigest suggests for diffs between syncs, but enough for a small space
 * (up to ~20 documents) to decode on its own, so a space that disappears yields tombstones. Capped to keep
 * the state small (about 2 kB per space and stream at the cap).
 */
export function digestCells(size: number): number {
  return Math.max(IdDigest.cellsFor(size), Math.min(48, Math.ceil(size * 2.2) + 4));
}

/** The ids a digest holds, if it is small enough to decode on its own (diffed against an empty one). */
function idsOf(serialized: string): string[] | undefined {
  const digest = safeParse(serialized);
  if (!digest) return undefined;
  return digest.diff(IdDigest.empty(digest.cellCount))?.onlyInA;
}

/** Epoch millis of an ISO time, or undefined (absent or unparsable: the digests count it as old). */
function createdMillis(iso: unknown): number | undefined {
  const t = typeof iso === 'string' ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

function safeParse(serialized: string): IdDigest | undefined {
  try {
    return IdDigest.parse(serialized);
  } catch {
    return undefined;
  }
}

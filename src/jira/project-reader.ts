// The traversal every Jira content stream shares: partitions = projects, read concurrently with
// readPartitioned; issues found through POST /rest/api/3/search/jql per project.
//
// jira_issues (kind 'issues'), per project:
//   1. search `project = P AND updated >= <epoch ms of cursor − lookback> ORDER BY updated ASC, id ASC`
//      and emit in that order. Epoch milliseconds are absolute instants (a date string would be read in
//      the account's time zone); JQL compares at minute precision, the lookback covers that and late
//      index commits; the id tie-break keeps issues sharing a timestamp in a stable order across pages
//      (the page token is a keyset position), so none is lost and the next sync re-emits only the few
//      within the lookback window. The cursor is the newest `updated` emitted, never more;
//   2. when incremental, sweep the project's ids (fields=id, 5000 per page) into an IdDigest and diff it
//      with the previous sync's digest: ids only in the old one are deletion candidates;
//   3. confirm the candidates with one `id in (…)` search per 100: an id visible in another included
//      project moved there (its new partition emits it: a move bumps `updated`) and gets no tombstone; an
//      id that is gone, no longer visible, or in an excluded project gets a tombstone;
//   4. store the new digest in the partition checkpoint (only now: a kill before this point repeats the
//      sweep next time and loses no candidate).
//
// jira_comments / jira_attachments (kind 'children'), per project, one pass over every issue of the
// project ordered by id, requesting only `comment` / `attachment` and a few fields (no request per issue,
// except for comment lists longer than the page embedded in the search result):
//   - children whose own `updated` (attachments: `created`) is ≥ the pass's lower bound (previous pass
//     start − lookback) are emitted; adding or editing a comment or attachment is seen without a cursor
//     on the issue, and children of any issue, however old, are covered;
//   - every child id goes into a digest and every issue id into another one: the deletion sweep comes
//     free with the pass. When the pass completes, children gone since the previous pass become
//     tombstones, except those of issues that moved to another included project (one `id in (…)` search);
//   - the pass's start and lower bound are checkpointed when it starts, and after each page its next page
//     token with the digests so far: a pass interrupted by a kill continues there with the same bound
//     (or starts over when the token has expired). The cursor becomes the pass's start time.
//   - a quiet project is skipped after two cheap requests: no issue updated since the last pass (adding,
//     editing or deleting a child bumps its issue's `updated`) and the same issue ids (fields=id sweep);
//   The id order matters: an issue updated during the pass keeps its place (keyset token on an
//   immutable key), so each id enters the digests exactly once.
import type { ProductClient } from '../atlassian/product-client';
import type { AtlassianSite, StreamDeps } from '../atlassian/site';
import { IdDigest } from '../cdk/id-digest';
import { readPartitioned, type PartitionCheckpoint, type PartitionItem } from '../cdk/partitioned';
import type { Logger, RecordData, Stream, StreamEvent } from '../cdk/stream';
import type { SourceConfig } from '../generated/config';
import { resolveCustomFields } from './custom-fields';
import type { IssueBean } from './issue-fields';
import { jiraTimeToIso, jiraTimeToMillis } from './jira-time';
import { idsJql, projectJql } from './jql';
import { listProjects, type ProjectBean } from './projects';
import { approximateCount, MAX_ID_PAGE, searchChain, searchIssuePages, type SearchPage } from './search';
import { loadSchema, statusOf } from './util';
import { planWindows, type TimeWindow } from './windows';
import { mergeTagged } from '../cdk/concurrency';
import { cursorTime } from '../cdk/cursor';

export interface SiteInfo {
  siteUrl: string;
  cloudId: string;
}

export interface ReaderContext {
  site: SiteInfo;
  client: ProductClient;
  config: SourceConfig;
  logger: Logger;
  signal: AbortSignal;
  customFieldIds: string[];
  /**
   * Jira's clock when the stream started (GET /rest/api/3/serverInfo): children passes start their next
   * window there, so the connector host's clock never matters.
   */
  serverStart: number;
}

interface IssuesSpec {
  name: string;
  kind: 'issues';
  fields: readonly string[];
  withCustomFields?: boolean;
  map(issue: IssueBean, ctx: ReaderContext): RecordData[] | object[];
}

export interface ChildrenSpec<C extends { id: string }> {
  name: string;
  kind: 'children';
  /** Issue fields the pass requests (the child field plus what the records need). */
  fields: readonly string[];
  /** Every child of the issue, fetching beyond the embedded page when it is truncated. */
  children(issue: IssueBean, ctx: ReaderContext): Promise<C[]>;
  /** The child's own cursor time, epoch millis. */
  timeOf(child: C): number | undefined;
  toRecord(child: C, issue: IssueBean, ctx: ReaderContext): Promise<object>;
}

export type StreamSpec = IssuesSpec | ChildrenSpec<{ id: string }>;

/** Checkpoint extras (besides `cursor`), kept small: two digests of a few KB and one timestamp. */
interface Extras {
  /** Digest of the ids seen by the last completed sweep (issues, or children). */
  digest?: string;
  /** Children streams: digest of the issue ids of the last completed pass. */
  issue_digest?: string;
  /** Children streams: lower bound (ISO) on the children's time of the pass in progress. */
  pass_since?: string;
  /** Children streams: when the pass in progress started; the cursor once it completes. */
  pass_start?: string;
  /** Children streams: the page token where the pass in progress continues, and its digests so far. */
  pass_token?: string;
  pass_digest?: string;
  pass_issue_digest?: string;
}

const ID_CHUNK = 100;
/** A project with more than this many pages of changes is split into time windows read in parallel. */
const PAGES_PER_WINDOW = 10;
const MAX_WINDOWS = 4;
/** Records between two STATE messages: a kill repeats at most this many (states hold a few KB per project). */
const CHECKPOINT_EVERY = 250;

const compareIso = (a: string, b: string | undefined) => (cursorTime(a) ?? 0) - (cursorTime(b) ?? -Infinity);

export function issueStream<C extends { id: string }>(
  deps: StreamDeps,
  spec: IssuesSpec | ChildrenSpec<C>,
): Stream {
  return {
    name: spec.name,
    jsonSchema: loadSchema(spec.name),
    primaryKey: [['id']],
    cursorField: ['updated_at'],
    async *read(context): AsyncGenerator<StreamEvent> {
      const site = await deps.site();
      const incremental = context.syncMode === 'incremental';
      const config = deps.config;
      const ctx: ReaderContext = {
        site: { siteUrl: site.siteUrl, cloudId: site.cloudId },
        client: site.jira,
        config,
        logger: context.logger,
        signal: context.signal,
        customFieldIds:
          spec.kind === 'issues' && spec.withCustomFields
            ? await resolveCustomFields({
                client: site.jira,
                wanted: config.jira?.custom_fields ?? [],
                logger: context.logger,
                signal: context.signal,
              })
            : [],
        serverStart: spec.kind === 'children' ? await serverTime(site.jira, context.signal) : Date.now(),
      };
      const projects: ProjectBean[] = [];
      for await (const p of listProjects({
        client: site.jira,
        config,
        logger: context.logger,
        signal: context.signal,
      })) {
        projects.push(p); // one small object per project: the partitions list
      }
      // Largest first, so that no big project starts last and runs alone at the end of the sync.
      projects.sort((x, y) => (y.insight?.totalIssueCount ?? 0) - (x.insight?.totalIssueCount ?? 0));
      const included = new Set(projects.map((p) => p.id));
      const state = incremental ? context.state : undefined;
      yield* tombstonesOfVanishedProjects(spec, state, included, ctx);
      if (spec.kind === 'issues') yield* estimate(projects, state, ctx);
      yield* readPartitioned<ProjectBean>({
        stream: spec.name,
        partitions: projects,
        key: (p) => p.id,
        state,
        // Both kinds checkpoint their cursor explicitly (issue windows arrive interleaved; children use
        // their pass's start), so readPartitioned does not derive it from records.
        cursorField: undefined,
        concurrency: Math.max(1, Math.min(config.max_concurrency ?? 8, projects.length)),
        checkpointEvery: CHECKPOINT_EVERY,
        signal: context.signal,
        read: (p, checkpoint, signal) =>
          spec.kind === 'issues'
            ? readIssues(spec, p, checkpoint, { ...ctx, signal }, incremental, included)
            : readChildren(spec as ChildrenSpec<C>, p, checkpoint, { ...ctx, signal }, incremental, included),
      });
    },
  };
}

/** Where a pass interrupted by a kill continues: its next page token and the digests so far. */
function resumePoint(extras: Extras): { token: string; children: IdDigest; issues: IdDigest } | undefined {
  if (typeof extras.pass_token !== 'string') return undefined;
  try {
    return {
      token: extras.pass_token,
      children: IdDigest.parse(String(extras.pass_digest)),
      issues: IdDigest.parse(String(extras.pass_issue_digest)),
    };
  } catch {
    return undefined; // unreadable: the pass starts over
  }
}

/** Jira's current time; the local clock if serverInfo is unavailable. */
async function serverTime(client: ProductClient, signal: AbortSignal): Promise<number> {
  try {
    const info = await client.get<{ serverTime?: string }>('/rest/api/3/serverInfo', { signal });
    return jiraTimeToMillis(info.serverTime) ?? Date.now();
  } catch (error) {
    if (signal.aborted) throw error;
    return Date.now();
  }
}

/** Lower bound of the search: the cursor minus the lookback, else `start_date`, else everything. */
function lowerBound(checkpoint: PartitionCheckpoint | undefined, config: SourceConfig): number | undefined {
  const cursor = jiraTimeToMillis(checkpoint?.cursor);
  if (cursor !== undefined) return cursor - (config.lookback_minutes ?? 5) * 60_000;
  return config.start_date ? jiraTimeToMillis(config.start_date) : undefined;
}

function pageSize(config: SourceConfig): number {
  return config.page_size?.jira ?? 100;
}

function tombstone(
  id: string,
  ctx: ReaderContext,
  updatedAt: string | undefined,
  extra: object = {},
): RecordData {
  const now = new Date().toISOString();
  return { id, ...extra, cloud_id: ctx.site.cloudId, updated_at: updatedAt ?? now, _ab_cdc_deleted_at: now };
}

function digestFor(previous: IdDigest | undefined, sizeHint: number): IdDigest {
  return IdDigest.empty(previous?.cellCount ?? IdDigest.cellsFor(sizeHint));
}

function parseDigest(serialized: unknown, ctx: ReaderContext, what: string): IdDigest | undefined {
  if (typeof serialized !== 'string') return undefined;
  try {
    return IdDigest.parse(serialized);
  } catch {
    ctx.logger.warn(
      `Jira: ignoring an unreadable deletion digest for ${what}; deletions before this sync are not detected.`,
    );
    return undefined;
  }
}

/** Ids in `before` but not in `after`, or undefined (with a WARN) when the digests differ too much. */
function removedIds(
  before: IdDigest | undefined,
  after: IdDigest,
  ctx: ReaderContext,
  what: string,
): string[] {
  if (!before) return [];
  const diff = before.diff(after);
  if (!diff) {
    ctx.logger.warn(
      `Jira: too many changes in ${what} since the last sync to list deletions; ` +
        'run a full refresh to drop deleted records from the destination.',
    );
    return [];
  }
  return diff.onlyInA;
}

/** Adds the id of every issue of the project to `digest` (fields=id: the largest pages the API gives). */
async function sweepIssueIds(ctx: ReaderContext, projectId: string, digest: IdDigest): Promise<IdDigest> {
  for await (const page of searchIssuePages(ctx.client, {
    jql: `${projectJql({ projectId, ordered: false })} ORDER BY id ASC`,
    fields: ['id'],
    maxResults: MAX_ID_PAGE,
    signal: ctx.signal,
  })) {
    for (const issue of page) digest.add(issue.id);
  }
  return digest;
}

/** Whether the JQL matches at least one issue (one request, one id). */
async function anyIssue(ctx: ReaderContext, jql: string): Promise<boolean> {
  for await (const page of searchIssuePages(ctx.client, {
    jql,
    fields: ['id'],
    maxResults: 1,
    signal: ctx.signal,
  })) {
    if (page.length > 0) return true;
  }
  return false;
}

/** Which of `ids` are visible now, and in which project (one search per 100 ids). */
async function locate(
  ids: readonly string[],
  fields: readonly string[],
  ctx: ReaderContext,
): Promise<Map<string, IssueBean>> {
  const found = new Map<string, IssueBean>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const chunk = ids.slice(i, i + ID_CHUNK);
    for await (const page of searchIssuePages(ctx.client, {
      jql: idsJql(chunk),
      fields: ['project', ...fields],
      maxResults: ID_CHUNK,
      signal: ctx.signal,
    })) {
      for (const issue of page) found.set(issue.id, issue);
    }
  }
  return found;
}

async function* readIssues(
  spec: IssuesSpec,
  project: ProjectBean,
  checkpoint: PartitionCheckpoint | undefined,
  ctx: ReaderContext,
  incremental: boolean,
  included: ReadonlySet<string>,
): AsyncGenerator<PartitionItem> {
  const from = lowerBound(checkpoint, ctx.config);
  const size = pageSize(ctx.config);
  const fields = [...spec.fields, ...ctx.customFieldIds];
  const kept = typeof checkpoint?.digest === 'string' ? { digest: checkpoint.digest } : {};
  let cursor = typeof checkpoint?.cursor === 'string' ? checkpoint.cursor : undefined;
  const emit = function* (issue: IssueBean): Generator<PartitionItem> {
    for (const record of spec.map(issue, ctx) as RecordData[]) {
      yield { record };
      if (typeof record.updated_at === 'string' && compareIso(record.updated_at, cursor) > 0)
        cursor = record.updated_at;
    }
  };
  const search = (w: TimeWindow) =>
    searchIssuePages(ctx.client, {
      jql: projectJql({ projectId: project.id, updatedFrom: w.from, updatedBefore: w.before }),
      fields,
      maxResults: size,
      signal: ctx.signal,
    });

  // The first page tells whether the project needs more than one chain: a full page and a large count
  // split the rest into time windows read in parallel (windows.ts); otherwise the chain just continues.
  const chain = search({ from })[Symbol.asyncIterator]();
  const first = await chain.next();
  if (first.done) return yield* finishIssues();
  for (const issue of first.value) yield* emit(issue);
  if (incremental) yield { checkpoint: { ...kept, ...(cursor ? { cursor } : {}) } };
  const resumeAt = jiraTimeToMillis(first.value[first.value.length - 1]?.fields?.updated);
  const windows =
    first.value.length >= size && resumeAt !== undefined
      ? await planWindows(ctx, {
          projectId: project.id,
          from: Math.floor(resumeAt / 60_000) * 60_000,
          target: size * PAGES_PER_WINDOW,
          maxWindows: MAX_WINDOWS,
        })
      : [];
  if (windows.length <= 1) {
    for (let page = await chain.next(); !page.done; page = await chain.next()) {
      for (const issue of page.value) yield* emit(issue);
      if (incremental) yield { checkpoint: { ...kept, ...(cursor ? { cursor } : {}) } };
    }
    return yield* finishIssues();
  }
  await chain.return?.(undefined);

  // Windows arrive interleaved, so the checkpoint cursor is the progress of the earliest unfinished
  // window: everything before it was emitted (a resume re-reads from there, duplicates but no gaps).
  const progress = windows.map((w) => w.from);
  const done = windows.map(() => false);
  const safeCursor = (): string | undefined => {
    const open = windows.findIndex((_, i) => !done[i]);
    if (open < 0) return cursor;
    const p = progress[open];
    return p === undefined ? undefined : new Date(p).toISOString();
  };
  const concurrency = windows.length;
  for await (const event of mergeTagged(
    windows.map((_, i) => i),
    (i) => search(windows[i]!),
    { concurrency, signal: ctx.signal },
  )) {
    if (event.kind === 'error') throw event.error;
    if (event.kind === 'done') done[event.source] = true;
    else {
      for (const issue of event.item) {
        yield* emit(issue);
        const t = jiraTimeToMillis(issue.fields?.updated);
        if (t !== undefined) progress[event.source] = t;
      }
    }
    const safe = safeCursor();
    if (incremental && safe) yield { checkpoint: { ...kept, cursor: safe } };
  }
  return yield* finishIssues();

  async function* finishIssues(): AsyncGenerator<PartitionItem> {
    if (incremental) yield* sweepIssues(project, checkpoint, cursor, ctx, included);
  }
}

async function* sweepIssues(
  project: ProjectBean,
  checkpoint: PartitionCheckpoint | undefined,
  cursor: string | undefined,
  ctx: ReaderContext,
  included: ReadonlySet<string>,
): AsyncGenerator<PartitionItem> {
  // The id sweep runs after the search, so an issue emitted above and deleted meanwhile is caught now
  // when the previous digest knew it, and next time otherwise (it is in no digest only if created and
  // deleted during this very sync).
  const what = `project ${project.key}`;
  const previous = parseDigest(checkpoint?.digest, ctx, what);
  const sweepJql = projectJql({ projectId: project.id, ordered: false });
  const next = digestFor(previous, previous ? 0 : await approximateCount(ctx.client, sweepJql, ctx.signal));
  await sweepIssueIds(ctx, project.id, next);
  const removed = removedIds(previous, next, ctx, what);
  if (removed.length > 0) {
    const now = await locate(removed, [], ctx);
    for (const id of removed) {
      const movedTo = now.get(id)?.fields?.project?.id;
      if (movedTo !== undefined && included.has(movedTo)) continue; // moved: emitted by its new partition
      // A tombstone carries the partition's cursor so that it never moves it.
      yield { record: tombstone(id, ctx, cursor, { project_id: project.id }) };
    }
  }
  yield { checkpoint: { digest: next.serialize(), ...(cursor ? { cursor } : {}) } };
}

async function* readChildren<C extends { id: string }>(
  spec: ChildrenSpec<C>,
  project: ProjectBean,
  checkpoint: PartitionCheckpoint | undefined,
  ctx: ReaderContext,
  incremental: boolean,
  included: ReadonlySet<string>,
): AsyncGenerator<PartitionItem> {
  const extras = (checkpoint ?? {}) as Extras & PartitionCheckpoint;
  const what = `project ${project.key} (${spec.name})`;
  // A pass interrupted by a kill continues with the lower bound it started with.
  const passStart = jiraTimeToMillis(extras.pass_start) ?? ctx.serverStart;
  const sinceMs =
    jiraTimeToMillis(extras.pass_since) ?? (incremental ? lowerBound(checkpoint, ctx.config) : undefined);
  const previous = incremental ? parseDigest(extras.digest, ctx, what) : undefined;
  const previousIssues = incremental ? parseDigest(extras.issue_digest, ctx, what) : undefined;
  if (previous && previousIssues && extras.pass_since === undefined && sinceMs !== undefined) {
    // A quiet project (no issue updated since the last pass, the same issue ids) has the same children:
    // adding, editing or deleting a comment or attachment bumps its issue's `updated`, and deleting or
    // moving an issue changes the id set. Two cheap requests instead of a pass over every issue.
    const changed = await anyIssue(
      ctx,
      projectJql({ projectId: project.id, updatedFrom: sinceMs, ordered: false }),
    );
    if (!changed) {
      const ids = await sweepIssueIds(ctx, project.id, IdDigest.empty(previousIssues.cellCount));
      const diff = previousIssues.diff(ids);
      if (diff && diff.onlyInA.length === 0 && diff.onlyInB.length === 0) {
        yield {
          checkpoint: {
            cursor: new Date(passStart).toISOString(),
            digest: extras.digest as string,
            issue_digest: extras.issue_digest as string,
          },
        };
        return;
      }
    }
  }
  // A pass in progress resumes at its saved page token with the digests of the pages before it.
  const resumed = incremental ? resumePoint(extras) : undefined;
  const hint =
    incremental && !previous && !resumed
      ? await approximateCount(ctx.client, projectJql({ projectId: project.id, ordered: false }), ctx.signal)
      : 0;
  let childDigest = resumed?.children ?? digestFor(previous, hint * 2);
  let issueDigest = resumed?.issues ?? digestFor(previousIssues, hint);
  const passCheckpoint = (token: string | undefined): PartitionCheckpoint => ({
    ...(extras.cursor ? { cursor: extras.cursor } : {}),
    ...(extras.digest ? { digest: extras.digest } : {}),
    ...(extras.issue_digest ? { issue_digest: extras.issue_digest } : {}),
    pass_start: new Date(passStart).toISOString(),
    ...(sinceMs !== undefined ? { pass_since: new Date(sinceMs).toISOString() } : {}),
    ...(token
      ? {
          pass_token: token,
          pass_digest: childDigest.serialize(),
          pass_issue_digest: issueDigest.serialize(),
        }
      : {}),
  });
  if (incremental && !resumed) yield { checkpoint: passCheckpoint(undefined) };

  // Ordered by the immutable id: an issue updated during the pass keeps its place (the token is a keyset
  // position), so each id enters the digests exactly once.
  const chain = (startToken: string | undefined) =>
    searchChain(ctx.client, {
      jql: `project = ${project.id} ORDER BY id ASC`,
      fields: spec.fields,
      maxResults: pageSize(ctx.config),
      signal: ctx.signal,
      ...(startToken ? { startToken } : {}),
    });
  let pages = chain(resumed?.token);
  for (let first = true; ; first = false) {
    let page: IteratorResult<SearchPage>;
    try {
      page = await pages.next();
    } catch (error) {
      // An expired or rejected saved token: start the pass over (duplicates, no gaps).
      if (!(first && resumed && statusOf(error) === 400)) throw error;
      ctx.logger.info(
        `Jira ${spec.name}: the saved page token of ${what} was rejected; restarting its pass.`,
      );
      childDigest = IdDigest.empty(childDigest.cellCount);
      issueDigest = IdDigest.empty(issueDigest.cellCount);
      pages = chain(undefined);
      continue;
    }
    if (page.done) break;
    for (const issue of page.value.issues) {
      issueDigest.add(issue.id);
      const children = await spec.children(issue, ctx);
      const fresh: C[] = [];
      for (const child of children) {
        childDigest.add(child.id);
        const t = spec.timeOf(child);
        if (sinceMs === undefined || (t !== undefined && t >= sinceMs)) fresh.push(child);
      }
      fresh.sort((a, b) => (spec.timeOf(a) ?? 0) - (spec.timeOf(b) ?? 0) || Number(a.id) - Number(b.id));
      for (const child of fresh) yield { record: (await spec.toRecord(child, issue, ctx)) as RecordData };
    }
    if (incremental && page.value.nextPageToken)
      yield { checkpoint: passCheckpoint(page.value.nextPageToken) };
  }
  if (!incremental) return;

  // The pass is complete: deletions, then the new digests; the next pass starts at this one's start.
  const cursor = new Date(passStart).toISOString();
  const removed = removedIds(previous, childDigest, ctx, what);
  if (removed.length > 0) {
    // Children of issues that left this project but are visible in another included one are not deleted.
    const goneIssues = removedIds(previousIssues, issueDigest, ctx, `project ${project.key} issues`);
    const movedChildren = new Set<string>();
    for (const issue of (await locate(goneIssues, spec.fields, ctx)).values()) {
      const to = issue.fields?.project?.id;
      if (to === undefined || !included.has(to)) continue;
      for (const child of await spec.children(issue, ctx)) movedChildren.add(child.id);
    }
    for (const id of removed) {
      if (!movedChildren.has(id)) yield { record: tombstone(id, ctx, cursor, { project_id: project.id }) };
    }
  }
  yield { checkpoint: { cursor, digest: childDigest.serialize(), issue_digest: issueDigest.serialize() } };
}

/**
 * Projects that were synced before but are not now (excluded in the config, archived, deleted, no longer
 * browsable): all their records become tombstones. Those still searchable (an excluded project) are
 * listed once more; the rest come from the stored digest when it decodes, otherwise a WARN says a full
 * refresh is needed to drop them.
 */
async function* tombstonesOfVanishedProjects<C extends { id: string }>(
  spec: IssuesSpec | ChildrenSpec<C>,
  state: Record<string, unknown> | undefined,
  included: ReadonlySet<string>,
  ctx: ReaderContext,
): AsyncGenerator<StreamEvent> {
  const partitions = (state?.partitions ?? {}) as Record<string, Extras & PartitionCheckpoint>;
  for (const [projectId, checkpoint] of Object.entries(partitions)) {
    if (included.has(projectId) || typeof checkpoint !== 'object' || checkpoint === null) continue;
    const what = `project ${projectId} (no longer synced)`;
    const digest = parseDigest(checkpoint.digest, ctx, what);
    const listed = new Set<string>();
    try {
      for await (const page of searchIssuePages(ctx.client, {
        jql: `project = ${projectId} ORDER BY id ASC`,
        fields: spec.kind === 'issues' ? ['id'] : spec.fields,
        maxResults: spec.kind === 'issues' ? MAX_ID_PAGE : pageSize(ctx.config),
        signal: ctx.signal,
      })) {
        for (const issue of page) {
          if (spec.kind === 'issues') listed.add(issue.id);
          else for (const child of await spec.children(issue, ctx)) listed.add(child.id);
        }
      }
    } catch (error) {
      // 400: the project no longer exists or is not visible; its ids can only come from the digest.
      if (statusOf(error) !== 400) throw error;
    }
    const rest = digest ? IdDigest.empty(digest.cellCount) : undefined;
    if (rest) for (const id of listed) rest.add(id);
    const ids = [...listed, ...(digest && rest ? removedIds(digest, rest, ctx, what) : [])];
    for (const id of ids) {
      yield { type: 'record', data: tombstone(id, ctx, checkpoint.cursor, { project_id: projectId }) };
    }
    ctx.logger.info(`Jira ${spec.name}: project ${projectId} is no longer synced; ${ids.length} tombstones.`);
  }
}

/** ESTIMATE: issues to read, from approximate-count (one request per 50 projects). */
async function* estimate(
  projects: readonly ProjectBean[],
  state: Record<string, unknown> | undefined,
  ctx: ReaderContext,
): AsyncGenerator<StreamEvent> {
  if (projects.length === 0) return;
  const partitions = (state?.partitions ?? {}) as Record<string, PartitionCheckpoint>;
  let total = 0;
  try {
    for (let i = 0; i < projects.length; i += 50) {
      const chunk = projects.slice(i, i + 50);
      const bounds = chunk.map((p) => lowerBound(partitions[p.id], ctx.config));
      const from = bounds.some((b) => b === undefined) ? undefined : Math.min(...(bounds as number[]));
      const jql = `project in (${chunk.map((p) => p.id).join(', ')})${from === undefined ? '' : ` AND updated >= ${from}`}`;
      total += await approximateCount(ctx.client, jql, ctx.signal);
    }
  } catch (error) {
    ctx.logger.debug(`Jira: no estimate (${(error as Error).message})`);
    return;
  }
  yield { type: 'estimate', rowCount: total };
}

export { jiraTimeToIso };
export type { AtlassianSite };

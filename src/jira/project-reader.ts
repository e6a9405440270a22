// The stream every Jira content stream is built on: partitions = the projects to sync, read concurrently
// with readPartitioned (largest first), each by issue-reader.ts (jira_issues) or children-reader.ts
// (jira_comments, jira_attachments). Both checkpoint their cursor themselves: the issue search may run
// in parallel time windows, and the children passes move their cursor to the pass's start.
//
// Partition state (per project id, small): `cursor`, the deletion digest (`digest`, `digest_before`, see
// id-sweep.ts), and for children streams the issue digest and a pass in progress (`pass_*`). Projects no
// longer synced (excluded, archived, deleted, hidden) leave the state after their records are tombstoned.
import type { ProductClient } from '../atlassian/product-client';
import type { StreamDeps } from '../atlassian/site';
import { readPartitioned, type PartitionCheckpoint } from '../cdk/partitioned';
import { withEstimate } from '../cdk/estimate';
import type { Stream, StreamEvent } from '../cdk/stream';
import { readChildren } from './children-reader';
import { resolveCustomFields } from './custom-fields';
import { readIssues } from './issue-reader';
import { jiraTimeToMillis } from './jira-time';
import { listProjects, type ProjectBean } from './projects';
import {
  locate,
  lowerBound,
  pageSize,
  tombstone,
  type ChildrenSpec,
  type IssuesSpec,
  type ReaderContext,
} from './reader-context';
import { approximateCount, MAX_ID_PAGE, searchIssuePages } from './search';
import { IdSweep, type SweepCheckpoint } from './id-sweep';
import { loadSchema } from '../schemas';
import { statusOf } from './util';

export type { ReaderContext, SiteInfo } from './reader-context';

/**
 * Records between two STATE messages (besides one when a project completes): a kill repeats at most this
 * many, and states, a few KB per project, stay a small share of the output.
 */
const CHECKPOINT_EVERY = 500;

export function issueStream<C extends { id: string }>(
  deps: StreamDeps,
  spec: IssuesSpec | ChildrenSpec<C>,
): Stream {
  return {
    name: spec.name,
    ...('startFirst' in spec ? { startFirst: spec.startFirst } : {}),
    jsonSchema: loadSchema(spec.name),
    primaryKey: [['id']],
    cursorField: ['updated_at'],
    async *read(context): AsyncGenerator<StreamEvent> {
      const site = await deps.site();
      const { logger, signal } = context;
      const incremental = context.syncMode === 'incremental';
      const config = deps.config;
      const client = site.jira;
      // Independent first requests, in parallel: custom field ids, Jira's clock, the projects.
      const listing = async () => {
        const list: ProjectBean[] = [];
        for await (const p of listProjects({ client, config, logger, signal })) list.push(p);
        // Offset paging skips a project when another one leaves between two pages: a project the last
        // sync read is asked for by id before it passes for gone (all its records would become tombstones).
        const listed = new Set(list.map((p) => p.id));
        const partitions = incremental ? Object.keys(partitionsOf(context.state)) : [];
        const unlisted = partitions.filter((id) => !listed.has(id));
        if (unlisted.length > 0)
          for await (const p of listProjects({ client, config, logger, signal, ids: unlisted })) list.push(p);
        return list;
      };
      const [customFieldIds, serverStart, projects] = await Promise.all([
        spec.kind === 'issues' && spec.withCustomFields
          ? resolveCustomFields({ client, wanted: config.jira?.custom_fields ?? [], logger, signal })
          : [],
        serverTime(client, signal),
        listing(),
      ]);
      const ctx: ReaderContext = {
        site: { siteUrl: site.siteUrl, cloudId: site.cloudId },
        client,
        config,
        logger,
        signal,
        customFieldIds,
        serverStart,
      };
      // Largest first, so that no big project starts last and runs alone at the end of the sync.
      projects.sort((x, y) => (y.insight?.totalIssueCount ?? 0) - (x.insight?.totalIssueCount ?? 0));
      const included = new Set(projects.map((p) => p.id));
      const state = incremental ? context.state : undefined;
      yield* tombstonesOfVanishedProjects(spec, state, included, ctx);
      const events = readPartitioned<ProjectBean>({
        stream: spec.name,
        partitions: projects,
        key: (p) => p.id,
        state,
        cursorField: undefined, // checkpointed by the readers
        concurrency: Math.max(1, Math.min(config.max_concurrency ?? 8, projects.length)),
        checkpointEvery: CHECKPOINT_EVERY,
        signal,
        read: (project, checkpoint, partitionSignal) => {
          const read = {
            project,
            checkpoint,
            ctx: { ...ctx, signal: partitionSignal },
            incremental,
            included,
          };
          const items = spec.kind === 'issues' ? readIssues(spec, read) : readChildren(spec, read);
          return skipIfGone(project, read.ctx, items);
        },
      });
      yield* spec.kind === 'issues' ? withEstimate(events, countIssues(projects, state, ctx)) : events;
    },
  };
}

/**
 * A project deleted or hidden after it was listed makes its JQL invalid (400): if the project is indeed
 * gone, its partition stops with a WARN and keeps its state (the next sync treats it as no longer synced);
 * any other error stands.
 */
async function* skipIfGone<T>(
  project: ProjectBean,
  ctx: ReaderContext,
  items: AsyncIterable<T>,
): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (error) {
    if (statusOf(error) !== 400 || ctx.signal.aborted) throw error;
    try {
      await ctx.client.get(`/rest/api/3/project/${project.id}`, { signal: ctx.signal });
    } catch (check) {
      if (statusOf(check) !== 404) throw error;
      ctx.logger.warn(`Jira: project ${project.key} was deleted or hidden during the sync; skipped.`);
      return;
    }
    throw error;
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

async function* tombstonesOfVanishedProjects<C extends { id: string }>(
  spec: IssuesSpec | ChildrenSpec<C>,
  state: Record<string, unknown> | undefined,
  included: ReadonlySet<string>,
  ctx: ReaderContext,
): AsyncGenerator<StreamEvent> {
  const partitions = partitionsOf(state);
  for (const [projectId, checkpoint] of Object.entries(partitions)) {
    if (included.has(projectId) || typeof checkpoint !== 'object' || checkpoint === null) continue;
    const what = `project ${projectId} (no longer synced)`;
    const sweep = IdSweep.start({
      checkpoint: checkpoint as SweepCheckpoint,
      before: Date.now(),
      sizeHint: 0,
      ctx,
      what,
    });
    const listed = new Set<string>();
    const listedIssues = new Set<string>();
    try {
      for await (const page of searchIssuePages(ctx.client, {
        jql: `project = ${projectId} ORDER BY id ASC`,
        fields: spec.kind === 'issues' ? ['id'] : spec.fields,
        maxResults: spec.kind === 'issues' ? MAX_ID_PAGE : pageSize(ctx.config),
        signal: ctx.signal,
      })) {
        for (const issue of page) {
          listedIssues.add(issue.id);
          if (spec.kind === 'issues') listed.add(issue.id);
          else for (const child of await spec.children(issue, ctx)) listed.add(child.id);
        }
      }
    } catch (error) {
      // 400: the project no longer exists or is not visible; its ids can only come from the digest.
      if (statusOf(error) !== 400) throw error;
    }
    // What the digest knew and the listing did not find is gone too, unless its issue moved to a synced
    // project: that project's pass emits it again, and a tombstone dated later would delete it downstream.
    for (const id of listed) sweep.addOld(id);
    const issueSweep =
      spec.kind === 'issues'
        ? sweep
        : IdSweep.start({
            checkpoint: {
              digest: checkpoint.issue_digest as string | undefined,
              digest_before: checkpoint.digest_before as string | undefined,
            },
            before: Date.now(),
            sizeHint: 0,
            ctx,
            what: `${what} issues`,
          });
    if (spec.kind !== 'issues') for (const id of listedIssues) issueSweep.addOld(id);
    const moved = await movedToSynced(
      spec,
      issueSweep.removed(ctx, `${what} issues`),
      projectId,
      included,
      ctx,
    );
    // Too many issues left to name them (a bulk move before the project was retired): a child that left
    // may have moved with its issue, and a tombstone would delete it downstream for good. Only what is
    // still listed in the project is tombstoned then (the WARN about the issues asks for a full refresh).
    const gone = issueSweep.listable(ctx, `${what} issues`)
      ? sweep.removed(ctx, what).filter((id) => !listed.has(id) && !moved.has(id))
      : [];
    const ids = [...listed, ...gone];
    for (const id of ids) {
      yield { type: 'record', data: tombstone(id, ctx, checkpoint.cursor, projectId) };
    }
    ctx.logger.info(`Jira ${spec.name}: project ${projectId} is no longer synced; ${ids.length} tombstones.`);
  }
}

/** Of the issues that left a project, those now in another synced one: their ids, or their children's. */
async function movedToSynced<C extends { id: string }>(
  spec: IssuesSpec | ChildrenSpec<C>,
  issueIds: string[],
  from: string,
  included: ReadonlySet<string>,
  ctx: ReaderContext,
): Promise<Set<string>> {
  const moved = new Set<string>();
  if (issueIds.length === 0) return moved;
  for (const issue of (await locate(issueIds, spec.kind === 'issues' ? [] : spec.fields, ctx)).values()) {
    const to = issue.fields?.project?.id;
    if (to === undefined || to === from || !included.has(to)) continue;
    if (spec.kind === 'issues') moved.add(issue.id);
    else for (const child of await spec.children(issue, ctx)) moved.add(child.id);
  }
  return moved;
}

function partitionsOf(state: Record<string, unknown> | undefined): Record<string, PartitionCheckpoint> {
  return (state?.partitions ?? {}) as Record<string, PartitionCheckpoint>;
}

/** Issues to read, from approximate-count (one request per 50 projects); undefined when unknown. */
async function countIssues(
  projects: readonly ProjectBean[],
  state: Record<string, unknown> | undefined,
  ctx: ReaderContext,
): Promise<number | undefined> {
  if (projects.length === 0) return undefined;
  const partitions = partitionsOf(state);
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
    return undefined;
  }
  return total;
}

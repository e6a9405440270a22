// What the per-project readers share: their context, the stream specs, and small helpers.
import type { ProductClient } from '../atlassian/product-client';
import type { PartitionCheckpoint } from '../cdk/partitioned';
import type { Logger, RecordData } from '../cdk/stream';
import type { SourceConfig } from '../generated/config';
import type { IssueBean } from './issue-fields';
import { jiraTimeToMillis } from './jira-time';
import { idsJql } from './jql';
import type { ProjectBean } from './projects';
import { searchIssuePages } from './search';
import { statusOf } from './util';

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
   * Jira's clock when the stream started (GET /rest/api/3/serverInfo): passes and sweeps are placed on it,
   * so the connector host's clock never matters.
   */
  serverStart: number;
}

/** jira_issues: one record per issue found by the search. */
export interface IssuesSpec {
  name: string;
  kind: 'issues';
  /** See Stream.startFirst. */
  startFirst?: number;
  fields: readonly string[];
  withCustomFields?: boolean;
  map(issue: IssueBean, ctx: ReaderContext): object[];
}

/** jira_comments / jira_attachments: records for things that come with their issue. */
export interface ChildrenSpec<C extends { id: string }> {
  name: string;
  kind: 'children';
  /** Issue fields the pass requests (the child field plus what the records need). */
  fields: readonly string[];
  /** Every child of the issue, fetching beyond the embedded page when it is truncated. */
  children(issue: IssueBean, ctx: ReaderContext): Promise<C[]>;
  /** The child's own cursor time (last update), epoch millis. */
  timeOf(child: C): number | undefined;
  /** When the child was created, epoch millis. */
  createdOf(child: C): number | undefined;
  toRecord(child: C, issue: IssueBean, ctx: ReaderContext): Promise<object>;
}

/** One project's read: its previous checkpoint, and the projects synced in this run. */
export interface PartitionRead {
  project: ProjectBean;
  checkpoint: PartitionCheckpoint | undefined;
  ctx: ReaderContext;
  incremental: boolean;
  /** Ids of the projects synced in this run (a record moved to one of them is not deleted). */
  included: ReadonlySet<string>;
}

export const MINUTE = 60_000;
export const floorMinute = (ms: number): number => Math.floor(ms / MINUTE) * MINUTE;

/** Ids per `id in (…)` search. */
const ID_CHUNK = 100;

/** Lower bound of the search: the cursor minus the lookback, else `start_date`, else everything. */
export function lowerBound(
  checkpoint: PartitionCheckpoint | undefined,
  config: SourceConfig,
): number | undefined {
  const cursor = jiraTimeToMillis(checkpoint?.cursor);
  if (cursor !== undefined) return cursor - (config.lookback_minutes ?? 5) * MINUTE;
  return config.start_date ? jiraTimeToMillis(config.start_date) : undefined;
}

export function pageSize(config: SourceConfig): number {
  return config.page_size?.jira ?? 100;
}

/** A deleted record: key fields, the partition's cursor as `updated_at` (so it never moves it), and when. */
export function tombstone(
  id: string,
  ctx: ReaderContext,
  updatedAt: string | undefined,
  projectId: string,
): RecordData {
  const now = new Date().toISOString();
  return {
    id,
    project_id: projectId,
    cloud_id: ctx.site.cloudId,
    updated_at: updatedAt ?? now,
    _ab_cdc_deleted_at: now,
  };
}

/** Which of `ids` are visible now, with their project and `fields` (one search per 100 ids). */
export async function locate(
  ids: readonly string[],
  fields: readonly string[],
  ctx: ReaderContext,
): Promise<Map<string, IssueBean>> {
  const found = new Map<string, IssueBean>();
  // Jira may refuse a whole `id in (…)` query (400) because one of its ids no longer exists: such a batch
  // is split until that id stands alone, and a lone id counts as gone only when the issue itself answers
  // 404 (any other refusal is a real error, not a reason to tombstone).
  const search = async (batch: readonly string[]): Promise<void> => {
    try {
      for await (const page of searchIssuePages(ctx.client, {
        jql: idsJql(batch),
        fields: ['project', ...fields],
        maxResults: ID_CHUNK,
        signal: ctx.signal,
      })) {
        for (const issue of page) found.set(issue.id, issue);
      }
    } catch (error) {
      if (statusOf(error) !== 400 || ctx.signal.aborted) throw error;
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await search(batch.slice(0, half));
        await search(batch.slice(half));
        return;
      }
      try {
        await ctx.client.get(`/rest/api/3/issue/${batch[0]}`, {
          params: { fields: 'id' },
          signal: ctx.signal,
        });
      } catch (check) {
        if (statusOf(check) === 404) return;
      }
      throw error;
    }
  };
  for (let i = 0; i < ids.length; i += ID_CHUNK) await search(ids.slice(i, i + ID_CHUNK));
  return found;
}

/** Whether the JQL matches at least one issue (one request, one id). */
export async function anyIssue(ctx: ReaderContext, jql: string): Promise<boolean> {
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

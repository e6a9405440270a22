// jira_projects, and the project list every Jira content stream partitions by:
// GET /rest/api/3/project/search (PageBean, maxResults ≤ 100), live projects plus archived ones when configured.
import type { Stream, StreamEvent } from '../cdk/stream';
import type { AtlassianSite, StreamDeps } from '../atlassian/site';
import type { Logger } from '../cdk/stream';
import { offsetPages } from '../atlassian/pagination';
import type { ProductClient } from '../atlassian/product-client';
import type { SourceConfig } from '../generated/config';
import type { JiraProjectsRecord } from '../generated/records/jira_projects';
import { jiraTimeToIso } from './jira-time';
import { loadSchema } from '../schemas';
import { statusOf } from './util';
import { mapConcurrent } from '../cdk/concurrency';

export interface ProjectBean {
  id: string;
  key: string;
  name?: string;
  description?: string;
  projectTypeKey?: string;
  style?: string;
  simplified?: boolean;
  isPrivate?: boolean;
  archived?: boolean;
  archivedDate?: string;
  uuid?: string;
  lead?: { accountId?: string; displayName?: string };
  projectCategory?: { id?: string; name?: string };
  insight?: { totalIssueCount?: number; lastIssueUpdateTime?: string };
}

const PAGE = 100;

/** Every project the account can browse, filtered by the config's include / exclude keys. */
export async function* listProjects(options: {
  client: ProductClient;
  config: SourceConfig;
  logger: Logger;
  signal?: AbortSignal;
  /**
   * `browse` (default): projects whose issues the account can read, the partitions of the issue streams.
   * `view`: also projects it only administers, as jira_projects lists them.
   */
  action?: 'browse' | 'view';
  /** Only these project ids (50 to a request): projects a paged listing may have missed. */
  ids?: readonly string[];
}): AsyncGenerator<ProjectBean> {
  const { client, config, logger, signal, action = 'browse', ids } = options;
  const include = new Set(config.jira?.projects?.include ?? []);
  const exclude = new Set(config.jira?.projects?.exclude ?? []);
  const status = config.jira?.include_archived_projects ? ['live', 'archived'] : ['live'];
  const found = new Set<string>();
  // Offset paging repeats a project when another is created before the offset between two pages: one
  // partition per project, never two readers of the same one side by side.
  const yielded = new Set<string>();
  const batches = ids
    ? Array.from({ length: Math.ceil(ids.length / 50) }, (_, i) => ids.slice(i * 50, i * 50 + 50))
    : [undefined];
  for (const id of batches) {
    for await (const page of offsetPages<ProjectBean>(client, '/rest/api/3/project/search', {
      style: 'startAt',
      pageSize: PAGE,
      // insight: issue count and last update, to schedule the largest projects first.
      params: { orderBy: 'key', action, status, expand: 'description,lead,insight', ...(id ? { id } : {}) },
      signal,
    })) {
      for (const p of page) {
        found.add(p.key);
        if (include.size > 0 && !include.has(p.key)) continue;
        if (exclude.has(p.key)) continue;
        if (p.archived && !config.jira?.include_archived_projects) continue;
        if (yielded.has(p.id)) continue;
        yielded.add(p.id);
        yield p;
      }
    }
  }
  if (ids) return;
  const missing = [...include].filter((k) => !found.has(k));
  if (missing.length > 0) {
    logger.warn(
      `Jira: configured project keys not found or not browsable by this account: ${missing.join(', ')}. ` +
        'Check the keys (they are case-sensitive) and grant the account Browse projects on them.',
    );
  }
}

/** A scheme id from an admin-only endpoint: `null` when the account may not read it. */
async function schemeId(
  client: ProductClient,
  path: string,
  signal?: AbortSignal,
): Promise<string | null | 'denied'> {
  try {
    const scheme = await client.get<{ id?: number | string }>(path, { signal });
    return scheme.id === undefined ? null : String(scheme.id);
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 401) return 'denied';
    if (status === 404) return null; // no scheme assigned (team-managed projects have no issue security)
    throw error;
  }
}

export function toProjectRecord(
  p: ProjectBean,
  site: Pick<AtlassianSite, 'siteUrl' | 'cloudId'>,
  schemes: { permission: string | null; security: string | null },
): JiraProjectsRecord {
  return {
    id: p.id,
    key: p.key,
    name: p.name ?? null,
    description: p.description || null,
    project_type: p.projectTypeKey ?? null,
    style: p.style ?? null,
    simplified: p.simplified ?? null,
    is_private: p.isPrivate ?? null,
    archived: p.archived ?? false,
    archived_at: jiraTimeToIso(p.archivedDate),
    lead_account_id: p.lead?.accountId ?? null,
    lead_display_name: p.lead?.displayName ?? null,
    category_id: p.projectCategory?.id ?? null,
    category_name: p.projectCategory?.name ?? null,
    uuid: p.uuid ?? null,
    permission_scheme_id: schemes.permission,
    issue_security_scheme_id: schemes.security,
    url: `${site.siteUrl}/browse/${p.key}`,
    cloud_id: site.cloudId,
  };
}

export function projectsStream(deps: StreamDeps): Stream {
  return {
    name: 'jira_projects',
    jsonSchema: loadSchema('jira_projects'),
    primaryKey: [['id']],
    async *read(context): AsyncGenerator<StreamEvent> {
      const site = await deps.site();
      const client = site.jira;
      const { logger, signal } = context;
      // The scheme endpoints need Administer Projects (per project) or Administer Jira: a 403 gives a null
      // id for that project, and one WARN per kind at the end. No bulk endpoint gives project -> scheme.
      const denied = { permission: [] as string[], security: [] as string[] };
      const withSchemes = async (p: ProjectBean) => {
        const [permission, security] = await Promise.all([
          schemeId(client, `/rest/api/3/project/${p.id}/permissionscheme`, signal),
          schemeId(client, `/rest/api/3/project/${p.id}/issuesecuritylevelscheme`, signal),
        ]);
        if (permission === 'denied') denied.permission.push(p.key);
        if (security === 'denied') denied.security.push(p.key);
        return toProjectRecord(p, site, {
          permission: permission === 'denied' ? null : permission,
          security: security === 'denied' ? null : security,
        });
      };
      const projects = listProjects({ client, config: deps.config, logger, signal, action: 'view' });
      const concurrency = Math.max(1, Math.ceil((deps.config.max_concurrency ?? 8) / 2));
      for await (const record of mapConcurrent(projects, withSchemes, { concurrency, signal })) {
        yield { type: 'record', data: record as unknown as Record<string, unknown> };
      }
      for (const [kind, keys] of Object.entries(denied)) {
        if (keys.length === 0) continue;
        logger.warn(
          `Jira: the account may not read the ${kind === 'permission' ? 'permission' : 'issue security'} scheme of ` +
            `${keys.length} project(s) (${keys.slice(0, 10).join(', ')}${keys.length > 10 ? ', …' : ''}); ` +
            'it needs Administer Projects or Administer Jira. Their records carry a null scheme id.',
        );
      }
    },
  };
}

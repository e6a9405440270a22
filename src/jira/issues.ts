// jira_issues: one record per issue, read per project through the shared traversal in project-reader.ts.
import type { Stream } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';
import type { JiraIssuesRecord } from '../generated/records/jira_issues';
import { adfToText } from '../text/adf-to-text';
import type { IssueBean } from './issue-fields';
import { ISSUE_FIELDS, knownPeople } from './issue-fields';
import { jiraTimeToIso } from './jira-time';
import { issueStream } from './project-reader';
import type { SiteInfo } from './reader-context';

const named = (list: { id?: string; name?: string }[] | undefined) =>
  (list ?? []).filter((x) => x.id !== undefined).map((x) => ({ id: String(x.id), name: x.name ?? null }));

export function toIssueRecord(
  issue: IssueBean,
  site: SiteInfo,
  customFieldIds: readonly string[] = [],
): JiraIssuesRecord {
  const f = issue.fields ?? {};
  const people = knownPeople(f);
  const custom: Record<string, unknown> = {};
  for (const id of customFieldIds) custom[id] = f[id] ?? null;
  return {
    id: issue.id,
    key: issue.key ?? null,
    project_id: f.project?.id ?? null,
    project_key: f.project?.key ?? null,
    summary: f.summary ?? null,
    description_text: f.description
      ? adfToText(f.description, { mentionName: (id) => people.get(id) })
      : null,
    status: f.status?.name ?? null,
    status_id: f.status?.id ?? null,
    status_category: f.status?.statusCategory?.key ?? null,
    issue_type: f.issuetype?.name ?? null,
    issue_type_id: f.issuetype?.id ?? null,
    is_subtask: f.issuetype?.subtask ?? null,
    priority: f.priority?.name ?? null,
    priority_id: f.priority?.id ?? null,
    resolution: f.resolution?.name ?? null,
    labels: f.labels ?? [],
    components: named(f.components),
    fix_versions: named(f.fixVersions),
    parent_id: f.parent?.id ?? null,
    parent_key: f.parent?.key ?? null,
    subtask_ids: (f.subtasks ?? []).flatMap((s) => (s.id ? [s.id] : [])),
    reporter_account_id: f.reporter?.accountId ?? null,
    assignee_account_id: f.assignee?.accountId ?? null,
    creator_account_id: f.creator?.accountId ?? null,
    created_at: jiraTimeToIso(f.created),
    updated_at: jiraTimeToIso(f.updated),
    resolved_at: jiraTimeToIso(f.resolutiondate),
    security_level_id: f.security?.id ?? null,
    security_level_name: f.security?.name ?? null,
    custom_fields: customFieldIds.length > 0 ? custom : null,
    url: issue.key ? `${site.siteUrl}/browse/${issue.key}` : null,
    cloud_id: site.cloudId,
  };
}

export function issuesStream(deps: StreamDeps): Stream {
  return issueStream(deps, {
    name: 'jira_issues',
    kind: 'issues',
    // The most CPU per request (the largest pages): started with the Confluence streams, which mostly
    // wait on the network, it uses a CPU they leave idle instead of competing with jira_comments later.
    startFirst: 3,
    fields: ISSUE_FIELDS,
    withCustomFields: true,
    map: (issue, ctx) => [toIssueRecord(issue, ctx.site, ctx.customFieldIds)],
  });
}

// Requests per 1,000 records for the Jira streams, next to what the API makes unavoidable. Used by the
// tests (printed) and by the benchmark: read one stream alone against the simulator, then pass its request
// log (`sim.requests()`, or any list of request paths) and the number of records it emitted.

/** A logged request: only the method and path matter here. */
export interface RequestLike {
  method: string;
  path: string;
}

export interface RequestCost {
  records: number;
  requests: number;
  /** Requests per 1,000 records (Infinity when no record was read). */
  per1000: number;
  /** Requests by endpoint kind, e.g. `search/jql`, `issue/{id}/comment`, to see where they go. */
  byEndpoint: Record<string, number>;
}

/** The endpoint a Jira request hit, with ids replaced by placeholders. */
export function endpointOf(path: string): string {
  return path
    .replace(/^\/rest\/api\/3\//, '')
    .replace(/\/\d+(?=\/|$)/g, '/{id}')
    .replace(/^(project|issue)\/[A-Z][A-Z0-9_]+(?=\/|$)/, '$1/{key}');
}

export function requestCost(requests: readonly RequestLike[], records: number): RequestCost {
  const jira = requests.filter((r) => r.path.startsWith('/rest/api/3/'));
  const byEndpoint: Record<string, number> = {};
  for (const r of jira) {
    const key = `${r.method} ${endpointOf(r.path)}`;
    byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
  }
  return {
    records,
    requests: jira.length,
    per1000: records === 0 ? Infinity : (jira.length * 1000) / records,
    byEndpoint,
  };
}

/** Largest issue-search page for full fields, and for the project list (ENDPOINTS.md §3.1, §3.2). */
const SEARCH_PAGE = 100;
const PROJECT_PAGE = 100;

/**
 * The fewest requests any client needs for a stream, per 1,000 records: the project list plus one search
 * page per 100 issues of each project (a page cannot span projects when the cursor is per project; the
 * sum of ceilings is bounded below by the ceiling of the sum, used here). Comments and attachments come
 * embedded in the same search pages; attachments add one download per file whose text is extracted;
 * projects need the list plus the two scheme ids per project.
 */
export function apiMinimumPer1000(
  stream: 'jira_projects' | 'jira_issues' | 'jira_comments' | 'jira_attachments',
  counts: { projects: number; issues: number; records: number; downloads?: number },
): number {
  const list = Math.max(1, Math.ceil(counts.projects / PROJECT_PAGE));
  const requests =
    stream === 'jira_projects'
      ? list + 2 * counts.projects
      : list +
        Math.max(counts.projects > 0 ? 1 : 0, Math.ceil(counts.issues / SEARCH_PAGE)) +
        (stream === 'jira_attachments' ? (counts.downloads ?? 0) : 0);
  return counts.records === 0 ? Infinity : (requests * 1000) / counts.records;
}

// Issue search and retrieval: `search/jql` (GET and POST, nextPageToken paging), `search/approximate-count`,
// the removed `search` (410), `issue/bulkfetch` and `issue/{issueIdOrKey}`.
//
// Page size of search/jql: default 50; at most 5000 when only `id`/`key` are requested, otherwise at most 100
// (the spec says pages shrink "where a large number of fields are requested"; 100 is the size real sites
// return for full issues). Larger requests are clamped silently.
import { badRequest, issueNotFound, jiraError, json } from './errors';
import { parseExpand, selectFields, type FieldSelection } from './field-selection';
import { issueBean, namesFor, schemaFor } from './issue-bean';
import { JqlError } from './jql';
import type { JiraIssue } from './model';
import {
  compileSearch,
  decodePageToken,
  encodePageToken,
  InvalidPageToken,
  runSearch,
  type SearchScope,
} from './search';
import type { RouteTable, SimRequest, SimResponse } from './seam';
import { callerTimeZone, renderContext, type JiraState } from './state';

export const SEARCH_DEFAULT_PAGE = 50;
export const SEARCH_MAX_PAGE_LIGHT = 5000;
export const SEARCH_MAX_PAGE_FULL = 100;
const BULK_MAX = 100;

const REMOVED_SEARCH_MESSAGE =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. ' +
  'A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

const INVALID_PAYLOAD = 'Invalid request payload. Refer to the REST API documentation and try again.';

interface SearchParams {
  jql: string;
  nextPageToken?: string;
  maxResults?: number;
  fields?: string[];
  expand?: string;
  reconcileIssues?: number[];
}

function scopeFor(state: JiraState, req: SimRequest, reconcile: readonly number[] = []): SearchScope {
  return {
    store: state.store,
    access: state.access,
    caller: req.caller,
    timeZone: callerTimeZone(state, req.caller),
    now: state.clock.now(),
    index: state.index,
    reconcile: new Set(reconcile.map(String)),
  };
}

function fromQuery(req: SimRequest): SearchParams | SimResponse {
  const max = req.query.get('maxResults');
  if (max !== null && !/^-?\d+$/.test(max))
    return badRequest(`The value '${max}' is not a valid number for maxResults.`);
  const token = req.query.get('nextPageToken');
  const expand = req.query.getAll('expand');
  return {
    jql: req.query.get('jql') ?? '',
    ...(token ? { nextPageToken: token } : {}),
    ...(max !== null ? { maxResults: Number(max) } : {}),
    fields: req.query.getAll('fields'),
    ...(expand.length > 0 ? { expand: expand.join(',') } : {}),
  };
}

function fromBody(req: SimRequest): SearchParams | SimResponse {
  const b = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) return badRequest(INVALID_PAYLOAD);
  const body = b as Record<string, unknown>;
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (body.jql !== undefined && typeof body.jql !== 'string') return badRequest(INVALID_PAYLOAD);
  if (
    body.nextPageToken !== undefined &&
    body.nextPageToken !== null &&
    typeof body.nextPageToken !== 'string'
  ) {
    return badRequest(INVALID_PAYLOAD);
  }
  if (body.maxResults !== undefined && !Number.isInteger(body.maxResults)) return badRequest(INVALID_PAYLOAD);
  if (body.fields !== undefined && !strings(body.fields)) return badRequest(INVALID_PAYLOAD);
  // `expand` is a comma-separated string in this operation; an array is a payload error.
  if (body.expand !== undefined && typeof body.expand !== 'string') return badRequest(INVALID_PAYLOAD);
  if (body.reconcileIssues !== undefined && !Array.isArray(body.reconcileIssues))
    return badRequest(INVALID_PAYLOAD);
  return {
    jql: (body.jql as string | undefined) ?? '',
    ...(typeof body.nextPageToken === 'string' ? { nextPageToken: body.nextPageToken } : {}),
    ...(body.maxResults !== undefined ? { maxResults: body.maxResults as number } : {}),
    ...(body.fields !== undefined ? { fields: body.fields as string[] } : {}),
    ...(body.expand !== undefined ? { expand: body.expand as string } : {}),
    ...(body.reconcileIssues !== undefined ? { reconcileIssues: body.reconcileIssues as number[] } : {}),
  };
}

function pageSize(requested: number | undefined, selection: FieldSelection): number {
  const cap = selection.light ? SEARCH_MAX_PAGE_LIGHT : SEARCH_MAX_PAGE_FULL;
  return Math.min(Math.max(1, requested ?? SEARCH_DEFAULT_PAGE), cap);
}

function search(state: JiraState, req: SimRequest, params: SearchParams): SimResponse {
  if ((params.reconcileIssues?.length ?? 0) > 50) {
    return badRequest('The number of issues to reconcile must not exceed 50.');
  }
  const scope = scopeFor(state, req, params.reconcileIssues);
  try {
    const compiled = compileSearch(params.jql, scope);
    const after = params.nextPageToken ? decodePageToken(compiled, params.nextPageToken) : undefined;
    const selection = selectFields(params.fields, 'id');
    const expand = parseExpand(params.expand);
    const size = pageSize(params.maxResults, selection);
    const matching = runSearch(compiled, scope, after, size + 1);
    const page = matching.slice(0, size);
    const isLast = matching.length <= size;
    const rc = renderContext(state, req);
    const body: Record<string, unknown> = {
      issues: page.map((issue) =>
        issueBean(state, rc, req.caller, issue, { selection, expand, namesOnIssue: false }),
      ),
    };
    // The last page carries no token at all (not null, not empty).
    if (!isLast) body.nextPageToken = encodePageToken(compiled, page[page.length - 1]!);
    body.isLast = isLast;
    if (expand.has('names')) body.names = namesFor(selection.fields);
    if (expand.has('schema')) body.schema = schemaFor(selection.fields);
    return json(body);
  } catch (err) {
    if (err instanceof JqlError || err instanceof InvalidPageToken) return badRequest(err.message);
    throw err;
  }
}

function approximateCount(state: JiraState, req: SimRequest): SimResponse {
  const b = req.body as Record<string, unknown> | null;
  if (typeof b !== 'object' || b === null || (b.jql !== undefined && typeof b.jql !== 'string')) {
    return badRequest(INVALID_PAYLOAD);
  }
  const scope = scopeFor(state, req);
  try {
    const compiled = compileSearch((b.jql as string | undefined) ?? '', scope);
    return json({ count: runSearch(compiled, scope).length });
  } catch (err) {
    if (err instanceof JqlError) return badRequest(err.message);
    throw err;
  }
}

function bulkFetch(state: JiraState, req: SimRequest): SimResponse {
  const b = req.body as Record<string, unknown> | null;
  if (typeof b !== 'object' || b === null || !Array.isArray(b.issueIdsOrKeys))
    return badRequest(INVALID_PAYLOAD);
  const ids = b.issueIdsOrKeys as unknown[];
  if (!ids.every((x) => typeof x === 'string')) return badRequest(INVALID_PAYLOAD);
  if (ids.length === 0) return badRequest('At least one issue ID or key must be provided.');
  if (ids.length > BULK_MAX)
    return badRequest(`The number of issue IDs or keys provided must not exceed ${BULK_MAX}.`);
  if (b.expand !== undefined && !Array.isArray(b.expand)) return badRequest(INVALID_PAYLOAD);
  if (b.fields !== undefined && !Array.isArray(b.fields)) return badRequest(INVALID_PAYLOAD);
  const selection = selectFields(b.fields as string[] | undefined, 'navigable');
  const expand = parseExpand(b.expand as string[] | undefined);
  const rc = renderContext(state, req);
  const found = new Map<string, JiraIssue>();
  const issueErrors: { id: string; errorMessage: string }[] = [];
  for (const idOrKey of ids as string[]) {
    const issue = state.store.findIssue(idOrKey);
    if (issue && state.access.canOpenIssue(req.caller, issue)) found.set(issue.id, issue);
    else
      issueErrors.push({
        id: idOrKey,
        errorMessage: 'Issue does not exist or you do not have permission to see it.',
      });
  }
  const issues = [...found.values()]
    .sort((x, y) => Number(x.id) - Number(y.id))
    .map((issue) => issueBean(state, rc, req.caller, issue, { selection, expand, namesOnIssue: true }));
  return json({ issues, issueErrors });
}

function getIssue(state: JiraState, req: SimRequest): SimResponse {
  const issue = state.store.findIssue(req.params.issueIdOrKey ?? '');
  if (!issue || !state.access.canOpenIssue(req.caller, issue)) return issueNotFound();
  const selection = selectFields(req.query.getAll('fields'), 'all');
  const expand = parseExpand(req.query.getAll('expand'));
  return json(
    issueBean(state, renderContext(state, req), req.caller, issue, { selection, expand, namesOnIssue: true }),
  );
}

export function registerSearchRoutes(routes: RouteTable, state: JiraState): void {
  routes.get('/rest/api/3/search/jql', (req) => {
    const params = fromQuery(req);
    return 'status' in params ? params : search(state, req, params);
  });
  routes.post('/rest/api/3/search/jql', (req) => {
    const params = fromBody(req);
    return 'status' in params ? params : search(state, req, params);
  });
  routes.post('/rest/api/3/search/approximate-count', (req) => approximateCount(state, req));
  routes.get('/rest/api/3/search', () => jiraError(410, [REMOVED_SEARCH_MESSAGE]));
  routes.post('/rest/api/3/search', () => jiraError(410, [REMOVED_SEARCH_MESSAGE]));
  routes.post('/rest/api/3/issue/bulkfetch', (req) => bulkFetch(state, req));
  routes.get('/rest/api/3/issue/:issueIdOrKey', (req) => getIssue(state, req));
}

// POST /rest/api/3/search/jql: the only issue search left (the old /search answers 410). Paging is a
// sequential nextPageToken chain; the last page has `isLast: true` and no token (ENDPOINTS.md §3.1).
import type { ProductClient } from '../atlassian/product-client';
import type { IssueBean } from './issue-fields';

export const SEARCH_PATH = '/rest/api/3/search/jql';
/** The most issues one page returns when only `id` is requested. */
export const MAX_ID_PAGE = 5000;

export interface SearchOptions {
  jql: string;
  /** Issue fields to return; the API's default is `id` only. */
  fields: readonly string[];
  /** Requested page size; the API may return fewer when many fields are requested. */
  maxResults: number;
  signal?: AbortSignal;
}

interface SearchResponse {
  issues?: IssueBean[];
  nextPageToken?: string | null;
  isLast?: boolean;
}

/** Yields one page of issues at a time, following the token chain to its end. */
export async function* searchIssuePages(
  client: ProductClient,
  options: SearchOptions,
): AsyncGenerator<IssueBean[]> {
  let nextPageToken: string | undefined;
  for (;;) {
    const body = {
      jql: options.jql,
      fields: [...options.fields],
      maxResults: options.maxResults,
      ...(nextPageToken ? { nextPageToken } : {}),
    };
    const page = await client.search<SearchResponse>(SEARCH_PATH, body, { signal: options.signal });
    const issues = page.issues ?? [];
    if (issues.length > 0) yield issues;
    if (page.isLast === true || !page.nextPageToken || issues.length === 0) return;
    nextPageToken = page.nextPageToken;
  }
}

/** `POST /rest/api/3/search/approximate-count`: a cheap estimate for progress and digest sizing. */
export async function approximateCount(
  client: ProductClient,
  jql: string,
  signal?: AbortSignal,
): Promise<number> {
  const res = await client.search<{ count?: number }>(
    '/rest/api/3/search/approximate-count',
    { jql },
    { signal },
  );
  return typeof res.count === 'number' ? res.count : 0;
}

// POST /rest/api/3/search/jql: the only issue search left (the old /search answers 410). Paging is a
// sequential nextPageToken chain; the last page has `isLast: true` and no token (ENDPOINTS.md §3.1).
import type { ProductClient } from '../atlassian/product-client';
import { loopGuard, tokenPages } from '../atlassian/pagination';
import { fromSteps } from '../cdk/steps';
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

export interface SearchPage {
  issues: IssueBean[];
  /** The token of the next page; absent on the last page. */
  nextPageToken?: string;
}

/**
 * Yields the pages of one nextPageToken chain with their continuation token, starting at `startToken`
 * when given (a token saved in a checkpoint; Jira keeps them valid for 7 days). For chains that must be
 * resumable; otherwise searchIssuePages.
 *
 * Only `isLast` or a missing token ends the chain (ENDPOINTS.md §3.1): a page may be empty and still have
 * more after it. A token handed back twice is an error rather than a loop.
 */
export function searchChain(
  client: ProductClient,
  options: SearchOptions & { startToken?: string },
): AsyncIterableIterator<SearchPage> {
  const guard = loopGuard(SEARCH_PATH, 'nextPageToken');
  let nextPageToken = options.startToken;
  let more = true;
  return fromSteps(async () => {
    while (more) {
      const body = {
        jql: options.jql,
        fields: [...options.fields],
        maxResults: options.maxResults,
        ...(nextPageToken ? { nextPageToken } : {}),
      };
      const page = await client.search<SearchResponse>(SEARCH_PATH, body, { signal: options.signal });
      const issues = page.issues ?? [];
      const token = page.nextPageToken;
      more = page.isLast !== true && typeof token === 'string' && token !== '';
      nextPageToken = more ? (token as string) : undefined;
      if (nextPageToken) guard(nextPageToken);
      // An empty page is skipped; if it is not the last, the chain goes on with its token.
      if (issues.length > 0) return { done: false, value: more ? { issues, nextPageToken } : { issues } };
    }
    return { done: true, value: undefined };
  });
}

/** Yields one page of issues at a time, following the token chain to its end. */
export function searchIssuePages(
  client: ProductClient,
  options: SearchOptions,
): AsyncIterableIterator<IssueBean[]> {
  const body = { jql: options.jql, fields: [...options.fields], maxResults: options.maxResults };
  return tokenPages<IssueBean>(client, SEARCH_PATH, body, { signal: options.signal });
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

// The four paging styles of Atlassian Cloud (ENDPOINTS.md §1.0, §2.0, §3, §4), as async generators of pages.
// Each guards against a server that hands back the same cursor again: that is an error, never an endless loop.
import type { ProductClient, RequestOptions } from './product-client';
import { UpstreamError, pathOnly } from './errors';
import { fromSteps } from '../cdk/steps';

type Body = Record<string, unknown>;

const asBody = (value: unknown): Body =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : {};

const arrayAt = <T>(body: unknown, key: string): T[] => {
  if (Array.isArray(body)) return body as T[];
  const items = asBody(body)[key];
  return Array.isArray(items) ? (items as T[]) : [];
};

function loopError(path: string, what: string): UpstreamError {
  return new UpstreamError(
    `Pagination loop on ${pathOnly(path)}: the server returned the same ${what} twice`,
    {
      path: pathOnly(path),
      failureType: 'system_error',
    },
  );
}

/** Remembers cursors already followed; throws on a repeat. */
export function loopGuard(path: string, what: string): (cursor: string) => void {
  const seen = new Set<string>();
  return (cursor) => {
    if (seen.has(cursor)) throw loopError(path, what);
    seen.add(cursor);
  };
}

/** `<https://…/wiki/api/v2/pages?cursor=…>; rel="next"` → the URL, if any. */
export function nextFromLinkHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;.*\brel="?next"?/i.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Turns a Confluence next link into a path for `client`. v2 links are relative and already start with `/wiki`;
 * v1 search links are relative to the `/wiki` context. Absolute links are reduced to their path so that a
 * site-host link (`_links.base`) never takes the request off the gateway.
 */
export function confluenceNextPath(next: string, baseUrl: string): string {
  if (/^https?:\/\//i.test(next)) {
    if (next.startsWith(`${baseUrl}/`)) return next.slice(baseUrl.length);
    const url = new URL(next);
    const basePath = new URL(baseUrl).pathname.replace(/\/$/, '');
    const path =
      basePath && url.pathname.startsWith(`${basePath}/`)
        ? url.pathname.slice(basePath.length)
        : url.pathname;
    return path + url.search;
  }
  const relative = next.startsWith('/') ? next : `/${next}`;
  return relative.startsWith('/wiki/') ? relative : `/wiki${relative}`;
}

/** Confluence v2 (`_links.next` relative incl. `/wiki`, or the `Link` header) and v1 cursor search (`_links.next` relative to the /wiki context, without `/wiki`). Yields each page's `results`. */
export async function* confluenceCursorPages<T>(
  client: ProductClient,
  path: string,
  options: RequestOptions = {},
): AsyncGenerator<T[]> {
  const guard = loopGuard(path, 'next link');
  let current: string | undefined = path;
  // The next link carries every original query parameter (limit, filters, cursor): send it as is.
  let params = options.params;
  while (current) {
    const request: RequestOptions = { params, signal: options.signal };
    const { data, headers } = client.getWithHeaders
      ? await client.getWithHeaders<Body>(current, request)
      : { data: await client.get<Body>(current, request), headers: {} as Record<string, string | undefined> };
    const results = arrayAt<T>(data, 'results');
    if (results.length) yield results;
    const links = asBody(asBody(data)._links);
    const next = typeof links.next === 'string' ? links.next : nextFromLinkHeader(headers.link);
    // An empty page with a next link is normal (results filtered by permissions after paging): keep going.
    if (!next) return;
    current = confluenceNextPath(next, client.baseUrl);
    guard(current);
    params = undefined;
  }
}

export interface OffsetPageOptions extends RequestOptions {
  style: 'start' | 'startAt';
  pageSize: number;
  /** Where the items are: default `results` (start) or `values` (startAt); a bare array works either way. */
  itemsKey?: string;
}

/** start/limit (Confluence v1: `results`, stop when size < limit or no _links.next) and startAt/maxResults (Jira: PageBean `values` + isLast/total, bare arrays — stop on short/empty page, legacy envelopes via itemsKey e.g. 'comments'). Advances by the number of items actually returned: servers clamp page size silently. */
export async function* offsetPages<T>(
  client: ProductClient,
  path: string,
  options: OffsetPageOptions,
): AsyncGenerator<T[]> {
  const [offsetParam, limitParam] =
    options.style === 'start' ? ['start', 'limit'] : ['startAt', 'maxResults'];
  const itemsKey = options.itemsKey ?? (options.style === 'start' ? 'results' : 'values');
  let offset = 0;
  // The page size the server really uses, once a page shows it (clamped sizes are silent).
  let effectiveSize: number | undefined;
  for (;;) {
    const params = { ...options.params, [offsetParam]: offset, [limitParam]: options.pageSize };
    const body = await client.get<unknown>(path, { params, signal: options.signal });
    const items = arrayAt<T>(body, itemsKey);
    if (items.length === 0) return;
    yield items;
    offset += items.length;
    const verdict = isLastPage(body, items.length, offset, options.pageSize, effectiveSize);
    if (verdict === true) return;
    if (verdict === 'unknown' && effectiveSize === undefined) effectiveSize = items.length;
  }
}

/** `true` = last page, `false` = more pages, `'unknown'` = only the page length can tell (bare arrays). */
function isLastPage(
  body: unknown,
  length: number,
  nextOffset: number,
  requested: number,
  effectiveSize: number | undefined,
): boolean | 'unknown' {
  const envelope = asBody(body);
  if (typeof envelope.isLast === 'boolean') return envelope.isLast;
  if (envelope._links !== undefined) {
    // Confluence v1 always sends `_links`; `next` is absent on the last page.
    if (typeof asBody(envelope._links).next !== 'string') return true;
  }
  if (typeof envelope.total === 'number') return nextOffset >= envelope.total;
  const echoed = typeof envelope.limit === 'number' ? envelope.limit : envelope.maxResults;
  if (typeof echoed === 'number' && echoed > 0) return length < echoed;
  if (envelope._links !== undefined) return false;
  // A bare array: a page shorter than the requested size may be a silent clamp, not the end. The first short
  // page therefore sets the effective size; a page shorter than that ends the walk (an empty page always does).
  if (length >= requested) return false;
  if (effectiveSize !== undefined) return length < effectiveSize;
  return 'unknown';
}

/** Jira POST /rest/api/3/search/jql style: body + nextPageToken, stop when isLast or no token. Yields body[itemsKey] (default 'issues'). */
export function tokenPages<T>(
  client: ProductClient,
  path: string,
  body: Record<string, unknown>,
  options: { itemsKey?: string; signal?: AbortSignal } = {},
): AsyncIterableIterator<T[]> {
  const guard = loopGuard(path, 'nextPageToken');
  let token: string | undefined;
  let more = true;
  // Steps, not a generator: nothing of a page stays referenced here while its items are worked on.
  return fromSteps(async () => {
    while (more) {
      const request = token === undefined ? body : { ...body, nextPageToken: token };
      const page = asBody(await client.search<unknown>(path, request, { signal: options.signal }));
      const items = arrayAt<T>(page, options.itemsKey ?? 'issues');
      const next = page.nextPageToken;
      more = page.isLast !== true && typeof next === 'string' && next !== '';
      if (more) {
        guard(next as string);
        token = next as string;
      }
      if (items.length) return { done: false, value: items };
    }
    return { done: true, value: undefined };
  });
}

/** Where the next page is: a cursor token (v2, or a v1 URL carrying `cursor=`) or an opaque URL. */
function adminNext(next: string): { cursor: string } | { url: string } {
  if (!/^(https?:\/\/|\/)/i.test(next)) return { cursor: next };
  const cursor = new URL(next, 'http://placeholder.invalid').searchParams.get('cursor');
  return cursor ? { cursor } : { url: next };
}

/** Org Admin API: `links.next` is a cursor token (v2) or a URL (v1) — handle both; GET sends it as `cursor` query param, POST search in the body. Yields `data`. */
export async function* adminCursorPages<T>(
  client: ProductClient,
  path: string,
  options: RequestOptions & { body?: Record<string, unknown> } = {},
): AsyncGenerator<T[]> {
  const guard = loopGuard(path, 'cursor');
  const { body, signal } = options;
  // POST /workspaces: "When a cursor is provided in the request body, no other properties may be present".
  const cursorOnly = /\/workspaces$/.test(pathOnly(path));
  let cursor: string | undefined;
  let url: string | undefined;
  for (;;) {
    let page: Body;
    if (body !== undefined) {
      const request = cursor === undefined ? body : cursorOnly ? { cursor } : { ...body, cursor };
      page = asBody(await client.search<unknown>(path, request, { params: options.params, signal }));
    } else if (url !== undefined) {
      page = asBody(await client.get<unknown>(url, { signal }));
    } else {
      // "If [cursor is] present, all other parameters are discarded": sending them again is harmless.
      const params = cursor === undefined ? options.params : { ...options.params, cursor };
      page = asBody(await client.get<unknown>(path, { params, signal }));
    }
    const items = arrayAt<T>(page, 'data');
    if (items.length) yield items;
    const next = asBody(page.links).next;
    if (typeof next !== 'string' || next === '') return;
    guard(next);
    const where = adminNext(next);
    if ('cursor' in where) {
      cursor = where.cursor;
      url = undefined;
    } else {
      if (body !== undefined) {
        throw new UpstreamError(
          `${pathOnly(path)} returned a next-page URL without a cursor for a POST search`,
          {
            path: pathOnly(path),
            failureType: 'system_error',
          },
        );
      }
      url = where.url;
    }
  }
}

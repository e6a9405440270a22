// The two Confluence pagination styles, exactly as ENDPOINTS.md §1.0 and §2.0 describe them.
// v2: opaque cursor, `_links.next` relative and starting with `/wiki`, `_links.base` = site + `/wiki`,
//     `Link` header on every page but the last; limits clamp silently to the maximum.
// v1: start/limit with `_links.next` relative to `/wiki` (no `/wiki` prefix), or a cursor for search.
import { confluenceV1Error, confluenceV2Error } from '../core/errors';
import { decodeCursor, encodeCursor } from '../core/ids';
import type { SimRequest, SimResponse } from '../core/types';

export type SortKey = string | number;

export interface SortedItem<T> {
  item: T;
  key: SortKey;
  id: string;
}

/** Numeric-string ids compare as numbers (Confluence ids are digits of varying length). */
export function compareIds(a: string, b: string): number {
  const na = digits(a);
  const nb = digits(b);
  return na.length - nb.length || (na < nb ? -1 : na > nb ? 1 : 0);
}

/** `id` without its non-digit prefix; sorts call this per comparison, so plain ids skip the regex. */
function digits(id: string): string {
  const c = id.charCodeAt(0);
  return c >= 48 && c <= 57 ? id : id.replace(/^\D+/, '');
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/**
 * Sorts by (key, id), `desc` reversing both. Ties break on id so a keyset cursor is total and stable.
 */
export function sortItems<T>(items: Array<SortedItem<T>>, desc: boolean): Array<SortedItem<T>> {
  const dir = desc ? -1 : 1;
  return items.sort((a, b) => dir * (compareKeys(a.key, b.key) || compareIds(a.id, b.id)));
}

export function parseLimit(
  req: SimRequest,
  options: { defaultLimit: number; maxLimit: number },
): number | SimResponse {
  const raw = req.query.get('limit');
  if (raw === null || raw === '') return options.defaultLimit;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) return confluenceV2Error(400, `Invalid limit: ${raw}`);
  return Math.min(n, options.maxLimit);
}

interface CursorState {
  k: SortKey;
  i: string;
}

/** One page of a v2 list, continuing after the cursor's (key, id). */
export function v2Page<T>(
  req: SimRequest,
  sorted: Array<SortedItem<T>>,
  options: { desc: boolean; render: (item: T) => unknown; defaultLimit?: number; maxLimit?: number },
): SimResponse {
  const limit = parseLimit(req, {
    defaultLimit: options.defaultLimit ?? 25,
    maxLimit: options.maxLimit ?? 250,
  });
  if (typeof limit !== 'number') return limit;
  const cursorParam = req.query.get('cursor');
  let start = 0;
  if (cursorParam) {
    const state = decodeCursor<CursorState>(cursorParam);
    if (!state || state.i === undefined) return confluenceV2Error(400, 'Invalid cursor');
    const dir = options.desc ? -1 : 1;
    // First item strictly after the cursor position (binary search on the sorted order).
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = sorted[mid]!;
      const cmp = dir * (compareKeys(m.key, state.k) || compareIds(m.id, state.i));
      if (cmp <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const slice = sorted.slice(start, start + limit);
  const base = `${req.siteUrl}/wiki`;
  const links: Record<string, string> = { base };
  const headers: Record<string, string> = {};
  const last = slice[slice.length - 1];
  if (last && start + limit < sorted.length) {
    const query = new URLSearchParams(req.query);
    query.set('cursor', encodeCursor({ k: last.key, i: last.id } satisfies CursorState));
    query.set('limit', String(limit));
    links.next = `${req.path}?${query.toString()}`;
    headers.Link = `<${links.next}>; rel="next", <${base}>; rel="base"`;
  }
  return { status: 200, body: { results: slice.map((s) => options.render(s.item)), _links: links }, headers };
}

/** Multi-valued query parameter: repeated and/or comma-separated. */
export function multi(req: SimRequest, name: string): string[] {
  return req.query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

export function flag(req: SimRequest, name: string, fallback = false): boolean {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  return raw === 'true';
}

/** v1 offset paging. `_links.next` is relative to `/wiki` (no `/wiki` prefix). */
export function v1OffsetPage<T>(
  req: SimRequest,
  items: T[],
  options: {
    defaultLimit: number;
    maxLimit: number;
    render: (item: T) => unknown;
    extra?: Record<string, unknown>;
  },
): SimResponse {
  const start = Number(req.query.get('start') ?? '0');
  const rawLimit = Number(req.query.get('limit') ?? String(options.defaultLimit));
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(rawLimit) || rawLimit < 0) {
    return confluenceV1Error(400, 'start and limit must be non-negative integers');
  }
  const limit = Math.min(rawLimit, options.maxLimit);
  const slice = items.slice(start, start + limit);
  const context = '/wiki';
  const relPath = req.path.replace(/^\/wiki/, '');
  const links: Record<string, string> = {
    base: `${req.siteUrl}/wiki`,
    context,
    self: `${req.siteUrl}${req.path}`,
  };
  if (start + limit < items.length) {
    const q = new URLSearchParams(req.query);
    q.set('start', String(start + limit));
    q.set('limit', String(limit));
    links.next = `${relPath}?${q.toString()}`;
  }
  if (start > 0) {
    const q = new URLSearchParams(req.query);
    q.set('start', String(Math.max(0, start - limit)));
    q.set('limit', String(limit));
    links.prev = `${relPath}?${q.toString()}`;
  }
  return {
    status: 200,
    body: {
      results: slice.map(options.render),
      start,
      limit,
      size: slice.length,
      ...options.extra,
      _links: links,
    },
  };
}

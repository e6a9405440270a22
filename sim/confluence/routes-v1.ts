// v1 endpoints the connector needs where v2 has no equivalent: content restrictions, groups and their
// members, and CQL search (`content/search` and `search`).
import { confluenceV1Error } from '../core/errors';
import { decodeCursor, encodeCursor, isoTime } from '../core/ids';
import type { RouteTable, SimRequest, SimResponse } from '../core/types';
import { canReadSpace } from './access';
import type { ConfluenceContext } from './context';
import { CqlError, evaluate, parseCql, pinnedValues, type CqlItem, type CqlQuery } from './cql';
import { isDocument, type Content } from './model';
import { compareIds, multi, v1OffsetPage } from './pagination';
import { contentWebui } from './serialize';
import { v1Content, v1Group, v1ItemId, v1Restriction, v1User, type V1Item } from './serialize-v1';

/** Query results kept for paging: arrays of references to the model's items, small. */
const SEARCH_CACHE_ENTRIES = 96;

function v1Int(req: SimRequest, name: string, fallback: number): number | undefined {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function registerV1Routes(routes: RouteTable, ctx: ConfluenceContext): void {
  const visible = (req: SimRequest): Content | undefined => {
    const content = ctx.model.contents.get(req.params.id!);
    return content && ctx.access.canRead(req.caller, content) ? content : undefined;
  };

  routes.get('/wiki/rest/api/content/:id/restriction/byOperation', (req) => {
    const content = visible(req);
    if (!content) return confluenceV1Error(404, `No content found with id: ContentId{id=${req.params.id}}`);
    const page = { start: 0, limit: 100 };
    return {
      status: 200,
      body: {
        read: v1Restriction(ctx, content.id, 'read', content.readRestriction, page),
        update: v1Restriction(ctx, content.id, 'update', content.updateRestriction, page),
        _links: { base: `${req.siteUrl}/wiki`, context: '/wiki' },
      },
    };
  });

  routes.get('/wiki/rest/api/content/:id/restriction/byOperation/:operationKey', (req) => {
    const content = visible(req);
    if (!content) return confluenceV1Error(404, `No content found with id: ContentId{id=${req.params.id}}`);
    const op = req.params.operationKey;
    if (op !== 'read' && op !== 'update') return confluenceV1Error(400, `Invalid operation key: ${op}`);
    const start = v1Int(req, 'start', 0);
    const limit = v1Int(req, 'limit', 100);
    if (start === undefined || limit === undefined)
      return confluenceV1Error(400, 'start and limit must be non-negative integers');
    const restriction = op === 'read' ? content.readRestriction : content.updateRestriction;
    return {
      status: 200,
      body: v1Restriction(ctx, content.id, op, restriction, { start, limit: Math.min(limit, 100) }),
    };
  });

  routes.get('/wiki/rest/api/group', (req) => {
    const groups = [...ctx.dir.groups].sort((a, b) => a.name.localeCompare(b.name));
    return v1OffsetPage(req, groups, {
      defaultLimit: 200,
      maxLimit: 200,
      render: (g) => v1Group(g, ctx.dir.groupFacts.get(g.id)?.managedBy ?? 'admins'),
    });
  });

  routes.get('/wiki/rest/api/group/:groupId/membersByGroupId', (req) => {
    const group = ctx.dir.groupById(req.params.groupId!);
    if (!group) return confluenceV1Error(404, `Group not found: ${req.params.groupId}`);
    const members = [...(ctx.dir.members.get(group.id) ?? [])].sort();
    const total = req.query.get('shouldReturnTotalSize') === 'true' ? { totalSize: members.length } : {};
    return v1OffsetPage(req, members, {
      defaultLimit: 200,
      maxLimit: 200,
      render: (id) => v1User(ctx.dir.userById(id), id),
      extra: total,
    });
  });

  routes.get('/wiki/rest/api/content/search', (req) => search(ctx, req, 'content'));
  routes.get('/wiki/rest/api/search', (req) => search(ctx, req, 'search'));
}

interface Candidate {
  item: V1Item;
  cql: CqlItem;
  /** The item itself for pages and blog posts, else its container: whose access it follows. */
  container: Content;
  /** Position in its list, to merge several spaces' items back into model order. */
  order: number;
}

interface CandidateList {
  all: Candidate[];
  bySpace: Map<string, Candidate[]>;
}

function candidateListOf(items: Array<Omit<Candidate, 'order'>>): CandidateList {
  const all: Candidate[] = [];
  const bySpace = new Map<string, Candidate[]>();
  for (const item of items) {
    const candidate = { ...item, order: all.length };
    all.push(candidate);
    const spaceId = candidate.container.spaceId;
    const list = bySpace.get(spaceId);
    if (list) list.push(candidate);
    else bySpace.set(spaceId, [candidate]);
  }
  return { all, bySpace };
}

/**
 * Every searchable item with its CQL fields, in model order. Building these (ancestor chains, labels) per
 * query dominated search, and a sync runs hundreds of queries over an unchanged model, so they are kept
 * until the model changes (the access version bumps).
 */
const candidateLists = new WeakMap<
  ConfluenceContext,
  { version: number; contents: CandidateList; comments: CandidateList; attachments: CandidateList }
>();

function candidateList(ctx: ConfluenceContext): {
  contents: CandidateList;
  comments: CandidateList;
  attachments: CandidateList;
} {
  const cached = candidateLists.get(ctx);
  if (cached && cached.version === ctx.access.version) return cached;
  const keyOf = (c: Content): string => ctx.model.spaces.get(c.spaceId)?.key ?? '';
  const contents: Array<Omit<Candidate, 'order'>> = [];
  for (const c of ctx.model.contents.values()) {
    // The connector never asks CQL for folders (`type = folder`): they stay out of search here.
    if (!isDocument(c)) continue;
    const ancestors = c.kind === 'page' ? ctx.model.ancestors(c).map((a) => a.id) : [];
    contents.push({
      item: { type: c.kind, content: c },
      cql: {
        type: c.kind,
        id: c.id,
        spaceKey: keyOf(c),
        lastModified: c.version.createdAt,
        created: c.createdAt,
        title: c.title,
        ancestorIds: ancestors,
        parentId: c.parentId,
        labels: c.labels.map((l) => l.name),
      },
      container: c,
    });
  }
  const comments: Array<Omit<Candidate, 'order'>> = [];
  for (const comment of ctx.model.comments.values()) {
    const container = ctx.model.contents.get(comment.containerId);
    if (comment.status !== 'current' || !container) continue;
    comments.push({
      item: { type: 'comment', comment },
      cql: {
        type: 'comment',
        id: comment.id,
        spaceKey: keyOf(container),
        lastModified: comment.version.createdAt,
        created: comment.createdAt,
        title: `Re: ${container.title}`,
        ancestorIds: [],
        parentId: container.id,
        labels: [],
      },
      container,
    });
  }
  const attachments: Array<Omit<Candidate, 'order'>> = [];
  for (const attachment of ctx.model.attachments.values()) {
    const container = ctx.model.contents.get(attachment.containerId);
    if (attachment.status !== 'current' || !container) continue;
    attachments.push({
      item: { type: 'attachment', attachment },
      cql: {
        type: 'attachment',
        id: attachment.id,
        spaceKey: keyOf(container),
        lastModified: attachment.version.createdAt,
        created: attachment.createdAt,
        title: attachment.title,
        ancestorIds: [],
        parentId: container.id,
        labels: [],
      },
      container,
    });
  }
  const built = {
    version: ctx.access.version,
    contents: candidateListOf(contents),
    comments: candidateListOf(comments),
    attachments: candidateListOf(attachments),
  };
  candidateLists.set(ctx, built);
  return built;
}

function* candidates(
  ctx: ConfluenceContext,
  caller: string,
  includeArchivedSpaces: boolean,
  query: CqlQuery,
): Generator<Candidate> {
  // Spaces and kinds the query pins skip whole groups of items before the per-item checks.
  const spaceKeys = pinnedValues(query, 'space', 'space.key');
  const types = pinnedValues(query, 'type');
  const wanted = (type: string) => !types || types.has(type);
  const spaceOk = new Map<string, boolean>();
  const spaceVisible = (spaceId: string): boolean => {
    let ok = spaceOk.get(spaceId);
    if (ok === undefined) {
      const space = ctx.model.spaces.get(spaceId);
      ok =
        !!space &&
        (!spaceKeys || spaceKeys.has(space.key.toLowerCase())) &&
        (includeArchivedSpaces || space.status === 'current') &&
        canReadSpace(ctx.dir, caller, space);
      spaceOk.set(spaceId, ok);
    }
    return ok;
  };
  const readable = (c: Content): boolean =>
    c.status === 'current' && spaceVisible(c.spaceId) && ctx.access.canRead(caller, c);
  const pinnedSpaces = spaceKeys
    ? [...ctx.model.spaces.values()].filter((space) => spaceKeys.has(space.key.toLowerCase()))
    : undefined;
  // The pinned spaces' items only, in model order.
  const inScope = (list: CandidateList): Candidate[] => {
    if (!pinnedSpaces) return list.all;
    const parts = pinnedSpaces.map((space) => list.bySpace.get(space.id) ?? []);
    return parts.length === 1 ? parts[0]! : parts.flat().sort((a, b) => a.order - b.order);
  };
  const all = candidateList(ctx);
  for (const candidate of inScope(all.contents)) {
    if (wanted(candidate.container.kind) && readable(candidate.container)) yield candidate;
  }
  for (const candidate of wanted('comment') ? inScope(all.comments) : []) {
    if (readable(candidate.container)) yield candidate;
  }
  for (const candidate of wanted('attachment') ? inScope(all.attachments) : []) {
    if (readable(candidate.container)) yield candidate;
  }
}

const ORDER_FIELDS: Record<string, (c: CqlItem) => number | string> = {
  lastmodified: (c) => c.lastModified,
  created: (c) => c.created,
  id: (c) => c.id,
  title: (c) => c.title,
};

interface Hit {
  item: V1Item;
  cql: CqlItem;
}

function sortHits(hits: Hit[], query: CqlQuery): void {
  const order = query.orderBy.length ? query.orderBy : [{ field: 'id', desc: false }];
  for (const o of order)
    if (!ORDER_FIELDS[o.field]) throw new CqlError(`Could not parse cql : cannot order by ${o.field}`);
  hits.sort((a, b) => {
    for (const o of order) {
      const dir = o.desc ? -1 : 1;
      const va = ORDER_FIELDS[o.field]!(a.cql);
      const vb = ORDER_FIELDS[o.field]!(b.cql);
      const cmp = o.field === 'id' ? compareIds(String(va), String(vb)) : va < vb ? -1 : va > vb ? 1 : 0;
      if (cmp !== 0) return dir * cmp;
    }
    return compareIds(a.cql.id, b.cql.id);
  });
}

/**
 * Both search endpoints page by cursor (an offset into the ordered result, which is stable for a fixed
 * dataset). `_links.next` is relative to `/wiki`, without the `/wiki` prefix (ENDPOINTS.md §2.0).
 */
function search(ctx: ConfluenceContext, req: SimRequest, flavour: 'content' | 'search'): SimResponse {
  const cql = req.query.get('cql');
  if (!cql) return confluenceV1Error(400, 'CQL query parameter is required');
  const expand = new Set(multi(req, 'expand'));
  const caller = ctx.dir.userById(req.caller);
  const timeZone = caller?.timeZone ?? 'UTC';
  const limitRaw = v1Int(req, 'limit', 25);
  if (limitRaw === undefined) return confluenceV1Error(400, 'limit must be a non-negative integer');
  // With bodies expanded Confluence caps pages lower; without, at 100 here.
  const maxLimit = [...expand].some((e) => e.startsWith('body')) ? 50 : 100;
  const limit = Math.min(Math.max(limitRaw, 1), maxLimit);
  const cursorState = decodeCursor<{ o: number }>(req.query.get('cursor'));
  if (req.query.get('cursor') && !cursorState) return confluenceV1Error(400, 'Invalid cursor');
  const start = cursorState?.o ?? (flavour === 'search' ? (v1Int(req, 'start', 0) ?? 0) : 0);

  const includeArchived = flavour === 'content' || req.query.get('includeArchivedSpaces') === 'true';
  const cacheKey = `${req.caller}|${includeArchived}|${cql}|${ctx.access.version}`;
  let hits: Hit[] | undefined = ctx.searchCache.get(cacheKey) as Hit[] | undefined;
  try {
    if (!hits) {
      const query: CqlQuery = parseCql(cql);
      hits = [];
      const dates = new Map<string, number>();
      for (const candidate of candidates(ctx, req.caller, includeArchived, query)) {
        if (evaluate(query.where, candidate.cql, timeZone, dates)) hits.push(candidate);
      }
      sortHits(hits, query);
      // Walking pages of one query re-runs it per page; keep recent results (bounded). A client walks
      // several streams × spaces at once, so the bound is well above its number of open queries.
      ctx.searchCache.set(cacheKey, hits);
      if (ctx.searchCache.size > SEARCH_CACHE_ENTRIES)
        ctx.searchCache.delete(ctx.searchCache.keys().next().value!);
    }
  } catch (error) {
    if (error instanceof CqlError) return confluenceV1Error(400, error.message);
    throw error;
  }
  const slice = hits.slice(start, start + limit);
  const links: Record<string, string> = { base: `${req.siteUrl}/wiki`, context: '/wiki' };
  const path = req.path.replace(/^\/wiki/, '');
  if (start + limit < hits.length) {
    const q = new URLSearchParams(req.query);
    q.delete('start');
    q.set('limit', String(limit));
    q.set('cursor', encodeCursor({ o: start + limit }));
    links.next = `${path}?${q.toString()}`;
  }
  if (start > 0) {
    const q = new URLSearchParams(req.query);
    q.delete('start');
    q.set('cursor', encodeCursor({ o: Math.max(0, start - limit) }));
    links.prev = `${path}?${q.toString()}`;
  }
  links.self = `${req.siteUrl}${req.path}?${req.query.toString()}`;
  if (flavour === 'content') {
    return {
      status: 200,
      body: {
        results: slice.map((h) => v1Content(ctx, h.item, expand)),
        start,
        limit,
        size: slice.length,
        _links: links,
      },
    };
  }
  return {
    status: 200,
    body: {
      results: slice.map((h) => searchResult(ctx, h, expand)),
      start,
      limit,
      size: slice.length,
      totalSize: hits.length,
      cqlQuery: cql,
      searchDuration: 12,
      archivedResultCount: 0,
      _links: links,
    },
  };
}

function searchResult(ctx: ConfluenceContext, hit: Hit, expand: Set<string>): Record<string, unknown> {
  const content = v1Content(ctx, hit.item, expand);
  const space = [...ctx.model.spaces.values()].find((s) => s.key === hit.cql.spaceKey);
  return {
    content,
    title: hit.cql.title,
    excerpt: '',
    url: (content._links as Record<string, string>).webui,
    resultGlobalContainer: space ? { title: space.name, displayUrl: `/spaces/${space.key}` } : undefined,
    breadcrumbs: [],
    entityType: 'content',
    iconCssClass: hit.item.type === 'attachment' ? 'icon-file' : `aui-icon content-type-${hit.item.type}`,
    lastModified: isoTime(hit.cql.lastModified),
    friendlyLastModified: isoTime(hit.cql.lastModified),
    score: 1,
  };
}

export { v1ItemId, contentWebui };

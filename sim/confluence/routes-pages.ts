// v2 pages and blog posts: lists (site-wide and per space), single objects, ancestors and labels.
import { confluenceV2Error } from '../core/errors';
import type { RouteTable, SimRequest, SimResponse } from '../core/types';
import type { ConfluenceContext } from './context';
import type { Content, ContentStatus } from './model';
import { flag, multi, sortItems, v2Page, type SortedItem } from './pagination';
import { visibleSpace } from './routes-spaces';
import { contentJson } from './serialize';

type Kind = 'page' | 'blogpost';

const STATUSES: Record<Kind, { allowed: ContentStatus[]; defaults: ContentStatus[] }> = {
  // Pages default to current + archived; blog posts have no archived state and default to current only.
  page: { allowed: ['current', 'archived', 'trashed', 'deleted'], defaults: ['current', 'archived'] },
  blogpost: { allowed: ['current', 'trashed', 'deleted'], defaults: ['current'] },
};

const SORTS: Record<string, (c: Content) => string | number> = {
  id: (c) => Number(c.id),
  'created-date': (c) => c.createdAt,
  'modified-date': (c) => c.version.createdAt,
  title: (c) => c.title,
};

/** The page or blog post if it exists (not purged) and the caller may read it. */
export function visibleContent(
  ctx: ConfluenceContext,
  req: SimRequest,
  id: string,
  kind?: Kind,
): Content | undefined {
  const content = ctx.model.contents.get(id);
  if (!content || (kind && content.kind !== kind)) return undefined;
  return ctx.access.canRead(req.caller, content) ? content : undefined;
}

function parseStatuses(req: SimRequest, kind: Kind, extra: string[] = []): ContentStatus[] | SimResponse {
  const requested = multi(req, 'status');
  for (const s of requested) {
    if (!STATUSES[kind].allowed.includes(s as ContentStatus) && !extra.includes(s))
      return confluenceV2Error(400, `Invalid status: ${s}`);
  }
  return requested.length ? (requested as ContentStatus[]) : STATUSES[kind].defaults;
}

function listContent(ctx: ConfluenceContext, req: SimRequest, kind: Kind, spaceId?: string): SimResponse {
  const statuses = parseStatuses(req, kind);
  if (!Array.isArray(statuses)) return statuses;
  const sortParam = req.query.get('sort') ?? 'id';
  const sortField = sortParam.replace(/^-/, '');
  if (!SORTS[sortField] || (kind === 'blogpost' && sortField === 'title'))
    return confluenceV2Error(400, `Invalid sort: ${sortParam}`);
  const bodyFormat = req.query.get('body-format');
  if (bodyFormat !== null && bodyFormat !== 'storage' && bodyFormat !== 'atlas_doc_format') {
    return confluenceV2Error(400, `Invalid body-format: ${bodyFormat}`);
  }
  const ids = new Set(multi(req, 'id'));
  const spaceIds = new Set(spaceId ? [spaceId] : multi(req, 'space-id'));
  const title = req.query.get('title');
  const rootOnly = kind === 'page' && spaceId !== undefined && req.query.get('depth') === 'root';
  const key = SORTS[sortField]!;
  const items: Array<SortedItem<Content>> = [];
  for (const c of ctx.model.contents.values()) {
    if (c.kind !== kind) continue;
    if (!statuses.includes(c.status)) continue;
    if (spaceIds.size && !spaceIds.has(c.spaceId)) continue;
    if (ids.size && !ids.has(c.id)) continue;
    if (title !== null && c.title !== title) continue;
    if (rootOnly && c.parentId) continue;
    if (!ctx.access.canRead(req.caller, c)) continue;
    items.push({ item: c, key: key(c), id: c.id });
  }
  const desc = sortParam.startsWith('-');
  return v2Page(req, sortItems(items, desc), { desc, render: (c) => contentJson(ctx, c, bodyFormat) });
}

function single(ctx: ConfluenceContext, req: SimRequest, kind: Kind): SimResponse {
  const content = visibleContent(ctx, req, req.params.id!, kind);
  const statuses = parseStatuses(req, kind, ['historical', 'draft', 'any']);
  if (!Array.isArray(statuses)) return statuses;
  // A single GET also finds archived pages without asking; trashed and deleted content needs an explicit status.
  const allowed = multi(req, 'status').length ? statuses : [...STATUSES[kind].defaults, 'archived'];
  if (!content || (!allowed.includes(content.status) && !allowed.includes('any' as ContentStatus))) {
    return confluenceV2Error(404, `No ${kind} found with id ${req.params.id}`);
  }
  const body = contentJson(ctx, content, req.query.get('body-format'));
  if (!flag(req, 'include-version', true)) delete body.version;
  if (flag(req, 'include-labels')) {
    body.labels = {
      results: content.labels.slice(0, 50),
      meta: { hasMore: content.labels.length > 50, cursor: '' },
      _links: { self: `${req.path}/labels` },
    };
  }
  if (flag(req, 'include-properties'))
    body.properties = { results: [], meta: { hasMore: false, cursor: '' }, _links: {} };
  if (flag(req, 'include-operations')) {
    body.operations = {
      results: [{ operation: 'read', targetType: kind }],
      meta: { hasMore: false, cursor: '' },
      _links: {},
    };
  }
  body._links = { ...(body._links as object), base: `${req.siteUrl}/wiki` };
  return { status: 200, body };
}

function labels(ctx: ConfluenceContext, req: SimRequest, kind: Kind): SimResponse {
  const content = visibleContent(ctx, req, req.params.id!, kind);
  if (!content || content.status === 'deleted')
    return confluenceV2Error(404, `No ${kind} found with id ${req.params.id}`);
  const prefix = req.query.get('prefix');
  const items = content.labels
    .filter((l) => !prefix || l.prefix === prefix)
    .map((l) => ({ item: l, key: Number(l.id), id: l.id }));
  return v2Page(req, sortItems(items, false), { desc: false, render: (l) => l });
}

export function registerPageRoutes(routes: RouteTable, ctx: ConfluenceContext): void {
  for (const kind of ['page', 'blogpost'] as const) {
    const plural = `${kind}s`;
    routes.get(`/wiki/api/v2/${plural}`, (req) => listContent(ctx, req, kind));
    routes.get(`/wiki/api/v2/spaces/:spaceId/${plural}`, (req) => {
      if (!visibleSpace(ctx, req, req.params.spaceId!))
        return confluenceV2Error(404, `Space ${req.params.spaceId} not found`);
      return listContent(ctx, req, kind, req.params.spaceId);
    });
    routes.get(`/wiki/api/v2/${plural}/:id`, (req) => single(ctx, req, kind));
    routes.get(`/wiki/api/v2/${plural}/:id/labels`, (req) => labels(ctx, req, kind));
  }

  // No cursor: at most `limit` ancestors, the nearest ones, listed top-to-bottom, of every type (pages and
  // folders here). Callers page upwards by asking again for the first ancestor returned, by its type.
  for (const kind of ['page', 'folder'] as const) {
    routes.get(`/wiki/api/v2/${kind}s/:id/ancestors`, (req) => {
      const content = ctx.model.contents.get(req.params.id!);
      if (!content || content.kind !== kind || !ctx.access.canRead(req.caller, content))
        return confluenceV2Error(404, `No ${kind} found with id ${req.params.id}`);
      const raw = req.query.get('limit');
      const limit = raw === null ? 25 : Math.min(Number(raw), 250);
      if (!Number.isInteger(limit) || limit < 1) return confluenceV2Error(400, `Invalid limit: ${raw}`);
      const ancestors = ctx.model.ancestors(content);
      const slice = ancestors.slice(Math.max(0, ancestors.length - limit));
      return {
        status: 200,
        body: {
          results: slice.map((a) => ({ id: a.id, type: a.kind })),
          _links: { base: `${req.siteUrl}/wiki` },
        },
      };
    });
  }
}

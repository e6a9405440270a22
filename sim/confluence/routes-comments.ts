// v2 footer and inline comments: site-wide lists (replies included), per page / blog post (root comments),
// children (replies) and single comments. Access follows the container.
import { confluenceV2Error } from '../core/errors';
import type { RouteTable, SimRequest, SimResponse } from '../core/types';
import type { ConfluenceContext } from './context';
import type { Comment } from './model';
import { multi, sortItems, v2Page, type SortedItem } from './pagination';
import { visibleContent } from './routes-pages';
import { commentJson } from './serialize';

const SORTS: Record<string, (c: Comment) => number> = {
  'created-date': (c) => c.createdAt,
  'modified-date': (c) => c.version.createdAt,
};

export function visibleComment(
  ctx: ConfluenceContext,
  req: SimRequest,
  id: string,
  kind?: Comment['kind'],
): Comment | undefined {
  const comment = ctx.model.comments.get(id);
  if (!comment || (kind && comment.kind !== kind)) return undefined;
  const container = ctx.model.contents.get(comment.containerId);
  return container && ctx.access.canRead(req.caller, container) ? comment : undefined;
}

/**
 * The site-wide lists scan, check and sort every comment; a sync walks them a page at a time, so their
 * sorted results are kept per caller and filters until the model changes (the access version bumps).
 */
const SORTED_LISTS = 16;
const sortedLists = new WeakMap<ConfluenceContext, { version: number; lists: Map<string, unknown> }>();

function list(
  ctx: ConfluenceContext,
  req: SimRequest,
  filter: (c: Comment) => boolean,
  shape: { container: boolean; parent: boolean },
  cacheAs?: string,
): SimResponse {
  const sortParam = req.query.get('sort') ?? 'created-date';
  const key = SORTS[sortParam.replace(/^-/, '')];
  if (!key) return confluenceV2Error(400, `Invalid sort: ${sortParam}`);
  const statuses = multi(req, 'status');
  const wanted = statuses.length ? statuses : ['current'];
  const resolution = multi(req, 'resolution-status');
  const desc = sortParam.startsWith('-');
  let cache = sortedLists.get(ctx);
  if (!cache || cache.version !== ctx.access.version) {
    cache = { version: ctx.access.version, lists: new Map() };
    sortedLists.set(ctx, cache);
  }
  const listKey =
    cacheAs === undefined ? undefined : JSON.stringify([cacheAs, req.caller, sortParam, wanted, resolution]);
  let sorted = listKey === undefined ? undefined : (cache.lists.get(listKey) as Array<SortedItem<Comment>>);
  if (!sorted) {
    const items: Array<SortedItem<Comment>> = [];
    for (const c of ctx.model.comments.values()) {
      if (!filter(c) || !wanted.includes(c.status)) continue;
      if (resolution.length && (c.kind !== 'inline' || !resolution.includes(c.resolutionStatus ?? 'open')))
        continue;
      const container = ctx.model.contents.get(c.containerId);
      if (!container || !ctx.access.canRead(req.caller, container)) continue;
      items.push({ item: c, key: key(c), id: c.id });
    }
    sorted = sortItems(items, desc);
    if (listKey !== undefined) {
      cache.lists.set(listKey, sorted);
      if (cache.lists.size > SORTED_LISTS) cache.lists.delete(cache.lists.keys().next().value!);
    }
  }
  const bodyFormat = req.query.get('body-format');
  return v2Page(req, sorted, {
    desc,
    render: (c) => commentJson(ctx, c, { bodyFormat, ...shape }),
  });
}

export function registerCommentRoutes(routes: RouteTable, ctx: ConfluenceContext): void {
  for (const kind of ['footer', 'inline'] as const) {
    routes.get(`/wiki/api/v2/${kind}-comments`, (req) =>
      list(ctx, req, (c) => c.kind === kind, { container: true, parent: true }, kind),
    );
    for (const containerKind of ['page', 'blogpost'] as const) {
      routes.get(`/wiki/api/v2/${containerKind}s/:id/${kind}-comments`, (req) => {
        const container = visibleContent(ctx, req, req.params.id!, containerKind);
        if (!container) return confluenceV2Error(404, `No ${containerKind} found with id ${req.params.id}`);
        return list(
          ctx,
          req,
          (c) => c.kind === kind && c.containerId === container.id && !c.parentCommentId,
          {
            container: true,
            parent: false,
          },
        );
      });
    }
    routes.get(`/wiki/api/v2/${kind}-comments/:id/children`, (req) => {
      const parent = visibleComment(ctx, req, req.params.id!, kind);
      if (!parent) return confluenceV2Error(404, `No comment found with id ${req.params.id}`);
      return list(ctx, req, (c) => c.parentCommentId === parent.id, { container: false, parent: true });
    });
    routes.get(`/wiki/api/v2/${kind}-comments/:id`, (req) => {
      const comment = visibleComment(ctx, req, req.params.id!, kind);
      if (!comment || comment.status === 'deleted')
        return confluenceV2Error(404, `No comment found with id ${req.params.id}`);
      const body = commentJson(ctx, comment, {
        bodyFormat: req.query.get('body-format'),
        container: true,
        parent: true,
      });
      body._links = { ...(body._links as object), base: `${req.siteUrl}/wiki` };
      return { status: 200, body };
    });
  }
}

// Versions of pages, blog posts and comments (comments carry no creator or creation time of their own:
// version 1 has them), and the page hierarchy (direct children, descendants). The model keeps only the
// current version; earlier ones are derived: version 1 is the creation, the rest lie evenly in between.
import { confluenceV2Error } from '../core/errors';
import { isoTime } from '../core/ids';
import type { RouteTable, SimRequest, SimResponse } from '../core/types';
import type { ConfluenceContext } from './context';
import type { Comment, Content } from './model';
import { sortItems, v2Page } from './pagination';
import { visibleComment } from './routes-comments';
import { visibleContent } from './routes-pages';

interface DerivedVersion {
  number: number;
  createdAt: number;
  authorId: string;
  message: string;
  minorEdit: boolean;
}

export function versionHistory(item: Content | Comment): DerivedVersion[] {
  const current = item.version;
  const out: DerivedVersion[] = [];
  for (let n = 1; n <= current.number; n++) {
    if (n === current.number) out.push({ ...current });
    else if (n === 1)
      out.push({
        number: 1,
        createdAt: item.createdAt,
        authorId: item.authorId,
        message: '',
        minorEdit: false,
      });
    else {
      const share = (n - 1) / (current.number - 1);
      out.push({
        number: n,
        createdAt: Math.floor(item.createdAt + (current.createdAt - item.createdAt) * share),
        authorId: current.authorId,
        message: '',
        minorEdit: false,
      });
    }
  }
  return out;
}

function versionsPage(
  req: SimRequest,
  item: Content | Comment,
  entityKey: 'page' | 'comment',
  title: string,
): SimResponse {
  const sort = req.query.get('sort') ?? '-modified-date';
  if (sort !== 'modified-date' && sort !== '-modified-date')
    return confluenceV2Error(400, `Invalid sort: ${sort}`);
  const desc = sort.startsWith('-');
  const items = versionHistory(item).map((v) => ({ item: v, key: v.number, id: String(v.number) }));
  return v2Page(req, sortItems(items, desc), {
    desc,
    render: (v) => ({
      createdAt: isoTime(v.createdAt),
      message: v.message,
      number: v.number,
      minorEdit: v.minorEdit,
      authorId: v.authorId,
      [entityKey]: { id: item.id, title },
    }),
  });
}

export function registerHistoryRoutes(routes: RouteTable, ctx: ConfluenceContext): void {
  for (const kind of ['page', 'blogpost'] as const) {
    routes.get(`/wiki/api/v2/${kind}s/:id/versions`, (req) => {
      const content = visibleContent(ctx, req, req.params.id!, kind);
      if (!content) return confluenceV2Error(404, `No ${kind} found with id ${req.params.id}`);
      return versionsPage(req, content, 'page', content.title);
    });
  }
  for (const kind of ['footer', 'inline'] as const) {
    routes.get(`/wiki/api/v2/${kind}-comments/:id/versions`, (req) => {
      const comment = visibleComment(ctx, req, req.params.id!, kind);
      if (!comment) return confluenceV2Error(404, `No comment found with id ${req.params.id}`);
      return versionsPage(
        req,
        comment,
        'comment',
        `Re: ${ctx.model.contents.get(comment.containerId)?.title ?? ''}`,
      );
    });
  }

  const liveChildren = (req: SimRequest, id: string): Content[] =>
    (ctx.model.children.get(id) ?? [])
      .map((childId) => ctx.model.contents.get(childId)!)
      .filter(
        (c) => (c.status === 'current' || c.status === 'archived') && ctx.access.canRead(req.caller, c),
      );

  routes.get('/wiki/api/v2/pages/:id/direct-children', (req) => {
    const page = visibleContent(ctx, req, req.params.id!, 'page');
    if (!page) return confluenceV2Error(404, `No page found with id ${req.params.id}`);
    const items = liveChildren(req, page.id).map((c, i) => ({ item: { c, i }, key: i, id: c.id }));
    return v2Page(req, items, {
      desc: false,
      render: ({ c, i }) => ({
        id: c.id,
        status: c.status,
        title: c.title,
        type: c.kind,
        spaceId: c.spaceId,
        childPosition: i,
      }),
    });
  });

  routes.get('/wiki/api/v2/pages/:id/descendants', (req) => {
    const page = visibleContent(ctx, req, req.params.id!, 'page');
    if (!page) return confluenceV2Error(404, `No page found with id ${req.params.id}`);
    const rawDepth = req.query.get('depth');
    const maxDepth = rawDepth === null ? 5 : Number(rawDepth);
    if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 10)
      return confluenceV2Error(400, `Invalid depth: ${rawDepth}`);
    const found: Array<{ c: Content; depth: number; position: number }> = [];
    const walk = (id: string, depth: number): void => {
      if (depth > maxDepth) return;
      liveChildren(req, id).forEach((c, position) => {
        found.push({ c, depth, position });
        walk(c.id, depth + 1);
      });
    };
    walk(page.id, 1);
    const items = found.map((f, order) => ({ item: f, key: order, id: f.c.id }));
    return v2Page(req, items, {
      desc: false,
      render: ({ c, depth, position }) => ({
        id: c.id,
        status: c.status,
        title: c.title,
        type: c.kind,
        parentId: c.parentId,
        depth,
        childPosition: position,
      }),
    });
  });
}

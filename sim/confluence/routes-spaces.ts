// v2 spaces, space permissions and users-bulk.
import { confluenceV2Error } from '../core/errors';
import type { RouteTable, SimRequest } from '../core/types';
import { canReadSpace } from './access';
import type { ConfluenceContext } from './context';
import type { Space } from './model';
import { compareIds, multi, sortItems, v2Page, type SortedItem } from './pagination';
import { spaceJson, userJson } from './serialize';

const SPACE_SORTS: Record<string, (s: Space) => string | number> = {
  id: (s) => Number(s.id),
  key: (s) => s.key,
  name: (s) => s.name,
};

export function visibleSpace(ctx: ConfluenceContext, req: SimRequest, id: string): Space | undefined {
  const space = ctx.model.spaces.get(id);
  return space && canReadSpace(ctx.dir, req.caller, space) ? space : undefined;
}

export function registerSpaceRoutes(routes: RouteTable, ctx: ConfluenceContext): void {
  routes.get('/wiki/api/v2/spaces', (req) => {
    const ids = new Set(multi(req, 'ids'));
    const keys = new Set(multi(req, 'keys'));
    const types = new Set(multi(req, 'type'));
    const statuses = new Set(multi(req, 'status'));
    for (const s of statuses)
      if (s !== 'current' && s !== 'archived') return confluenceV2Error(400, `Invalid status: ${s}`);
    const sortParam = req.query.get('sort') ?? 'id';
    const field = SPACE_SORTS[sortParam.replace(/^-/, '')];
    if (!field) return confluenceV2Error(400, `Invalid sort: ${sortParam}`);
    const items: Array<SortedItem<Space>> = [];
    for (const space of ctx.model.spaces.values()) {
      if (ids.size && !ids.has(space.id)) continue;
      if (keys.size && !keys.has(space.key)) continue;
      if (types.size && !types.has(space.type)) continue;
      if (statuses.size && !statuses.has(space.status)) continue;
      if (!canReadSpace(ctx.dir, req.caller, space)) continue;
      items.push({ item: space, key: field(space), id: space.id });
    }
    const desc = sortParam.startsWith('-');
    const descriptionFormat = req.query.get('description-format');
    return v2Page(req, sortItems(items, desc), { desc, render: (s) => spaceJson(s, { descriptionFormat }) });
  });

  routes.get('/wiki/api/v2/spaces/:id', (req) => {
    const space = visibleSpace(ctx, req, req.params.id!);
    if (!space) return confluenceV2Error(404, `Space ${req.params.id} not found`);
    const body = { ...spaceJson(space, { descriptionFormat: req.query.get('description-format') }) };
    body._links = { ...(body._links as object), base: `${req.siteUrl}/wiki` };
    return { status: 200, body };
  });

  routes.get('/wiki/api/v2/spaces/:id/permissions', (req) => {
    const space = visibleSpace(ctx, req, req.params.id!);
    if (!space) return confluenceV2Error(404, `Space ${req.params.id} not found`);
    const items = space.permissions.map((p) => ({ item: p, key: Number(p.id), id: p.id }));
    return v2Page(req, sortItems(items, false), { desc: false, render: (p) => p });
  });

  routes.post('/wiki/api/v2/users-bulk', (req) => {
    const ids = (req.body as { accountIds?: unknown }).accountIds;
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 250 || ids.some((i) => typeof i !== 'string')) {
      return confluenceV2Error(400, 'accountIds must contain between 1 and 250 account ids');
    }
    const personal = new Map<string, string>();
    for (const s of ctx.model.spaces.values()) if (s.type === 'personal') personal.set(s.key.slice(1), s.id);
    const results = [...new Set(ids as string[])]
      .map((id) => ctx.dir.userById(id))
      .filter((u) => u !== undefined)
      .map((u) => userJson(u, personal.get(u.accountId.replace(/[^a-zA-Z0-9]/g, ''))));
    return { status: 200, body: { results, _links: { base: `${req.siteUrl}/wiki` } } };
  });
}

export { compareIds };

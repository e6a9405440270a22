// v1 user endpoints: the current user (a cheap auth probe), bulk lookup (≤100, privacy-limited email),
// group memberships of a user, and the restricted email lookups, which answer 501 to API-token and
// service-account callers (ENDPOINTS.md §2.3).
import { confluenceV1Error } from '../core/errors';
import type { RouteTable } from '../core/types';
import type { ConfluenceContext } from './context';
import { multi, v1OffsetPage } from './pagination';
import { v1Group, v1User } from './serialize-v1';

export function registerV1UserRoutes(routes: RouteTable, ctx: ConfluenceContext): void {
  routes.get('/wiki/rest/api/user/current', (req) => {
    const user = ctx.dir.userById(req.caller);
    return { status: 200, body: { ...v1User(user, req.caller), timeZone: user?.timeZone ?? 'UTC' } };
  });

  routes.get('/wiki/rest/api/user/bulk', (req) => {
    const ids = multi(req, 'accountId').slice(0, 100);
    if (ids.length === 0) return confluenceV1Error(400, 'accountId is required');
    const results = ids.flatMap((id) => {
      const u = ctx.dir.userById(id);
      return u
        ? [{ ...v1User(u, id), email: u.emailVisible ? u.email : '', _expandable: {}, _links: {} }]
        : [];
    });
    return {
      status: 200,
      body: {
        results,
        start: 0,
        limit: 100,
        size: results.length,
        _links: { base: `${req.siteUrl}/wiki`, context: '/wiki' },
      },
    };
  });

  routes.get('/wiki/rest/api/user/memberof', (req) => {
    const accountId = req.query.get('accountId');
    if (!accountId || !ctx.dir.userById(accountId))
      return confluenceV1Error(404, `User not found: ${accountId}`);
    const groups = [...ctx.dir.groupsOf(accountId)]
      .map((id) => ctx.dir.groupById(id)!)
      .sort((a, b) => a.name.localeCompare(b.name));
    return v1OffsetPage(req, groups, {
      defaultLimit: 200,
      maxLimit: 200,
      render: (g) => v1Group(g, ctx.dir.groupFacts.get(g.id)?.managedBy ?? 'admins'),
    });
  });

  for (const path of ['/wiki/rest/api/user/email', '/wiki/rest/api/user/email/bulk']) {
    routes.get(path, () => confluenceV1Error(501, 'API is not currently enabled'));
  }
}

// Atlassian org Admin API (admin-organization.openapi.json), the parts a directory sync reads: orgs,
// directories, the POST user/group search endpoints (v2, cursor in the body) and the v1 managed-users list.
import type { DirectoryModel } from '../directory/model';
import { adminError } from '../core/errors';
import { decodeCursor, encodeCursor, isoTime } from '../core/ids';
import type { RouteTable, SimRequest, SimResponse, SimUser } from '../core/types';

export interface AdminContext {
  orgId: string;
  orgName: string;
  directoryId: string;
  cloudId: string;
  directory: DirectoryModel;
}

const GROUP_ARI = 'ari:cloud:identity::group/';

export function registerAdminRoutes(routes: RouteTable, ctx: AdminContext): void {
  const orgGuard = (req: SimRequest): SimResponse | undefined =>
    req.params.orgId === ctx.orgId ? undefined : adminError(404, 'ADMIN-404-2', 'Organization not found');
  const dirGuard = (req: SimRequest): SimResponse | undefined =>
    orgGuard(req) ??
    (req.params.directoryId === ctx.directoryId || req.params.directoryId === '-'
      ? undefined
      : adminError(404, 'ADMIN-404-1', 'Directory not found'));

  routes.get('/admin/v1/orgs', (req) => ({
    status: 200,
    body: {
      data: [
        {
          id: ctx.orgId,
          type: 'orgs',
          attributes: { name: ctx.orgName },
          relationships: {
            domains: { links: { related: `${req.siteUrl}/admin/v1/orgs/${ctx.orgId}/domains` } },
            users: { links: { related: `${req.siteUrl}/admin/v1/orgs/${ctx.orgId}/users` } },
          },
          links: { self: `${req.siteUrl}/admin/v1/orgs/${ctx.orgId}` },
        },
      ],
      links: { self: `${req.siteUrl}/admin/v1/orgs` },
    },
  }));

  routes.get('/admin/v2/orgs/:orgId/directories', (req) => {
    return (
      orgGuard(req) ?? {
        status: 200,
        body: {
          data: [
            {
              directoryId: ctx.directoryId,
              name: `${ctx.orgName} directory`,
              icon: `${req.siteUrl}/icons/directory.png`,
            },
          ],
          links: {},
        },
      }
    );
  });

  routes.post('/admin/v2/orgs/:orgId/directories/:directoryId/users/search', (req) => {
    const guard = dirGuard(req);
    if (guard) return guard;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const invalid = validateSearchBody(body, ['accountIds', 'groupIds', 'directoryIds'], 10);
    if (invalid) return invalid;
    if (body.searchTerm !== undefined && body.emails !== undefined) {
      return adminError(400, 'ADMIN-400-24', 'searchTerm and emails cannot be used together');
    }
    const page = pageOf(body, 50);
    if ('status' in page) return page;
    const expand = new Set(asStrings(body.expand));
    const accountIds = asStrings(body.accountIds);
    const groupIds = asStrings(body.groupIds).map(stripAri);
    const emails = asStrings(body.emails).map((e) => e.toLowerCase());
    const statuses = asStrings(body.status);
    const accountStatuses = asStrings(body.accountStatus);
    const term = typeof body.searchTerm === 'string' ? body.searchTerm.toLowerCase() : undefined;
    const claim = typeof body.claimStatus === 'string' ? body.claimStatus : undefined;
    const users = orgUsers(ctx).filter((u) => {
      const facts = ctx.directory.orgFacts.get(u.accountId)!;
      if (accountIds.length && !accountIds.includes(u.accountId)) return false;
      if (groupIds.length && !groupIds.some((g) => ctx.directory.members.get(g)?.has(u.accountId)))
        return false;
      if (emails.length && !emails.includes(u.email.toLowerCase())) return false;
      if (statuses.length && !statuses.includes(u.active ? 'active' : 'deactivated')) return false;
      if (accountStatuses.length && !accountStatuses.includes(u.active ? 'active' : 'inactive')) return false;
      if (claim && facts.claimStatus !== claim) return false;
      if (term && !`${u.displayName} ${u.email}`.toLowerCase().includes(term)) return false;
      return true;
    });
    const slice = users.slice(page.offset, page.offset + page.limit);
    return {
      status: 200,
      body: {
        data: slice.map((u) => multiDirectoryUser(ctx, u, expand)),
        links: cursorLinks(page.offset, page.limit, users.length),
      },
    };
  });

  routes.post('/admin/v2/orgs/:orgId/directories/:directoryId/groups/search', (req) => {
    const guard = dirGuard(req);
    if (guard) return guard;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const invalid = validateSearchBody(body, ['accountIds', 'groupIds', 'directoryIds'], 10);
    if (invalid) return invalid;
    if (body.groupNames !== undefined && (body.searchTerm !== undefined || body.groupIds !== undefined)) {
      return adminError(400, 'ADMIN-400-24', 'groupNames cannot be combined with searchTerm or groupIds');
    }
    const page = pageOf(body, 20);
    if ('status' in page) return page;
    const expand = new Set(asStrings(body.expand));
    const accountIds = asStrings(body.accountIds);
    const groupIds = asStrings(body.groupIds).map(stripAri);
    const names = asStrings(body.groupNames).map((n) => n.toLowerCase());
    const term = typeof body.searchTerm === 'string' ? body.searchTerm.toLowerCase() : undefined;
    const groups = ctx.directory.groups.filter((g) => {
      const members = ctx.directory.members.get(g.id)!;
      if (accountIds.length && !accountIds.some((a) => members.has(a))) return false;
      if (groupIds.length && !groupIds.includes(g.id)) return false;
      if (names.length && !names.includes(g.name.toLowerCase())) return false;
      if (term && !g.name.toLowerCase().includes(term)) return false;
      return true;
    });
    const slice = groups.slice(page.offset, page.offset + page.limit);
    return {
      status: 200,
      body: {
        data: slice.map((g) => {
          const facts = ctx.directory.groupFacts.get(g.id)!;
          const item: Record<string, unknown> = {
            id: g.id,
            name: g.name,
            description: facts.description,
            directoryId: ctx.directoryId,
            managementAccess: {
              deletable: facts.managedBy !== 'external',
              modifiable: facts.managedBy !== 'external',
              readable: true,
            },
            externalSynced: facts.managedBy === 'external',
            managedBy: facts.managedBy,
          };
          if (expand.has('counts.users') || expand.has('counts.resources')) {
            item.counts = {
              ...(expand.has('counts.users') ? { users: ctx.directory.members.get(g.id)!.size } : {}),
              ...(expand.has('counts.resources') ? { resources: 2 } : {}),
            };
          }
          return item;
        }),
        links: cursorLinks(page.offset, page.limit, groups.length),
      },
    };
  });

  // v1: managed (domain-claimed) accounts only; `email` absent when the user hides it.
  routes.get('/admin/v1/orgs/:orgId/users', (req) => {
    const guard = orgGuard(req);
    if (guard) return guard;
    const cursor = req.query.get('cursor');
    const state = decodeCursor<{ o: number }>(cursor);
    if (cursor && (!state || typeof state.o !== 'number'))
      return adminError(400, 'ADMIN-400-1', 'Invalid page cursor');
    const offset = state?.o ?? 0;
    const limit = 50;
    const managed = orgUsers(ctx).filter(
      (u) => ctx.directory.orgFacts.get(u.accountId)!.claimStatus === 'managed',
    );
    const slice = managed.slice(offset, offset + limit);
    const self = `${req.siteUrl}/admin/v1/orgs/${ctx.orgId}/users`;
    const links: Record<string, string> = { self: cursor ? `${self}?cursor=${cursor}` : self };
    if (offset + limit < managed.length) links.next = `${self}?cursor=${encodeCursor({ o: offset + limit })}`;
    if (offset > 0) links.prev = `${self}?cursor=${encodeCursor({ o: Math.max(0, offset - limit) })}`;
    return {
      status: 200,
      body: {
        data: slice.map((u) => {
          const facts = ctx.directory.orgFacts.get(u.accountId)!;
          return {
            account_id: u.accountId,
            account_type: u.accountType,
            account_status: u.active ? 'active' : 'inactive',
            name: u.displayName,
            picture: avatar(u),
            ...(u.emailVisible ? { email: u.email } : {}),
            access_billable: u.active,
            last_active: isoTime(facts.lastActive),
            product_access: [
              {
                key: 'confluence',
                name: 'Confluence',
                url: req.siteUrl,
                last_active: isoTime(facts.lastActive),
              },
            ],
            links: { self: `${self}/${u.accountId}` },
          };
        }),
        meta: { total: managed.length },
        links,
      },
    };
  });
}

/** People in the org directory (app users and service accounts are listed elsewhere in Atlassian Admin). */
function orgUsers(ctx: AdminContext): SimUser[] {
  return ctx.directory.users.filter(
    (u) => u.accountType === 'atlassian' && ctx.directory.orgFacts.has(u.accountId),
  );
}

function multiDirectoryUser(ctx: AdminContext, u: SimUser, expand: Set<string>): Record<string, unknown> {
  const facts = ctx.directory.orgFacts.get(u.accountId)!;
  const item: Record<string, unknown> = {
    accountId: u.accountId,
    accountType: 'atlassian',
    status: u.active ? 'active' : 'deactivated',
    accountStatus: u.active ? 'active' : 'inactive',
    membershipStatus: 'active',
    addedToOrg: isoTime(facts.addedToOrg),
    name: u.displayName,
    nickname: facts.nickname,
    // The org admin sees emails regardless of the profile's visibility setting.
    email: u.email,
    emailVerified: true,
    claimStatus: facts.claimStatus,
    platformRoles: ctx.directory.apiTokenUser.accountId === u.accountId ? ['atlassian/org-admin'] : [],
    picture: avatar(u),
    avatar: avatar(u),
    managementSource: facts.claimStatus === 'managed' ? 'invited' : null,
    mfaEnabled: facts.claimStatus === 'managed',
    jobTitle: facts.jobTitle,
    department: facts.department,
    organization: 'Acme Sim',
    location: u.timeZone.split('/')[1] ?? 'Remote',
    timeZone: u.timeZone,
  };
  if (expand.has('productAccess')) {
    item.productAccess = [
      {
        key: 'confluence',
        id: `ari:cloud:confluence::site/${ctx.cloudId}`,
        lastActiveTimestamp: isoTime(facts.lastActive),
      },
    ];
  }
  if (expand.has('groups')) {
    item.groups = [...ctx.directory.groupsOf(u.accountId)].map((id) => {
      const group = ctx.directory.groupById(id)!;
      return {
        id: `${GROUP_ARI}${id}`,
        name: group.name,
        description: ctx.directory.groupFacts.get(id)?.description ?? null,
      };
    });
  }
  return item;
}

function avatar(u: SimUser): string {
  return `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/${encodeURIComponent(u.accountId)}/48`;
}

function stripAri(id: string): string {
  return id.startsWith(GROUP_ARI) ? id.slice(GROUP_ARI.length) : id;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function validateSearchBody(
  body: Record<string, unknown>,
  lists: string[],
  max: number,
): SimResponse | undefined {
  for (const key of lists) {
    const value = body[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.length < 1 || value.length > max) {
      return adminError(400, 'ADMIN-400-24', `${key} must be an array of 1 to ${max} items`);
    }
  }
  return undefined;
}

function pageOf(
  body: Record<string, unknown>,
  defaultLimit: number,
): { offset: number; limit: number } | SimResponse {
  const limit = body.limit === undefined ? defaultLimit : body.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100) {
    return adminError(400, 'ADMIN-400-24', 'limit must be an integer between 1 and 100');
  }
  if (body.cursor === undefined) return { offset: 0, limit };
  const state = decodeCursor<{ o: number }>(typeof body.cursor === 'string' ? body.cursor : undefined);
  if (!state || typeof state.o !== 'number') return adminError(400, 'ADMIN-400-1', 'Invalid page cursor');
  return { offset: state.o, limit };
}

/** v2 admin links carry bare cursor tokens (schema LinkPageCursor), not URLs. */
function cursorLinks(offset: number, limit: number, total: number): Record<string, string> {
  const links: Record<string, string> = { self: encodeCursor({ o: offset }) };
  if (offset + limit < total) links.next = encodeCursor({ o: offset + limit });
  if (offset > 0) links.prev = encodeCursor({ o: Math.max(0, offset - limit) });
  return links;
}

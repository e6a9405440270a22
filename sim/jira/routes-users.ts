// Users and groups as Jira's per-site APIs expose them: bare-array user listing, bulk users, groups, group
// members, a user's groups. Emails only where the profile shows them.
import { badRequest, forbidden, json, notFound } from './errors';
import { isResponse, pageBean, readOffset } from './paging';
import { userDetailsJson, userJson } from './render';
import type { RouteTable, SimRequest, SimResponse } from './seam';
import type { JiraState } from './state';

function requireBrowseUsers(state: JiraState, req: SimRequest): SimResponse | undefined {
  return state.access.canBrowseUsers(req.caller)
    ? undefined
    : forbidden('You do not have the Browse users and groups global permission.');
}

function groupRef(site: string, g: { id: string; name: string }): Record<string, unknown> {
  return { name: g.name, groupId: g.id, self: `${site}/rest/api/3/group?groupId=${g.id}` };
}

function usersSearch(state: JiraState, req: SimRequest): SimResponse {
  const denied = requireBrowseUsers(state, req);
  if (denied) return denied;
  const offset = readOffset(req, { maxResults: 50, max: 1000 });
  if (isResponse(offset)) return offset;
  // A bare array, not a PageBean: clients stop on an empty or short page.
  const page = state.directory.users.slice(offset.startAt, offset.startAt + offset.maxResults);
  return json(page.map((u) => userJson(u, req.siteUrl)));
}

function userBulk(state: JiraState, req: SimRequest): SimResponse {
  const ids = req.query.getAll('accountId');
  if (ids.length === 0) return badRequest('At least one accountId must be provided.');
  const offset = readOffset(req, { maxResults: 10, max: 200 });
  if (isResponse(offset)) return offset;
  const users = ids.map((id) => state.directory.userById(id)).filter((u) => u !== undefined);
  return json(
    pageBean(
      req,
      users.map((u) => userJson(u, req.siteUrl)),
      offset,
    ),
  );
}

function groupBulk(state: JiraState, req: SimRequest): SimResponse {
  const denied = requireBrowseUsers(state, req);
  if (denied) return denied;
  const offset = readOffset(req, { maxResults: 50, max: 50 });
  if (isResponse(offset)) return offset;
  const ids = new Set(req.query.getAll('groupId'));
  const names = new Set(req.query.getAll('groupName').map((n) => n.toLowerCase()));
  const groups = state.directory.groups
    .filter((g) => (ids.size === 0 && names.size === 0) || ids.has(g.id) || names.has(g.name.toLowerCase()))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((g) => ({ name: g.name, groupId: g.id }));
  return json(pageBean(req, groups, offset));
}

function groupMembers(state: JiraState, req: SimRequest): SimResponse {
  const denied = requireBrowseUsers(state, req);
  if (denied) return denied;
  const groupId = req.query.get('groupId');
  const groupName = req.query.get('groupname');
  if (groupId && groupName) return badRequest('You must provide either groupId or groupname, not both.');
  if (!groupId && !groupName) return badRequest('You must specify a group name or group id.');
  const group = state.directory.groups.find((g) => (groupId ? g.id === groupId : g.name === groupName));
  if (!group)
    return notFound(`Group with ${groupId ? `id '${groupId}'` : `name '${groupName}'`} was not found.`);
  const offset = readOffset(req, { maxResults: 50, max: 50 });
  if (isResponse(offset)) return offset;
  const includeInactive = req.query.get('includeInactiveUsers') === 'true';
  const members = [...(state.directory.members.get(group.id) ?? [])]
    .map((id) => state.directory.userById(id))
    .filter((u) => u !== undefined && (includeInactive || u.active))
    .map((u) => u!)
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.accountId.localeCompare(b.accountId));
  return json(
    pageBean(
      req,
      members.map((u) => userDetailsJson(u, req.siteUrl)),
      offset,
    ),
  );
}

function userGroups(state: JiraState, req: SimRequest): SimResponse {
  const denied = requireBrowseUsers(state, req);
  if (denied) return denied;
  const accountId = req.query.get('accountId');
  if (!accountId) return badRequest('The accountId parameter is required.');
  const user = state.directory.userById(accountId);
  if (!user) return notFound(`User with accountId '${accountId}' was not found.`);
  const mine = state.directory.groupsOf(accountId);
  return json(
    state.directory.groups
      .filter((g) => mine.has(g.id))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((g) => groupRef(req.siteUrl, g)),
  );
}

function getUser(state: JiraState, req: SimRequest): SimResponse {
  const denied = requireBrowseUsers(state, req);
  if (denied) return denied;
  const accountId = req.query.get('accountId');
  if (!accountId) return badRequest('The accountId query parameter needs to be provided.');
  const user = state.directory.userById(accountId);
  if (!user) return notFound(`Specified user does not exist or you do not have required permissions`);
  const expand = new Set((req.query.get('expand') ?? '').split(','));
  const body: Record<string, unknown> = { ...userJson(user, req.siteUrl), expand: 'groups,applicationRoles' };
  if (expand.has('groups')) {
    const mine = state.directory.groupsOf(user.accountId);
    const items = state.directory.groups.filter((g) => mine.has(g.id)).map((g) => groupRef(req.siteUrl, g));
    body.groups = { size: items.length, items };
  }
  return json(body);
}

export function registerUserRoutes(routes: RouteTable, state: JiraState): void {
  routes.get('/rest/api/3/user', (req) => getUser(state, req));
  routes.get('/rest/api/3/users/search', (req) => usersSearch(state, req));
  routes.get('/rest/api/3/user/bulk', (req) => userBulk(state, req));
  routes.get('/rest/api/3/group/bulk', (req) => groupBulk(state, req));
  routes.get('/rest/api/3/group/member', (req) => groupMembers(state, req));
  routes.get('/rest/api/3/user/groups', (req) => userGroups(state, req));
}

export { groupRef };

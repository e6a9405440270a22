// Projects and their permission configuration: project search and get, permission schemes, project roles
// and actors, issue security levels, schemes and level members. Admin-only operations answer as the spec
// says: 404 when the project is not visible at all, 403 when visible without administrative rights.
import { ADMINISTER_PROJECTS, BROWSE_PROJECTS } from './access';
import { badRequest, forbidden, json, notFound, projectNotFound } from './errors';
import type { JiraProject, PermissionHolder, PermissionScheme } from './model';
import { isResponse, pageBean, readOffset } from './paging';
import { issueTypeJson, projectAvatars, securityLevelJson, userJson } from './render';
import type { RouteTable, SimRequest, SimResponse } from './seam';
import { callerTimeZone, type JiraState } from './state';
import { formatJiraTime } from '../core/time-zone';

const PROJECT_EXPANDABLE = 'description,lead,issueTypes,url,projectKeys,permissions,insight';

function projectJson(
  state: JiraState,
  req: SimRequest,
  project: JiraProject,
  expand: Set<string>,
  full: boolean,
): Record<string, unknown> {
  const site = req.siteUrl;
  const tz = callerTimeZone(state, req.caller);
  const lead = state.directory.userById(project.leadAccountId);
  const scheme = state.store.permissionSchemes.get(project.permissionSchemeId);
  const out: Record<string, unknown> = {
    expand: PROJECT_EXPANDABLE,
    self: `${site}/rest/api/3/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    avatarUrls: projectAvatars(project, site),
    // Declared as an enum of three values, but real sites also answer e.g. `product_discovery`.
    projectTypeKey: project.typeKey,
    simplified: project.style === 'next-gen',
    style: project.style,
    isPrivate: !(
      scheme?.grants.some((g) => g.permission === BROWSE_PROJECTS && g.holder.type === 'anyone') ?? false
    ),
    properties: {},
    uuid: project.uuid,
  };
  if (project.archived) {
    out.archived = true;
    if (project.archivedAt !== undefined) out.archivedDate = formatJiraTime(project.archivedAt, tz);
    const by = project.archivedBy ? state.directory.userById(project.archivedBy) : undefined;
    if (by) out.archivedBy = userJson(by, site);
  }
  if (full || expand.has('description')) out.description = project.description;
  if ((full || expand.has('lead')) && lead) out.lead = userJson(lead, site);
  if (full || expand.has('issueTypes'))
    out.issueTypes = project.issueTypeIds.map((id) => issueTypeJson(id, site));
  if (expand.has('url')) out.url = `${site}/browse/${project.key}`;
  if (expand.has('insight')) {
    let total = 0;
    let last = 0;
    for (const issue of state.store.issues.values()) {
      if (issue.projectId !== project.id) continue;
      total++;
      last = Math.max(last, issue.updated);
    }
    out.insight = {
      totalIssueCount: total,
      ...(total > 0 ? { lastIssueUpdateTime: formatJiraTime(last, tz) } : {}),
    };
  }
  if (full) {
    out.description = project.description;
    out.assigneeType = 'UNASSIGNED';
    out.components = project.componentIds.map((id) => {
      const c = state.store.components.get(id)!;
      return {
        self: `${site}/rest/api/3/component/${id}`,
        id,
        name: c.name,
        description: c.description,
        isAssigneeTypeValid: false,
      };
    });
    out.versions = project.versionIds.map((id) => {
      const v = state.store.versions.get(id)!;
      return {
        self: `${site}/rest/api/3/version/${id}`,
        id,
        name: v.name,
        archived: v.archived,
        released: v.released,
        ...(v.releaseDate ? { releaseDate: v.releaseDate } : {}),
        projectId: Number(project.id),
      };
    });
    out.roles = rolesMap(state, site, project);
  }
  return out;
}

function rolesMap(state: JiraState, site: string, project: JiraProject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const role of state.store.roles.values())
    out[role.name] = `${site}/rest/api/3/project/${project.id}/role/${role.id}`;
  return out;
}

const ORDERS: Record<string, (a: JiraProject, b: JiraProject) => number> = {
  key: (a, b) => a.key.localeCompare(b.key),
  name: (a, b) => a.name.localeCompare(b.name),
};

function searchProjects(state: JiraState, req: SimRequest): SimResponse {
  const offset = readOffset(req, { maxResults: 50, max: 100 });
  if (isResponse(offset)) return offset;
  const ids = new Set(req.query.getAll('id'));
  const keys = new Set(req.query.getAll('keys').map((k) => k.toUpperCase()));
  if (ids.size > 50 || keys.size > 50) return badRequest('Up to 50 project IDs or keys can be provided.');
  // `status` is an array parameter (repeated keys); each value must be one of the enum, as Jira checks.
  const statuses = new Set(req.query.getAll('status'));
  for (const s of statuses)
    if (!['live', 'archived', 'deleted'].includes(s)) return badRequest(`Invalid status: ${s}`);
  if (statuses.size === 0) statuses.add('live');
  const typeKeys = new Set((req.query.get('typeKey') ?? '').split(',').filter((t) => t.length > 0));
  const query = (req.query.get('query') ?? '').toLowerCase();
  const action = req.query.get('action') ?? 'view';
  const rawOrder = req.query.get('orderBy') ?? 'key';
  const desc = rawOrder.startsWith('-');
  const order = ORDERS[rawOrder.replace(/^[-+]/, '')] ?? ORDERS.key!;
  const expand = new Set((req.query.get('expand') ?? '').split(',').filter((e) => e.length > 0));
  const visible = [...state.store.projects.values()]
    .filter((p) => {
      if (!statuses.has(p.archived ? 'archived' : 'live')) return false;
      if (ids.size > 0 && !ids.has(p.id)) return false;
      if (keys.size > 0 && !keys.has(p.key)) return false;
      if (typeKeys.size > 0 && !typeKeys.has(p.typeKey)) return false;
      if (query && !p.key.toLowerCase().includes(query) && !p.name.toLowerCase().includes(query))
        return false;
      if (action === 'browse') return state.access.hasProjectPermission(req.caller, p, BROWSE_PROJECTS);
      if (action === 'edit' || action === 'create') {
        return (
          state.access.canAdministerProject(req.caller, p) ||
          state.access.hasProjectPermission(req.caller, p, 'CREATE_ISSUES')
        );
      }
      return state.access.canViewProject(req.caller, p);
    })
    .sort((a, b) => (desc ? -order(a, b) : order(a, b)));
  return json(
    pageBean(
      req,
      visible.map((p) => projectJson(state, req, p, expand, false)),
      offset,
    ),
  );
}

/** A project the caller may view, or the 404 Jira answers. */
function viewable(state: JiraState, req: SimRequest, idOrKey: string): JiraProject | SimResponse {
  const project = state.store.findProject(idOrKey);
  if (!project || !state.access.canViewProject(req.caller, project)) return projectNotFound(idOrKey);
  return project;
}

function administrable(
  state: JiraState,
  req: SimRequest,
  idOrKey: string,
  hide: boolean,
): JiraProject | SimResponse {
  const project = viewable(state, req, idOrKey);
  if (isResponse(project)) return project;
  if (!state.access.canAdministerProject(req.caller, project)) {
    return hide ? projectNotFound(idOrKey) : forbidden('You cannot view the configuration of this project.');
  }
  return project;
}

function holderJson(holder: PermissionHolder): Record<string, unknown> {
  return {
    type: holder.type,
    ...(holder.parameter !== undefined ? { parameter: holder.parameter } : {}),
    ...(holder.value !== undefined ? { value: holder.value } : {}),
    expand: 'group,user,projectRole,field',
  };
}

function schemeJson(site: string, scheme: PermissionScheme, withGrants: boolean): Record<string, unknown> {
  return {
    expand: 'permissions,user,group,projectRole,field,all',
    id: scheme.id,
    self: `${site}/rest/api/3/permissionscheme/${scheme.id}`,
    name: scheme.name,
    description: scheme.description,
    ...(withGrants
      ? {
          permissions: scheme.grants.map((g) => ({
            id: g.id,
            self: `${site}/rest/api/3/permissionscheme/${scheme.id}/permission/${g.id}`,
            holder: holderJson(g.holder),
            permission: g.permission,
          })),
        }
      : {}),
  };
}

function expandSet(req: SimRequest): Set<string> {
  return new Set(
    req.query
      .getAll('expand')
      .flatMap((e) => e.split(','))
      .filter((e) => e.length > 0),
  );
}

function roleActors(state: JiraState, req: SimRequest): SimResponse {
  const project = administrable(state, req, req.params.projectIdOrKey ?? '', true);
  if (isResponse(project)) return project;
  const roleId = Number(req.params.id);
  if (!Number.isInteger(roleId)) return badRequest(`The role id '${req.params.id}' is not valid.`);
  const role = state.store.roles.get(roleId);
  if (!role) return notFound(`Can not retrieve a role actor for a null project role.`);
  const excludeInactive = req.query.get('excludeInactiveUsers') === 'true';
  const site = req.siteUrl;
  const actors = state.store.roleActors.get(project.id)?.get(roleId) ?? {
    users: new Set(),
    groups: new Set(),
  };
  const entries: Record<string, unknown>[] = [];
  let actorId = Number(project.id) * 100 + roleId * 10;
  for (const accountId of actors.users) {
    const user = state.directory.userById(accountId);
    if (!user || (excludeInactive && !user.active)) continue;
    entries.push({
      id: actorId++,
      displayName: user.displayName,
      type: 'atlassian-user-role-actor',
      actorUser: { accountId },
    });
  }
  for (const groupId of actors.groups) {
    const group = state.directory.groups.find((g) => g.id === groupId);
    if (!group) continue;
    entries.push({
      id: actorId++,
      displayName: group.name,
      type: 'atlassian-group-role-actor',
      name: group.name,
      actorGroup: { name: group.name, displayName: group.name, groupId: group.id },
    });
  }
  entries.sort((a, b) => String(a.displayName).localeCompare(String(b.displayName)));
  return json({
    self: `${site}/rest/api/3/project/${project.id}/role/${role.id}`,
    name: role.name,
    id: role.id,
    description: role.description,
    actors: entries,
    scope: { type: 'PROJECT', project: { id: project.id, key: project.key, name: project.name } },
  });
}

function securityLevels(state: JiraState, req: SimRequest): SimResponse {
  const project = viewable(state, req, req.params.projectKeyOrId ?? '');
  if (isResponse(project)) return project;
  const scheme =
    project.securitySchemeId !== undefined
      ? state.store.securitySchemes.get(project.securitySchemeId)
      : undefined;
  // Levels come back only to callers with Set Issue Security, and only those they belong to.
  if (!scheme || !state.access.hasProjectPermission(req.caller, project, 'SET_ISSUE_SECURITY'))
    return json({ levels: [] });
  const levels = scheme.levelIds
    .map((id) => state.store.securityLevels.get(id)!)
    .filter((l) => l.members.some((m) => state.access.holderMatches(req.caller, m.holder, project)))
    .map((l) => securityLevelJson(l, req.siteUrl, l.id === scheme.defaultLevelId));
  return json({ levels });
}

function projectSecurityScheme(state: JiraState, req: SimRequest): SimResponse {
  const project = administrable(state, req, req.params.projectKeyOrId ?? '', false);
  if (isResponse(project)) return project;
  const scheme =
    project.securitySchemeId !== undefined
      ? state.store.securitySchemes.get(project.securitySchemeId)
      : undefined;
  if (!scheme) return notFound('No issue security scheme is associated with this project.');
  return json({
    self: `${req.siteUrl}/rest/api/3/issuesecurityschemes/${scheme.id}`,
    id: scheme.id,
    name: scheme.name,
    description: scheme.description,
    ...(scheme.defaultLevelId !== undefined ? { defaultSecurityLevelId: Number(scheme.defaultLevelId) } : {}),
    levels: scheme.levelIds.map((id) => securityLevelJson(state.store.securityLevels.get(id)!, req.siteUrl)),
  });
}

function securityMembers(state: JiraState, req: SimRequest): SimResponse {
  if (!state.access.isJiraAdmin(req.caller))
    return forbidden('Only Jira administrators can access issue security level members.');
  const offset = readOffset(req, { maxResults: 50, max: 50 });
  if (isResponse(offset)) return offset;
  const scheme = state.store.securitySchemes.get(Number(req.params.issueSecuritySchemeId));
  if (!scheme)
    return notFound(`Issue security scheme with id ${req.params.issueSecuritySchemeId} does not exist.`);
  const wanted = new Set(req.query.getAll('issueSecurityLevelId').flatMap((v) => v.split(',')));
  const values = scheme.levelIds
    .filter((id) => wanted.size === 0 || wanted.has(id))
    .flatMap((id) =>
      state.store.securityLevels.get(id)!.members.map((m) => ({
        id: m.id,
        issueSecurityLevelId: Number(id),
        holder: holderJson(m.holder),
      })),
    );
  return json(pageBean(req, values, offset));
}

export function registerProjectRoutes(routes: RouteTable, state: JiraState): void {
  routes.get('/rest/api/3/project/search', (req) => searchProjects(state, req));
  routes.get('/rest/api/3/project/:projectIdOrKey', (req) => {
    const project = viewable(state, req, req.params.projectIdOrKey ?? '');
    if (isResponse(project)) return project;
    return json(projectJson(state, req, project, expandSet(req), true));
  });
  routes.get('/rest/api/3/project/:projectKeyOrId/permissionscheme', (req) => {
    const project = administrable(state, req, req.params.projectKeyOrId ?? '', false);
    if (isResponse(project)) return project;
    const scheme = state.store.permissionSchemes.get(project.permissionSchemeId)!;
    return json(schemeJson(req.siteUrl, scheme, expandSet(req).size > 0));
  });
  routes.get('/rest/api/3/permissionscheme/:schemeId', (req) => {
    const scheme = state.store.permissionSchemes.get(Number(req.params.schemeId));
    if (!scheme || !state.access.isActive(req.caller)) {
      return notFound(`Permission scheme with id ${req.params.schemeId} does not exist.`);
    }
    return json(schemeJson(req.siteUrl, scheme, expandSet(req).size > 0));
  });
  routes.get('/rest/api/3/project/:projectIdOrKey/role', (req) => {
    // Any project administration right on the site is enough to list the (site-wide) roles.
    const project = state.store.findProject(req.params.projectIdOrKey ?? '');
    const anyAdmin =
      state.access.isJiraAdmin(req.caller) ||
      [...state.store.projects.values()].some((p) =>
        state.access.hasProjectPermission(req.caller, p, ADMINISTER_PROJECTS),
      );
    if (!project || !anyAdmin) return projectNotFound(req.params.projectIdOrKey ?? '');
    return json(rolesMap(state, req.siteUrl, project));
  });
  routes.get('/rest/api/3/project/:projectIdOrKey/role/:id', (req) => roleActors(state, req));
  routes.get('/rest/api/3/project/:projectKeyOrId/securitylevel', (req) => securityLevels(state, req));
  routes.get('/rest/api/3/project/:projectKeyOrId/issuesecuritylevelscheme', (req) =>
    projectSecurityScheme(state, req),
  );
  routes.get('/rest/api/3/securitylevel/:id', (req) => {
    const level = state.store.securityLevels.get(req.params.id ?? '');
    if (!level) return notFound(`Issue security level with id ${req.params.id} does not exist.`);
    return json(securityLevelJson(level, req.siteUrl));
  });
  routes.get('/rest/api/3/issuesecurityschemes/:issueSecuritySchemeId/members', (req) =>
    securityMembers(state, req),
  );
}

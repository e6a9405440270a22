// Identity and site metadata: myself (with the caller's time zone), serverInfo, the field list, and
// mypermissions in global, project, issue or comment context.
import { ADMINISTER_PROJECTS, BROWSE_PROJECTS } from './access';
import { FIELDS } from './catalog';
import { badRequest, issueNotFound, jiraError, json, projectNotFound } from './errors';
import type { JiraIssue, JiraProject } from './model';
import { userJson } from './render';
import { groupRef } from './routes-users';
import type { RouteTable, SimRequest, SimResponse } from './seam';
import type { JiraState } from './state';
import { formatJiraTime } from '../core/time-zone';

interface PermissionDef {
  id: string;
  name: string;
  type: 'PROJECT' | 'GLOBAL';
  description: string;
}

const PERMISSIONS: Record<string, PermissionDef> = {
  BROWSE_PROJECTS: {
    id: '10',
    name: 'Browse Projects',
    type: 'PROJECT',
    description: 'Ability to browse projects and the issues within them.',
  },
  ADMINISTER_PROJECTS: {
    id: '23',
    name: 'Administer Projects',
    type: 'PROJECT',
    description: 'Ability to administer a project in Jira.',
  },
  CREATE_ISSUES: {
    id: '11',
    name: 'Create Issues',
    type: 'PROJECT',
    description: 'Ability to create issues.',
  },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', type: 'PROJECT', description: 'Ability to edit issues.' },
  ADD_COMMENTS: {
    id: '15',
    name: 'Add Comments',
    type: 'PROJECT',
    description: 'Ability to comment on issues.',
  },
  SET_ISSUE_SECURITY: {
    id: '26',
    name: 'Set Issue Security',
    type: 'PROJECT',
    description: 'Ability to set the level of security on an issue.',
  },
  ADMINISTER: {
    id: '0',
    name: 'Administer Jira',
    type: 'GLOBAL',
    description: 'Create and administer projects, issue types, fields and more.',
  },
  USER_PICKER: {
    id: '27',
    name: 'Browse users and groups',
    type: 'GLOBAL',
    description: 'View and select users or groups from the user picker.',
  },
};

function myself(state: JiraState, req: SimRequest): SimResponse {
  const user = state.directory.userById(req.caller);
  if (!user)
    return jiraError(401, ['You are not authenticated. Authentication required to perform this operation.']);
  const expand = new Set((req.query.get('expand') ?? '').split(','));
  const body: Record<string, unknown> = { ...userJson(user, req.siteUrl), expand: 'groups,applicationRoles' };
  if (expand.has('groups')) {
    const mine = state.directory.groupsOf(user.accountId);
    const items = state.directory.groups.filter((g) => mine.has(g.id)).map((g) => groupRef(req.siteUrl, g));
    body.groups = { size: items.length, items };
  }
  if (expand.has('applicationRoles')) {
    const items = state.store.applicationAccess.has(user.accountId)
      ? [{ key: 'jira-software', name: 'Jira' }]
      : [];
    body.applicationRoles = { size: items.length, items };
  }
  return json(body);
}

function serverInfo(state: JiraState, req: SimRequest): SimResponse {
  return json({
    baseUrl: req.siteUrl,
    displayUrl: req.siteUrl,
    version: '1001.0.0-SNAPSHOT',
    versionNumbers: [1001, 0, 0],
    deploymentType: 'Cloud',
    buildNumber: 100296,
    buildDate: '2026-01-05T00:00:00.000+0000',
    serverTime: formatJiraTime(state.clock.now(), 'UTC'),
    scmInfo: 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9',
    serverTitle: 'Jira',
    serverTimeZone: 'Etc/UTC',
  });
}

function fieldList(): SimResponse {
  return json(
    FIELDS.map((f) => ({
      id: f.id,
      key: f.id,
      name: f.name,
      custom: f.custom,
      orderable: f.orderable,
      navigable: f.navigable,
      searchable: f.searchable,
      clauseNames: f.clauseNames,
      ...(f.schema ? { schema: f.schema } : {}),
    })),
  );
}

function myPermissions(state: JiraState, req: SimRequest): SimResponse {
  const raw = req.query.get('permissions');
  if (!raw) return badRequest('The permissions parameter is required.');
  const keys = raw
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
  const unknown = keys.filter((k) => !PERMISSIONS[k]);
  if (unknown.length > 0) return badRequest(`Unrecognized permission keys: ${unknown.join(', ')}`);
  let project: JiraProject | undefined;
  let issue: JiraIssue | undefined;
  const commentId = req.query.get('commentId');
  const issueRef = req.query.get('issueId') ?? req.query.get('issueKey');
  const projectRef = req.query.get('projectId') ?? req.query.get('projectKey');
  if (commentId) {
    if (keys.some((k) => k !== BROWSE_PROJECTS))
      return badRequest('Only the BROWSE_PROJECTS permission is supported with a commentId.');
    const comment = state.store.comments.get(commentId);
    if (!comment) return jiraError(404, [`The comment with id '${commentId}' does not exist.`]);
    const visible = state.access.canSeeComment(req.caller, comment);
    return json({
      permissions: { BROWSE_PROJECTS: { ...describe(BROWSE_PROJECTS), havePermission: visible } },
    });
  }
  if (issueRef) {
    issue = state.store.findIssue(issueRef);
    if (!issue || !state.access.canOpenIssue(req.caller, issue)) return issueNotFound();
    project = state.store.projects.get(issue.projectId);
  } else if (projectRef) {
    project = state.store.findProject(projectRef);
    if (!project || !state.access.canViewProject(req.caller, project)) return projectNotFound(projectRef);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    let have: boolean;
    if (key === 'ADMINISTER') have = state.access.isJiraAdmin(req.caller);
    else if (key === 'USER_PICKER') have = state.access.canBrowseUsers(req.caller);
    else if (project) have = state.access.hasProjectPermission(req.caller, project, key, issue);
    else {
      have = [...state.store.projects.values()].some((p) =>
        state.access.hasProjectPermission(req.caller, p, key),
      );
    }
    if (key === ADMINISTER_PROJECTS && state.access.isJiraAdmin(req.caller)) have = true;
    out[key] = { ...describe(key), havePermission: have };
  }
  return json({ permissions: out });
}

function describe(key: string): Record<string, unknown> {
  const def = PERMISSIONS[key]!;
  return { id: def.id, key, name: def.name, type: def.type, description: def.description };
}

/**
 * `POST permissions/check`: which of the given projects and issues an account holds each permission on.
 * Checking someone else needs Administer Jira; unknown project and issue ids are ignored.
 */
function bulkPermissionCheck(state: JiraState, req: SimRequest): SimResponse {
  const b = req.body as Record<string, unknown> | null;
  if (typeof b !== 'object' || b === null) return badRequest('Invalid request payload.');
  const target = typeof b.accountId === 'string' && b.accountId.length > 0 ? b.accountId : req.caller;
  if (target !== req.caller && !state.access.isJiraAdmin(req.caller)) {
    return jiraError(403, [
      'You must have the Administer Jira global permission to check permissions of other users.',
    ]);
  }
  const globals = Array.isArray(b.globalPermissions)
    ? (b.globalPermissions as unknown[]).filter((x): x is string => typeof x === 'string')
    : [];
  const entries = Array.isArray(b.projectPermissions)
    ? (b.projectPermissions as Record<string, unknown>[])
    : [];
  const asIds = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x) => x !== null).map((x) => String(x)) : [];
  const projectCount = entries.reduce((n, e) => n + asIds(e.projects).length, 0);
  const issueCount = entries.reduce((n, e) => n + asIds(e.issues).length, 0);
  if (projectCount > 1000 || issueCount > 1000)
    return badRequest('A maximum of 1000 projects and 1000 issues can be checked.');
  const keys = [...globals, ...entries.flatMap((e) => asIds(e.permissions).filter((k) => k.length > 0))];
  const unknown = keys.filter((k) => !PERMISSIONS[k]);
  if (unknown.length > 0) return badRequest(`Unrecognized permission keys: ${unknown.join(', ')}`);
  const globalPermissions = globals.filter((k) =>
    k === 'ADMINISTER'
      ? state.access.isJiraAdmin(target)
      : k === 'USER_PICKER'
        ? state.access.canBrowseUsers(target)
        : false,
  );
  const projectPermissions = entries.flatMap((e) =>
    asIds(e.permissions)
      .filter((k) => k.length > 0)
      .map((permission) => {
        const projects = asIds(e.projects).filter((id) => {
          const project = state.store.projects.get(id);
          return project !== undefined && state.access.hasProjectPermission(target, project, permission);
        });
        const issues = asIds(e.issues).filter((id) => {
          const issue = state.store.issues.get(id);
          if (!issue || !state.access.canOpenIssue(target, issue)) return false;
          const project = state.store.projects.get(issue.projectId)!;
          return state.access.hasProjectPermission(target, project, permission, issue);
        });
        return { permission, projects: projects.map(Number), issues: issues.map(Number) };
      }),
  );
  return json({ globalPermissions, projectPermissions });
}

export function registerMetaRoutes(routes: RouteTable, state: JiraState): void {
  routes.post('/rest/api/3/permissions/check', (req) => bulkPermissionCheck(state, req));
  routes.get('/rest/api/3/myself', (req) => myself(state, req));
  routes.get('/rest/api/3/serverInfo', (req) => serverInfo(state, req));
  routes.get('/rest/api/3/field', () => fieldList());
  routes.get('/rest/api/3/mypermissions', (req) => myPermissions(state, req));
}

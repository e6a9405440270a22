// Jira access inputs, read in bulk per project: the BROWSE_PROJECTS grants of the project's permission
// scheme, project role actors, issue security levels and their members; then one JQL walk per project for
// the per-issue holders (reporter, assignee, user custom fields), security level and comment visibility.
import type { AtlassianSite } from '../atlassian/site';
import type { SourceConfig } from '../generated/config';
import type { Logger } from '../cdk/stream';
import { offsetPages, tokenPages } from '../atlassian/pagination';
import { emptyLayer, unionLayers, unreadableLayer, type Layer } from './acl';

export interface Holder {
  type: string;
  parameter?: string;
  value?: string;
  user?: { accountId?: string };
}
export interface ProjectInfo {
  id: string;
  key: string;
  archived?: boolean;
  lead?: { accountId?: string };
}
interface Role {
  id: string;
  name: string;
  users: string[];
  groups: { id: string; name?: string }[];
}
/** A holder resolved to principals, as jira_project_permissions / jira_issue_security_levels rows. */
export interface ResolvedPrincipal {
  principal_type: 'user' | 'group' | 'anyone' | 'issue_field' | 'application_role' | 'unresolved';
  principal_id: string;
  principal_name?: string | null;
  via_role_id?: string | null;
  via_role_name?: string | null;
  via_application_role?: string | null;
}

const status = (e: unknown): number | undefined => (e as { status?: number }).status;

export async function* listProjects(
  site: AtlassianSite,
  config: SourceConfig,
  signal?: AbortSignal,
): AsyncGenerator<ProjectInfo> {
  if (config.jira?.enabled === false) return;
  const include = new Set(config.jira?.projects?.include ?? []);
  const exclude = new Set(config.jira?.projects?.exclude ?? []);
  const params = {
    expand: 'lead',
    // An array parameter: repeated keys (a comma-joined value names no status).
    ...(config.jira?.include_archived_projects ? { status: ['live', 'archived'] } : {}),
  };
  // A project repeated by the offset paging (another created between two pages) is listed once.
  const yielded = new Set<string>();
  for await (const page of offsetPages<ProjectInfo>(site.jira, '/rest/api/3/project/search', {
    style: 'startAt',
    pageSize: 100,
    params,
    signal,
  })) {
    for (const p of page) {
      if ((include.size > 0 && !include.has(p.key)) || exclude.has(p.key)) continue;
      if (yielded.has(p.id)) continue;
      yielded.add(p.id);
      yield p;
    }
  }
}

/** Everything needed to resolve holders in one project; roles and application roles fetched once, lazily. */
export class ProjectAccess {
  private roles?: Promise<Map<string, Promise<Role | undefined>>>;
  private appRoles?: Promise<Map<string, { id: string; name?: string }[]> | undefined>;

  constructor(
    readonly site: AtlassianSite,
    readonly project: ProjectInfo,
    readonly logger: Logger,
    private readonly signal?: AbortSignal,
  ) {}

  private roleMap(): Promise<Map<string, Promise<Role | undefined>>> {
    return (this.roles ??= (async () => {
      const urls = await this.site.jira.get<Record<string, string>>(
        `/rest/api/3/project/${this.project.id}/role`,
        { signal: this.signal },
      );
      const out = new Map<string, Promise<Role | undefined>>();
      for (const [name, url] of Object.entries(urls)) {
        const id = /\/role\/(\d+)\/?$/.exec(url)?.[1];
        if (!id) continue;
        const role = this.fetchRole(id, name);
        // Fetched ahead of use; a role nobody asks for must not leave an unhandled rejection behind
        // (e.g. when a 401 stops the run). Whoever awaits it still sees the error.
        role.catch(() => undefined);
        out.set(id, role);
        out.set(`name:${name}`, role);
      }
      return out;
    })());
  }

  private async fetchRole(id: string, name: string): Promise<Role | undefined> {
    type Actor = {
      type?: string;
      actorUser?: { accountId?: string };
      actorGroup?: { groupId?: string; name?: string };
    };
    try {
      const body = await this.site.jira.get<{ actors?: Actor[] }>(
        `/rest/api/3/project/${this.project.id}/role/${id}`,
        { signal: this.signal },
      );
      const role: Role = { id, name, users: [], groups: [] };
      for (const a of body.actors ?? []) {
        if (a.actorUser?.accountId) role.users.push(a.actorUser.accountId);
        else if (a.actorGroup?.groupId)
          role.groups.push({ id: a.actorGroup.groupId, name: a.actorGroup.name });
      }
      return role;
    } catch (error) {
      if (status(error) === undefined) throw error;
      this.logger.warn(
        `cannot read actors of project role ${name} in project ${this.project.key} (${status(error)}): it grants nothing`,
      );
      return undefined;
    }
  }

  /** A role by id, or by name (comment visibility may name the role). */
  async role(idOrName: string): Promise<Role | undefined> {
    try {
      const map = await this.roleMap();
      return (await map.get(idOrName)) ?? (await map.get(`name:${idOrName}`));
    } catch (error) {
      if (status(error) === undefined) throw error;
      this.logger.warn(
        `cannot list project roles of ${this.project.key} (${status(error)}): roles grant nothing`,
      );
      return undefined;
    }
  }

  /** Application role key -> its groups (GET /rest/api/3/applicationrole), when readable. */
  private applicationRoles(): Promise<Map<string, { id: string; name?: string }[]> | undefined> {
    return (this.appRoles ??= (async () => {
      try {
        type AppRole = { key: string; groupDetails?: { groupId: string; name?: string }[] };
        const roles = await this.site.jira.get<AppRole[]>('/rest/api/3/applicationrole', {
          signal: this.signal,
        });
        return new Map(
          roles.map((r) => [r.key, (r.groupDetails ?? []).map((g) => ({ id: g.groupId, name: g.name }))]),
        );
      } catch (error) {
        if (status(error) === undefined) throw error;
        return undefined;
      }
    })());
  }

  /** Resolve a holder to principals (issue-relative holders stay `issue_field`). */
  async resolve(holder: Holder): Promise<ResolvedPrincipal[]> {
    const value = holder.value ?? holder.parameter ?? holder.user?.accountId;
    switch (holder.type) {
      case 'anyone':
        return [{ principal_type: 'anyone', principal_id: 'anyone' }];
      case 'user':
        return value ? [{ principal_type: 'user', principal_id: value }] : [];
      case 'group':
        return holder.value
          ? [
              {
                principal_type: 'group',
                principal_id: holder.value,
                principal_name: holder.parameter ?? null,
              },
            ]
          : [];
      case 'projectLead':
        return this.project.lead?.accountId
          ? [
              {
                principal_type: 'user',
                principal_id: this.project.lead.accountId,
                principal_name: 'project lead',
              },
            ]
          : [];
      case 'projectRole': {
        const role = value ? await this.role(value) : undefined;
        if (!role) return [{ principal_type: 'unresolved', principal_id: `projectRole:${value ?? ''}` }];
        const via = { via_role_id: role.id, via_role_name: role.name };
        return [
          ...role.users.map((u) => ({ principal_type: 'user' as const, principal_id: u, ...via })),
          ...role.groups.map((g) => ({
            principal_type: 'group' as const,
            principal_id: g.id,
            principal_name: g.name ?? null,
            ...via,
          })),
        ];
      }
      case 'applicationRole': {
        const roles = await this.applicationRoles();
        const key = holder.parameter ?? holder.value;
        const groups = roles ? (key ? (roles.get(key) ?? []) : [...roles.values()].flat()) : undefined;
        if (!groups) return [{ principal_type: 'application_role', principal_id: key ?? '*' }];
        return groups.map((g) => ({
          principal_type: 'group',
          principal_id: g.id,
          principal_name: g.name ?? null,
          via_application_role: key ?? '*',
        }));
      }
      case 'reporter':
      case 'assignee':
        return [{ principal_type: 'issue_field', principal_id: holder.type }];
      case 'userCustomField':
      case 'groupCustomField':
        return value
          ? [{ principal_type: 'issue_field', principal_id: value, principal_name: holder.type }]
          : [];
      default:
        return [{ principal_type: 'unresolved', principal_id: `${holder.type}:${value ?? ''}` }];
    }
  }

  /** BROWSE_PROJECTS grants of the project's permission scheme, or the status that refused them. */
  async browseGrants(): Promise<
    { schemeId?: string; grants: { id: string; holder: Holder }[] } | { status: number | undefined }
  > {
    try {
      type Scheme = {
        id?: number | string;
        permissions?: { id: number | string; permission: string; holder?: Holder }[];
      };
      const scheme = await this.site.jira.get<Scheme>(
        `/rest/api/3/project/${this.project.id}/permissionscheme`,
        {
          params: { expand: 'permissions,user,group,projectRole' },
          signal: this.signal,
        },
      );
      const grants = (scheme.permissions ?? [])
        .filter((p) => p.permission === 'BROWSE_PROJECTS' && p.holder)
        .map((p) => ({ id: String(p.id), holder: p.holder! }));
      return { schemeId: scheme.id === undefined ? undefined : String(scheme.id), grants };
    } catch (error) {
      if (status(error) === undefined) throw error;
      return { status: status(error) };
    }
  }

  /** Security levels of the project with their members; undefined when the project has no scheme. */
  async securityLevels(): Promise<
    | {
        schemeId: string;
        levels: Map<string, { name?: string; isDefault: boolean; members: { id: string; holder: Holder }[] }>;
      }
    | undefined
    | { status: number | undefined }
  > {
    type Scheme = {
      id?: number | string;
      defaultSecurityLevelId?: number | string;
      levels?: { id: string; name?: string }[];
    };
    let scheme: Scheme;
    try {
      scheme = await this.site.jira.get<Scheme>(
        `/rest/api/3/project/${this.project.id}/issuesecuritylevelscheme`,
        { signal: this.signal },
      );
    } catch (error) {
      if (status(error) === 404 || status(error) === 204) return undefined;
      if (status(error) === undefined) throw error;
      return { status: status(error) };
    }
    if (scheme.id === undefined) return undefined;
    const schemeId = String(scheme.id);
    const levels = new Map(
      (scheme.levels ?? []).map((l) => [
        String(l.id),
        {
          name: l.name,
          isDefault: String(l.id) === String(scheme.defaultSecurityLevelId),
          members: [] as { id: string; holder: Holder }[],
        },
      ]),
    );
    try {
      type Member = { id: number | string; issueSecurityLevelId: number | string; holder: Holder };
      for await (const page of offsetPages<Member>(
        this.site.jira,
        `/rest/api/3/issuesecurityschemes/${schemeId}/members`,
        { style: 'startAt', pageSize: 50, signal: this.signal },
      )) {
        for (const m of page) {
          const levelId = String(m.issueSecurityLevelId);
          if (!levels.has(levelId)) levels.set(levelId, { name: undefined, isDefault: false, members: [] });
          levels.get(levelId)!.members.push({ id: String(m.id), holder: m.holder });
        }
      }
    } catch (error) {
      if (status(error) === undefined) throw error;
      return { status: status(error) };
    }
    return { schemeId, levels };
  }
}

/** The static part of a holder list as a layer, plus the issue fields evaluated per issue. */
export async function holdersLayer(
  access: ProjectAccess,
  holders: Holder[],
  source: { kind: 'project_permission' | 'security_level'; id?: string; name?: string },
): Promise<{ layer: Layer; issueFields: string[] }> {
  const layer = emptyLayer([
    {
      kind: source.kind,
      id: source.id ?? null,
      name: source.name ?? null,
      detail:
        source.kind === 'project_permission'
          ? `BROWSE_PROJECTS grants of project ${access.project.key}`
          : `members of security level ${source.name ?? source.id}`,
    },
  ]);
  const issueFields: string[] = [];
  for (const h of holders) {
    for (const p of await access.resolve(h)) {
      if (p.principal_type === 'anyone') {
        layer.public = true;
        layer.sources.push({ kind: 'anyone', detail: 'granted to anyone (public)' });
      } else if (p.principal_type === 'user') layer.users.add(p.principal_id);
      else if (p.principal_type === 'group') layer.groups.add(p.principal_id);
      else if (p.principal_type === 'issue_field') issueFields.push(p.principal_id);
      else {
        access.logger.warn(
          `project ${access.project.key}: holder ${p.principal_id} (${h.type}) could not be resolved to people ` +
            `(application roles need GET /rest/api/3/applicationrole, Administer Jira); it grants nobody access here`,
        );
        layer.sources.push({
          kind: p.principal_type === 'application_role' ? 'application_role' : 'unreadable',
          id: p.principal_id,
          detail: `holder ${p.principal_id} could not be resolved to people; it grants nothing`,
        });
      }
      if (p.via_role_id)
        layer.sources.push({
          kind: 'project_role',
          id: p.via_role_id,
          name: p.via_role_name ?? null,
          detail: `actor ${p.principal_id} of role ${p.via_role_name ?? p.via_role_id}`,
        });
    }
  }
  return { layer, issueFields };
}

interface IssueBean {
  id: string;
  key: string;
  fields?: Record<string, unknown>;
}

function accountIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(accountIds);
  if (value && typeof value === 'object' && typeof (value as { accountId?: unknown }).accountId === 'string')
    return [(value as { accountId: string }).accountId];
  return [];
}
function groupIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(groupIds);
  if (value && typeof value === 'object' && typeof (value as { groupId?: unknown }).groupId === 'string')
    return [(value as { groupId: string }).groupId];
  return [];
}

/** Per-issue holders resolved from the issue's own fields. */
export function issueFieldLayer(issue: IssueBean, fields: string[], groupFields: Set<string>): Layer {
  const layer = emptyLayer();
  for (const f of fields) {
    const value = issue.fields?.[f];
    const users = groupFields.has(f) ? [] : accountIds(value);
    const groups = groupFields.has(f) ? groupIds(value) : [];
    for (const u of users) layer.users.add(u);
    for (const g of groups) layer.groups.add(g);
    if (users.length || groups.length)
      layer.sources.push({
        kind: 'issue_field',
        id: f,
        detail: `${f} of ${issue.key}: ${[...users, ...groups].join(', ')}`,
      });
  }
  return layer;
}

export interface IssueItem {
  id: string;
  key: string;
  securityLevelId?: string;
  /**
   * false when the response had no `security` field at all (not even null), or a level without an id: that
   * says nothing about the issue's level, so in a project with security levels its access cannot be known.
   */
  securityReturned: boolean;
  fields: Record<string, unknown>;
  comments: { id: string; visibility?: { type?: string; value?: string; identifier?: string } }[];
  attachmentIds: string[];
}

/**
 * One JQL walk over a project: what the ACL needs from each issue, comments paged only when truncated.
 * Each page is reduced to its items as soon as it arrives, so the comment bodies it carries are dropped
 * at once rather than held while its issues are worked on (see cdk/steps.ts).
 */
export async function* projectIssues(
  site: AtlassianSite,
  project: ProjectInfo,
  extraFields: string[],
  signal?: AbortSignal,
): AsyncGenerator<IssueItem> {
  const fields = ['reporter', 'assignee', 'security', 'comment', 'attachment', ...extraFields];
  type Comment = IssueItem['comments'][number];
  const pages = tokenPages<IssueBean>(
    site.jira,
    '/rest/api/3/search/jql',
    { jql: `project = ${project.id} ORDER BY id ASC`, fields, maxResults: 100 },
    { signal },
  );
  const toItem = async (issue: IssueBean): Promise<IssueItem> => {
    const { comment, attachment, security, ...rest } = (issue.fields ?? {}) as Record<string, unknown>;
    const c = (comment ?? {}) as { comments?: Comment[]; total?: number };
    let comments = c.comments ?? [];
    if (typeof c.total === 'number' && c.total > comments.length) {
      comments = [];
      for await (const p of offsetPages<Comment>(site.jira, `/rest/api/3/issue/${issue.id}/comment`, {
        style: 'startAt',
        pageSize: 100,
        itemsKey: 'comments',
        signal,
      }))
        comments.push(...p);
    }
    const level = security as { id?: string | number } | null | undefined;
    return {
      id: issue.id,
      key: issue.key,
      securityLevelId: level?.id === undefined ? undefined : String(level.id),
      // null is "no level"; an absent field (or a level without an id) tells nothing.
      securityReturned: level === null || level?.id !== undefined,
      fields: rest,
      comments: comments.map((x) => ({ id: String(x.id), visibility: x.visibility })),
      attachmentIds: ((attachment ?? []) as { id: string | number }[]).map((a) => String(a.id)),
    };
  };
  const nextItems = async (): Promise<IssueItem[] | undefined> => {
    const page = await pages.next();
    if (page.done) return undefined;
    const items: IssueItem[] = [];
    for (const issue of page.value) items.push(await toItem(issue));
    return items;
  };
  for (let items = await nextItems(); items; items = await nextItems()) yield* items;
}

export { unionLayers, unreadableLayer };

// Confluence access inputs, read in bulk: the "read space" assignments of each space, and the own read
// restriction plus ancestors of every page and blog post from one CQL listing per space (expands, not one
// request per page); comments and attachments come from a second CQL listing with their container.
import type { AtlassianSite } from '../atlassian/site';
import type { SourceConfig } from '../generated/config';
import type { Logger } from '../cdk/stream';
import { confluenceCursorPages } from '../atlassian/pagination';
import { emptyLayer, unreadableLayer, type Layer } from './acl';

export interface SpaceInfo {
  id: string;
  key: string;
  name?: string;
  type?: string;
  status?: string;
  authorId?: string;
}

export interface SpacePermission {
  id?: string;
  principal?: { type?: string; id?: string };
  operation?: { key?: string; targetType?: string };
}

interface V1Principals {
  user?: {
    results?: { accountId: string; displayName?: string }[];
    size?: number;
    limit?: number;
    totalSize?: number;
  };
  group?: { results?: { id: string; name?: string }[]; size?: number; limit?: number };
}
interface V1Content {
  id: string;
  type: string;
  ancestors?: { id: string }[];
  container?: { id: string; type?: string };
  restrictions?: { read?: { restrictions?: V1Principals } };
}

export interface Restriction {
  users: { id: string; name?: string }[];
  groups: { id: string; name?: string }[];
}

export interface ContentItem {
  id: string;
  type: 'page' | 'blogpost';
  ancestorIds: string[];
  /** Own read restriction; undefined when the page has none. `unreadable` when it could not be read. */
  restriction?: Restriction | 'unreadable';
}

const ANONYMOUS_ROLES = new Set(['anonymous-users', 'anonymous']);
// Access classes granting every licensed user: they reach accounts of type `atlassian` only, never Service
// Management portal customers or app accounts (DirectorySnapshot.licensedUsers).
const ALL_USER_ROLES = new Set(['all-licensed-users', 'authenticated-users']);
const status = (e: unknown): number | undefined => (e as { status?: number }).status;

export async function* listSpaces(
  site: AtlassianSite,
  config: SourceConfig,
  excludedOwner: (id: string) => boolean,
  signal?: AbortSignal,
): AsyncGenerator<SpaceInfo> {
  if (config.confluence?.enabled === false) return;
  const include = new Set(config.confluence?.spaces?.include ?? []);
  const exclude = new Set(config.confluence?.spaces?.exclude ?? []);
  const statuses = config.confluence?.include_archived_spaces ? ['current', 'archived'] : ['current'];
  for (const s of statuses) {
    for await (const page of confluenceCursorPages<SpaceInfo>(site.confluence, '/wiki/api/v2/spaces', {
      params: { status: s, limit: 250 },
      signal,
    })) {
      for (const space of page) {
        if (include.size > 0 && !include.has(space.key)) continue;
        if (exclude.has(space.key)) continue;
        if (
          space.type === 'personal' &&
          (config.confluence?.include_personal_spaces === false ||
            (space.authorId && excludedOwner(space.authorId)))
        )
          continue;
        yield space;
      }
    }
  }
}

/** Read-space assignments of a space (GET /wiki/api/v2/spaces/{id}/permissions), or the HTTP status that refused them. */
export async function spaceReadPermissions(
  site: AtlassianSite,
  space: SpaceInfo,
  signal?: AbortSignal,
): Promise<SpacePermission[] | { status: number | undefined }> {
  const out: SpacePermission[] = [];
  try {
    for await (const page of confluenceCursorPages<SpacePermission>(
      site.confluence,
      `/wiki/api/v2/spaces/${space.id}/permissions`,
      { params: { limit: 250 }, signal },
    )) {
      for (const p of page)
        if (p.operation?.key === 'read' && p.operation?.targetType === 'space') out.push(p);
    }
  } catch (error) {
    if (status(error) === undefined) throw error;
    return { status: status(error) };
  }
  return out;
}

export function principalOf(p: SpacePermission): { type: string; id: string } {
  const type = p.principal?.type ?? 'unknown';
  const id = p.principal?.id ?? '';
  if (type === 'role' && ANONYMOUS_ROLES.has(id)) return { type: 'anonymous', id: 'anonymous' };
  if (type === 'role' && ALL_USER_ROLES.has(id)) return { type: 'all_users', id };
  return { type, id };
}

/** The space layer of the ACL: who passes "read space". */
export function spaceLayer(
  space: SpaceInfo,
  perms: SpacePermission[] | { status: number | undefined },
): Layer {
  if (!Array.isArray(perms))
    return unreadableLayer(`cannot read space permissions of space ${space.key} (${perms.status})`, space.id);
  const layer = emptyLayer([
    {
      kind: 'space_permission',
      id: space.id,
      name: space.key,
      detail: `read permission of space ${space.key}`,
    },
  ]);
  for (const p of perms) {
    const principal = principalOf(p);
    if (principal.type === 'anonymous') layer.public = true;
    else if (principal.type === 'all_users') layer.allUsers = true;
    else if (principal.type === 'user') layer.users.add(principal.id);
    else if (principal.type === 'group') layer.groups.add(principal.id);
    // Other RBAC roles cannot be resolved to people here: they grant nothing (fail closed).
  }
  return layer;
}

/**
 * The user and group lists of a v1 restriction, or undefined when either did not come back expanded (only
 * `_expandable` links, or no `restrictions` at all): that says nothing about who is restricted, so it must
 * not read as "no restriction".
 */
function expandedPrincipals(p: V1Principals | undefined): Restriction | undefined {
  const users = p?.user?.results;
  const groups = p?.group?.results;
  if (!Array.isArray(users) || !Array.isArray(groups)) return undefined;
  return {
    users: users.map((u) => ({ id: u.accountId, name: u.displayName })),
    groups: groups.map((g) => ({ id: g.id, name: g.name })),
  };
}

/**
 * A content's own read restriction read in full (byOperation/read): undefined when it has none,
 * `unreadable` (with a WARN naming `what`) when it was refused or came back without its lists.
 */
async function fullRestriction(
  site: AtlassianSite,
  id: string,
  what: string,
  logger: Logger,
  signal?: AbortSignal,
): Promise<ContentItem['restriction']> {
  const out: Restriction = { users: [], groups: [] };
  // byOperation/read pages both lists with the same start/limit: keep going while either is full.
  for (let start = 0; ; start += 100) {
    let body: { restrictions?: V1Principals };
    try {
      body = await site.confluence.get<{ restrictions?: V1Principals }>(
        `/wiki/rest/api/content/${id}/restriction/byOperation/read`,
        {
          params: { start, limit: 100, expand: 'restrictions.user,restrictions.group' },
          signal,
        },
      );
    } catch (error) {
      if (status(error) === undefined) throw error;
      logger.warn(`cannot read the read restriction of ${what} (${status(error)}): nobody gets access to it`);
      return 'unreadable';
    }
    const page = expandedPrincipals(body.restrictions);
    if (!page) {
      logger.warn(
        `the read restriction of ${what} came back without its user and group lists: nobody gets access to it`,
      );
      return 'unreadable';
    }
    out.users.push(...page.users);
    out.groups.push(...page.groups);
    if (page.users.length < 100 && page.groups.length < 100)
      return out.users.length || out.groups.length ? out : undefined;
  }
}

function truncated(
  list: { results?: unknown[]; size?: number; limit?: number; totalSize?: number } | undefined,
): boolean {
  if (!list) return false;
  const n = list.results?.length ?? 0;
  return (
    (typeof list.totalSize === 'number' && list.totalSize > n) ||
    (typeof list.limit === 'number' && list.limit > 0 && n >= list.limit)
  );
}

/** Every page and blog post of a space with own read restriction and ancestors (one CQL walk). */
export async function* spaceContent(
  site: AtlassianSite,
  space: SpaceInfo,
  logger: Logger,
  signal?: AbortSignal,
): AsyncGenerator<ContentItem> {
  const cql = `space = "${space.key.replace(/"/g, '\\"')}" and type in (page, blogpost) order by id`;
  const expand = 'restrictions.read.restrictions.user,restrictions.read.restrictions.group,ancestors';
  for await (const page of confluenceCursorPages<V1Content>(
    site.confluence,
    '/wiki/rest/api/content/search',
    { params: { cql, expand, limit: 100 }, signal },
  )) {
    for (const c of page) {
      const what = `${c.type} ${c.id} in space ${space.key}`;
      const r = c.restrictions?.read?.restrictions;
      const listed = expandedPrincipals(r);
      let restriction: ContentItem['restriction'];
      if (truncated(r?.user) || truncated(r?.group)) {
        restriction = await fullRestriction(site, c.id, what, logger, signal);
      } else if (!listed) {
        logger.warn(
          r
            ? `the read restriction of ${what} came back without its user and group lists: nobody gets access to it`
            : `no read restriction returned for ${what}: nobody gets access to it`,
        );
        restriction = 'unreadable';
      } else {
        // No restriction only when both lists came back, empty.
        restriction = listed.users.length || listed.groups.length ? listed : undefined;
      }
      yield {
        id: c.id,
        type: c.type === 'blogpost' ? 'blogpost' : 'page',
        ancestorIds: (c.ancestors ?? []).map((a) => a.id),
        restriction,
      };
    }
  }
}

/**
 * Archived pages: CQL search only covers current content, so list them (v2, bulk) and read each one's own
 * restriction (one request per archived page; archived pages are few). Ancestors come from `parentId`.
 */
export async function* archivedPages(
  site: AtlassianSite,
  space: SpaceInfo,
  logger: Logger,
  signal?: AbortSignal,
): AsyncGenerator<ContentItem & { parentId?: string }> {
  for await (const page of confluenceCursorPages<{ id: string; parentId?: string | null }>(
    site.confluence,
    `/wiki/api/v2/spaces/${space.id}/pages`,
    { params: { status: 'archived', limit: 250 }, signal },
  )) {
    for (const p of page) {
      const what = `archived page ${p.id} in space ${space.key}`;
      const restriction = await fullRestriction(site, p.id, what, logger, signal);
      yield { id: p.id, type: 'page', ancestorIds: [], restriction, parentId: p.parentId ?? undefined };
    }
  }
}

/** Comments and attachments of a space with their container (one CQL walk). */
export async function* spaceChildren(
  site: AtlassianSite,
  space: SpaceInfo,
  signal?: AbortSignal,
): AsyncGenerator<{
  id: string;
  type: 'comment' | 'attachment';
  containerId?: string;
  containerType?: string;
}> {
  const cql = `space = "${space.key.replace(/"/g, '\\"')}" and type in (comment, attachment) order by id`;
  for await (const page of confluenceCursorPages<V1Content>(
    site.confluence,
    '/wiki/rest/api/content/search',
    { params: { cql, expand: 'container', limit: 100 }, signal },
  )) {
    for (const c of page)
      yield {
        id: c.id,
        type: c.type === 'attachment' ? 'attachment' : 'comment',
        containerId: c.container?.id,
        containerType: c.container?.type,
      };
  }
}

export function restrictionLayer(
  r: Restriction | 'unreadable',
  contentId: string,
  inheritedFrom?: string,
): Layer {
  if (r === 'unreadable')
    return unreadableLayer(`read restriction of content ${contentId} could not be read`, contentId);
  const layer = emptyLayer([
    inheritedFrom
      ? {
          kind: 'inherited_restriction',
          id: inheritedFrom,
          detail: `read restriction of ancestor ${inheritedFrom}`,
        }
      : { kind: 'page_restriction', id: contentId, detail: `own read restriction of ${contentId}` },
  ]);
  for (const u of r.users) layer.users.add(u.id);
  for (const g of r.groups) layer.groups.add(g.id);
  return layer;
}

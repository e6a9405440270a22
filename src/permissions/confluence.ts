// Confluence access inputs, read in bulk: the "read space" assignments of each space, and the own read
// restriction plus ancestors of every page and blog post from one CQL listing per space (expands, not one
// request per page); comments and attachments come from a second CQL listing with their container.
// Ancestors CQL does not list (folders, whiteboards, databases, embeds) cost one request each per sync.
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
  ancestors?: { id: string; type?: string }[];
  container?: { id: string; type?: string };
  restrictions?: { read?: { restrictions?: V1Principals } };
}

export interface Restriction {
  users: { id: string; name?: string }[];
  groups: { id: string; name?: string }[];
}

/** A page's ancestor: a page, folder, whiteboard, database or embed (ENDPOINTS.md §1.3). */
export interface Ancestor {
  id: string;
  type: string;
}

export interface ContentItem {
  id: string;
  type: 'page' | 'blogpost';
  /** Root first. */
  ancestors: Ancestor[];
  /** Own read restriction; undefined when the page has none. `unreadable` when it could not be read. */
  restriction?: Restriction | 'unreadable';
}

/** A read restriction a page or blog post is under: its own, or an ancestor's (then `ancestor` is set). */
export interface PathRestriction {
  sourceId: string;
  ancestor?: Ancestor;
  restriction: Restriction | 'unreadable';
  /** Why it is unreadable, when it is not that this restriction's own read failed. */
  why?: string;
}

export interface RestrictedContent {
  id: string;
  type: 'page' | 'blogpost';
  status: 'current' | 'archived';
  /** Every read restriction on the way to it, own first; a reader must pass all (ENDPOINTS.md §2.1). */
  restrictions: PathRestriction[];
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
  options: { what: string; closes?: string; logger: Logger; signal?: AbortSignal },
): Promise<ContentItem['restriction']> {
  const { what, closes = 'it', logger, signal } = options;
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
      logger.warn(
        `cannot read the read restriction of ${what} (${status(error)}): nobody gets access to ${closes}`,
      );
      return 'unreadable';
    }
    const page = expandedPrincipals(body.restrictions);
    if (!page) {
      logger.warn(
        `the read restriction of ${what} came back without its user and group lists: nobody gets access to ${closes}`,
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
        restriction = await fullRestriction(site, c.id, { what, logger, signal });
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
        ancestors: (c.ancestors ?? []).map((a) => ({ id: a.id, type: a.type ?? 'page' })),
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
): AsyncGenerator<ContentItem & { parent?: Ancestor }> {
  for await (const page of confluenceCursorPages<{
    id: string;
    parentId?: string | null;
    parentType?: string | null;
  }>(site.confluence, `/wiki/api/v2/spaces/${space.id}/pages`, {
    params: { status: 'archived', limit: 250 },
    signal,
  })) {
    for (const p of page) {
      const what = `archived page ${p.id} in space ${space.key}`;
      const restriction = await fullRestriction(site, p.id, { what, logger, signal });
      const parent = p.parentId ? { id: p.parentId, type: p.parentType ?? 'page' } : undefined;
      yield { id: p.id, type: 'page', ancestors: [], restriction, parent };
    }
  }
}

const ANCESTOR_LIMIT = 250;
/** v2 ancestor listings per ancestor type (ENDPOINTS.md §1.3). */
const ANCESTORS_PATH: Record<string, string> = {
  page: 'pages',
  folder: 'folders',
  whiteboard: 'whiteboards',
  database: 'databases',
  embed: 'embeds',
};

/**
 * A page's ancestors of every type, root first (GET /wiki/api/v2/pages/{id}/ancestors), or undefined with a
 * WARN naming `what` when they could not be read. No cursor: past the limit, ask again from the topmost.
 */
async function v2Ancestors(
  site: AtlassianSite,
  page: Ancestor,
  what: string,
  logger: Logger,
  signal?: AbortSignal,
): Promise<Ancestor[] | undefined> {
  const out: Ancestor[] = [];
  const asked = new Set<string>();
  for (let from = page; !asked.has(from.id);) {
    asked.add(from.id);
    const path = ANCESTORS_PATH[from.type];
    if (!path) {
      logger.warn(
        `cannot list the ancestors of ${what} above ${from.type} ${from.id}: nobody gets access to it`,
      );
      return undefined;
    }
    let body: { results?: { id: string; type?: string }[] };
    try {
      body = await site.confluence.get(`/wiki/api/v2/${path}/${from.id}/ancestors`, {
        params: { limit: ANCESTOR_LIMIT },
        signal,
      });
    } catch (error) {
      if (status(error) === undefined) throw error;
      logger.warn(`cannot read the ancestors of ${what} (${status(error)}): nobody gets access to it`);
      return undefined;
    }
    if (!Array.isArray(body.results)) {
      logger.warn(`the ancestors of ${what} came back without a result list: nobody gets access to it`);
      return undefined;
    }
    const found = body.results.map((a) => ({ id: String(a.id), type: a.type ?? 'unknown' }));
    out.unshift(...found);
    if (found.length < ANCESTOR_LIMIT) return out;
    from = found[0]!;
  }
  logger.warn(`the ancestors of ${what} loop back on themselves: nobody gets access to it`);
  return undefined;
}

/**
 * Read restrictions of ancestors the CQL walk does not list: folders, whiteboards, databases, embeds, and
 * pages outside the walk. One byOperation/read request per ancestor per sync, whichever permission stream
 * asks first; `unreadable` (with a WARN naming the ancestor) closes everything under it.
 */
export class AncestorRestrictions {
  private readonly read = new Map<string, Promise<ContentItem['restriction']>>();

  constructor(private readonly site: AtlassianSite) {}

  of(
    ancestor: Ancestor,
    space: SpaceInfo,
    logger: Logger,
    signal?: AbortSignal,
  ): Promise<ContentItem['restriction']> {
    let pending = this.read.get(ancestor.id);
    if (!pending) {
      const what = `${ancestor.type} ${ancestor.id} in space ${space.key}`;
      pending = fullRestriction(this.site, ancestor.id, { what, closes: 'what is under it', logger, signal });
      // A failure that is not an HTTP answer (abort, network) is not remembered: the next caller asks again.
      pending.catch(() => this.read.delete(ancestor.id));
      this.read.set(ancestor.id, pending);
    }
    return pending;
  }
}

/**
 * An archived page's ancestors from what the listings already say (`parent` links of archived pages, the
 * CQL ancestors of current ones), or undefined when the chain leaves them: a parent nobody listed (say a
 * folder no current page is in), whose own ancestors only the API knows.
 */
function knownAncestors(
  page: { parent?: Ancestor },
  archived: ReadonlyMap<string, { parent?: Ancestor }>,
  placed: ReadonlyMap<string, Ancestor[]>,
): Ancestor[] | undefined {
  const chain: Ancestor[] = [];
  for (let parent = page.parent; parent; parent = archived.get(parent.id)?.parent) {
    const { id } = parent;
    if (chain.some((a) => a.id === id)) return undefined;
    const above = placed.get(id);
    if (above) return [...above, parent, ...chain];
    chain.unshift(parent);
    if (!archived.has(id)) return undefined;
  }
  return chain;
}

/**
 * The pages and blog posts of a space (and its archived pages when asked) with every read restriction on
 * their path. Own restrictions of the listed pages cost nothing more; other ancestors are read through
 * `ancestors`. An archived page whose ancestors cannot be placed from the listings asks v2 for them.
 */
export async function* spaceRestrictions(
  site: AtlassianSite,
  space: SpaceInfo,
  options: { ancestors: AncestorRestrictions; archived: boolean; logger: Logger; signal?: AbortSignal },
): AsyncGenerator<RestrictedContent> {
  const { logger, signal } = options;
  const items: (ContentItem & { status: RestrictedContent['status']; placed: boolean })[] = [];
  for await (const c of spaceContent(site, space, logger, signal))
    items.push({ ...c, status: 'current', placed: true });
  if (options.archived) {
    const archived = new Map<string, ContentItem & { parent?: Ancestor }>();
    for await (const a of archivedPages(site, space, logger, signal)) archived.set(a.id, a);
    // The ancestors above every current page and above every ancestor CQL named for them.
    const placed = new Map<string, Ancestor[]>();
    for (const i of items) {
      placed.set(i.id, i.ancestors);
      i.ancestors.forEach((a, k) => {
        if (!placed.has(a.id)) placed.set(a.id, i.ancestors.slice(0, k));
      });
    }
    for (const a of archived.values()) {
      const what = `archived page ${a.id} in space ${space.key}`;
      const ancestors =
        knownAncestors(a, archived, placed) ??
        (await v2Ancestors(site, { id: a.id, type: 'page' }, what, logger, signal));
      items.push({ ...a, ancestors: ancestors ?? [], status: 'archived', placed: ancestors !== undefined });
    }
  }
  const listed = new Map(items.map((i) => [i.id, i.restriction]));
  for (const item of items) {
    const restrictions: PathRestriction[] = [];
    if (!item.placed)
      restrictions.push({
        sourceId: item.id,
        restriction: 'unreadable',
        why: `the ancestors of ${item.id} could not be listed, so their read restrictions are unknown`,
      });
    else if (item.restriction) restrictions.push({ sourceId: item.id, restriction: item.restriction });
    for (const ancestor of item.ancestors) {
      const r = listed.has(ancestor.id)
        ? listed.get(ancestor.id)
        : await options.ancestors.of(ancestor, space, logger, signal);
      if (r) restrictions.push({ sourceId: ancestor.id, ancestor, restriction: r });
    }
    yield { id: item.id, type: item.type, status: item.status, restrictions };
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

export function restrictionLayer(contentId: string, r: PathRestriction): Layer {
  const { ancestor, restriction } = r;
  if (restriction === 'unreadable')
    return unreadableLayer(
      r.why ??
        (ancestor
          ? `read restriction of ancestor ${ancestor.type} ${ancestor.id} could not be read`
          : `read restriction of content ${contentId} could not be read`),
      r.sourceId,
    );
  const layer = emptyLayer([
    ancestor
      ? {
          kind: 'inherited_restriction',
          id: ancestor.id,
          detail: `read restriction of ancestor ${ancestor.type === 'page' ? '' : `${ancestor.type} `}${ancestor.id}`,
        }
      : { kind: 'page_restriction', id: contentId, detail: `own read restriction of ${contentId}` },
  ]);
  for (const u of restriction.users) layer.users.add(u.id);
  for (const g of restriction.groups) layer.groups.add(g.id);
  return layer;
}

// Confluence access inputs, read in bulk: the "read space" assignments of each space; the own read
// restriction of every page and blog post from one CQL listing per space (expands, not one request per
// page); where each page sits in the tree from the v2 page listing (parents of every type); comments and
// attachments from a second CQL listing with their container. What the listings do not cover (restrictions
// and ancestors of folders, whiteboards, databases, embeds) costs one request each per sync.
import type { AtlassianSite } from '../atlassian/site';
import type { SourceConfig } from '../generated/config';
import type { Logger } from '../cdk/stream';
import { confluenceCursorPages } from '../atlassian/pagination';
import { selectedSpaces } from '../confluence/spaces';
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

/**
 * The spaces whose documents get ACLs: exactly those the content streams read (confluence/spaces.ts), with
 * the same filters. A space read for its content but not for its permissions would leave documents
 * without an ACL row.
 */
export async function* listSpaces(
  site: AtlassianSite,
  config: SourceConfig,
  logger: Logger,
  signal?: AbortSignal,
): AsyncGenerator<SpaceInfo> {
  if (config.confluence?.enabled === false) return;
  yield* selectedSpaces({ site, config, logger, signal });
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

/** Every current page and blog post of a space with its own read restriction (one CQL walk). */
export async function* spaceContent(
  site: AtlassianSite,
  space: SpaceInfo,
  logger: Logger,
  signal?: AbortSignal,
): AsyncGenerator<ContentItem> {
  const cql = `space = "${space.key.replace(/"/g, '\\"')}" and type in (page, blogpost) order by id`;
  const expand = 'restrictions.read.restrictions.user,restrictions.read.restrictions.group';
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
      yield { id: c.id, type: c.type === 'blogpost' ? 'blogpost' : 'page', restriction };
    }
  }
}

/** Where a page sits: its status and parent (a page, folder, whiteboard, database or embed). */
export interface TreePage {
  status: 'current' | 'archived';
  parent?: Ancestor;
}

/**
 * Every page of a space, current and archived, with its parent, from the v2 listing (250 to a request):
 * the tree read restrictions inherit down. v2 documents parents of every type (`parentType`); CQL's
 * `ancestors` expansion is not relied on to name folders and the like.
 */
export async function pageTree(
  site: AtlassianSite,
  space: SpaceInfo,
  signal?: AbortSignal,
): Promise<Map<string, TreePage>> {
  const tree = new Map<string, TreePage>();
  for await (const page of confluenceCursorPages<{
    id: string;
    status?: string;
    parentId?: string | null;
    parentType?: string | null;
  }>(site.confluence, `/wiki/api/v2/spaces/${space.id}/pages`, {
    params: { status: ['current', 'archived'], limit: 250 },
    signal,
  })) {
    for (const p of page) {
      tree.set(String(p.id), {
        status: p.status === 'archived' ? 'archived' : 'current',
        parent: p.parentId ? { id: String(p.parentId), type: p.parentType ?? 'page' } : undefined,
      });
    }
  }
  return tree;
}

/**
 * Archived pages of the tree with their own read restriction: CQL search only covers current content, so
 * each is read on its own (one request per archived page; archived pages are few).
 */
export async function* archivedPages(
  site: AtlassianSite,
  space: SpaceInfo,
  tree: ReadonlyMap<string, TreePage>,
  logger: Logger,
  signal?: AbortSignal,
): AsyncGenerator<ContentItem> {
  for (const [id, page] of tree) {
    if (page.status !== 'archived') continue;
    const what = `archived page ${id} in space ${space.key}`;
    yield { id, type: 'page', restriction: await fullRestriction(site, id, { what, logger, signal }) };
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
        `cannot list the ancestors of ${what} above ${from.type} ${from.id}: nobody gets access to it or to what is under it`,
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
      logger.warn(
        `cannot read the ancestors of ${what} (${status(error)}): nobody gets access to it or to what is under it`,
      );
      return undefined;
    }
    if (!Array.isArray(body.results)) {
      logger.warn(
        `the ancestors of ${what} came back without a result list: nobody gets access to it or to what is under it`,
      );
      return undefined;
    }
    const found = body.results.map((a) => ({ id: String(a.id), type: a.type ?? 'unknown' }));
    out.unshift(...found);
    if (found.length < ANCESTOR_LIMIT) return out;
    from = found[0]!;
  }
  logger.warn(
    `the ancestors of ${what} loop back on themselves: nobody gets access to it or to what is under it`,
  );
  return undefined;
}

/**
 * What the listings do not say about ancestors, read once per sync by whichever permission stream asks
 * first. Read restrictions of ancestors the CQL walk does not list (folders, whiteboards, databases, embeds,
 * pages outside the walk): one byOperation/read request each; `unreadable` (with a WARN naming the ancestor)
 * closes everything under it. Ancestors of a parent the page listing does not hold: v2's ancestors of it.
 */
export class AncestorRestrictions {
  private readonly read = new Map<string, Promise<ContentItem['restriction']>>();
  private readonly above = new Map<string, Promise<Ancestor[] | undefined>>();

  constructor(private readonly site: AtlassianSite) {}

  /** The ancestors of `node`, root first, or undefined (with a WARN) when they could not be read. */
  ancestorsOf(
    node: Ancestor,
    space: SpaceInfo,
    logger: Logger,
    signal?: AbortSignal,
  ): Promise<Ancestor[] | undefined> {
    let pending = this.above.get(node.id);
    if (!pending) {
      pending = v2Ancestors(
        this.site,
        node,
        `${node.type} ${node.id} in space ${space.key}`,
        logger,
        signal,
      ).then((chain) => {
        // A complete root-first chain also says what is above each ancestor in it (say the middle folder
        // of three): remember that, so a page filed in that ancestor costs no request of its own. Not on a
        // chain naming one id twice (a server answer that loops), which says nothing reliable.
        if (chain && new Set(chain.map((a) => a.id)).size === chain.length)
          chain.forEach((a, i) => {
            if (!this.above.has(a.id)) this.above.set(a.id, Promise.resolve(chain.slice(0, i)));
          });
        return chain;
      });
      // A failure that is not an HTTP answer (abort, network) is not remembered: the next caller asks again.
      pending.catch(() => this.above.delete(node.id));
      this.above.set(node.id, pending);
    }
    return pending;
  }

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
 * Ancestors of the pages of one space, root first, from the tree's parent links; above a parent the tree
 * does not hold (a folder or the like, a page created after the listing) from v2 (`AncestorRestrictions`).
 * undefined when they could not be read or the links loop.
 */
class AncestorChains {
  private readonly known = new Map<string, Ancestor[] | undefined>();

  constructor(
    private readonly tree: ReadonlyMap<string, TreePage>,
    private readonly outside: (node: Ancestor) => Promise<Ancestor[] | undefined>,
    private readonly logger: Logger,
  ) {}

  async of(page: Ancestor): Promise<Ancestor[] | undefined> {
    if (this.known.has(page.id)) return this.known.get(page.id);
    // Walk up to the root, a node whose chain is known, or a node outside the tree.
    const up: Ancestor[] = [];
    let node = page;
    let top: Ancestor[] | undefined;
    for (;;) {
      if (this.known.has(node.id)) {
        const chain = this.known.get(node.id);
        top = chain && [...chain, node];
        break;
      }
      if (up.some((n) => n.id === node.id)) {
        this.logger.warn(`the parents of page ${page.id} loop back on themselves: nobody gets access to it`);
        top = undefined;
        break;
      }
      const listed = this.tree.get(node.id);
      if (!listed) {
        const chain = await this.outside(node);
        this.known.set(node.id, chain);
        if (node === page) return chain;
        top = chain && [...chain, node];
        break;
      }
      up.push(node);
      if (!listed.parent) {
        top = [];
        break;
      }
      node = listed.parent;
    }
    // `top` is the chain of the highest node walked; each node below adds its parent.
    for (let i = up.length - 1; i >= 0; i--) {
      this.known.set(up[i]!.id, top);
      if (i > 0) top = top && [...top, up[i]!];
    }
    return this.known.get(page.id);
  }
}

/**
 * The pages and blog posts of a space (and its archived pages when asked) with every read restriction on
 * their path. Own restrictions of the listed pages cost nothing more; other ancestors are read through
 * `ancestors`, once per sync.
 */
export async function* spaceRestrictions(
  site: AtlassianSite,
  space: SpaceInfo,
  options: { ancestors: AncestorRestrictions; archived: boolean; logger: Logger; signal?: AbortSignal },
): AsyncGenerator<RestrictedContent> {
  const { logger, signal } = options;
  const tree = await pageTree(site, space, signal);
  const items: (ContentItem & { status: RestrictedContent['status'] })[] = [];
  for await (const c of spaceContent(site, space, logger, signal)) items.push({ ...c, status: 'current' });
  if (options.archived)
    for await (const a of archivedPages(site, space, tree, logger, signal))
      items.push({ ...a, status: 'archived' });
  const chains = new AncestorChains(
    tree,
    (node) => options.ancestors.ancestorsOf(node, space, logger, signal),
    logger,
  );
  const listed = new Map(items.map((i) => [i.id, i.restriction]));
  for (const item of items) {
    // Blog posts have no parent.
    const ancestors = item.type === 'page' ? await chains.of({ id: item.id, type: 'page' }) : [];
    const restrictions: PathRestriction[] = [];
    if (!ancestors)
      restrictions.push({
        sourceId: item.id,
        restriction: 'unreadable',
        why: `the ancestors of ${item.id} could not be listed, so their read restrictions are unknown`,
      });
    else if (item.restriction) restrictions.push({ sourceId: item.id, restriction: item.restriction });
    for (const ancestor of ancestors ?? []) {
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

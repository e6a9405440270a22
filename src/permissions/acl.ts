// The heart of permission-aware search: given the grants that each layer of Atlassian's access model
// contributes (space read permission, a page's own read restriction, each ancestor's read restriction;
// project browse permission, issue security level, comment visibility), compute the flat set of people
// and groups who may open a document. Pure functions, no I/O: every input is already fetched.
//
// A document is readable iff the user passes EVERY layer (AND across layers); within one layer any grant
// suffices (users OR groups OR anonymous). A flat `{users, groups}` list cannot express "member of G1
// AND of G2", so an intersection keeps the groups common to all layers as groups and expands the others
// to their members via the directory, and says so in `sources`.

/** Why a principal may (or may not) see a document; emitted verbatim in `document_permissions.sources`. */
export interface AclSource {
  kind:
    | 'space_permission'
    | 'page_restriction'
    | 'inherited_restriction'
    | 'container'
    | 'project_permission'
    | 'project_role'
    | 'issue_field'
    | 'security_level'
    | 'comment_visibility'
    | 'anyone'
    | 'application_role'
    | 'group_expansion'
    | 'unreadable';
  /** Id of the thing granting: space id, ancestor page id, role id, level id, group id, field id… */
  id?: string | null;
  name?: string | null;
  detail: string;
}

/** The grants of one layer: a user passes the layer if any of these holds. */
export interface Layer {
  /** Anonymous access (Confluence anonymous space permission, Jira `anyone`): everyone passes. */
  public: boolean;
  /**
   * Every licensed user of the site passes (Confluence "all licensed users" access classes). Expanded to
   * the directory's licensed users when it must be intersected or listed.
   */
  allUsers?: boolean;
  users: Set<string>;
  groups: Set<string>;
  sources: AclSource[];
  /**
   * The layer could not be read (403, missing scope, …): fail closed. Nobody passes it, and the whole
   * document gets no access.
   */
  unreadable?: boolean;
}

/** What the ACL computation needs to know about the directory. */
export interface DirectoryView {
  /** Members of a group (account ids); undefined when the group's members are unknown. */
  members(groupId: string): ReadonlySet<string> | undefined;
  /**
   * Active, non-excluded licensed accounts (account type `atlassian`), for "all licensed users" grants:
   * Service Management portal customers and app (bot) accounts are not licensed users of the product.
   */
  licensedUsers(): Iterable<string>;
}

/** Who is left out of every list: the service account itself, users excluded by config, deactivated users. */
export interface AccountFilter {
  /** true when the account may appear in an ACL. */
  (accountId: string): boolean;
}

export interface EffectiveAcl {
  public: boolean;
  users: string[];
  groups: string[];
  sources: AclSource[];
  /** false when some layer was unreadable: the document is closed to everybody. */
  readable: boolean;
}

export function emptyLayer(sources: AclSource[] = []): Layer {
  return { public: false, users: new Set(), groups: new Set(), sources };
}

/** A layer nobody passes, because the permission behind it could not be read. */
export function unreadableLayer(detail: string, id?: string): Layer {
  return { ...emptyLayer([{ kind: 'unreadable', id: id ?? null, detail }]), unreadable: true };
}

/** Union of grants within one layer (e.g. a project's static browse grants plus an issue's reporter). */
export function unionLayers(...layers: Layer[]): Layer {
  const out = emptyLayer();
  for (const l of layers) {
    if (l.unreadable) out.unreadable = true;
    out.public ||= l.public;
    if (l.allUsers) out.allUsers = true;
    for (const u of l.users) out.users.add(u);
    for (const g of l.groups) out.groups.add(g);
    out.sources.push(...l.sources);
  }
  return out;
}

function effectiveUsers(layer: Layer, dir: DirectoryView, unknownGroups: Set<string>): Set<string> {
  const out = new Set(layer.users);
  if (layer.allUsers) for (const u of dir.licensedUsers()) out.add(u);
  for (const g of layer.groups) {
    const members = dir.members(g);
    if (!members) {
      unknownGroups.add(g);
      continue;
    }
    for (const u of members) out.add(u);
  }
  return out;
}

/**
 * Intersect layers (AND) into one flat ACL. `allowed` filters accounts out of the user list (service
 * account, excluded or deactivated users); group members are filtered the same way by the directory.
 */
export function intersectLayers(layers: Layer[], dir: DirectoryView, allowed: AccountFilter): EffectiveAcl {
  const sources = layers.flatMap((l) => l.sources);
  if (layers.length === 0 || layers.some((l) => l.unreadable)) {
    // Fail closed: no layers means nothing granted anything, an unreadable layer means we cannot know.
    return { public: false, users: [], groups: [], sources, readable: !layers.some((l) => l.unreadable) };
  }
  // Anonymous access is a superset of everything, so a public layer does not narrow anything.
  const narrowing = layers.filter((l) => !l.public);
  if (narrowing.length === 0) {
    // Every layer is public: list the explicit grants anyway, they are harmless and informative.
    const u = unionLayers(...layers);
    return {
      public: true,
      users: sorted([...u.users].filter(allowed)),
      groups: sorted(u.groups),
      sources,
      readable: true,
    };
  }
  if (narrowing.length === 1) {
    const [only] = narrowing as [Layer];
    const users = new Set([...only.users].filter(allowed));
    if (only.allUsers) for (const a of dir.licensedUsers()) if (allowed(a)) users.add(a);
    if (only.allUsers) {
      sources.push({
        kind: 'group_expansion',
        detail: 'all licensed users expanded to the active licensed accounts of the directory',
      });
    }
    return { public: false, users: sorted(users), groups: sorted(only.groups), sources, readable: true };
  }

  // Groups named by every narrowing layer stay groups: each of their members passes every layer.
  const keptGroups = new Set(narrowing[0]!.groups);
  for (const l of narrowing.slice(1)) for (const g of keptGroups) if (!l.groups.has(g)) keptGroups.delete(g);
  const unknownGroups = new Set<string>();
  let users: Set<string> | undefined;
  for (const l of narrowing) {
    const eff = effectiveUsers(l, dir, unknownGroups);
    users = users === undefined ? eff : new Set([...users].filter((u) => eff.has(u)));
  }
  const coveredByKept = new Set<string>();
  for (const g of keptGroups) for (const u of dir.members(g) ?? []) coveredByKept.add(u);
  const flat = [...(users ?? [])].filter((u) => !coveredByKept.has(u) && allowed(u));

  const expanded = new Set<string>();
  for (const l of narrowing) for (const g of l.groups) if (!keptGroups.has(g)) expanded.add(g);
  if (expanded.size > 0 || narrowing.some((l) => l.allUsers)) {
    sources.push({
      kind: 'group_expansion',
      detail:
        `access is the intersection of ${narrowing.length} layers; ` +
        (expanded.size > 0 ? `groups ${sorted(expanded).join(', ')} were expanded to their members ` : '') +
        (narrowing.some((l) => l.allUsers)
          ? 'all licensed users were expanded to the active licensed accounts '
          : '') +
        'from the directory at the time of this sync',
    });
  }
  for (const g of unknownGroups) {
    sources.push({
      kind: 'unreadable',
      id: g,
      detail: `members of group ${g} are unknown; they get no access through it (fail closed)`,
    });
  }
  return { public: false, users: sorted(flat), groups: sorted(keptGroups), sources, readable: true };
}

/**
 * `intersectLayers` for the many documents of one space or project that share their grants (every page
 * without restrictions, every issue without a security level): the lists are computed once per distinct
 * set of grants, and each document gets its own sources. Keep one per space or project: the cache lives
 * as long as the function.
 */
export function sharedIntersection(
  dir: DirectoryView,
  allowed: AccountFilter,
): (layers: Layer[]) => EffectiveAcl {
  const byGrants = new Map<string, EffectiveAcl>();
  return (layers) => {
    const key = layers.map(grantsKey).join('|');
    let shared = byGrants.get(key);
    if (!shared) {
      // Without the layers' own sources: what is left are the ones the computation adds (expansions).
      shared = intersectLayers(
        layers.map((l) => ({ ...l, sources: [] })),
        dir,
        allowed,
      );
      byGrants.set(key, shared);
    }
    return { ...shared, sources: [...layers.flatMap((l) => l.sources), ...shared.sources] };
  };
}

/** The grants of a layer as a string (in insertion order: equal grants listed differently only miss the cache). */
function grantsKey(l: Layer): string {
  const flags = `${l.unreadable ? 'x' : ''}${l.public ? 'p' : ''}${l.allUsers ? 'a' : ''}`;
  return `${flags};${[...l.users].join(',')};${[...l.groups].join(',')}`;
}

/** Can this account open the document, by the effective ACL and the directory? (Used by tests and check.) */
export function canOpen(
  acl: Pick<EffectiveAcl, 'public' | 'users' | 'groups'>,
  accountId: string,
  groupsOf: (accountId: string) => Iterable<string>,
): boolean {
  if (acl.public || acl.users.includes(accountId)) return true;
  const groups = new Set(acl.groups);
  for (const g of groupsOf(accountId)) if (groups.has(g)) return true;
  return false;
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

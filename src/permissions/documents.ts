// document_permissions: the effective ACL of every page, blog post, comment, attachment,
// issue, Jira comment and Jira attachment, from permission inputs read in bulk per space and per project.
import { mergeEach } from '../cdk/concurrency';
import type { ReadContext } from '../cdk/stream';
import type { AtlassianSite, StreamDeps } from '../atlassian/site';
import type { DocumentPermissionsRecord } from '../generated/records/document_permissions';
import type { DirectorySnapshot } from '../directory/load';
import { directoryOf } from '../directory';
import {
  emptyLayer,
  intersectLayers,
  sharedIntersection,
  unionLayers,
  unreadableLayer,
  type DirectoryView,
  type EffectiveAcl,
  type Layer,
} from './acl';
import {
  AncestorRestrictions,
  listSpaces,
  restrictionLayer,
  spaceChildren,
  spaceLayer,
  spaceReadPermissions,
  spaceRestrictions,
  type SpaceInfo,
} from './confluence';
import {
  holdersLayer,
  issueFieldLayer,
  listProjects,
  projectIssues,
  ProjectAccess,
  type Holder,
  type ProjectInfo,
} from './jira';

export interface RunInputs {
  site: AtlassianSite;
  directory: DirectorySnapshot;
  /** Restrictions and ancestors of ancestors outside the listings (folders…), read once per sync by either stream. */
  ancestorRestrictions: AncestorRestrictions;
}

export function inputsOnce(deps: StreamDeps): (ctx: ReadContext) => Promise<RunInputs> {
  let pending: Promise<RunInputs> | undefined;
  return (ctx) =>
    (pending ??= (async () => {
      const site = await deps.site();
      return {
        site,
        directory: await directoryOf(deps, ctx),
        ancestorRestrictions: new AncestorRestrictions(site),
      };
    })());
}

/**
 * WARNs for documents closed because a permission could not be read: each one by name up to a limit per
 * space or project, then one summary line, so an unreadable space does not flood the log.
 */
function closedWarner(logger: ReadContext['logger'], scope: string, limit = 20) {
  let count = 0;
  return {
    closed(what: string, why = 'a permission could not be read'): void {
      if (++count <= limit) logger.warn(`${what}: ${why}; nobody gets access`);
    },
    done(): void {
      if (count > limit)
        logger.warn(`${scope}: ${count - limit} more documents closed to everyone for the same reasons`);
    },
  };
}

function directoryView(d: DirectorySnapshot): DirectoryView {
  return {
    members: (g) => d.members.get(g),
    licensedUsers: () => d.licensedUsers,
  };
}

/** Emails of an ACL's users, by the users array: documents sharing their grants share the array too. */
const emailsOf = new WeakMap<readonly string[], string[]>();

function emails(users: readonly string[], d: DirectorySnapshot): string[] {
  let out = emailsOf.get(users);
  if (!out) {
    out = users.flatMap((u) => (d.users.get(u)?.email ? [d.users.get(u)!.email!] : []));
    emailsOf.set(users, out);
  }
  return out;
}

/** Turn an effective ACL into a document_permissions record. */
export function aclRecord(
  doc: Pick<
    DocumentPermissionsRecord,
    | 'document_type'
    | 'document_id'
    | 'product'
    | 'space_id'
    | 'space_key'
    | 'project_id'
    | 'project_key'
    | 'container_id'
    | 'container_type'
  >,
  acl: EffectiveAcl,
  d: DirectorySnapshot,
  cloudId: string,
  computedAt: string,
): DocumentPermissionsRecord {
  return {
    ...doc,
    cloud_id: cloudId,
    public: acl.public,
    users: acl.users,
    user_emails: emails(acl.users, d),
    groups: acl.groups.map((id) => ({ id, name: d.groups.get(id)?.name ?? null })),
    sources: acl.sources.map((s) => ({
      kind: s.kind,
      id: s.id ?? null,
      name: s.name ?? null,
      detail: s.detail,
    })),
    readable: acl.readable,
    computed_at: computedAt,
  };
}

/** What every space's or project's ACL computation shares within one run. */
interface AclRun extends Pick<RunInputs, 'site' | 'directory'> {
  view: DirectoryView;
  allowed: (accountId: string) => boolean;
  computedAt: string;
  ctx: ReadContext;
}

function aclRun(inputs: Pick<RunInputs, 'site' | 'directory'>, ctx: ReadContext): AclRun {
  const { directory } = inputs;
  return {
    ...inputs,
    view: directoryView(directory),
    allowed: (a) => directory.allowed(a),
    computedAt: new Date().toISOString(),
    ctx,
  };
}

/** Spaces (or projects) are independent: `max_concurrency` of them are read at once. */
export function perPartition<P, T>(
  deps: StreamDeps,
  ctx: ReadContext,
  partitions: AsyncIterable<P>,
  read: (partition: P) => AsyncIterable<T>,
): AsyncGenerator<T> {
  return mergeEach(partitions, read, { concurrency: deps.config.max_concurrency ?? 8, signal: ctx.signal });
}

export function confluenceDocuments(
  deps: StreamDeps,
  inputs: RunInputs,
  ctx: ReadContext,
): AsyncGenerator<DocumentPermissionsRecord> {
  const run = aclRun(inputs, ctx);
  const spaces = listSpaces(inputs.site, deps.config, ctx.logger, ctx.signal);
  return perPartition(deps, ctx, spaces, (space) => spaceDocuments(run, space, inputs.ancestorRestrictions));
}

async function* spaceDocuments(
  run: AclRun,
  space: SpaceInfo,
  ancestorRestrictions: AncestorRestrictions,
): AsyncGenerator<DocumentPermissionsRecord> {
  const { site, directory, view, allowed, computedAt, ctx } = run;
  const perms = await spaceReadPermissions(site, space, ctx.signal);
  if (!Array.isArray(perms))
    ctx.logger.warn(
      `cannot read space permissions of space ${space.key} (${perms.status}): its documents get no access`,
    );
  const spaceAcl = spaceLayer(space, perms);
  const warn = closedWarner(ctx.logger, `space ${space.key}`);
  const acls = new Map<string, { acl: EffectiveAcl; type: string }>();
  const intersect = sharedIntersection(view, allowed);
  const contents = spaceRestrictions(site, space, {
    ancestors: ancestorRestrictions,
    archived: true,
    logger: ctx.logger,
    signal: ctx.signal,
  });
  for await (const item of contents) {
    const layers: Layer[] = [spaceAcl, ...item.restrictions.map((r) => restrictionLayer(item.id, r))];
    const acl = intersect(layers);
    if (!acl.readable)
      warn.closed(`confluence ${item.type} ${item.id} (space ${space.key})`, closedBecause(layers));
    acls.set(item.id, { acl, type: item.type });
    const base = { product: 'confluence', space_id: space.id, space_key: space.key };
    yield aclRecord(
      { ...base, document_type: `confluence_${item.type}`, document_id: item.id },
      acl,
      directory,
      site.cloudId,
      computedAt,
    );
  }
  for await (const child of spaceChildren(site, space, ctx.signal)) {
    const container = child.containerId ? acls.get(child.containerId) : undefined;
    let acl: EffectiveAcl;
    if (container) {
      acl = {
        ...container.acl,
        sources: [
          ...container.acl.sources,
          {
            kind: 'container',
            id: child.containerId,
            detail: `inherits the access of ${container.type} ${child.containerId}`,
          },
        ],
      };
    } else {
      warn.closed(
        `confluence ${child.type} ${child.id}`,
        `its container ${child.containerId ?? '(unknown)'} was not found`,
      );
      acl = intersectLayers([], view, allowed);
      acl.readable = false;
    }
    const base = {
      product: 'confluence',
      space_id: space.id,
      space_key: space.key,
      container_id: child.containerId ?? null,
      container_type: child.containerType ?? container?.type ?? null,
    };
    yield aclRecord(
      { ...base, document_type: `confluence_${child.type}`, document_id: child.id },
      acl,
      directory,
      site.cloudId,
      computedAt,
    );
  }
  warn.done();
}

/** Why a document is closed: the first unreadable layer's own explanation. */
function closedBecause(layers: Layer[]): string | undefined {
  return layers.find((l) => l.unreadable)?.sources.find((s) => s.kind === 'unreadable')?.detail;
}

/** A Jira comment's visibility as a layer: members of the group, or the actors of the project role. */
async function visibilityLayer(
  v: { type: 'group' | 'role'; value?: string; identifier?: string },
  what: string,
  access: ProjectAccess,
  directory: DirectorySnapshot,
): Promise<Layer> {
  const layer = emptyLayer([
    {
      kind: 'comment_visibility',
      id: v.identifier ?? v.value ?? null,
      name: v.value ?? null,
      detail: `comment restricted to ${v.type} ${v.value ?? v.identifier}`,
    },
  ]);
  if (v.type === 'group') {
    // Older comments name the group only; the directory maps the name to its id.
    const id = v.identifier ?? [...directory.groups.values()].find((g) => g.name === v.value)?.group_id;
    if (!id)
      return unionLayers(
        layer,
        unreadableLayer(
          `${what} is restricted to group ${v.value ?? '(unnamed)'}, which is not in the directory`,
        ),
      );
    layer.groups.add(id);
    return layer;
  }
  const role =
    (v.identifier && (await access.role(v.identifier))) || (v.value ? await access.role(v.value) : undefined);
  if (!role)
    return unionLayers(
      layer,
      unreadableLayer(
        `${what} is restricted to project role ${v.value ?? v.identifier}, whose actors could not be read`,
      ),
    );
  for (const u of role.users) layer.users.add(u);
  for (const g of role.groups) layer.groups.add(g.id);
  return layer;
}

export function jiraDocuments(
  deps: StreamDeps,
  inputs: Pick<RunInputs, 'site' | 'directory'>,
  ctx: ReadContext,
): AsyncGenerator<DocumentPermissionsRecord> {
  const run = aclRun(inputs, ctx);
  const projects = listProjects(inputs.site, deps.config, ctx.signal);
  return perPartition(deps, ctx, projects, (project) => projectDocuments(run, project));
}

async function* projectDocuments(
  run: AclRun,
  project: ProjectInfo,
): AsyncGenerator<DocumentPermissionsRecord> {
  const { site, directory, view, allowed, computedAt, ctx } = run;
  const access = new ProjectAccess(site, project, ctx.logger, ctx.signal);
  const grants = await access.browseGrants();
  let browse: { layer: Layer; issueFields: string[] };
  if ('status' in grants) {
    ctx.logger.warn(
      `cannot read the permission scheme of project ${project.key} (${grants.status}): its issues get no access; grant the account Administer Projects`,
    );
    browse = {
      layer: unreadableLayer(`permission scheme of project ${project.key} (${grants.status})`, project.id),
      issueFields: [],
    };
  } else {
    browse = await holdersLayer(
      access,
      grants.grants.map((g) => g.holder),
      { kind: 'project_permission', id: grants.schemeId, name: project.key },
    );
  }
  const security = await access.securityLevels();
  if (security && 'status' in security) {
    ctx.logger.warn(
      `cannot read the issue security levels of project ${project.key} (${security.status}): its issues with a security level get no access; grant Administer Jira`,
    );
  }
  // An issue whose `security` field did not come back can only be placed when the project has no levels.
  const mayHaveLevels = security !== undefined && ('status' in security || security.levels.size > 0);
  const levelLayers = new Map<string, { layer: Layer; issueFields: string[] }>();
  if (security && 'levels' in security) {
    for (const [id, level] of security.levels) {
      levelLayers.set(
        id,
        await holdersLayer(
          access,
          level.members.map((m) => m.holder),
          { kind: 'security_level', id, name: level.name },
        ),
      );
    }
  }
  const groupFields = new Set<string>(); // groupCustomField holders: values are groups
  const fieldHolders = (h: Holder[]): void =>
    h.filter((x) => x.type === 'groupCustomField' && x.value).forEach((x) => groupFields.add(x.value!));
  if (!('status' in grants)) fieldHolders(grants.grants.map((g) => g.holder));
  if (security && 'levels' in security)
    for (const l of security.levels.values()) fieldHolders(l.members.map((m) => m.holder));
  const extraFields = [
    ...new Set([...browse.issueFields, ...[...levelLayers.values()].flatMap((l) => l.issueFields)]),
  ].filter((f) => f.startsWith('customfield_'));
  const base = { product: 'jira', project_id: project.id, project_key: project.key };
  const warn = closedWarner(ctx.logger, `project ${project.key}`);
  // An archived project is read-only and Jira opens its issues to Jira admins only, whatever its permission
  // scheme grants; nobody is listed for them (the admins are not read), so its documents close.
  const archived = project.archived
    ? emptyLayer([
        {
          kind: 'project_permission',
          id: project.id,
          name: project.key,
          detail: `project ${project.key} is archived: Jira opens its issues to Jira admins only; nobody is listed`,
        },
      ])
    : undefined;
  const intersect = sharedIntersection(view, allowed);
  for await (const issue of projectIssues(site, project, extraFields, ctx.signal)) {
    const layers: Layer[] = [
      unionLayers(
        browse.layer,
        issueFieldLayer(
          { id: issue.id, key: issue.key, fields: issue.fields },
          browse.issueFields,
          groupFields,
        ),
      ),
    ];
    if (archived) layers.push(archived);
    if (!issue.securityReturned && mayHaveLevels) {
      const why =
        security && 'status' in security
          ? `the issue security levels of project ${project.key} could not be read (${security.status})`
          : `project ${project.key} has issue security levels`;
      layers.push(
        unreadableLayer(`the security level of ${issue.key} was not returned, and ${why}`, issue.id),
      );
    } else if (issue.securityLevelId !== undefined) {
      const level = levelLayers.get(issue.securityLevelId);
      if (!level) {
        const why = security && 'status' in security ? `(${security.status})` : '(level not found)';
        layers.push(
          unreadableLayer(
            `security level ${issue.securityLevelId} of ${issue.key} could not be read ${why}`,
            issue.securityLevelId,
          ),
        );
      } else
        layers.push(
          unionLayers(
            level.layer,
            issueFieldLayer(
              { id: issue.id, key: issue.key, fields: issue.fields },
              level.issueFields,
              groupFields,
            ),
          ),
        );
    }
    const acl = intersect(layers);
    if (!acl.readable) warn.closed(`jira issue ${issue.key}`, closedBecause(layers));
    yield aclRecord(
      { ...base, document_type: 'jira_issue', document_id: issue.id },
      acl,
      directory,
      site.cloudId,
      computedAt,
    );
    for (const a of issue.attachmentIds) {
      const sources = [
        ...acl.sources,
        { kind: 'container' as const, id: issue.id, detail: `inherits the access of issue ${issue.key}` },
      ];
      yield aclRecord(
        {
          ...base,
          document_type: 'jira_attachment',
          document_id: a,
          container_id: issue.id,
          container_type: 'issue',
        },
        { ...acl, sources },
        directory,
        site.cloudId,
        computedAt,
      );
    }
    for (const c of issue.comments) {
      let commentAcl = acl;
      const v = c.visibility;
      if (v?.type === 'group' || v?.type === 'role') {
        const what = `jira comment ${c.id} on ${issue.key}`;
        const narrowed = [...layers, await visibilityLayer({ ...v, type: v.type }, what, access, directory)];
        commentAcl = intersect(narrowed);
        // A closed issue was already named; name the comments its visibility closes.
        if (acl.readable && !commentAcl.readable) warn.closed(what, closedBecause(narrowed));
      } else if (v) {
        // A visibility of a type Jira does not document (only group and role are) still restricts the
        // comment to someone we cannot tell: fail closed rather than open it to everyone who sees the issue.
        const what = `jira comment ${c.id} on ${issue.key}`;
        const why = `${what} has a visibility of unknown type ${String(v.type)} (${v.value ?? v.identifier ?? ''})`;
        const narrowed = [...layers, unreadableLayer(why, c.id)];
        commentAcl = intersect(narrowed);
        if (acl.readable) warn.closed(what, why);
      }
      yield aclRecord(
        {
          ...base,
          document_type: 'jira_comment',
          document_id: c.id,
          container_id: issue.id,
          container_type: 'issue',
        },
        commentAcl,
        directory,
        site.cloudId,
        computedAt,
      );
    }
  }
  warn.done();
}

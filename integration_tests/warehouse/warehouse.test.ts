// The pipeline users run: `read` into a warehouse. A full sync and two incremental syncs (with changes on
// the site in between) are loaded into a real PostgreSQL with Airbyte's append_dedup semantics, and after
// each load every table of the configured catalog is compared with the simulator's ground truth: the set
// of primary keys, and a few fields per row. A key that is wrong, a tombstone that is not applied or a
// change an incremental read misses leaves a table that differs from the truth.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../sim';
import type { ConfluenceModel, Content } from '../../sim/confluence/model';
import type { JiraProject, JiraStore, PermissionHolder } from '../../sim/jira/model';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../src/generated/protocol';
import { canOpen } from '../../src/permissions/acl';
import { runConnector, statesAsInput } from '../../test/helpers/run-connector';
import { expectedIds } from '../../test/resilience/helpers';
import { ACCEPTANCE_SIM } from '../generate-expected-records';
import { keyColumn, loadSync, type StreamLoad } from './loader';
import { startPostgres, type Postgres } from './postgres';
import { SIM_KIND_OF_DOCUMENT } from '../../test/helpers/document-kinds';

type Json = Record<string, unknown>;

const catalog = JSON.parse(
  readFileSync(join(__dirname, '..', 'configured_catalog.json'), 'utf8'),
) as ConfiguredAirbyteCatalog;
const STREAMS = catalog.streams.map((s) => s.stream.name);

/** document_type of document_permissions -> the content stream whose truth lists those documents. */
const DOCUMENT_STREAMS: Record<string, string> = {
  confluence_page: 'confluence_pages',
  confluence_blogpost: 'confluence_blogposts',
  confluence_comment: 'confluence_comments',
  confluence_attachment: 'confluence_attachments',
  jira_issue: 'jira_issues',
  jira_comment: 'jira_comments',
  jira_attachment: 'jira_attachments',
};
/** Confluence space-permission roles and the principal types the connector maps them to (src/permissions/confluence.ts). */
const ANONYMOUS_ROLES = new Set(['anonymous-users', 'anonymous']);
const ALL_USER_ROLES = new Set(['all-licensed-users', 'authenticated-users']);
/** People whose access is checked against document_permissions after each load (plus anonymous). */
const ACCESS_SAMPLE = 12;

interface Row {
  key: string;
  data: Json;
}

let sim: Simulator;
let pg: Postgres;
let config: Json;
let previous: AirbyteMessage[] = [];
const loads: Record<string, StreamLoad>[] = [];

const dir = () => sim.model.directory;
const confluence = () => sim.model.confluence as ConfluenceModel;
const jira = () => sim.model.jira as JiraStore;
const svc = () => dir().serviceAccount.accountId;
/** Accounts the connector keeps in ACL rows: active, not its own. */
const allowed = (accountId: string) => accountId !== svc() && dir().userById(accountId)?.active === true;
const key = (...parts: unknown[]) => JSON.stringify(parts.map(String));

/** One sync: read with the previous sync's final states, load, remember the states for the next one. */
async function sync(): Promise<Record<string, StreamLoad>> {
  const state = previous.length > 0 ? statesAsInput(previous) : undefined;
  const run = await runConnector(['read'], { config, catalog, ...(state ? { state } : {}) });
  if (run.exitCode !== 0) throw new Error(`read exited ${run.exitCode}: ${run.stderr.slice(-2000)}`);
  previous = run.messages;
  const stats = await loadSync(pg.client, { catalog, messages: run.messages });
  loads.push(stats);
  return stats;
}

async function table(stream: string): Promise<Row[]> {
  const target = catalog.streams.find((s) => s.stream.name === stream)!;
  const columns = (target.primary_key ?? []).map((path) => `"${keyColumn(path)}"`);
  const result = await pg.client.query<Json>(`SELECT ${columns.join(', ')}, _airbyte_data FROM "${stream}"`);
  return result.rows.map((row) => ({
    key: JSON.stringify(columns.map((c) => row[c.slice(1, -1)])),
    data: row._airbyte_data as Json,
  }));
}

/** Differences between a table's keys and the expected ones (at most 10 of each side shown). */
function keyDiff(stream: string, rows: Row[], expected: Iterable<string>): string[] {
  const have = new Set(rows.map((r) => r.key));
  const want = new Set(expected);
  const missing = [...want].filter((k) => !have.has(k));
  const extra = [...have].filter((k) => !want.has(k));
  return [
    ...(missing.length
      ? [`${stream}: ${missing.length} missing, e.g. ${missing.slice(0, 10).join(' ')}`]
      : []),
    ...(extra.length ? [`${stream}: ${extra.length} extra, e.g. ${extra.slice(0, 10).join(' ')}`] : []),
  ];
}

/** Rows whose fields differ from what the model says (at most 10 per stream shown). */
function fieldDiff(stream: string, rows: Row[], truth: (data: Json) => Json | undefined): string[] {
  const out: string[] = [];
  for (const row of rows) {
    const want = truth(row.data);
    if (!want) continue;
    const got = Object.fromEntries(Object.keys(want).map((f) => [f, row.data[f] ?? null]));
    if (JSON.stringify(got) !== JSON.stringify(want))
      out.push(`${stream} ${row.key}: ${JSON.stringify(got)} != truth ${JSON.stringify(want)}`);
  }
  return out.length > 10 ? [...out.slice(0, 10), `${stream}: ${out.length} rows differ`] : out;
}

const idKeys = (ids: Iterable<string>) => [...ids].map((id) => key(id));
const expected = (stream: string) => expectedIds(sim, stream)!;

/** The read-permission rows of every space the connector reads, as the space permission API lists them. */
function spacePermissionKeys(): string[] {
  const spaces = expected('confluence_spaces');
  return [...confluence().spaces.values()]
    .filter((s) => spaces.has(s.id))
    .flatMap((s) =>
      s.permissions
        .filter((p) => p.operation.key === 'read' && p.operation.targetType === 'space')
        .flatMap((p) => {
          const { type, id } = p.principal;
          if (type === 'role' && ANONYMOUS_ROLES.has(id)) return [key(s.id, 'anonymous', 'anonymous')];
          if (type === 'role' && ALL_USER_ROLES.has(id)) return [key(s.id, 'all_users', id)];
          if (type === 'user' && !allowed(id)) return [];
          return [key(s.id, type, id)];
        }),
    );
}

/** Own and inherited read restrictions of every page and blog post the connector reads. */
function contentRestrictionKeys(): string[] {
  const m = confluence();
  const live = new Set([...expected('confluence_pages'), ...expected('confluence_blogposts')]);
  return [...m.contents.values()]
    .filter((c) => live.has(c.id))
    .flatMap((c) =>
      [c, ...m.ancestors(c)].flatMap((source: Content) => [
        ...source.readRestriction.users.filter(allowed).map((u) => key(c.id, source.id, 'user', u)),
        ...source.readRestriction.groups.map((g) => key(c.id, source.id, 'group', g)),
      ]),
    );
}

/** A Jira permission holder resolved to the principals the connector emits for it. */
function principalsOf(holder: PermissionHolder, project: JiraProject): [string, string][] {
  const value = holder.value ?? holder.parameter;
  switch (holder.type) {
    case 'anyone':
      return [['anyone', 'anyone']];
    case 'user':
      return value && allowed(value) ? [['user', value]] : [];
    case 'group':
      return holder.value ? [['group', holder.value]] : [];
    case 'projectLead':
      return allowed(project.leadAccountId) ? [['user', project.leadAccountId]] : [];
    case 'projectRole': {
      const actors = jira().roleActors.get(project.id)?.get(Number(value));
      return [
        ...[...(actors?.users ?? [])].filter(allowed).map((u): [string, string] => ['user', u]),
        ...[...(actors?.groups ?? [])].map((g): [string, string] => ['group', g]),
      ];
    }
    case 'applicationRole':
      // The simulator has no application-role API, so the holder stays an unresolved role.
      return [['application_role', holder.parameter ?? holder.value ?? '*']];
    case 'reporter':
    case 'assignee':
      return [['issue_field', holder.type]];
    case 'userCustomField':
      return value ? [['issue_field', value]] : [];
    default:
      return [['unresolved', `${String(holder.type)}:${value ?? ''}`]];
  }
}

/**
 * Does the project's browse grant or one of its security levels name an application role? The simulator
 * has no application-role API (GET /rest/api/3/applicationrole), so the connector resolves such a holder
 * to nobody (fail closed, with a WARN) while the simulator grants every user with application access.
 */
function applicationRoleIn(project: JiraProject): boolean {
  const j = jira();
  const grants = j.permissionSchemes
    .get(project.permissionSchemeId)!
    .grants.filter((g) => g.permission === 'BROWSE_PROJECTS')
    .map((g) => g.holder);
  const scheme =
    project.securitySchemeId === undefined ? undefined : j.securitySchemes.get(project.securitySchemeId);
  const levels = (scheme?.levelIds ?? []).flatMap((id) =>
    j.securityLevels.get(id)!.members.map((m) => m.holder),
  );
  return [...grants, ...levels].some((h) => h.type === 'applicationRole');
}

const visibleProjects = () => {
  const ids = expected('jira_projects');
  return [...jira().projects.values()].filter((p) => ids.has(p.id));
};

function projectPermissionKeys(): string[] {
  return visibleProjects().flatMap((project) =>
    jira()
      .permissionSchemes.get(project.permissionSchemeId)!
      .grants.filter((g) => g.permission === 'BROWSE_PROJECTS')
      .flatMap((g) => principalsOf(g.holder, project).map(([type, id]) => key(project.id, g.id, type, id))),
  );
}

function securityLevelKeys(): string[] {
  return visibleProjects().flatMap((project) => {
    const scheme =
      project.securitySchemeId === undefined
        ? undefined
        : jira().securitySchemes.get(project.securitySchemeId);
    return (scheme?.levelIds ?? []).flatMap((levelId) =>
      jira()
        .securityLevels.get(levelId)!
        .members.flatMap((m) =>
          principalsOf(m.holder, project).map(([type, id]) => key(project.id, levelId, m.id, type, id)),
        ),
    );
  });
}

function membershipKeys(): string[] {
  return [...dir().members].flatMap(([group, members]) =>
    [...members].filter((a) => a !== svc()).map((a) => key(group, a)),
  );
}

/** Every document the service account can see, archived content included: ACLs cover it too. */
function documentKeys(): string[] {
  return Object.entries(DOCUMENT_STREAMS).flatMap(([type, stream]) =>
    [...sim.truth.visibleIds(stream)].map((id) => key(type, id)),
  );
}

/**
 * What a search index built from the warehouse decides for a sample of people (and anonymous), against the
 * simulator's own access model: the document_permissions rows joined with the group_memberships table.
 */
function accessDiff(documents: Row[], memberships: Row[]): string[] {
  const groupsOf = new Map<string, string[]>();
  for (const { data } of memberships) {
    const account = String(data.account_id);
    groupsOf.set(account, [...(groupsOf.get(account) ?? []), String(data.group_id)]);
  }
  const people = dir()
    .users.filter((u) => u.active && u.accountId !== svc())
    .slice(0, ACCESS_SAMPLE)
    .map((u) => u.accountId);
  const out: string[] = [];
  const unresolvable = new Set(
    visibleProjects()
      .filter((p) => applicationRoleIn(p))
      .map((p) => p.id),
  );
  for (const { data } of documents) {
    const kind = SIM_KIND_OF_DOCUMENT[String(data.document_type)]!;
    const jiraDocument = String(data.document_type).startsWith('jira_');
    if (jiraDocument && unresolvable.has(String(data.project_id))) continue;
    const acl = {
      public: data.public === true,
      users: (data.users as string[]) ?? [],
      groups: ((data.groups as { id: string }[]) ?? []).map((g) => g.id),
    };
    // Anonymous only for Confluence: the simulator's Jira denies an unknown account even where the scheme
    // grants "anyone", which the connector (like Jira Cloud's "Anyone on the web") reads as public.
    for (const person of jiraDocument ? people : [...people, 'anonymous']) {
      const truth = sim.truth.canSee(person, kind, String(data.document_id));
      const ours = person === 'anonymous' ? acl.public : canOpen(acl, person, (a) => groupsOf.get(a) ?? []);
      if (truth !== ours)
        out.push(`${kind} ${String(data.document_id)} ${person}: truth ${truth}, loaded ${ours}`);
    }
  }
  return out.length > 10 ? [...out.slice(0, 10), `${out.length} access answers differ`] : out;
}

/** Every table against the truth: keys of all 17, fields where the model has them. */
async function compareWithTruth(): Promise<string[]> {
  const m = confluence();
  const parentPage = (id: string | undefined): string | null => {
    const parent = id === undefined ? undefined : m.contents.get(id);
    if (!parent) return id ?? null;
    return parent.kind === 'folder' ? parentPage(parent.parentId) : parent.id;
  };
  const j = jira();
  const rows: Record<string, Row[]> = {};
  for (const stream of STREAMS) rows[stream] = await table(stream);
  const problems: string[] = [];
  for (const stream of [
    'confluence_spaces',
    'confluence_pages',
    'confluence_blogposts',
    'confluence_comments',
    'confluence_attachments',
    'jira_projects',
    'jira_issues',
    'jira_comments',
    'jira_attachments',
    'users',
    'groups',
  ])
    problems.push(...keyDiff(stream, rows[stream]!, idKeys(expected(stream))));
  problems.push(...keyDiff('group_memberships', rows.group_memberships!, membershipKeys()));
  problems.push(
    ...keyDiff('confluence_space_permissions', rows.confluence_space_permissions!, spacePermissionKeys()),
  );
  problems.push(
    ...keyDiff(
      'confluence_content_restrictions',
      rows.confluence_content_restrictions!,
      contentRestrictionKeys(),
    ),
  );
  problems.push(
    ...keyDiff('jira_project_permissions', rows.jira_project_permissions!, projectPermissionKeys()),
  );
  problems.push(
    ...keyDiff('jira_issue_security_levels', rows.jira_issue_security_levels!, securityLevelKeys()),
  );
  // document_permissions: exactly one ACL row per document of the truth. Rows of documents that left it
  // (deleted, trashed, purged, no longer visible) were removed by the stream's tombstones.
  problems.push(...keyDiff('document_permissions', rows.document_permissions!, new Set(documentKeys())));

  problems.push(
    ...fieldDiff('confluence_spaces', rows.confluence_spaces!, (d) => {
      const s = m.spaces.get(String(d.id));
      return s && { key: s.key, name: s.name };
    }),
    // The parent page: folders in between are not pages (the record names the nearest page above).
    ...fieldDiff('confluence_pages', rows.confluence_pages!, (d) => {
      const c = m.contents.get(String(d.id));
      return (
        c && {
          title: c.title,
          space_id: c.spaceId,
          parent_id: parentPage(c.parentId),
          version_number: c.version.number,
        }
      );
    }),
    ...fieldDiff('confluence_blogposts', rows.confluence_blogposts!, (d) => {
      const c = m.contents.get(String(d.id));
      return c && { title: c.title, space_id: c.spaceId, version_number: c.version.number };
    }),
    ...fieldDiff('confluence_comments', rows.confluence_comments!, (d) => {
      const c = m.comments.get(String(d.id));
      return c && { container_id: c.containerId, version_number: c.version.number };
    }),
    ...fieldDiff('confluence_attachments', rows.confluence_attachments!, (d) => {
      const a = m.attachments.get(String(d.id));
      return a && { container_id: a.containerId, file_name: a.title, version_number: a.version.number };
    }),
    ...fieldDiff('jira_projects', rows.jira_projects!, (d) => {
      const p = j.projects.get(String(d.id));
      return p && { key: p.key, name: p.name };
    }),
    ...fieldDiff('jira_issues', rows.jira_issues!, (d) => {
      const i = j.issues.get(String(d.id));
      return (
        i && {
          key: i.key,
          project_id: i.projectId,
          summary: i.summary,
          security_level_id: i.securityLevelId ?? null,
        }
      );
    }),
    ...fieldDiff('jira_comments', rows.jira_comments!, (d) => {
      const c = j.comments.get(String(d.id));
      return c && { issue_id: c.issueId, project_id: j.issues.get(c.issueId)?.projectId ?? null };
    }),
    ...fieldDiff('jira_attachments', rows.jira_attachments!, (d) => {
      const a = j.attachments.get(String(d.id));
      return a && { issue_id: a.issueId, filename: a.filename };
    }),
    ...fieldDiff('users', rows.users!, (d) => {
      const u = dir().userById(String(d.account_id));
      return u && { display_name: u.displayName, active: u.active };
    }),
    ...fieldDiff('groups', rows.groups!, (d) => {
      const g = dir().groupById(String(d.group_id));
      return g && { name: g.name };
    }),
  );
  problems.push(...accessDiff(rows.document_permissions!, rows.group_memberships!));
  return problems;
}

const pick = <T>(items: Iterable<T>, test: (item: T) => boolean, what: string): T => {
  for (const item of items) if (test(item)) return item;
  throw new Error(`no ${what} on this site`);
};

const livePage = (test: (c: Content) => boolean = () => true) =>
  pick(
    confluence().contents.values(),
    (c) => c.kind === 'page' && expected('confluence_pages').has(c.id) && test(c),
    'live page',
  );

beforeAll(async () => {
  pg = await startPostgres();
  sim = await startSimulator(ACCEPTANCE_SIM);
  // Archived spaces are read too, so every readable space is in the truth (test/resilience/helpers.ts).
  config = sim.connectorConfig({
    confluence: { include_archived_spaces: true },
    attachments: { extract_text: false },
    permissions_refresh_hours: 0,
  });
}, 60_000);

afterAll(async () => {
  await sim?.close();
  await pg?.stop();
});

describe('warehouse load (PostgreSQL, append_dedup)', () => {
  it('a full sync loads every table exactly as the simulator has it', async () => {
    const stats = await sync();
    for (const stream of STREAMS) expect([stream, stats[stream]!.rows > 0]).toEqual([stream, true]);
    expect(await compareWithTruth()).toEqual([]);
  }, 120_000);

  it('an incremental sync after creates, edits, moves, deletes and permission changes leaves the truth', async () => {
    const c = sim.control.confluence;
    const jc = sim.control.jira;
    const m = confluence();
    const j = jira();

    const spaceOf = livePage().spaceId;
    c.createPage({ spaceId: spaceOf, title: 'Warehouse round 1: new page' });
    c.createBlogPost({ spaceId: spaceOf, title: 'Warehouse round 1: new blog post' });
    const edited = livePage((p) => p.spaceId !== spaceOf);
    c.updatePage(edited.id, { title: 'Warehouse round 1: renamed' });
    const trashed = livePage((p) => p.id !== edited.id && !(m.children.get(p.id)?.length ?? 0));
    c.trashPage(trashed.id);
    const moved = livePage((p) => p.id !== edited.id && p.id !== trashed.id && !!p.parentId);
    c.movePage(moved.id, { parentId: null });
    const restricted = livePage(
      (p) => ![edited.id, trashed.id, moved.id].includes(p.id) && (m.children.get(p.id)?.length ?? 0) > 0,
    );
    const group = dir().groups[0]!;
    c.restrictPage(restricted.id, { groups: [group.id], users: [svc()] });
    c.addComment({ containerId: edited.id, body: 'Warehouse round 1 comment' });
    const attachment = pick(
      m.attachments.values(),
      (a) => expected('confluence_attachments').has(a.id),
      'live attachment',
    );
    c.deleteAttachment(attachment.id);

    const issues = [...j.issues.values()].filter((i) => expected('jira_issues').has(i.id));
    const project = j.projects.get(issues[0]!.projectId)!;
    jc.createIssue({ projectKey: project.key, summary: 'Warehouse round 1: new issue' });
    const updated = issues.find((i) => !i.parentId)!;
    jc.updateIssue({ issue: updated.id, summary: 'Warehouse round 1: edited summary' });
    const deleted = issues.find((i) => i.id !== updated.id && !i.parentId && !hasSubtasks(i.id))!;
    jc.deleteIssue({ issue: deleted.id });
    const other = visibleProjects().find((p) => p.id !== project.id)!;
    const movedIssue = issues.find(
      (i) =>
        ![updated.id, deleted.id].includes(i.id) &&
        !i.parentId &&
        !hasSubtasks(i.id) &&
        i.projectId === project.id,
    )!;
    jc.moveIssue({ issue: movedIssue.id, toProjectKey: other.key });
    jc.addComment({ issue: updated.id, body: 'Warehouse round 1 Jira comment' });
    const jiraComment = pick(j.comments.values(), (x) => expected('jira_comments').has(x.id), 'Jira comment');
    jc.deleteComment({ commentId: jiraComment.id });
    jc.addAttachment({ issue: updated.id, filename: 'warehouse-round-1.txt' });
    const role = [...j.roles.values()][0]!;
    const newcomer = dir().users.find((u) => allowed(u.accountId) && u.accountType === 'atlassian')!;
    jc.addRoleActor({ project: project.key, roleId: role.id, accountId: newcomer.accountId });
    sim.control.directory.addToGroup(group.id, newcomer.accountId);

    const stats = await sync();
    // The changes really reached the warehouse through the incremental read, tombstones included.
    expect(stats.confluence_pages!.tombstones).toBeGreaterThan(0);
    expect(stats.jira_issues!.tombstones).toBeGreaterThan(0);
    expect(stats.document_permissions!.tombstones).toBeGreaterThan(0);
    // Incremental reads: only what changed since the cursors (plus the lookback), not everything again.
    expect(stats.confluence_pages!.records).toBeLessThan(loads[0]!.confluence_pages!.records);
    expect(stats.jira_issues!.records).toBeLessThan(loads[0]!.jira_issues!.records);
    expect(await compareWithTruth()).toEqual([]);
  }, 120_000);

  it('a second incremental sync after other changes (purges, unrestrict, space and scheme grants, deactivation) leaves the truth', async () => {
    const c = sim.control.confluence;
    const jc = sim.control.jira;
    const m = confluence();
    const j = jira();

    const comment = pick(m.comments.values(), (x) => expected('confluence_comments').has(x.id), 'comment');
    c.updateComment(comment.id, { body: 'Warehouse round 2: edited comment' });
    const gone = pick(
      m.comments.values(),
      (x) => x.id !== comment.id && expected('confluence_comments').has(x.id),
      'second comment',
    );
    c.deleteComment(gone.id);
    const purged = livePage(
      (p) => !(m.children.get(p.id)?.length ?? 0) && p.readRestriction.groups.length === 0,
    );
    c.deletePage(purged.id);
    const restricted = livePage(
      (p) => p.readRestriction.groups.length > 0 || p.readRestriction.users.length > 0,
    );
    c.unrestrictPage(restricted.id);
    // A page (and its subtree) moving to another space changes partition: the new space's cursor decides.
    const travelling = livePage((p) => p.id !== purged.id && p.id !== restricted.id && !p.parentId);
    const destination = pick(
      m.spaces.values(),
      (s) => s.id !== travelling.spaceId && s.type === 'global' && expected('confluence_spaces').has(s.id),
      'other space',
    );
    c.movePage(travelling.id, { spaceId: destination.id, parentId: null });
    const blog = pick(
      m.contents.values(),
      (x) => x.kind === 'blogpost' && expected('confluence_blogposts').has(x.id),
      'blog post',
    );
    c.trashBlogPost(blog.id);
    c.addAttachment({ containerId: livePage().id, title: 'warehouse-round-2.txt', bytes: 'round 2' });
    const space = pick(m.spaces.values(), (s) => expected('confluence_spaces').has(s.id), 'space');
    const group = dir().groups.at(-1)!;
    c.setSpacePermission(space.id, {
      principal: { type: 'group', id: group.id },
      operation: { key: 'read', targetType: 'space' },
      granted: true,
    });

    const jiraComment = pick(j.comments.values(), (x) => expected('jira_comments').has(x.id), 'Jira comment');
    jc.updateComment({ commentId: jiraComment.id, body: 'Warehouse round 2: edited', visibility: null });
    const att = pick(
      j.attachments.values(),
      (x) => expected('jira_attachments').has(x.id),
      'Jira attachment',
    );
    jc.deleteAttachment({ attachmentId: att.id });
    const project = visibleProjects()[0]!;
    jc.setPermissionGrant({
      schemeId: project.permissionSchemeId,
      permission: 'BROWSE_PROJECTS',
      holder: { type: 'group', parameter: group.name, value: group.id },
      granted: true,
    });
    const issue = pick(j.issues.values(), (i) => expected('jira_issues').has(i.id), 'issue');
    jc.updateIssue({ issue: issue.id, summary: 'Warehouse round 2: edited summary', labels: ['warehouse'] });

    const member = pick(dir().members.get(group.id) ?? [], (a) => allowed(a), 'group member');
    sim.control.directory.removeFromGroup(group.id, member);
    const leaving = dir().users.find(
      (u) => allowed(u.accountId) && u.accountId !== member && u.accountType === 'atlassian',
    )!;
    sim.control.directory.deactivateUser(leaving.accountId);

    const stats = await sync();
    expect(stats.confluence_pages!.tombstones).toBeGreaterThan(0);
    expect(stats.confluence_comments!.tombstones).toBeGreaterThan(0);
    expect(stats.document_permissions!.tombstones).toBeGreaterThan(0);
    expect(await compareWithTruth()).toEqual([]);
  }, 120_000);
});

function hasSubtasks(issueId: string): boolean {
  for (const i of jira().issues.values()) if (i.parentId === issueId) return true;
  return false;
}

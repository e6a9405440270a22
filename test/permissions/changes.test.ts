// Permission changes do not touch content, yet the next sync's document_permissions must follow them:
// a page restriction, a group membership, a project role actor, a permission scheme grant. And the
// per-site directory fallback (no org Admin API) reaches the same access decisions.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { startSimulator, type Simulator } from '../../sim';
import type { JiraStore } from '../../sim/jira/model';
import { canOpen } from '../../src/permissions/acl';
import { loadSchema } from '../../src/schemas';
import { records, runConnector, statesAsInput } from '../helpers/run-connector';

const ALL = [
  'users',
  'groups',
  'group_memberships',
  'confluence_space_permissions',
  'confluence_content_restrictions',
  'jira_project_permissions',
  'jira_issue_security_levels',
  'document_permissions',
];
const catalog = (names: string[]) => ({
  streams: names.map((name) => ({
    stream: { name, json_schema: loadSchema(name), supported_sync_modes: ['full_refresh'] },
    sync_mode: 'full_refresh',
    destination_sync_mode: 'overwrite',
  })),
});

async function read(config: Record<string, unknown>, names = ALL) {
  const run = await runConnector(['read'], { config, catalog: catalog(names) });
  if (run.exitCode !== 0) throw new Error(run.stderr + run.stdout.slice(-2000));
  return run;
}

function opener(run: Awaited<ReturnType<typeof read>>) {
  const byUser = new Map<string, string[]>();
  for (const m of records(run.messages, 'group_memberships'))
    byUser.set(m.account_id as string, [...(byUser.get(m.account_id as string) ?? []), m.group_id as string]);
  const docs = new Map(
    records(run.messages, 'document_permissions').map((d) => [
      `${String(d.document_type)}:${String(d.document_id)}`,
      d,
    ]),
  );
  return (type: string, id: string, accountId: string): boolean => {
    const d = docs.get(`${type}:${id}`);
    if (!d)
      throw new Error(
        `no document_permissions for ${type} ${id}: ${[...docs.keys()].filter((k) => k.startsWith(type)).join(' ')}`,
      );
    const groups = (d.groups as { id: string }[]).map((g) => g.id);
    return canOpen(
      { public: d.public as boolean, users: d.users as string[], groups },
      accountId,
      (a) => byUser.get(a) ?? [],
    );
  };
}

describe('permission changes and directory sources', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ scale: 'tiny', seed: 23 });
  });
  afterAll(() => sim.close());

  it('every permission stream emits records that validate against its schema', async () => {
    const run = await read(sim.connectorConfig());
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const name of ALL) {
      const validate = ajv.compile(loadSchema(name));
      const rs = records(run.messages, name);
      expect({ name, count: rs.length > 0 }).toEqual({ name, count: true });
      for (const r of rs)
        expect({ name, errors: validate(r) ? null : validate.errors }).toEqual({ name, errors: null });
    }
  });

  it('resolves project roles in browse grants and security levels to their user and group actors', async () => {
    const run = await read(sim.connectorConfig({ confluence: { enabled: false } }), [
      'jira_project_permissions',
      'jira_issue_security_levels',
    ]);
    const store = sim.model.jira as JiraStore;
    const svc = sim.model.directory.serviceAccount.accountId;
    const rows = records(run.messages, 'jira_project_permissions');
    let checked = 0;
    for (const project of store.projects.values()) {
      if (project.archived) continue;
      const scheme = store.permissionSchemes.get(project.permissionSchemeId)!;
      for (const grant of scheme.grants.filter(
        (g) => g.permission === 'BROWSE_PROJECTS' && g.holder.type === 'projectRole',
      )) {
        const actors = store.roleActors.get(project.id)?.get(Number(grant.holder.value));
        const expected = [
          ...[...(actors?.users ?? [])].filter((u) => u !== svc).map((u) => `user ${u}`),
          ...[...(actors?.groups ?? [])].map((g) => `group ${g}`),
        ].sort();
        const emitted = rows
          .filter((r) => r.project_id === project.id && r.grant_id === String(grant.id))
          .map((r) => `${String(r.principal_type)} ${String(r.principal_id)}`)
          .sort();
        // Deactivated actors are left out of ACL rows, like everywhere else.
        const active = expected.filter(
          (e) => !e.startsWith('user ') || sim.model.directory.userById(e.slice(5))?.active,
        );
        expect({ project: project.key, grant: grant.id, emitted }).toEqual({
          project: project.key,
          grant: grant.id,
          emitted: active,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(
      records(run.messages, 'jira_issue_security_levels').some(
        (r) =>
          r.holder_type === 'reporter' || r.principal_type === 'issue_field' || r.principal_type === 'group',
      ),
    ).toBe(true);
  });

  it('follows a page restriction and a group membership change on the next sync', async () => {
    const config = sim.connectorConfig({ jira: { enabled: false } });
    const dir = sim.model.directory;
    const svc = dir.serviceAccount.accountId;
    const page = [...sim.model.confluence.contents.values()].find(
      (c) =>
        c.kind === 'page' &&
        c.status === 'current' &&
        sim.truth.canSee(svc, 'page', c.id) &&
        c.readRestriction.users.length === 0 &&
        c.readRestriction.groups.length === 0,
    )!;
    const candidates = dir.users.filter(
      (u) =>
        u.active &&
        u.accountType === 'atlassian' &&
        u.accountId !== svc &&
        sim.truth.canSee(u.accountId, 'page', page.id),
    );
    const group = dir.groups.find((g) => candidates.some((u) => !dir.groupsOf(u.accountId).has(g.id)))!;
    const outsider = candidates.find((u) => !dir.groupsOf(u.accountId).has(group.id))!;

    // The service account keeps access through its own user entry; the outsider is in neither.
    sim.control.confluence.restrictPage(page.id, { groups: [group.id], users: [svc] });
    let can = opener(await read(config, ['group_memberships', 'document_permissions']));
    expect(can('confluence_page', page.id, outsider.accountId)).toBe(false);
    expect(sim.truth.canSee(outsider.accountId, 'page', page.id)).toBe(false);

    sim.control.directory.addToGroup(group.id, outsider.accountId);
    can = opener(await read(config, ['group_memberships', 'document_permissions']));
    expect(sim.truth.canSee(outsider.accountId, 'page', page.id)).toBe(true);
    expect(can('confluence_page', page.id, outsider.accountId)).toBe(true);
  });

  it('without org admin credentials: the same access decisions, unresolved emails counted', async () => {
    const admin = await read(sim.connectorConfig(), ['users', 'group_memberships', 'document_permissions']);
    const site = await read(
      sim.connectorConfig({ organization_id: null, organization_admin_api_key: null }),
      ['users', 'group_memberships', 'document_permissions'],
    );
    const a = opener(admin);
    const s = opener(site);
    const docs = records(site.messages, 'document_permissions');
    const people = sim.model.directory.users.filter((u) => u.active).map((u) => u.accountId);
    const differ: string[] = [];
    for (const d of docs)
      for (const p of people)
        if (
          a(d.document_type as string, d.document_id as string, p) !==
          s(d.document_type as string, d.document_id as string, p)
        )
          differ.push(`${String(d.document_type)} ${String(d.document_id)} ${p}`);
    expect(differ).toEqual([]);

    const emails = (run: typeof admin) =>
      new Map(records(run.messages, 'users').map((u) => [u.account_id as string, u]));
    const viaAdmin = emails(admin);
    const viaSite = emails(site);
    const hidden = sim.model.directory.users.find((u) => !u.emailVisible && u.accountType === 'atlassian')!;
    expect(viaAdmin.get(hidden.accountId)).toMatchObject({
      email: hidden.email,
      email_source: 'org_admin_api',
    });
    expect(viaSite.get(hidden.accountId)).toMatchObject({ email: null, email_source: null });
    const visible = sim.model.directory.users.find((u) => u.emailVisible && u.accountType === 'atlassian')!;
    expect(['jira', 'confluence']).toContain(viaSite.get(visible.accountId)?.email_source);
    const unresolved = [...viaSite.values()].filter((u) => !u.email).length;
    expect(site.stdout).toMatch(new RegExp(`${unresolved} users without a resolvable email`));
    // Deactivated and app accounts are marked, not dropped.
    const inactive = sim.model.directory.users.find((u) => !u.active);
    if (inactive) expect(viaSite.get(inactive.accountId)?.active).toBe(false);
  });
});

describe('document_permissions refresh interval (incremental)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ scale: 'tiny', seed: 29 });
  });
  afterAll(() => sim.close());

  const incremental = {
    streams: [
      {
        stream: {
          name: 'document_permissions',
          json_schema: loadSchema('document_permissions'),
          supported_sync_modes: ['full_refresh', 'incremental'],
        },
        sync_mode: 'incremental',
        cursor_field: ['computed_at'],
        destination_sync_mode: 'append_dedup',
        primary_key: [['document_type'], ['document_id']],
      },
    ],
  };

  it('skips recomputation until permissions_refresh_hours have passed, and recomputes every sync at 0', async () => {
    const config = sim.connectorConfig({ jira: { enabled: false }, permissions_refresh_hours: 24 });
    const first = await runConnector(['read'], { config, catalog: incremental });
    expect(first.exitCode).toBe(0);
    expect(records(first.messages, 'document_permissions').length).toBeGreaterThan(10);
    const state = statesAsInput(first.messages);
    const second = await runConnector(['read'], { config, catalog: incremental, state });
    expect(second.exitCode).toBe(0);
    expect(records(second.messages, 'document_permissions')).toEqual([]);
    const third = await runConnector(['read'], {
      config: { ...config, permissions_refresh_hours: 0 },
      catalog: incremental,
      state,
    });
    expect(records(third.messages, 'document_permissions').length).toBe(
      records(first.messages, 'document_permissions').length,
    );
  });
});

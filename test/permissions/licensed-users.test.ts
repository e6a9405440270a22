// "All licensed users" space permission: it reaches the site's licensed product users only, never Service
// Management portal customers or app (bot) accounts, although the site's user listing has both.
import { startSimulator, type Simulator } from '../../sim';
import { canOpen } from '../../src/permissions/acl';
import { loadSchema } from '../../src/schemas';
import { records, runConnector } from '../helpers/run-connector';
import { SIM_KIND_OF_DOCUMENT } from '../helpers/document-kinds';

const catalog = (names: string[]) => ({
  streams: names.map((name) => ({
    stream: { name, json_schema: loadSchema(name), supported_sync_modes: ['full_refresh'] },
    sync_mode: 'full_refresh',
    destination_sync_mode: 'overwrite',
  })),
});

describe('a space readable by all licensed users', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ scale: 'tiny', seed: 11 });
  });
  afterAll(() => sim.close());

  it('gives its documents to licensed accounts, not to portal customers or app accounts', async () => {
    const dir = sim.model.directory;
    const customer = dir.addUser({
      accountId: 'qm:0f4e2c1a-portal-customer',
      displayName: 'Portal Customer',
      email: 'someone@customer.example',
      emailVisible: true,
      accountType: 'customer',
      active: true,
      timeZone: 'UTC',
    });
    const space = [...sim.model.confluence.spaces.values()].find(
      (s) =>
        s.type === 'global' &&
        s.status === 'current' &&
        !s.permissions.some((p) => p.principal.type === 'role'),
    )!;
    sim.control.confluence.setSpacePermission(space.id, {
      principal: { type: 'role', id: 'all-licensed-users' },
      granted: true,
    });
    const config = sim.connectorConfig({
      jira: { enabled: false },
      confluence: { spaces: { include: [space.key] } },
    });
    const run = await runConnector(['read'], {
      config,
      catalog: catalog(['users', 'group_memberships', 'document_permissions']),
    });
    expect(run.exitCode).toBe(0);

    const users = new Map(records(run.messages, 'users').map((u) => [u.account_id as string, u]));
    const apps = dir.users.filter((u) => u.accountType === 'app' && u.active).map((u) => u.accountId);
    // The fixture really lists both kinds of unlicensed accounts as active users of the site.
    expect(users.get(customer.accountId)).toMatchObject({ account_type: 'customer', active: true });
    expect(apps.filter((a) => users.has(a)).length).toBeGreaterThan(1);

    const groupsOf = new Map<string, string[]>();
    for (const m of records(run.messages, 'group_memberships'))
      groupsOf.set(m.account_id as string, [
        ...(groupsOf.get(m.account_id as string) ?? []),
        m.group_id as string,
      ]);
    const docs = records(run.messages, 'document_permissions');
    expect(docs.length).toBeGreaterThan(3);
    const svc = dir.serviceAccount.accountId;
    const mismatches: string[] = [];
    for (const doc of docs) {
      const acl = {
        public: doc.public as boolean,
        users: doc.users as string[],
        groups: (doc.groups as { id: string }[]).map((g) => g.id),
      };
      const kind = SIM_KIND_OF_DOCUMENT[doc.document_type as string]!;
      for (const u of dir.users) {
        if (u.accountId === svc) continue;
        const ours =
          users.get(u.accountId)?.active === true && canOpen(acl, u.accountId, (a) => groupsOf.get(a) ?? []);
        const truth = sim.truth.canSee(u.accountId, kind, doc.document_id as string);
        if (ours !== truth)
          mismatches.push(`${kind} ${String(doc.document_id)} ${u.accountType} ${u.accountId}: sim ${truth}`);
      }
    }
    expect(mismatches).toEqual([]);
    // The grant was expanded (not merely shadowed by the space's group grants).
    expect(
      docs.some((d) =>
        (d.sources as { kind: string; detail: string }[]).some(
          (s) => s.kind === 'group_expansion' && /licensed/.test(s.detail),
        ),
      ),
    ).toBe(true);
  });
});

// Directory streams against the simulator: users (apps and deactivated accounts marked, not dropped),
// groups with bare ids, memberships from the org Admin API inverted, and users.include / exclude applied
// to the directory and to every ACL.
import { startSimulator, type Simulator } from '../../sim';
import { loadSchema } from '../../src/schemas';
import { userFilter } from '../../src/directory/filter';
import { records, runConnector } from '../helpers/run-connector';

const catalog = (names: string[]) => ({
  streams: names.map((name) => ({
    stream: { name, json_schema: loadSchema(name), supported_sync_modes: ['full_refresh'] },
    sync_mode: 'full_refresh',
    destination_sync_mode: 'overwrite',
  })),
});
const NAMES = ['users', 'groups', 'group_memberships', 'document_permissions'];

describe('directory streams', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ scale: 'tiny', seed: 31 });
  });
  afterAll(() => sim.close());

  it('lists every account with its kind and state, groups by bare id, memberships as the simulator has them', async () => {
    const run = await runConnector(['read'], {
      config: sim.connectorConfig(),
      catalog: catalog(NAMES.slice(0, 3)),
    });
    expect(run.exitCode).toBe(0);
    const dir = sim.model.directory;
    const users = new Map(records(run.messages, 'users').map((u) => [u.account_id as string, u]));
    for (const u of dir.users) {
      expect(users.get(u.accountId)).toMatchObject({ active: u.active, account_type: u.accountType });
    }
    expect([...users.values()].some((u) => u.account_type === 'app')).toBe(true);
    const groups = records(run.messages, 'groups').map((g) => g.group_id as string);
    expect(groups.sort()).toEqual(dir.groups.map((g) => g.id).sort());
    const svc = dir.serviceAccount.accountId;
    const expected: string[] = [];
    for (const [g, members] of dir.members)
      for (const a of members) if (a !== svc) expected.push(`${g} ${a}`);
    const emitted = records(run.messages, 'group_memberships').map(
      (m) => `${String(m.group_id)} ${String(m.account_id)}`,
    );
    expect(emitted.sort()).toEqual(expected.sort());
  });

  it('reads the directory once per sync, for the directory and the permission streams together', async () => {
    sim.clearRequests();
    const run = await runConnector(['read'], { config: sim.connectorConfig(), catalog: catalog(NAMES) });
    expect(run.exitCode).toBe(0);
    const listings = sim.requests().filter((r) => r.path.endsWith('/directories/-/groups/search'));
    // The tiny site's groups fit one page: one directory read is one group listing.
    expect(listings).toHaveLength(1);
  });

  it('drops excluded users from the directory and from every ACL', async () => {
    const dir = sim.model.directory;
    const victim = dir.users.find(
      (u) => u.active && u.accountType === 'atlassian' && dir.groupsOf(u.accountId).size > 0,
    )!;
    const config = sim.connectorConfig({ users: { exclude: [victim.email.toUpperCase()] } });
    const run = await runConnector(['read'], { config, catalog: catalog(NAMES) });
    expect(run.exitCode).toBe(0);
    expect(records(run.messages, 'users').map((u) => u.account_id)).not.toContain(victim.accountId);
    expect(records(run.messages, 'group_memberships').map((m) => m.account_id)).not.toContain(
      victim.accountId,
    );
    for (const d of records(run.messages, 'document_permissions'))
      expect(d.users).not.toContain(victim.accountId);
  });
});

describe('userFilter', () => {
  it('matches emails case-insensitively and account ids, exclude winning over include', () => {
    const f = userFilter({
      domain: 'x',
      credentials: { auth_type: 'api_token', email: 'e', api_token: 't' },
      users: { include: ['A@x.com', 'id-2'], exclude: ['id-2'] },
    });
    expect(f.keeps('id-1', 'a@X.com')).toBe(true);
    expect(f.keeps('id-2')).toBe(false);
    expect(f.keeps('id-3', 'c@x.com')).toBe(false);
    expect(
      userFilter({ domain: 'x', credentials: { auth_type: 'api_token', email: 'e', api_token: 't' } }).keeps(
        'any',
      ),
    ).toBe(true);
  });
});

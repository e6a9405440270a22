// Directory data through the org Admin API (cursor in the POST body, expand groups, filters) and through
// Confluence (privacy-limited emails).
import { startSimulator, type Simulator } from '../../sim';
import { call } from './sim-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scale: 'small', seed: 2 });
});
afterAll(() => sim.close());

const search = (kind: 'users' | 'groups', body: Record<string, unknown>) =>
  call(sim, `/admin/v2/orgs/${sim.credentials.orgId}/directories/-/${kind}/search`, {
    via: 'raw',
    auth: 'org-key',
    body,
  });

describe('org Admin API', () => {
  test.each([1, 7, 100])(
    'user search walks every org user once at limit %i, groups as ARIs',
    async (limit) => {
      const seen: Array<{ accountId: string; email: string; groups: Array<{ id: string }> }> = [];
      let cursor: string | undefined;
      do {
        const r = await search('users', { limit, expand: ['groups'], ...(cursor ? { cursor } : {}) });
        expect(r.status).toBe(200);
        const body = r.body as { data: typeof seen; links: { next?: string } };
        seen.push(...body.data);
        cursor = body.links.next;
      } while (cursor);
      const people = sim.model.directory.users.filter((u) => u.accountType === 'atlassian');
      expect(seen.map((u) => u.accountId).sort()).toEqual(people.map((u) => u.accountId).sort());
      const hidden = people.find((u) => !u.emailVisible)!;
      expect(seen.find((u) => u.accountId === hidden.accountId)!.email).toBe(hidden.email);
      const member = seen.find((u) => u.groups.length > 0)!;
      expect(member.groups[0]!.id).toMatch(/^ari:cloud:identity::group\//);
      const bare = member.groups.map((g) => g.id.split('/').pop()!);
      expect(new Set(bare)).toEqual(sim.model.directory.groupsOf(member.accountId));
    },
  );

  test('filters: accountIds, groupIds (ARI or bare), and limits on list sizes', async () => {
    const group = sim.model.directory.groupByName('marketing')!;
    const r = await search('users', { groupIds: [`ari:cloud:identity::group/${group.id}`], limit: 100 });
    const ids = (r.body as { data: Array<{ accountId: string }> }).data.map((u) => u.accountId);
    expect(new Set(ids)).toEqual(sim.model.directory.members.get(group.id));
    const one = sim.model.directory.apiTokenUser.accountId;
    expect((await search('users', { accountIds: [one] })).body).toMatchObject({ data: [{ accountId: one }] });
    expect(
      (await search('users', { accountIds: Array.from({ length: 11 }, (_, i) => String(i)) })).status,
    ).toBe(400);
    const groups = await search('groups', { accountIds: [one], expand: ['counts.users'] });
    const names = (groups.body as { data: Array<{ name: string; counts: { users: number } }> }).data.map(
      (g) => g.name,
    );
    expect(names).toContain('site-admins');
  });

  test('v1 org users: managed accounts only, email absent when hidden, next is a URL', async () => {
    const seen: Array<{ account_id: string; email?: string }> = [];
    let next: string | undefined = `${sim.url}/admin/v1/orgs/${sim.credentials.orgId}/users`;
    while (next) {
      const r = await fetch(next, { headers: { authorization: `Bearer ${sim.credentials.orgAdminApiKey}` } });
      const body = (await r.json()) as { data: typeof seen; links: { next?: string } };
      seen.push(...body.data);
      next = body.links.next;
    }
    const managed = sim.model.directory.users.filter(
      (u) => sim.model.directory.orgFacts.get(u.accountId)?.claimStatus === 'managed',
    );
    expect(seen.map((u) => u.account_id).sort()).toEqual(managed.map((u) => u.accountId).sort());
    const hidden = managed.find((u) => !u.emailVisible)!;
    expect(seen.find((u) => u.account_id === hidden.accountId)).not.toHaveProperty('email');
  });
});

describe('directory through Confluence', () => {
  test('users-bulk returns an empty email for hidden profiles and omits unknown ids', async () => {
    const hidden = sim.model.directory.users.find((u) => u.accountType === 'atlassian' && !u.emailVisible)!;
    const visible = sim.model.directory.apiTokenUser;
    const r = await call(sim, '/wiki/api/v2/users-bulk', {
      body: { accountIds: [hidden.accountId, visible.accountId, 'nope'] },
    });
    const results = (r.body as { results: Array<{ accountId: string; email: string }> }).results;
    expect(results).toHaveLength(2);
    expect(results.find((u) => u.accountId === hidden.accountId)!.email).toBe('');
    expect(results.find((u) => u.accountId === visible.accountId)!.email).toBe(visible.email);
    expect((await call(sim, '/wiki/api/v2/users-bulk', { body: { accountIds: [] } })).status).toBe(400);
  });

  test('the service account is an app user in a non-UTC zone', () => {
    const sa = sim.model.directory.serviceAccount;
    expect(sa.email).toMatch(/@serviceaccount\.atlassian\.com$/);
    expect(sa.timeZone).not.toBe('UTC');
    expect(sim.connectorConfig()).toMatchObject({ credentials: { service_account_email: sa.email } });
    expect(sim.connectorConfig({ organization_id: null })).not.toHaveProperty('organization_id');
  });

  test('email lookups are not enabled for API callers (501)', async () => {
    const r = await call(
      sim,
      `/wiki/rest/api/user/email?accountId=${encodeURIComponent(sim.model.directory.apiTokenUser.accountId)}`,
    );
    expect(r.status).toBe(501);
  });
});

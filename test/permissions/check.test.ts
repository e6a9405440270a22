import nock from 'nock';
import { startSimulator, type Simulator } from '../../sim';
import { connectSite, createConnection } from '../../src/atlassian/connect';
import { validateConfig } from '../../src/config';
import { checkPermissionAccess } from '../../src/permissions/check';

describe('checkPermissionAccess', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ scale: 'tiny', seed: 5 });
  });
  afterAll(() => sim.close());

  it('finds nothing missing when the account can read every permission input', async () => {
    const config = validateConfig(sim.connectorConfig());
    const site = await connectSite(createConnection(config));
    expect(await checkPermissionAccess(site, config)).toEqual([]);
  });

  it('names the owner lookup, not the space listing, when users-bulk is refused', async () => {
    const personal = [...sim.model.confluence.spaces.values()].some((s) => s.type === 'personal');
    expect(personal).toBe(true);
    // users.exclude names an email: personal spaces' owners are looked up by account id.
    const config = validateConfig(sim.connectorConfig({ users: { exclude: ['someone@example.com'] } }));
    const refused = nock(sim.url, { allowUnmocked: true })
      .post(/\/wiki\/api\/v2\/users-bulk$/)
      .reply(403, { message: 'scope does not match' });
    try {
      const site = await connectSite(createConnection(config));
      expect(await checkPermissionAccess(site, config)).toEqual([
        'cannot look up the owners of personal spaces, which users.exclude names by email (403): grant read:user:confluence',
      ]);
      expect(refused.isDone()).toBe(true);
    } finally {
      nock.cleanAll();
    }
  });
});

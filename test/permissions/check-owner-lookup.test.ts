// check when the owners of personal spaces cannot be looked up (users.exclude names an email): the
// problem names that lookup and its scope, not the space listing. nock refuses users-bulk once; every
// other request reaches the simulator.
import { startSimulator, type Simulator } from '../../sim';
import { connectSite, createConnection } from '../../src/atlassian/connect';
import { validateConfig } from '../../src/config';
import { checkPermissionAccess } from '../../src/permissions/check';
import nock from '../helpers/nock';

describe('checkPermissionAccess with a refused owner lookup', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ scale: 'tiny', seed: 5 });
    nock.enableNetConnect('127.0.0.1');
  });
  afterAll(() => sim.close());

  it('names the owner lookup, not the space listing, when users-bulk is refused', async () => {
    const personal = [...sim.model.confluence.spaces.values()].some((s) => s.type === 'personal');
    expect(personal).toBe(true);
    // users.exclude names an email: personal spaces' owners are looked up by account id.
    const config = validateConfig(sim.connectorConfig({ users: { exclude: ['someone@example.com'] } }));
    const refused = nock(sim.url, { allowUnmocked: true })
      .post(/\/wiki\/api\/v2\/users-bulk$/)
      .reply(403, { message: 'scope does not match' });
    const site = await connectSite(createConnection(config));
    expect(await checkPermissionAccess(site, config)).toEqual([
      'cannot look up the owners of personal spaces, which users.exclude names by email (403): grant read:user:confluence',
    ]);
    expect(refused.isDone()).toBe(true);
  });
});

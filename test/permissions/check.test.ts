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
});

// check through the real CLI against the simulator: exactly one CONNECTION_STATUS line, every stdout line
// protocol-valid (runConnector validates them), a distinct message per failure and no credential in any output.
import { startSimulator, type Simulator } from '../sim';
import { runConnector, spawnConnector } from './helpers/run-connector';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scale: 'tiny', seed: 3 });
});
afterAll(() => sim.close());

const secrets = (): string[] => {
  const c = sim.credentials;
  return [
    c.serviceAccountToken,
    c.oauthClientSecret,
    c.userApiToken,
    c.orgAdminApiKey,
    'ATATT-wrong-secret',
    'ATSTT-wrong-secret',
    'not-the-token-123',
  ];
};

async function check(overrides: Record<string, unknown> = {}) {
  const run = await runConnector(['check'], { config: sim.connectorConfig(overrides) });
  const statuses = run.messages.filter((m) => m.type === 'CONNECTION_STATUS');
  expect(statuses).toHaveLength(1);
  for (const secret of secrets()) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
  expect(run.exitCode).toBe(0);
  return statuses[0]!.connectionStatus!;
}

/** Replaces the simulator's default credentials (a `null` override removes a key of the merged config). */
const credentials = (fields: Record<string, unknown>) => ({
  credentials: { service_account_token: null, service_account_email: null, ...fields },
});
const serviceAccount = (token: string, email?: string) =>
  credentials({
    auth_type: 'service_account',
    service_account_token: token,
    service_account_email: email ?? null,
  });

describe('check succeeds', () => {
  test('with a service-account token as Basic email:token, reporting spaces, projects and the org directory', async () => {
    const status = await check();
    expect(status.status).toBe('SUCCEEDED');
    expect(status.message).toMatch(
      /^Confluence: \d+ spaces?, Jira: \d+ projects?, organization directory: reachable$/,
    );
  });

  test('with the service-account token as a Bearer token when no email is given', async () => {
    const status = await check(serviceAccount(sim.credentials.serviceAccountToken));
    expect(status.status).toBe('SUCCEEDED');
  });

  test('with a service-account OAuth 2.0 credential', async () => {
    const { oauthClientId, oauthClientSecret } = sim.credentials;
    const status = await check(
      credentials({
        auth_type: 'service_account_oauth',
        client_id: oauthClientId,
        client_secret: oauthClientSecret,
      }),
    );
    expect(status.status).toBe('SUCCEEDED');
  });

  test('with a classic API token against the site', async () => {
    const { userEmail, userApiToken } = sim.credentials;
    const status = await check(
      credentials({ auth_type: 'api_token', email: userEmail, api_token: userApiToken }),
    );
    expect(status.status).toBe('SUCCEEDED');
  });

  test('without touching Confluence when it is disabled', async () => {
    sim.clearRequests();
    const status = await check({ confluence: { enabled: false } });
    expect(status).toEqual({
      status: 'SUCCEEDED',
      message: expect.stringMatching(/^Jira: \d+ projects?, organization/),
    });
    expect(sim.requests().filter((r) => r.path.includes('/wiki/'))).toEqual([]);
  });
});

describe('check fails with a distinct, actionable message', () => {
  test('a wrong token sent as Basic says so and how to send it as Bearer', async () => {
    const status = await check(serviceAccount('not-the-token-123', sim.credentials.serviceAccountEmail));
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(
      /rejected the service-account token \(HTTP 401\).*Basic email:token \(with service_account_email\).*leave service_account_email empty/,
    );
  });

  test('a wrong token sent as Bearer says so and how to send it as Basic', async () => {
    const status = await check(serviceAccount('not-the-token-123'));
    expect(status.message).toMatch(/sent as a Bearer token.*set service_account_email/);
  });

  test('a personal API token given as the service-account token', async () => {
    const status = await check(serviceAccount('ATATT-wrong-secret', sim.credentials.serviceAccountEmail));
    expect(status.message).toMatch(/personal API token \(it starts with ATATT\)/);
  });

  test('a scoped token given as a classic API token (it would be sent to the site, not the gateway)', async () => {
    const status = await check(
      credentials({ auth_type: 'api_token', email: 'a@b.example', api_token: 'ATSTT-wrong-secret' }),
    );
    expect(status.message).toMatch(/scoped API token \(it starts with ATSTT\).*api\.atlassian\.com gateway/);
  });

  test('a wrong classic API token', async () => {
    const status = await check(
      credentials({
        auth_type: 'api_token',
        email: sim.credentials.userEmail,
        api_token: 'not-the-token-123',
      }),
    );
    expect(status.message).toMatch(/rejected email \+ api_token \(HTTP 401, sent as Basic email:token/);
  });

  test('a rejected OAuth client secret', async () => {
    const status = await check(
      credentials({
        auth_type: 'service_account_oauth',
        client_id: sim.credentials.oauthClientId,
        client_secret: 'not-the-token-123',
      }),
    );
    expect(status.message).toMatch(/OAuth client credentials were rejected/);
  });

  test('include spaces and projects the account cannot see are named', async () => {
    const spaces = await check({ confluence: { spaces: { include: ['NOPE1', 'NOPE2'] } } });
    expect(spaces.message).toMatch(
      /cannot see these Confluence spaces listed in confluence.spaces.include: NOPE1, NOPE2/,
    );
    const projects = await check({ jira: { projects: { include: ['NOPROJ'] } } });
    expect(projects.message).toMatch(
      /cannot see these Jira projects listed in jira.projects.include: NOPROJ/,
    );
  });

  test('an org admin key the Admin API rejects', async () => {
    const status = await check({ organization_admin_api_key: 'not-the-token-123' });
    expect(status.message).toMatch(/Admin API rejected organization_admin_api_key .*HTTP 401/);
  });

  test('an org id the key does not manage', async () => {
    const status = await check({ organization_id: 'no-such-org' });
    expect(status.message).toMatch(
      /^The Admin API does not know organization no-such-org for this API key \(HTTP 404\)/,
    );
  });

  test('only one of the org fields is a config error naming the missing one', async () => {
    const status = await check({ organization_admin_api_key: null });
    expect(status.message).toMatch(/config.organization_admin_api_key is required/);
  });
});

describe('the connector as a child process (built by npm test)', () => {
  const cases: Array<[string, () => Record<string, unknown>]> = [
    [
      'a rejected service-account token',
      () => serviceAccount('not-the-token-123', sim.credentials.serviceAccountEmail),
    ],
    [
      'a rejected OAuth secret',
      () =>
        credentials({
          auth_type: 'service_account_oauth',
          client_id: 'c',
          client_secret: 'not-the-token-123',
        }),
    ],
    ['a personal token as service-account token', () => serviceAccount('ATATT-wrong-secret')],
    ['a rejected org admin key', () => ({ organization_admin_api_key: 'not-the-token-123' })],
    [
      'an invalid config',
      () => ({
        max_concurrency: 1000,
        credentials: { auth_type: 'api_token', api_token: 'not-the-token-123' },
      }),
    ],
  ];

  test.each(cases)(
    'check with %s prints one FAILED status and no credential on stdout or stderr',
    async (_name, overrides) => {
      const run = await spawnConnector(['check'], { config: sim.connectorConfig(overrides()) });
      expect(run.exitCode).toBe(0);
      const statuses = run.messages.filter((m) => m.type === 'CONNECTION_STATUS');
      expect(statuses.map((m) => m.connectionStatus!.status)).toEqual(['FAILED']);
      for (const secret of secrets()) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
    },
  );

  test('spec and discover print no credential either', async () => {
    for (const command of ['spec', 'discover']) {
      const run = await spawnConnector(
        command === 'spec' ? ['spec'] : ['discover'],
        command === 'spec' ? {} : { config: sim.connectorConfig() },
      );
      expect(run.exitCode).toBe(0);
      for (const secret of secrets()) expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });
});

describe('check names the permissions the ACL cannot read', () => {
  test('without Jira admin rights the permission schemes and security levels are reported, fail closed', async () => {
    const accountId = sim.model.directory.serviceAccount.accountId;
    sim.control.jira.setJiraAdmin({ accountId, admin: false });
    try {
      const status = await check();
      expect(status.status).toBe('FAILED');
      expect(status.message).toMatch(/cannot read some permissions/);
      expect(status.message).toMatch(/project/i);
      expect(status.message).toMatch(/fails closed/);
    } finally {
      sim.control.jira.setJiraAdmin({ accountId, admin: true });
    }
  });
});

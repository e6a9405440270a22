// Auth rules of ENDPOINTS.md §0.2, the OAuth client-credentials exchange, rate-limit headers and faults.
import { startSimulator, type Simulator } from '../../sim';
import { call, type AuthForm } from './sim-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scale: 'tiny', seed: 5 });
});
afterAll(() => sim.close());
afterEach(() =>
  sim.setKnobs({
    rateLimitPerSecond: 0,
    errorRate: 0,
    resetRate: 0,
    malformedRate: 0,
    oauthTokenLifetimeSeconds: 3600,
  }),
);

const PAGES = '/wiki/api/v2/pages?limit=1';
const basic = (u: string, p: string): AuthForm => ({
  header: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`,
});

describe('auth', () => {
  test.each<[string, 'gateway' | 'site', () => AuthForm, number]>([
    ['scoped token as Basic on the gateway: 200', 'gateway', () => 'sa-basic', 200],
    ['scoped token as Bearer on the gateway', 'gateway', () => 'sa-bearer', 200],
    ['scoped token on the site', 'site', () => 'sa-basic', 401],
    ['scoped token as Bearer on the site', 'site', () => 'sa-bearer', 401],
    ['unscoped token on the site: 200', 'site', () => 'user-basic', 200],
    ['unscoped token on the gateway', 'gateway', () => 'user-basic', 401],
    [
      'scoped token with the wrong email',
      'gateway',
      () => basic('someone@serviceaccount.atlassian.com', sim.credentials.serviceAccountToken),
      401,
    ],
    ['no credentials on the gateway', 'gateway', () => 'none', 401],
    ['no credentials on the site', 'site', () => 'none', 401],
    ['org admin key on the gateway', 'gateway', () => 'org-key', 401],
  ])('%s', async (_name, via, auth, status) => {
    const r = await call(sim, PAGES, { via, auth: auth() });
    expect(r.status).toBe(status);
    if (status === 401 && via === 'site')
      expect(r.body).toEqual({ errors: [expect.objectContaining({ status: 401, code: 'UNAUTHORIZED' })] });
    if (status === 401 && via === 'gateway')
      expect(r.body).toEqual({ code: 401, message: expect.any(String) });
  });

  test('the org admin key works only on /admin, product tokens do not', async () => {
    expect((await call(sim, '/admin/v1/orgs', { via: 'raw', auth: 'org-key' })).status).toBe(200);
    expect((await call(sim, '/admin/v1/orgs', { via: 'raw', auth: 'sa-bearer' })).status).toBe(401);
    expect((await call(sim, '/admin/v1/orgs', { via: 'raw', auth: 'user-basic' })).status).toBe(401);
  });

  test('the v1 site 401 uses the v1 error body', async () => {
    const r = await call(sim, '/wiki/rest/api/group', { via: 'site', auth: 'sa-basic' });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ statusCode: 401 });
  });

  test('gateway with a wrong cloud id answers 404', async () => {
    const r = await fetch(`${sim.url}/ex/confluence/00000000-0000-0000-0000-000000000000/wiki/api/v2/pages`, {
      headers: { authorization: `Bearer ${sim.credentials.serviceAccountToken}` },
    });
    expect(r.status).toBe(404);
  });

  test('tenant_info needs no credentials', async () => {
    const r = await fetch(`${sim.url}/_edge/tenant_info`);
    expect(await r.json()).toEqual({ cloudId: sim.cloudId });
  });

  test('OAuth client credentials: token exchange, Bearer on the gateway, expiry', async () => {
    const exchange = async (body: Record<string, string>): Promise<Response> =>
      fetch(`${sim.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const denied = await exchange({
      grant_type: 'client_credentials',
      client_id: sim.credentials.oauthClientId,
      client_secret: 'wrong',
    });
    expect(denied.status).toBe(401);
    const wrongGrant = await exchange({
      grant_type: 'password',
      client_id: sim.credentials.oauthClientId,
      client_secret: sim.credentials.oauthClientSecret,
    });
    expect(wrongGrant.status).toBe(400);
    const ok = await exchange({
      grant_type: 'client_credentials',
      client_id: sim.credentials.oauthClientId,
      client_secret: sim.credentials.oauthClientSecret,
    });
    const token = (await ok.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect((await call(sim, PAGES, { auth: { header: `Bearer ${token.access_token}` } })).status).toBe(200);
    expect(
      (await call(sim, PAGES, { via: 'site', auth: { header: `Bearer ${token.access_token}` } })).status,
    ).toBe(401);

    sim.setKnobs({ oauthTokenLifetimeSeconds: 0 });
    const form = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sim.credentials.oauthClientId,
        client_secret: sim.credentials.oauthClientSecret,
      }),
    });
    const expired = (await form.json()) as { access_token: string };
    await new Promise((r) => setTimeout(r, 5));
    expect((await call(sim, PAGES, { auth: { header: `Bearer ${expired.access_token}` } })).status).toBe(401);
  });
});

describe('knobs', () => {
  test('rate limit: 429 with Retry-After seconds and X-RateLimit-* headers', async () => {
    sim.setKnobs({ rateLimitPerSecond: 2, retryAfterForm: 'seconds' });
    const statuses: Response[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        await fetch(`${sim.url}/ex/confluence/${sim.cloudId}${PAGES}`, {
          headers: { authorization: `Bearer ${sim.credentials.serviceAccountToken}` },
        }),
      );
    }
    const limited = statuses.find((r) => r.status === 429)!;
    expect(limited).toBeDefined();
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number.isNaN(Date.parse(limited.headers.get('x-ratelimit-reset')!))).toBe(false);
    expect(limited.headers.get('ratelimit-reason')).toBeTruthy();
    expect(sim.requests().some((r) => r.status === 429)).toBe(true);
  });

  test('rate limit: Retry-After as an HTTP date', async () => {
    sim.setKnobs({ rateLimitPerSecond: 1, retryAfterForm: 'http-date' });
    let limited: Response | undefined;
    for (let i = 0; i < 4 && !limited; i++) {
      const r = await fetch(`${sim.url}/ex/confluence/${sim.cloudId}${PAGES}`, {
        headers: { authorization: `Bearer ${sim.credentials.serviceAccountToken}` },
      });
      if (r.status === 429) limited = r;
    }
    expect(limited).toBeDefined();
    expect(limited!.headers.get('retry-after')).toMatch(/GMT$/);
  });

  test('5xx, connection resets and malformed bodies follow their rates', async () => {
    sim.setKnobs({ errorRate: 1 });
    expect((await call(sim, PAGES)).status).toBeGreaterThanOrEqual(500);
    sim.setKnobs({ errorRate: 0, resetRate: 1 });
    await expect(call(sim, PAGES)).rejects.toThrow();
    sim.setKnobs({ resetRate: 0, malformedRate: 1 });
    const r = await call(sim, PAGES);
    expect(r.status).toBe(200);
    expect(r.body).toBeUndefined(); // not parseable JSON
  });

  test('faults replay with the same seed', async () => {
    const run = async (): Promise<number[]> => {
      const s = await startSimulator({ scale: 'tiny', seed: 11, knobs: { errorRate: 0.4 } });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await call(s, PAGES)).status);
      await s.close();
      return out;
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    expect(new Set(a).size).toBeGreaterThan(1);
  });
});

test('large JSON bodies are gzipped for clients that accept it', async () => {
  const r = await fetch(
    `${sim.url}/ex/confluence/${sim.cloudId}/wiki/api/v2/pages?limit=20&body-format=storage`,
    {
      headers: { authorization: `Bearer ${sim.credentials.serviceAccountToken}`, 'accept-encoding': 'gzip' },
    },
  );
  expect(r.headers.get('content-encoding')).toBe('gzip');
  expect(((await r.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
});

// check outcomes that need a misbehaving server (nock): DNS failure, unknown site, a non-Cloud host,
// a product missing from the site, a missing scope, an upstream outage.
import nock from '../helpers/nock';
import { checkConnection } from '../../src/atlassian/check';
import { fastRetry, quietRuntime, serviceAccountConfig, TOKEN } from './harness';

const SITE = 'http://127.0.0.1:4901';
const GATEWAY = 'http://127.0.0.1:4902';
const CLOUD = '11111111-2222-3333-4444-555555555555';
const config = (overrides: Record<string, unknown> = {}) =>
  serviceAccountConfig({ site_url_override: SITE, gateway_url_override: GATEWAY, ...overrides });

// tenant_info is anonymous: no credential goes to it.
const tenantInfo = () =>
  nock(SITE, { badheaders: ['authorization'] })
    .get('/_edge/tenant_info')
    .reply(200, { cloudId: CLOUD });
const confluence = () => nock(GATEWAY).get(`/ex/confluence/${CLOUD}/wiki/api/v2/spaces`).query(true);
const jira = () => nock(GATEWAY).get(`/ex/jira/${CLOUD}/rest/api/3/project/search`).query(true);

async function run(cfg = config()) {
  const result = await checkConnection(cfg, quietRuntime, fastRetry);
  expect(JSON.stringify(result)).not.toContain(TOKEN);
  return result;
}

test('a site whose name does not resolve is reported as not found (DNS)', async () => {
  nock('https://nosuch-site.atlassian.net')
    .get('/_edge/tenant_info')
    .replyWithError(
      Object.assign(new Error('getaddrinfo ENOTFOUND nosuch-site.atlassian.net'), { code: 'ENOTFOUND' }),
    );
  const result = await run(config({ domain: 'nosuch-site.atlassian.net', site_url_override: undefined }));
  expect(result).toEqual({
    status: 'FAILED',
    message: expect.stringMatching(
      /^The site nosuch-site.atlassian.net was not found \(DNS lookup failed: ENOTFOUND\)/,
    ),
  });
});

test('a proxy whose name does not resolve is not reported as a misspelt site', async () => {
  const saved = process.env.HTTPS_PROXY;
  process.env.HTTPS_PROXY = 'http://proxy.corp.example:3128';
  try {
    nock('https://acme.atlassian.net')
      .get('/_edge/tenant_info')
      .replyWithError(
        Object.assign(new Error('getaddrinfo ENOTFOUND proxy.corp.example'), {
          code: 'ENOTFOUND',
          hostname: 'proxy.corp.example',
        }),
      );
    const result = await run(config({ site_url_override: undefined }));
    expect(result.message).toBe(
      'Could not reach acme.atlassian.net: GET /_edge/tenant_info failed: ENOTFOUND at the proxy ' +
        'proxy.corp.example:3128 (HTTPS_PROXY). Try again later.',
    );
  } finally {
    if (saved === undefined) delete process.env.HTTPS_PROXY;
    else process.env.HTTPS_PROXY = saved;
  }
});

test('a DNS server that does not answer (EAI_AGAIN) is the network, not a misspelt domain', async () => {
  nock(SITE)
    .get('/_edge/tenant_info')
    .times(10)
    .replyWithError(
      Object.assign(new Error('getaddrinfo EAI_AGAIN acme.atlassian.net'), { code: 'EAI_AGAIN' }),
    );
  const result = await run();
  expect(result.status).toBe('FAILED');
  expect(result.message).toMatch(/^Could not reach .*EAI_AGAIN.*Try again later\.$/);
  expect(result.message).not.toMatch(/spelling/);
});

test('a site Atlassian does not know (tenant_info 404) is reported as not found', async () => {
  nock(SITE).get('/_edge/tenant_info').reply(404, 'Not Found');
  expect((await run()).message).toMatch(
    /^The site acme.atlassian.net was not found \(\/_edge\/tenant_info returned 404\)/,
  );
});

test('a host answering with an HTML page instead of a cloudId is not an Atlassian Cloud site', async () => {
  nock(SITE).get('/_edge/tenant_info').times(3).reply(200, '<html><body>Log in to Jira</body></html>');
  expect((await run()).message).toMatch(
    /did not answer like an Atlassian Cloud site.*Data Center is not supported/,
  );
});

test('a product that is not on the site (404) is named, with how to disable it', async () => {
  tenantInfo();
  confluence().reply(404, { errors: [{ status: 404, title: 'Not Found' }] });
  jira().reply(200, { values: [], total: 3, isLast: true });
  expect((await run()).message).toMatch(
    /^Confluence is not available on acme.atlassian.net .*confluence.enabled to false/,
  );
});

test('a 401 on one product while the other works names the missing scope from the OpenAPI spec', async () => {
  tenantInfo();
  confluence().reply(200, { results: [{ id: '1', key: 'ENG' }], _links: {} });
  jira().reply(401, { code: 401, message: 'Unauthorized; scope does not match' });
  const { message } = await run();
  expect(message).toMatch(/cannot call GET \/rest\/api\/3\/project\/search \(HTTP 401\)/);
  expect(message).toMatch(/read:jira-work/);
  expect(message).toMatch(/read:project:jira/);
});

test('a 403 scope mismatch on Confluence names read:space:confluence', async () => {
  tenantInfo();
  confluence().reply(403, { message: 'scope does not match' });
  jira().reply(200, { values: [], total: 0, isLast: true });
  expect((await run()).message).toMatch(
    /cannot call GET \/wiki\/api\/v2\/spaces \(HTTP 403\).*read:space:confluence/,
  );
});

test('an upstream outage is a failure to retry later, after the retries ran out', async () => {
  tenantInfo();
  const outage = confluence().times(3).reply(503, 'Service Unavailable');
  jira().reply(200, { values: [], total: 0, isLast: true });
  expect((await run()).message).toMatch(
    /^Confluence: GET \/wiki\/api\/v2\/spaces failed with HTTP 503 after 3 attempts.*Try again later/,
  );
  expect(outage.isDone()).toBe(true);
});

test('success counts spaces across pages and projects from the PageBean total', async () => {
  tenantInfo();
  confluence().reply(200, {
    results: [
      { id: '1', key: 'A' },
      { id: '2', key: 'B' },
    ],
    _links: { next: '/wiki/api/v2/spaces?limit=250&cursor=abc', base: 'https://acme.atlassian.net/wiki' },
  });
  nock(GATEWAY)
    .get(`/ex/confluence/${CLOUD}/wiki/api/v2/spaces`)
    .query({ limit: '250', cursor: 'abc' })
    .reply(200, { results: [{ id: '3', key: 'C' }], _links: {} });
  jira().reply(200, { values: [{ key: 'P' }], total: 5, isLast: false });
  expect(await run()).toEqual({ status: 'SUCCEEDED', message: 'Confluence: 3 spaces, Jira: 5 projects' });
});

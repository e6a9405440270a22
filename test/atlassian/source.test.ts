// AtlassianSource wiring: streams() makes no request, the site connects once on first use, metrics count requests.
import nock from '../helpers/nock';
import type { Stream } from '../../src/cdk/stream';
import { AtlassianSource } from '../../src/source';
import { CLOUD, GATEWAY, SITE, TOKEN } from './harness';

const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const runtime = { logger, onRateLimited: () => {} };

function configured(source: AtlassianSource) {
  return source.validateConfig({
    domain: 'acme.atlassian.net',
    credentials: { auth_type: 'service_account', service_account_token: TOKEN },
    site_url_override: SITE,
    gateway_url_override: GATEWAY,
  });
}

test('streams() lists streams without any network I/O', () => {
  const source = new AtlassianSource();
  // disableNetConnect with no interceptor: any request would throw.
  const streams: Stream[] = source.streams(configured(source), runtime);
  expect(Array.isArray(streams)).toBe(true);
  expect(source.metrics().requests).toBe(0);
});

test('check counts its requests in metrics()', async () => {
  let served = 0;
  const count = () => served++;
  nock(SITE).get('/_edge/tenant_info').reply(200, { cloudId: CLOUD }).on('request', count);
  // Connection probes, then the permission probes (an empty site: nothing more to read).
  nock(`${GATEWAY}/ex/confluence/${CLOUD}`)
    .get('/wiki/api/v2/spaces')
    .query(true)
    .times(2)
    .reply(200, { results: [] })
    .on('request', count);
  nock(`${GATEWAY}/ex/jira/${CLOUD}`)
    .get('/rest/api/3/project/search')
    .query(true)
    .times(2)
    .reply(200, { values: [], total: 0, isLast: true })
    .get('/rest/api/3/users/search')
    .query(true)
    .reply(200, [])
    .on('request', count);
  const source = new AtlassianSource();
  const result = await source.check(configured(source), runtime);
  expect(result).toEqual({ status: 'SUCCEEDED', message: 'Confluence: 0 spaces, Jira: 0 projects' });
  expect(served).toBeGreaterThanOrEqual(3);
  expect(source.metrics()).toMatchObject({ requests: served, retries: 0, rate_limited: 0 });
});

test('spec() is the connector specification with the credentials oneOf', () => {
  const spec = new AtlassianSource().spec();
  const credentials = (spec.connectionSpecification as { properties: { credentials: { oneOf: unknown[] } } })
    .properties.credentials;
  expect(credentials.oneOf).toHaveLength(3);
});

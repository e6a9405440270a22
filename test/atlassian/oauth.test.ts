// Service-account OAuth 2.0: the client-credentials exchange, Bearer through the gateway, renewal 5 minutes
// before expiry and once after a 401, and what a rejected secret looks like.
import { inspect } from 'node:util';
import nock from '../helpers/nock';
import { AUTH, JIRA, harness, thrown } from './harness';

const SECRET = 'oauth-client-secret-do-not-leak-42';
const oauth = {
  credentials: { auth_type: 'service_account_oauth', client_id: 'client-1', client_secret: SECRET },
};
const exchange = {
  grant_type: 'client_credentials',
  client_id: 'client-1',
  client_secret: SECRET,
  audience: 'api.atlassian.com',
};

const token = (value: string, expiresIn = 3600) =>
  [200, { access_token: value, token_type: 'Bearer', expires_in: expiresIn }] as const;

test('the client credentials are exchanged once (JSON body) and the token is sent as Bearer via the gateway', async () => {
  const auth = nock(AUTH)
    .post('/oauth/token', exchange)
    .reply(...token('tok-1'));
  const api = nock(JIRA, { reqheaders: { authorization: 'Bearer tok-1' } })
    .get('/rest/api/3/myself')
    .twice()
    .reply(200, {});
  const { site } = harness(oauth);
  await site.jira.get('/rest/api/3/myself');
  await site.jira.get('/rest/api/3/myself');
  expect(auth.isDone()).toBe(true);
  expect(api.isDone()).toBe(true);
});

test('the token is renewed 5 minutes before it expires, not after', async () => {
  nock(AUTH)
    .post('/oauth/token')
    .reply(...token('tok-1'))
    .post('/oauth/token')
    .reply(...token('tok-2'));
  const first = nock(JIRA, { reqheaders: { authorization: 'Bearer tok-1' } })
    .get('/rest/api/3/myself')
    .twice()
    .reply(200, {});
  const second = nock(JIRA, { reqheaders: { authorization: 'Bearer tok-2' } })
    .get('/rest/api/3/myself')
    .reply(200, {});
  const h = harness(oauth);
  await h.site.jira.get('/rest/api/3/myself');
  h.clock.time += 54 * 60_000; // 54 minutes in: still the first token
  await h.site.jira.get('/rest/api/3/myself');
  h.clock.time += 2 * 60_000; // 56 minutes in: within 5 minutes of expiry
  await h.site.jira.get('/rest/api/3/myself');
  expect(first.isDone()).toBe(true);
  expect(second.isDone()).toBe(true);
});

test('a 401 renews the token once and replays the request', async () => {
  nock(AUTH)
    .post('/oauth/token')
    .reply(...token('tok-1'))
    .post('/oauth/token')
    .reply(...token('tok-2'));
  nock(JIRA, { reqheaders: { authorization: 'Bearer tok-1' } })
    .get('/rest/api/3/myself')
    .reply(401, {});
  nock(JIRA, { reqheaders: { authorization: 'Bearer tok-2' } })
    .get('/rest/api/3/myself')
    .reply(200, { ok: true });
  await expect(harness(oauth).site.jira.get('/rest/api/3/myself')).resolves.toEqual({ ok: true });
});

test('a second 401 after renewal is a fatal auth error', async () => {
  nock(AUTH)
    .post('/oauth/token')
    .twice()
    .reply(...token('tok'));
  nock(JIRA).get('/rest/api/3/myself').twice().reply(401, {});
  const error = await thrown(() => harness(oauth).site.jira.get('/rest/api/3/myself'));
  expect(error).toMatchObject({ code: 'config_error', fatal: true });
  expect(error.message).toMatch(/OAuth 2.0 access token/);
});

test('a rejected client secret is a fatal config error that never shows the secret', async () => {
  nock(AUTH).post('/oauth/token').reply(401, { error: 'access_denied', error_description: 'Unauthorized' });
  const error = await thrown(() => harness(oauth).site.jira.get('/rest/api/3/myself'));
  expect(error).toMatchObject({ code: 'config_error', fatal: true });
  expect(error.message).toMatch(/OAuth client credentials were rejected .*HTTP 401 \(access_denied\)/);
  for (const form of [
    error.message,
    JSON.stringify(error),
    inspect(error, { depth: 5 }),
    error.stack ?? '',
  ]) {
    expect(form).not.toContain(SECRET);
  }
});

test('a token endpoint outage is retried', async () => {
  nock(AUTH)
    .post('/oauth/token')
    .reply(503)
    .post('/oauth/token')
    .reply(...token('tok-1'));
  nock(JIRA).get('/rest/api/3/myself').reply(200, {});
  await expect(harness(oauth).site.jira.get('/rest/api/3/myself')).resolves.toEqual({});
});

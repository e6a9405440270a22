// The OAuth token exchange is shared by every request that needs a token at that moment: cancelling one of
// them (an aborted partition, a download timeout) must not fail the others.
import nock from '../helpers/nock';
import { AUTH, JIRA, harness, thrown } from './harness';

const oauth = {
  credentials: { auth_type: 'service_account_oauth', client_id: 'client-1', client_secret: 'secret-1' },
};

test('a request cancelled while the token is being fetched does not fail the others waiting for it', async () => {
  const auth = nock(AUTH)
    .post('/oauth/token')
    .delay(200)
    .reply(200, { access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 });
  const api = nock(JIRA, { reqheaders: { authorization: 'Bearer tok-1' } })
    .get('/rest/api/3/myself')
    .twice()
    .reply(200, { ok: true });
  const { site } = harness(oauth);
  const controller = new AbortController();
  // The cancelled request is the one that starts the exchange.
  const cancelled = thrown(() => site.jira.get('/rest/api/3/myself', { signal: controller.signal }));
  const waiting = site.jira.get('/rest/api/3/myself').catch((e: Error) => e);
  setTimeout(() => controller.abort(), 20);

  const error = await cancelled;
  expect(error.code).toBe('transient_error');
  expect(error.message).toBe('Waiting for the OAuth token was cancelled');
  expect(await waiting).toEqual({ ok: true });
  // The token fetched for both serves the next request without another exchange.
  await expect(site.jira.get('/rest/api/3/myself')).resolves.toEqual({ ok: true });
  expect(auth.isDone()).toBe(true);
  expect(api.isDone()).toBe(true);
});

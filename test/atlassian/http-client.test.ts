// The HTTP layer at the wire (nock): credentials per auth form, retries, 429 handling, error mapping,
// request policy and downloads. Waits are read from a recording clock, never measured.
import { inspect } from 'node:util';
import { Readable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import nock from '../helpers/nock';
import { AuthError, UpstreamError } from '../../src/atlassian/errors';
import { CONFLUENCE, EMAIL, GATEWAY, JIRA, SITE, TOKEN, harness, thrown } from './harness';

const basic = (user: string, secret: string) =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

/** Serialized every way an error could reach a log or a trace. */
function expectNoSecret(error: unknown, ...secrets: string[]) {
  const forms = [
    JSON.stringify(error),
    inspect(error, { depth: 5 }),
    String(error),
    (error as Error).stack ?? '',
  ];
  for (const secret of secrets) for (const form of forms) expect(form).not.toContain(secret);
}

describe('credentials on the wire', () => {
  test('a service-account token with its email goes to the gateway as Basic email:token, with our User-Agent', async () => {
    const scope = nock(JIRA, {
      reqheaders: {
        authorization: basic(EMAIL, TOKEN),
        'user-agent': /^source-atlassian\/\d+\.\d+\.\d+ \(\+Airbyte\)$/,
      },
    })
      .get('/rest/api/3/myself')
      .reply(200, { accountId: 'a1' });
    await expect(harness().site.jira.get('/rest/api/3/myself')).resolves.toEqual({ accountId: 'a1' });
    expect(scope.isDone()).toBe(true);
  });

  test('without the email the same token is sent as Bearer', async () => {
    const scope = nock(CONFLUENCE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/wiki/api/v2/spaces')
      .query({ limit: '1' })
      .reply(200, { results: [] });
    const { site } = harness({ credentials: { auth_type: 'service_account', service_account_token: TOKEN } });
    await site.confluence.get('/wiki/api/v2/spaces', { params: { limit: 1 } });
    expect(scope.isDone()).toBe(true);
  });

  test('a classic API token goes to the site itself as Basic email:token', async () => {
    const scope = nock(SITE, {
      reqheaders: { authorization: basic('me@acme.example', 'classic-token-1234567890') },
    })
      .get('/rest/api/3/myself')
      .reply(200, {})
      .get('/wiki/api/v2/spaces')
      .reply(200, { results: [] });
    const { site } = harness({
      credentials: {
        auth_type: 'api_token',
        email: 'me@acme.example',
        api_token: 'classic-token-1234567890',
      },
    });
    expect(site.jira.baseUrl).toBe(SITE);
    await site.jira.get('/rest/api/3/myself');
    await site.confluence.get('/wiki/api/v2/spaces');
    expect(scope.isDone()).toBe(true);
  });

  test('the org Admin API gets the org key as Bearer under {gateway}/admin, with or without the /admin prefix', async () => {
    const scope = nock(`${GATEWAY}/admin`, {
      reqheaders: { authorization: 'Bearer org-key-0123456789abcdef' },
    })
      .get('/v1/orgs')
      .twice()
      .reply(200, { data: [] });
    const { site } = harness({
      organization_id: 'org-1',
      organization_admin_api_key: 'org-key-0123456789abcdef',
    });
    await site.admin!.client.get('/v1/orgs');
    await site.admin!.client.get('/admin/v1/orgs');
    expect(scope.isDone()).toBe(true);
  });

  test('query arrays are repeated keys and absent values are dropped', async () => {
    const scope = nock(JIRA)
      .get('/rest/api/3/project/search?keys=A&keys=B&maxResults=50')
      .reply(200, { values: [] });
    await harness().site.jira.get('/rest/api/3/project/search', {
      params: { keys: ['A', 'B'], maxResults: 50, query: undefined },
    });
    expect(scope.isDone()).toBe(true);
  });
});

describe('retries', () => {
  test('5xx answers are retried with growing backoff, then succeed', async () => {
    nock(JIRA)
      .get('/rest/api/3/myself')
      .reply(500)
      .get('/rest/api/3/myself')
      .reply(502)
      .get('/rest/api/3/myself')
      .reply(200, { ok: true });
    const h = harness({}, { retry: { baseDelayMs: 100, maxDelayMs: 10_000 } });
    await expect(h.site.jira.get('/rest/api/3/myself')).resolves.toEqual({ ok: true });
    expect(h.metrics.retries).toBe(2);
    expect(h.clock.sleeps).toHaveLength(2);
    // Full jitter: each wait is within [0, base * 2^attempt].
    expect(h.clock.sleeps[0]).toBeLessThanOrEqual(100);
    expect(h.clock.sleeps[1]).toBeLessThanOrEqual(200);
  });

  test('connection resets and socket hang-ups are retried', async () => {
    nock(JIRA)
      .get('/rest/api/3/myself')
      .replyWithError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))
      .get('/rest/api/3/myself')
      .replyWithError('socket hang up')
      .get('/rest/api/3/myself')
      .reply(200, { ok: 1 });
    await expect(harness().site.jira.get('/rest/api/3/myself')).resolves.toEqual({ ok: 1 });
  });

  test.each([
    ['a response that starts too late', (scope: nock.Interceptor) => scope.delay(500)],
    ['a body that stalls', (scope: nock.Interceptor) => scope.delayBody(500)],
  ])('%s (past the per-request timeout) is retried', async (_, slow) => {
    slow(nock(JIRA).get('/rest/api/3/myself'))
      .reply(200, { late: true })
      .get('/rest/api/3/myself')
      .reply(200, { ok: true });
    const h = harness({}, { timeoutMs: 50 });
    await expect(h.site.jira.get('/rest/api/3/myself')).resolves.toEqual({ ok: true });
    expect(h.metrics.retries).toBe(1);
  });

  test('a truncated JSON body on a 200 is retried; a persistently malformed one names the path', async () => {
    nock(JIRA)
      .get('/rest/api/3/myself')
      .reply(200, '{"accountId": "a')
      .get('/rest/api/3/myself')
      .reply(200, { accountId: 'a' });
    await expect(harness().site.jira.get('/rest/api/3/myself')).resolves.toEqual({ accountId: 'a' });

    nock(JIRA).get('/rest/api/3/myself').query(true).times(4).reply(200, '<html><h1>Oops</h1></html>');
    const error = await thrown(() => harness().site.jira.get('/rest/api/3/myself?secret=x'));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toMatch(/^GET \/rest\/api\/3\/myself returned a malformed JSON body: Oops/);
    expect(error.message).not.toContain('secret=x');
  });

  test('compressed bodies (gzip, deflate, br) are decoded; a cut gzip body is retried as malformed', async () => {
    const body = { values: Array.from({ length: 5000 }, (_, i) => ({ id: String(i), name: `é ${i}` })) };
    const json = Buffer.from(JSON.stringify(body));
    nock(JIRA)
      .get('/rest/api/3/a')
      .reply(200, gzipSync(json), { 'content-encoding': 'gzip' })
      .get('/rest/api/3/b')
      .reply(200, deflateSync(json), { 'content-encoding': 'deflate' })
      .get('/rest/api/3/c')
      .reply(200, brotliCompressSync(json), { 'content-encoding': 'br' })
      .get('/rest/api/3/d')
      .reply(200, gzipSync(json).subarray(0, 500), { 'content-encoding': 'gzip' })
      .get('/rest/api/3/d')
      .reply(200, gzipSync(json), { 'content-encoding': 'gzip' });
    const h = harness();
    for (const path of ['a', 'b', 'c', 'd'])
      await expect(h.site.jira.get(`/rest/api/3/${path}`)).resolves.toEqual(body);
    expect(h.metrics.malformed_bodies).toBe(1);
    expect(h.metrics.bytes).toBe(4 * json.length); // decoded bytes of the bodies that decoded
  });

  test('a compressed error body is quoted decoded', async () => {
    nock(JIRA)
      .get('/rest/api/3/myself')
      .reply(400, gzipSync(JSON.stringify({ errorMessages: ['The JQL is not valid.'] })), {
        'content-encoding': 'gzip',
      });
    const error = await thrown(() => harness().site.jira.get('/rest/api/3/myself'));
    expect(error.message).toBe('GET /rest/api/3/myself returned HTTP 400: The JQL is not valid.');
  });

  test('5xx beyond the retry budget is a transient error with method, path and status', async () => {
    nock(JIRA).get('/rest/api/3/myself').times(3).reply(503, 'down for maintenance');
    const error = await thrown(() =>
      harness({}, { retry: { maxRetries: 2 } }).site.jira.get('/rest/api/3/myself'),
    );
    expect(error.code).toBe('transient_error');
    expect(error.message).toBe(
      'GET /rest/api/3/myself failed with HTTP 503 after 3 attempts: down for maintenance',
    );
    expectNoSecret(error, TOKEN, Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64'));
  });
});

describe('rate limits', () => {
  test('429 with Retry-After in seconds waits at least that long and reports the wait', async () => {
    nock(JIRA)
      .get('/rest/api/3/myself')
      .reply(429, '', { 'Retry-After': '7' })
      .get('/rest/api/3/myself')
      .reply(200, {});
    const h = harness();
    const start = h.clock.now();
    await h.site.jira.get('/rest/api/3/myself');
    expect(h.clock.sleeps[0]).toBeGreaterThanOrEqual(7000);
    expect(h.metrics.rate_limited).toBe(1);
    expect(h.rateLimited).toEqual([{ resetAt: start + 7000 }]);
  });

  test('429 with Retry-After as an HTTP date waits until then', async () => {
    const h = harness();
    const until = new Date(h.clock.now() + 42_000).toUTCString();
    nock(JIRA)
      .get('/rest/api/3/myself')
      .reply(429, '', { 'Retry-After': until })
      .get('/rest/api/3/myself')
      .reply(200, {});
    await h.site.jira.get('/rest/api/3/myself');
    expect(h.clock.sleeps[0]).toBeGreaterThanOrEqual(42_000);
    expect(h.clock.sleeps[0]).toBeLessThan(44_000);
  });

  test('429 with only X-RateLimit-Reset waits until the reset and passes it to onRateLimited', async () => {
    const h = harness();
    const reset = '2026-03-02T10:02Z'; // the clock starts at 10:00:00
    nock(JIRA)
      .get('/rest/api/3/myself')
      .reply(429, '', { 'X-RateLimit-Reset': reset })
      .get('/rest/api/3/myself')
      .reply(200, {});
    await h.site.jira.get('/rest/api/3/myself');
    expect(h.clock.sleeps[0]).toBeGreaterThanOrEqual(120_000);
    expect(h.rateLimited).toEqual([{ resetAt: Date.parse(reset) }]);
  });

  test('a 429 pauses the shared limiter of the product for the Retry-After time', async () => {
    nock(JIRA)
      .get('/rest/api/3/a')
      .reply(429, '', { 'Retry-After': '5' })
      .get('/rest/api/3/a')
      .reply(200, {});
    const h = harness();
    await h.site.jira.get('/rest/api/3/a');
    expect(Math.max(...h.pacing.sleeps)).toBeGreaterThanOrEqual(5000);
  });

  test('503 with Retry-After is handled as a rate limit, not a failure', async () => {
    nock(JIRA)
      .get('/rest/api/3/myself')
      .reply(503, '', { 'Retry-After': '2' })
      .get('/rest/api/3/myself')
      .reply(200, {});
    const h = harness({}, { retry: { maxRetries: 0 } });
    await h.site.jira.get('/rest/api/3/myself');
    expect(h.metrics.rate_limited).toBe(1);
    expect(h.clock.sleeps[0]).toBeGreaterThanOrEqual(2000);
  });
});

describe('errors', () => {
  test('401 is a fatal config error saying which auth form was sent; no credential in any serialization', async () => {
    nock(JIRA).get('/rest/api/3/myself').reply(401, { message: 'Client must be authenticated' });
    const error = await thrown(() => harness().site.jira.get('/rest/api/3/myself'));
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({
      code: 'config_error',
      fatal: true,
      status: 401,
      path: '/rest/api/3/myself',
    });
    expect(error.message).toMatch(
      /HTTP 401\) on GET \/rest\/api\/3\/myself; the connector sent the service-account token as Basic email:token/,
    );
    expectNoSecret(error, TOKEN, Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64'));
  });

  test('403 and 404 on a resource are UpstreamErrors with the status, for the caller to skip', async () => {
    nock(CONFLUENCE)
      .get('/wiki/api/v2/pages/7')
      .reply(404, { message: 'No content found' })
      .get('/wiki/api/v2/pages/8')
      .reply(403, {});
    const h = harness();
    const missing = await thrown(() => h.site.confluence.get('/wiki/api/v2/pages/7'));
    expect(missing).toMatchObject({
      status: 404,
      path: '/wiki/api/v2/pages/7',
      message: 'GET /wiki/api/v2/pages/7 returned HTTP 404: No content found',
    });
    expect(await thrown(() => h.site.confluence.get('/wiki/api/v2/pages/8'))).toMatchObject({ status: 403 });
  });

  test('a network failure after retries is wrapped: no library error object, no headers', async () => {
    nock(JIRA)
      .get('/rest/api/3/myself')
      .times(3)
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const error = await thrown(() =>
      harness({}, { retry: { maxRetries: 2 } }).site.jira.get('/rest/api/3/myself'),
    );
    expect(error.message).toBe('GET /rest/api/3/myself failed: ECONNREFUSED after 3 attempts');
    expect(error.isAxiosError).toBeUndefined();
    expectNoSecret(error, TOKEN, Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64'));
  });
});

describe('request policy', () => {
  test('POST is refused except on read-only search endpoints', async () => {
    const { site } = harness();
    const refused = await thrown(() => site.jira.search('/rest/api/3/issue', { fields: {} }));
    expect(refused.message).toMatch(/^Refusing POST \/rest\/api\/3\/issue/);
    nock(JIRA)
      .post('/rest/api/3/search/jql', { jql: 'project = A' })
      .reply(200, { issues: [], isLast: true });
    await expect(site.jira.search('/rest/api/3/search/jql', { jql: 'project = A' })).resolves.toEqual({
      issues: [],
      isLast: true,
    });
  });

  test('an absolute URL outside the base is refused before any request', async () => {
    const error = await thrown(() => harness().site.jira.get('https://evil.example/rest/api/3/myself'));
    expect(error.message).toMatch(/outside/);
  });
});

describe('downloads', () => {
  test('a redirect to another host is followed without Authorization', async () => {
    nock(JIRA, { reqheaders: { authorization: basic(EMAIL, TOKEN) } })
      .get('/rest/api/3/attachment/content/1')
      .reply(303, '', { Location: 'https://media.example/file/1?token=signed' });
    const media = nock('https://media.example', { badheaders: ['authorization'] })
      .get('/file/1')
      .query(true)
      .reply(200, 'hello');
    await expect(
      harness().site.jira.download('/rest/api/3/attachment/content/1', { maxBytes: 100 }),
    ).resolves.toEqual(Buffer.from('hello'));
    expect(media.isDone()).toBe(true);
  });

  test('a same-host redirect keeps Authorization', async () => {
    nock(JIRA)
      .get('/a')
      .reply(302, '', { Location: `${JIRA}/b` });
    const b = nock(JIRA, { reqheaders: { authorization: basic(EMAIL, TOKEN) } })
      .get('/b')
      .reply(200, 'ok');
    await harness().site.jira.download('/a', { maxBytes: 10 });
    expect(b.isDone()).toBe(true);
  });

  test('a redirect to plain http on another host is refused', async () => {
    nock(JIRA).get('/a').reply(302, '', { Location: 'http://media.example/x' });
    expect((await thrown(() => harness().site.jira.download('/a', { maxBytes: 10 }))).message).toMatch(
      /not https/,
    );
  });

  test('compressed downloads (gzip, deflate, br) are decoded as they stream; a cut one fails', async () => {
    const file = Buffer.from('attachment text '.repeat(200));
    nock(JIRA)
      .get('/gz')
      .reply(200, gzipSync(file), { 'content-encoding': 'gzip' })
      .get('/deflate')
      .reply(200, deflateSync(file), { 'content-encoding': 'deflate' })
      .get('/br')
      .reply(200, brotliCompressSync(file), { 'content-encoding': 'br' })
      .get('/cut')
      .reply(200, gzipSync(file).subarray(0, 40), { 'content-encoding': 'gzip' });
    const { site } = harness();
    for (const path of ['/gz', '/deflate', '/br'])
      expect([path, await site.jira.download(path, { maxBytes: 10_000 })]).toEqual([path, file]);
    expect((await thrown(() => site.jira.download('/cut', { maxBytes: 10_000 }))).message).toMatch(
      /^Download interrupted/,
    );
  });

  test('bodies over maxBytes give null, by Content-Length or while streaming', async () => {
    nock(JIRA).get('/big').reply(200, 'x'.repeat(50), { 'Content-Length': '50' });
    nock(JIRA)
      .get('/chunked')
      .reply(200, () => Readable.from([Buffer.alloc(30), Buffer.alloc(30)]));
    const { site } = harness();
    await expect(site.jira.download('/big', { maxBytes: 10 })).resolves.toBeNull();
    await expect(site.jira.download('/chunked', { maxBytes: 40 })).resolves.toBeNull();
  });
});

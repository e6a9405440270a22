// Rate-limit waits must not depend on the local clock agreeing with Atlassian's (ENDPOINTS.md §5): a delta
// Retry-After is used as is; absolute times are read against the response's Date header.
import { DEFAULT_RETRY, rateLimitDelay } from '../../src/atlassian/retry';
import nock from '../helpers/nock';
import { JIRA, harness } from './harness';

// The harness clock reads 2026-03-02T10:00:00Z; jitter on a server delay stays under its 100 ms base delay.
const limitedOnce = (headers: Record<string, string>) =>
  nock(JIRA).get('/rest/api/3/myself').reply(429, '', headers).get('/rest/api/3/myself').reply(200, {});

describe('429 waits with a local clock off the server', () => {
  test('a delta-seconds Retry-After wins over an X-RateLimit-Reset minutes away on the local clock', async () => {
    // The local clock is 3 minutes behind: the reset looks 3 minutes away, the server asked for 5 s.
    limitedOnce({
      'Retry-After': '5',
      'X-RateLimit-Reset': '2026-03-02T10:03Z',
      Date: 'Mon, 02 Mar 2026 10:02:55 GMT',
    });
    const h = harness();
    await h.site.jira.get('/rest/api/3/myself');
    expect(h.clock.sleeps[0]).toBeGreaterThanOrEqual(5000);
    expect(h.clock.sleeps[0]).toBeLessThan(5100);
    expect(h.rateLimited).toEqual([{ resetAt: Date.parse('2026-03-02T10:00:05Z') }]);
  });

  test.each([
    ['2 minutes behind', 'Mon, 02 Mar 2026 10:02:00 GMT', 'Mon, 02 Mar 2026 10:02:30 GMT'],
    ['2 minutes ahead', 'Mon, 02 Mar 2026 09:58:00 GMT', 'Mon, 02 Mar 2026 09:58:30 GMT'],
  ])(
    'an HTTP-date Retry-After is read against the Date header (local clock %s)',
    async (_case, date, until) => {
      limitedOnce({ 'Retry-After': until, Date: date });
      const h = harness();
      await h.site.jira.get('/rest/api/3/myself');
      expect(h.clock.sleeps[0]).toBeGreaterThanOrEqual(30_000);
      expect(h.clock.sleeps[0]).toBeLessThan(30_100);
    },
  );

  test('X-RateLimit-Reset alone is read against the Date header, and reported on the local clock', async () => {
    limitedOnce({ 'X-RateLimit-Reset': '2026-03-02T10:03Z', Date: 'Mon, 02 Mar 2026 10:02:00 GMT' });
    const h = harness();
    await h.site.jira.get('/rest/api/3/myself');
    expect(h.clock.sleeps[0]).toBeGreaterThanOrEqual(60_000);
    expect(h.clock.sleeps[0]).toBeLessThan(60_100);
    expect(h.rateLimited).toEqual([{ resetAt: Date.parse('2026-03-02T10:01:00Z') }]);
  });
});

test('an absolute time already past falls back to exponential backoff instead of retrying at once', () => {
  const now = Date.parse('2026-03-02T10:00:30Z');
  const policy = { ...DEFAULT_RETRY, baseDelayMs: 1000 };
  const wait = rateLimitDelay({ reset: '2026-03-02T10:00Z', now, attempt: 3, policy, random: () => 1 });
  expect(wait).toEqual({ delayMs: 8000, resetAt: undefined });
});

// Pacing over real time, asserted relatively (gaps before vs after), never against absolute durations.
import nock from '../helpers/nock';
import { CONFLUENCE, JIRA, harness } from './harness';

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** A nock reply that notes when each request arrived. */
const record = (times: number[]) => () => {
  times.push(Date.now());
  return [200, {}] as [number, object];
};

test('a low X-RateLimit-Remaining slows the whole product down for a while', async () => {
  const times: number[] = [];
  nock(JIRA)
    .get('/rest/api/3/a')
    .times(4)
    .reply(() => {
      times.push(Date.now());
      return [200, {}];
    })
    .get('/rest/api/3/low')
    .reply(() => {
      times.push(Date.now());
      return [200, {}, { 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '3' }];
    })
    .get('/rest/api/3/b')
    .times(4)
    .reply(() => {
      times.push(Date.now());
      return [200, {}];
    });
  const { site } = harness({ requests_per_second: 20 }, { realPacing: true });
  for (let i = 0; i < 4; i++) await site.jira.get('/rest/api/3/a');
  await site.jira.get('/rest/api/3/low');
  for (let i = 0; i < 4; i++) await site.jira.get('/rest/api/3/b');
  const before = mean(gaps(times.slice(0, 5)));
  const after = mean(gaps(times.slice(4)));
  // Normal pacing at 20/s is one request per 50 ms; slowed down it is a quarter of that rate.
  expect(after).toBeGreaterThan(before * 2);
});

test('X-RateLimit-NearLimit: true slows that product down, not the other one', async () => {
  const jiraTimes: number[] = [];
  const confluenceTimes: number[] = [];
  nock(JIRA).get('/rest/api/3/near').reply(200, {}, { 'X-RateLimit-NearLimit': 'true' });
  nock(JIRA).get('/rest/api/3/b').times(3).reply(record(jiraTimes));
  nock(CONFLUENCE).get('/wiki/api/v2/b').times(3).reply(record(confluenceTimes));
  const { site } = harness({ requests_per_second: 20 }, { realPacing: true });
  await site.jira.get('/rest/api/3/near');
  for (let i = 0; i < 3; i++) await site.confluence.get('/wiki/api/v2/b');
  for (let i = 0; i < 3; i++) await site.jira.get('/rest/api/3/b');
  expect(mean(gaps(jiraTimes))).toBeGreaterThan(mean(gaps(confluenceTimes)) * 2);
});

test('no more than max_concurrency requests are in flight across products', async () => {
  let inFlight = 0;
  let peak = 0;
  const slow = async () => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 30));
    inFlight--;
    return [200, {}] as [number, object];
  };
  nock(JIRA).get('/rest/api/3/x').times(6).reply(slow);
  nock(CONFLUENCE).get('/wiki/api/v2/x').times(6).reply(slow);
  const { site } = harness({ requests_per_second: 1000, max_concurrency: 2 }, { realPacing: true });
  await Promise.all([
    ...Array.from({ length: 6 }, () => site.jira.get('/rest/api/3/x')),
    ...Array.from({ length: 6 }, () => site.confluence.get('/wiki/api/v2/x')),
  ]);
  expect(peak).toBe(2);
});

test('a 429 halves the pace for a few seconds, then the full rate comes back', async () => {
  nock(JIRA)
    .get('/rest/api/3/a')
    .times(3)
    .reply(200, {})
    .get('/rest/api/3/limited')
    .reply(429, '', { 'Retry-After': '1' })
    .get('/rest/api/3/limited')
    .reply(200, {})
    .get('/rest/api/3/b')
    .times(6)
    .reply(200, {});
  // The pacing clock only moves by the waits it is asked for, so the gaps are exact.
  const h = harness({ requests_per_second: 10 });
  for (let i = 0; i < 3; i++) await h.site.jira.get('/rest/api/3/a');
  expect(h.pacing.sleeps).toEqual([100, 100]);
  await h.site.jira.get('/rest/api/3/limited');
  h.pacing.sleeps.length = 0;
  for (let i = 0; i < 3; i++) await h.site.jira.get('/rest/api/3/b');
  // Half the rate right after the pause (slightly less than 200 ms: it is already recovering).
  expect(h.pacing.sleeps.length).toBeGreaterThanOrEqual(2);
  for (const gap of h.pacing.sleeps) expect(gap).toBeGreaterThan(150);
  h.pacing.time += 10_000;
  h.pacing.sleeps.length = 0;
  for (let i = 0; i < 3; i++) await h.site.jira.get('/rest/api/3/b');
  expect(h.pacing.sleeps).toEqual([100, 100]);
});

test('requests_per_second bounds both products together, not each of them', async () => {
  const alone: number[] = [];
  const together: number[] = [];
  nock(JIRA).get('/rest/api/3/alone').times(6).reply(record(alone));
  nock(JIRA).get('/rest/api/3/t').times(6).reply(record(together));
  nock(CONFLUENCE).get('/wiki/api/v2/t').times(6).reply(record(together));
  const { site } = harness({ requests_per_second: 20 }, { realPacing: true });
  await Promise.all(Array.from({ length: 6 }, () => site.jira.get('/rest/api/3/alone')));
  await Promise.all([
    ...Array.from({ length: 6 }, () => site.jira.get('/rest/api/3/t')),
    ...Array.from({ length: 6 }, () => site.confluence.get('/wiki/api/v2/t')),
  ]);
  together.sort((a, b) => a - b);
  // Two products at once get the same spacing as one product alone: one ceiling, shared.
  expect(mean(gaps(together))).toBeGreaterThan(mean(gaps(alone)) * 0.75);
});

test('timers that fire late do not slow the pace: requests already waiting keep to the grid', async () => {
  nock(JIRA).get('/rest/api/3/x').times(10).reply(200, {});
  const h = harness({ requests_per_second: 10 });
  h.pacing.lateByMs = 20;
  const start = h.pacing.time;
  await Promise.all(Array.from({ length: 10 }, () => h.site.jira.get('/rest/api/3/x')));
  // Ten requests at 10/s: the tenth goes out 900 ms after the first (plus one timer's lateness), not 9 x 120.
  expect(h.pacing.time - start).toBeLessThanOrEqual(920);
});

test('catching up never puts more than the ceiling into one second', async () => {
  const sent: number[] = [];
  // One at a time, so each reply notes the pacing time its request was sent at.
  const h = harness({ requests_per_second: 20, max_concurrency: 1 });
  nock(JIRA)
    .get('/rest/api/3/x')
    .times(60)
    .reply(() => {
      sent.push(h.pacing.time);
      return [200, {}];
    });
  // Each wake-up comes 150 ms late: the pace catches up in bursts, bounded by the one-second count.
  h.pacing.lateByMs = 150;
  await Promise.all(Array.from({ length: 60 }, () => h.site.jira.get('/rest/api/3/x')));
  expect(sent).toHaveLength(60);
  for (const t of sent) expect(sent.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(20);
  // ... and still keeps close to it: 60 requests at 20/s need 3 s; without catching up, each of the 59 gaps
  // would be 50 + 150 ms (11.8 s).
  expect(Math.max(...sent) - Math.min(...sent)).toBeLessThan(5000);
});

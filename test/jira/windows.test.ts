// A project with many changes is read in parallel `updated` windows: nothing is lost, little is repeated,
// and a sync stopped in the middle resumes without gaps.
import { jiraStreams } from '../../src/jira';
import { harnessSite, readStream } from './harness-client';

describe('jira_issues time windows', () => {
  it('reads a large project in several windows with the same result as one chain', async () => {
    const site = harnessSite({ scale: 'small', seed: 31 });
    const stream = jiraStreams(site.deps({ page_size: { jira: 5 } })).find((s) => s.name === 'jira_issues')!;
    const { records } = await readStream(stream, { syncMode: 'full_refresh' });
    const ids = records.map((r) => r.id as string);
    expect([...new Set(ids)].sort()).toEqual([...site.harness.module.visibleIds('jira_issues')!].sort());
    // Windows overlap at most in the minute where the first page ended.
    expect(ids.length - new Set(ids).size).toBeLessThanOrEqual(5 * 5);
    const windowed = site.requests.filter(
      (r) =>
        r.path === '/rest/api/3/search/jql' && /updated < \d+/.test(String((r.body as { jql: string }).jql)),
    );
    expect(windowed.length).toBeGreaterThan(0);
  });

  it('resumes a windowed read from the earliest unfinished window', async () => {
    const site = harnessSite({ scale: 'small', seed: 31 });
    const stream = jiraStreams(site.deps({ page_size: { jira: 5 } })).find((s) => s.name === 'jira_issues')!;
    const seen = new Set<string>();
    let state: Record<string, unknown> | undefined;
    for (let run = 0, stop = 260; run < 40; run++, stop = 100 + ((stop * 7) % 250)) {
      const result = await readStream(stream, { state, stopAfterRecords: stop });
      const last = result.events.map((e) => e.type).lastIndexOf('state');
      result.events.slice(0, last + 1).forEach((e) => e.type === 'record' && seen.add(e.data.id as string));
      if (last >= 0) state = (result.events[last] as { state: Record<string, unknown> }).state;
      if (result.records.length < stop) break;
    }
    expect([...site.harness.module.visibleIds('jira_issues')!].filter((id) => !seen.has(id))).toEqual([]);
  });
});
